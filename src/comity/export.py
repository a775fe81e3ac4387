"""The record as tables for the analyst's toolbox: events, pair-years and the relations network.

``events``     one row per merged event: type, pair, date (with its precision and bounds), modality, CAMEO
               code and PLOVER category (:mod:`comity.codes`), and the supporting sources, one list entry
               per supporting assertion (titles, URLs, kinds and quotes, aligned).
``pairyears``  the dyad-year layout: one row per pair of states (``a`` < ``b``, non-directed) and year, from
               the year of the pair's first recorded event to the year of ``as_of``: the status at the end of
               the year (on ``as_of`` in its own year), whether the pair held relations on any day of the
               year, the year relations were first established, and that year's events.
``nodes``,     the relations network on ``as_of``: every entity that existed that day, and an edge for each
``edges``      pair where either side counts the other as a partner (as ``comity partners`` does: a state's
               own reference page decides for it), with the date each side gives and ``counted_by``; a node's
               ``partners`` is the length of its ``comity partners`` answer.

Pair-years come from the pairs' merged timelines, the same periods ``comity status`` reads. CSV and JSON lines are written as they are read, without pandas; Parquet needs pyarrow and GraphML
networkx (the ``analysis`` extra). In CSV (and for nested values in Parquet) a list or a nested value is written
as JSON.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, or_, select

from .codes import event_codes
from .frames import require
from .merge import day_key, key_date
from .query import QueryError, Record
from .states import registry
from .store.models import AssertionRow, EventRow, ListingRow, PeriodRow, SourceRow
from .timeline import Period, period_of, status_at
from .vocab import is_symmetric, parse_as_of

A, E, P, L, S = (m.__table__ for m in (AssertionRow, EventRow, PeriodRow, ListingRow, SourceRow))

FORMATS = ("csv", "jsonl", "parquet", "graphml")
TABLES = ("events", "pairyears", "nodes", "edges")
EXTENSIONS = {"csv": ".csv", "jsonl": ".jsonl", "parquet": ".parquet", "graphml": ".graphml"}

#: Column name -> kind: str, int, bool, list (of strings) or json (nested; a JSON string in CSV and Parquet).
EVENT_COLUMNS: dict[str, str] = {
    "event_id": "int",
    "type": "str",
    "directed": "bool",
    "a": "str",
    "a_name": "str",
    "b": "str",
    "b_name": "str",
    "date": "str",
    "precision": "str",
    "earliest": "str",
    "latest": "str",
    "happened_by": "str",
    "modality": "str",
    "n_sources": "int",
    "disputed_dates": "json",
    "cameo": "str",
    "cameo_label": "str",
    "cameo_exact": "bool",
    "plover": "str",
    "plover_mode": "str",
    "source_titles": "list",
    "source_urls": "list",
    "source_kinds": "list",
    "quotes": "list",
}
PAIRYEAR_COLUMNS: dict[str, str] = {
    "a": "str",
    "b": "str",
    "a_name": "str",
    "b_name": "str",
    "year": "int",
    "status": "str",
    "relations": "bool",
    "relations_during": "bool",
    "uncertain": "bool",
    "established": "int",
    "n_events": "int",
    "events": "list",
}
NODE_COLUMNS: dict[str, str] = {
    "code": "str",
    "name": "str",
    "kind": "str",
    "un_member": "bool",
    "partners": "int",
}
EDGE_COLUMNS: dict[str, str] = {
    "a": "str",
    "b": "str",
    "a_name": "str",
    "b_name": "str",
    "since": "str",
    "a_since": "str",
    "b_since": "str",
    "counted_by": "list",
    "n_events": "int",
}
COLUMNS = {
    "events": EVENT_COLUMNS,
    "pairyears": PAIRYEAR_COLUMNS,
    "nodes": NODE_COLUMNS,
    "edges": EDGE_COLUMNS,
}

Progress = Callable[[str, int, int | None], None]


class ExportError(ValueError):
    """An export that cannot be made as asked (a format that does not hold the table, a bad date)."""


def _day(as_of: str | date | None) -> date:
    try:
        return parse_as_of(as_of)
    except ValueError as exc:
        raise QueryError(str(exc)) from None


def _name(code: str) -> str:
    return registry().get(code).name if code in registry() else code


def _key_iso(key: int | None) -> str | None:
    return key_date(key).isoformat() if key else None


# -- events -----------------------------------------------------------------------------------------
def _events_query(as_of: date | None):  # type: ignore[no-untyped-def]
    q = select(E)
    if as_of is not None:
        key = day_key(as_of)
        q = q.where(or_(E.c.lo <= key, (E.c.lo.is_(None) & (E.c.bound <= key))))
    return q


def count_events(record: Record, as_of: str | date | None = None) -> int:
    day = _day(as_of) if as_of is not None else None
    with record.store.connect() as conn:
        return conn.execute(select(func.count()).select_from(_events_query(day).subquery())).scalar() or 0


def events_rows(record: Record, as_of: str | date | None = None, *, chunk: int = 2000) -> Iterator[dict]:
    """One row per event (dated, or known to have happened, by ``as_of`` when given), in id order."""
    day = _day(as_of) if as_of is not None else None
    codes = event_codes()
    last = 0
    while True:
        with record.store.connect() as conn:
            evs = conn.execute(_events_query(day).where(E.c.id > last).order_by(E.c.id).limit(chunk)).all()
            if not evs:
                return
            ids = [r.id for r in evs]
            support: dict[int, list] = defaultdict(list)
            for s in conn.execute(
                select(A.c.event_id, A.c.evidence, S.c.title, S.c.url, S.c.kind)
                .join(S, S.c.id == A.c.source_id)
                .where(A.c.event_id.in_(ids))
                .order_by(A.c.event_id, A.c.id)
            ):
                support[s.event_id].append(s)
        for r in evs:
            code = codes[r.type]
            sup = support[r.id]
            yield {
                "event_id": r.id,
                "type": r.type,
                "directed": not is_symmetric(r.type),
                "a": r.a,
                "a_name": _name(r.a),
                "b": r.b,
                "b_name": _name(r.b),
                "date": r.date,
                "precision": _precision(r.date),
                "earliest": _key_iso(r.lo),
                "latest": _key_iso(r.hi),
                "happened_by": _key_iso(r.bound) if r.date is None else None,
                "modality": r.modality,
                "n_sources": r.n_sources,
                "disputed_dates": r.disputed_dates,
                "cameo": ";".join(code.cameo),
                "cameo_label": code.cameo_label,
                "cameo_exact": code.cameo_exact,
                "plover": code.plover,
                "plover_mode": code.plover_mode,
                "source_titles": [s.title for s in sup],
                "source_urls": [s.url or "" for s in sup],
                "source_kinds": [s.kind for s in sup],
                "quotes": [s.evidence or "" for s in sup],
            }
        last = ids[-1]


def _precision(value: str | None) -> str | None:
    if not value:
        return None
    return {4: "year", 7: "month"}.get(len(value), "day")


# -- timelines of every pair ------------------------------------------------------------------------
def _all_periods(record: Record) -> dict[tuple[str, str], list[Period]]:
    out: dict[tuple[str, str], list[Period]] = defaultdict(list)
    with record.store.connect() as conn:
        for r in conn.execute(select(P).order_by(P.c.a, P.c.b, P.c.start_hi, P.c.id)):
            out[(r.a, r.b)].append(period_of(r))
    return out


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def count_pairs(record: Record) -> int:
    with record.store.connect() as conn:
        rows = conn.execute(select(E.c.a, E.c.b).distinct()).all()
    return len({_pair(a, b) for a, b in rows})


def pairyears_rows(
    record: Record,
    as_of: str | date | None = None,
    *,
    start: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[dict]:
    """The dyad-year table: one row per pair and year (see the module docstring)."""
    day = _day(as_of)
    periods = _all_periods(record)
    events: dict[tuple[str, str], list] = defaultdict(list)
    with record.store.connect() as conn:
        for r in conn.execute(
            select(E.c.type, E.c.a, E.c.b, E.c.date, E.c.lo, E.c.hi, E.c.bound)
            .where(E.c.modality == "asserted")
            .order_by(E.c.lo, E.c.id)
        ):
            events[_pair(r.a, r.b)].append(r)
    last_year, last_key = day.year, day_key(day)
    for pair in sorted(set(periods) | set(events)):
        if progress:
            progress(1)
        a, b = pair
        ps = periods.get(pair, [])
        # What happened by the day asked: events dated (or known to have happened) by then.
        evs = [e for e in events.get(pair, []) if (e.lo or e.bound or last_key + 1) <= last_key]
        keys = [e.lo or e.bound for e in evs] + [p.start_lo or p.start_hi for p in ps]
        years = [k // 10000 for k in keys if k and k <= last_key]
        if not years:
            continue
        first = min(years) if start is None else max(min(years), start)
        rel = [p for p in ps if p.status == "relations"]
        by_year: dict[int, list[str]] = defaultdict(list)
        for e in evs:
            by_year[(e.lo or e.bound) // 10000].append(f"{e.type} {e.date or 'by ' + _key_iso(e.bound)}")  # type: ignore[operator]
        a_name, b_name = _name(a), _name(b)
        for year in range(first, last_year + 1):
            end = last_key if year == last_year else year * 10000 + 1231
            jan1 = year * 10000 + 101
            st = status_at(ps, end)
            begun = [p for p in rel if p.start_hi is not None and p.start_hi <= end]
            during = any(p.end_hi is None or p.end_hi >= jan1 for p in begun)
            ev_year = by_year.get(year, [])
            yield {
                "a": a,
                "b": b,
                "a_name": a_name,
                "b_name": b_name,
                "year": year,
                "status": st.status,
                "relations": st.status == "relations",
                "relations_during": during,
                "uncertain": st.uncertain is not None,
                "established": _year(begun[0]) if begun else None,
                "n_events": len(ev_year),
                "events": ev_year,
            }


def _year(p: Period) -> int:
    return int(p.start[:4]) if p.start else p.start_hi // 10000  # type: ignore[operator]


# -- the network ----------------------------------------------------------------------------------------
def network_tables(
    record: Record,
    as_of: str | date | None = None,
    *,
    among: str = "all",
    progress: Callable[[int], None] | None = None,
) -> tuple[list[dict], list[dict]]:
    """(nodes, edges) of the relations network on ``as_of``; ``among='un'`` keeps UN members only.

    A pair is an edge when either side counts the other as a partner (as ``comity partners`` does, each
    state's own list deciding for it), so a node's ``partners`` is the length of its ``comity partners``
    answer. ``counted_by`` lists the sides that count the pair, ``a_since``/``b_since`` the date each gives,
    and ``since`` the start of the current period of relations on the pair's merged timeline.
    """
    if among not in ("all", "un"):
        raise QueryError(f"among must be 'all' or 'un', not {among!r}")
    day = _day(as_of)
    key = day_key(day)
    reg = registry()
    members = {s.code for s in reg.un_members(day)}
    entities = sorted(
        (s for s in reg if (s.code in members if among == "un" else s.existed(day))), key=lambda s: s.code
    )
    kept = {s.code for s in entities}
    periods = _all_periods(record)
    with record.store.connect() as conn:
        n_events: dict[tuple[str, str], int] = defaultdict(int)
        for r in conn.execute(
            select(E.c.a, E.c.b, func.count()).where(E.c.modality == "asserted").group_by(E.c.a, E.c.b)
        ):
            n_events[_pair(r[0], r[1])] += r[2]
    counted: dict[tuple[str, str], dict[str, str | None]] = defaultdict(dict)
    degree: dict[str, int] = {}
    for s in entities:
        found = [p for p in record.partners(s.code, day, among) if p.code in kept]  # type: ignore[arg-type]
        degree[s.code] = len(found)
        for p in found:
            counted[_pair(s.code, p.code)][s.code] = p.date
        if progress:
            progress(1)
    edges = []
    for (a, b), by in sorted(counted.items()):
        st = status_at(periods.get((a, b), []), key)
        edges.append(
            {
                "a": a,
                "b": b,
                "a_name": _name(a),
                "b_name": _name(b),
                "since": st.period.start if st.status == "relations" and st.period else None,
                "a_since": by.get(a),
                "b_since": by.get(b),
                "counted_by": [v for v in (a, b) if v in by],
                "n_events": n_events.get((a, b), 0),
            }
        )
    nodes = [
        {
            "code": s.code,
            "name": s.name,
            "kind": s.kind,
            "un_member": s.code in members,
            "partners": degree[s.code],
        }
        for s in entities
    ]
    return nodes, edges


# -- writing ----------------------------------------------------------------------------------------
def _csv_value(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind in ("list", "json"):
        return json.dumps(value, ensure_ascii=False)
    if kind == "bool":
        return "true" if value else "false"
    return str(value)


def write_csv(rows: Iterable[dict], columns: dict[str, str], out: IO[str]) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(columns))
    n = 0
    for row in rows:
        writer.writerow([_csv_value(row.get(c), k) for c, k in columns.items()])
        n += 1
    return n


def write_jsonl(rows: Iterable[dict], columns: dict[str, str], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False, default=str) + "\n")
        n += 1
    return n


def write_parquet(rows: Iterable[dict], columns: dict[str, str], path: Path, *, batch: int = 50_000) -> int:
    pa = require("pyarrow", purpose="Parquet export")
    pq = require("pyarrow.parquet", purpose="Parquet export")
    types = {
        "str": pa.string(),
        "int": pa.int64(),
        "bool": pa.bool_(),
        "list": pa.list_(pa.string()),
        "json": pa.string(),
    }
    schema = pa.schema([(c, types[k]) for c, k in columns.items()])
    n = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        buf: list[dict] = []

        def flush() -> None:
            if buf:
                writer.write_table(pa.Table.from_pylist(buf, schema=schema))
                buf.clear()

        for row in rows:
            buf.append(
                {
                    c: (
                        json.dumps(row.get(c), ensure_ascii=False)
                        if k == "json" and row.get(c) is not None
                        else row.get(c)
                    )
                    for c, k in columns.items()
                }
            )
            n += 1
            if len(buf) >= batch:
                flush()
        flush()
    return n


def write_table(rows: Iterable[dict], columns: dict[str, str], fmt: str, target: Path | IO[str]) -> int:
    """Write rows in ``fmt`` (csv, jsonl, parquet) to a path, or a text stream (csv, jsonl)."""
    if fmt == "parquet":
        if not isinstance(target, Path):
            raise ExportError("Parquet is written to a file, not to a stream")
        return write_parquet(rows, columns, target)
    writer = {"csv": write_csv, "jsonl": write_jsonl}.get(fmt)
    if writer is None:
        raise ExportError(f"a table cannot be written as {fmt!r}: use csv, jsonl or parquet")
    if isinstance(target, Path):
        with target.open("w", encoding="utf-8", newline="") as fh:
            return writer(rows, columns, fh)
    return writer(rows, columns, target)


@dataclass
class Exported:
    table: str
    path: str
    rows: int

    def to_dict(self) -> dict:
        return {"table": self.table, "path": self.path, "rows": self.rows}


def resolve_tables(tables: Iterable[str] | None, fmt: str) -> list[str]:
    """The tables to write: ``network`` means nodes and edges; GraphML holds the network only."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: use {', '.join(FORMATS)}")
    asked = list(tables or (["network"] if fmt == "graphml" else ["events", "pairyears", "network"]))
    out: list[str] = []
    for t in asked:
        for name in ("nodes", "edges") if t == "network" else (t,):
            if name not in TABLES:
                raise ExportError(f"unknown table {t!r}: use events, pairyears or network (nodes, edges)")
            if name not in out:
                out.append(name)
    if fmt == "graphml" and set(out) - {"nodes", "edges"}:
        raise ExportError(
            "GraphML holds the relations network only: use --table network (or csv, jsonl, parquet)"
        )
    return out


def export(
    record: Record,
    out: Path | str | IO[str],
    fmt: str = "csv",
    tables: Iterable[str] | None = None,
    as_of: str | date | None = None,
    *,
    start: int | None = None,
    progress: Progress | None = None,
) -> list[Exported]:
    """Write the tables to the folder ``out`` (``events.csv``, ``pairyears.csv``, ``nodes.csv``, ``edges.csv``,
    or ``network.graphml``), or one table to a text stream. ``as_of`` limits events to those dated by then and
    dates the network and the last pair-year; ``start`` is the first year of pair-years."""
    names = resolve_tables(tables, fmt)
    day = _day(as_of)
    stream = not isinstance(out, str | Path)
    if stream and (len(names) != 1 or fmt not in ("csv", "jsonl")):
        raise ExportError("only one table, as csv or jsonl, can be written to standard output")
    folder = None if stream else Path(out)  # type: ignore[arg-type]
    if folder is not None:
        if folder.exists() and not folder.is_dir():
            raise ExportError(f"{folder} is a file: --out names a folder")
        folder.mkdir(parents=True, exist_ok=True)

    def report(table: str) -> Callable[[int], None] | None:
        if progress is None:
            return None
        done = [0]

        def step(n: int) -> None:
            done[0] += n
            progress(table, done[0], None)

        return step

    results: list[Exported] = []
    network: tuple[list[dict], list[dict]] | None = None
    if "nodes" in names or "edges" in names:
        if progress:
            progress("network", 0, sum(1 for s in registry() if s.existed(day)))
        network = network_tables(record, day, progress=report("network"))
    if fmt == "graphml":
        from .graph import build_graph

        nx = require("networkx", purpose="GraphML export")
        path = folder / "network.graphml"  # type: ignore[operator]
        graph = build_graph(*network)  # type: ignore[misc]
        graph.graph["as_of"] = day.isoformat()
        nx.write_graphml(graph, str(path))
        return [Exported("network", str(path), graph.number_of_edges())]
    for name in names:
        if name == "events":
            total = count_events(record, day if as_of is not None else None)
            if progress:
                progress(name, 0, total)
            step = report(name)
            rows: Iterable[dict] = _counting(events_rows(record, day if as_of is not None else None), step)
        elif name == "pairyears":
            if progress:
                progress(name, 0, count_pairs(record))
            rows = pairyears_rows(record, day, start=start, progress=report(name))
        else:
            rows = network[0] if name == "nodes" else network[1]  # type: ignore[index]
        target: Path | IO[str] = out if stream else folder / f"{name}{EXTENSIONS[fmt]}"  # type: ignore[assignment,operator]
        n = write_table(rows, COLUMNS[name], fmt, target)
        results.append(Exported(name, "-" if stream else str(target), n))
    return results


def _counting(rows: Iterable[dict], step: Callable[[int], None] | None, every: int = 500) -> Iterator[dict]:
    n = 0
    for row in rows:
        yield row
        n += 1
        if step and n % every == 0:
            step(every)
    if step and n % every:
        step(n % every)


__all__ = [
    "COLUMNS",
    "FORMATS",
    "TABLES",
    "ExportError",
    "Exported",
    "events_rows",
    "export",
    "network_tables",
    "pairyears_rows",
    "resolve_tables",
    "write_table",
]
