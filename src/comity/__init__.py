"""comity: which states hold diplomatic relations with which, since when, and on whose word.

The Python API answers from the default record (SQLite in the user's data directory, seeded with the
bundled baseline), or from any record opened with :func:`comity.record`::

    import comity
    comity.rank("KOR", "CUB").rank_all          # 193
    [p.code for p in comity.partners("KOR", as_of="2024-02-15", among="un")]
"""

from __future__ import annotations

__version__ = "0.1.0"

from .frames import to_pandas
from .query import Record, conflicts, events, missing, partners, rank, record, status, timeline
from .query import graph as network  # ``comity.graph`` is the module (relations_graph)

__all__ = [
    "Record",
    "conflicts",
    "events",
    "missing",
    "network",
    "partners",
    "rank",
    "record",
    "status",
    "timeline",
    "to_pandas",
    "__version__",
]
