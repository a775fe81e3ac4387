"""The record that ships with the package: facts derived from Wikipedia's "Foreign relations of X" pages.

``data/baseline/wikipedia.jsonl.gz`` holds one line per page: the source (title, URL, licence,
attribution), the assertions read from it (pairs, dates, the row or sentence they rest on) and the
rows that could not be read. It is derived data, rebuilt by one command::

    comity baseline build ../shared/data/wikipedia/foreign-relations --retrieved 2025-11-01

A fresh record is seeded from it, so a new install answers at once.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

from .records import Document

BASELINE = "baseline/wikipedia.jsonl.gz"


def baseline_path() -> Path:
    return Path(str(resources.files("comity").joinpath("data", BASELINE)))


def read_documents(path: Path) -> Iterator[Document]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:  # type: ignore[operator]
        for line in fh:
            if line.strip():
                yield Document.from_dict(json.loads(line))


@cache
def first_relations() -> dict[frozenset[str], int]:
    """For each pair of states the bundled record shows holding diplomatic relations, the earliest year it
    gives them (read once)."""
    out: dict[frozenset[str], int] = {}
    with gzip.open(baseline_path(), "rt", encoding="utf-8") as fh:
        for line in fh:
            for a in json.loads(line).get("assertions", []) if line.strip() else []:
                if a.get("type") not in ("establish", "restore", "sever", "suspend") or not a.get("date"):
                    continue
                if a.get("modality") != "asserted":
                    continue
                pair, year = frozenset((a["a"], a["b"])), int(str(a["date"])[:4])
                out[pair] = min(year, out.get(pair, year))
    return out


def write_documents(docs: Iterable[Document], path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    # mtime=0 keeps the file byte-identical when the facts are.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        for doc in docs:
            gz.write((json.dumps(doc.to_dict(), ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
            n += 1
    return n


def build_baseline(paths: Iterable[Path], out: Path | None = None, retrieved: date | None = None) -> int:
    """Parse the pages and write the baseline file; returns the number of pages."""
    from .importers.wikipedia import read_files

    docs = sorted(read_files(list(paths), retrieved=retrieved), key=lambda d: d.source.title)
    return write_documents(docs, out or baseline_path())


def load_baseline(store, progress: Callable | None = None) -> int:  # type: ignore[no-untyped-def]
    """Seed ``store`` with the shipped record (nothing happens when the file is absent)."""
    path = baseline_path()
    if not path.exists():
        return 0
    results = store.add_many(read_documents(path), progress=progress)
    return sum(1 for r in results if r.added)
