"""The relations network as a networkx graph: states as nodes, pairs with relations on a day as edges.

    import comity
    from comity.graph import relations_graph
    g = relations_graph(comity.record(), as_of="2024-02-15")
    g.nodes["KOR"]["partners"], g.edges["CUB", "KOR"]["since"]

A pair is an edge when either side counts the other as a partner, as ``comity partners`` does (a state's own
reference page decides for it), so ``g.degree`` is close to, and ``partners`` on each node equal to, the number
of partners comity answers. Nodes carry ``name``, ``kind``, ``un_member`` and ``partners``; edges carry
``since`` (the start of the current period of relations on the pair's timeline), ``a_since`` and ``b_since``
(the date each side gives; ``a`` is the alphabetically first code), ``counted_by`` (the sides that count the
pair, joined with ";") and ``n_events``. Attributes without a value are left off, as GraphML has no null.
networkx is the ``analysis`` extra.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .frames import require


def build_graph(nodes: list[dict], edges: list[dict]):  # type: ignore[no-untyped-def]
    """A networkx Graph from :func:`comity.export.network_tables` rows."""
    nx = require("networkx", purpose="the relations graph")
    g = nx.Graph()
    for n in nodes:
        g.add_node(n["code"], **_attrs(n, skip=("code",)))
    for e in edges:
        g.add_edge(e["a"], e["b"], **_attrs(e, skip=("a", "b", "a_name", "b_name")))
    return g


def _attrs(row: dict, skip: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in row.items():
        if k in skip or v is None:
            continue
        if isinstance(v, list | tuple):
            if not v:
                continue
            v = ";".join(str(x) for x in v)
        out[k] = v
    return out


def relations_graph(record, as_of: str | date | None = None, *, among: str = "all"):  # type: ignore[no-untyped-def]
    """The network of relations on ``as_of`` (today when None); ``among='un'`` keeps UN members only."""
    from .export import network_tables

    g = build_graph(*network_tables(record, as_of, among=among))
    from .vocab import parse_as_of

    g.graph["as_of"] = parse_as_of(as_of).isoformat()
    g.graph["among"] = among
    return g


__all__ = ["build_graph", "relations_graph"]
