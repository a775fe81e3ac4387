"""Back up a record and restore it, on SQLite or PostgreSQL, losslessly: ``comity backup`` / ``comity restore``.

A backup is JSON lines, gzip-compressed: a header, then one line per source with every column of the
source, of its assertions (dates, spans, detail, confidence, extractor and version) and of its problems,
then a trailer with the counts and a SHA-256 digest of the source lines. Database ids are left out: a
restore gives new ones, and the derived tables (events, periods, listings) are derived afresh from the
assertions, as they always can be. ::

    {"format": "comity-backup", "version": 1, "created": "...", "comity": "0.1.0"}
    {"source": {"kind": "news", "title": ..., "imported": "2025-11-28", ...}, "assertions": [...], "problems": [...]}
    ...
    {"end": true, "sources": 205, "assertions": 43593, "problems": 92, "digest": "..."}

``dump`` reads one snapshot of the record (writers may go on meanwhile) and writes the file under a
temporary name, renamed into place when complete: a killed backup leaves no truncated file behind.
``restore`` reads the whole file before it writes anything (a truncated, corrupt or altered file is
refused), needs an empty record, writes the sources in batches, and rebuilds the derived tables once.
A restore that is cut short is resumed by running it again: the record remembers which backup it was
restoring, and sources already written are skipped. The progress of bulk runs (``bulk_chunks``) is
bookkeeping, not content, and is not in a backup: a bulk run after a restore reads its archives again
and adds nothing twice.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Connection, Date, insert, select

from .store import Store
from .store.models import AssertionRow, ProblemRow, SourceRow
from .vocab import EventType, Modality

S, A, PR = SourceRow.__table__, AssertionRow.__table__, ProblemRow.__table__
FORMAT = "comity-backup"
VERSION = 1
#: Columns that are the database's own (ids and links to derived rows), not content.
_NOT_CONTENT = {"id", "source_id", "event_id"}
_BATCH = 200


class BackupError(ValueError):
    """A backup file that cannot be restored (truncated, corrupt, of another format), or a record that
    cannot take it (not empty)."""


@dataclass
class BackupReport:
    path: str
    sources: int = 0
    assertions: int = 0
    problems: int = 0
    digest: str = ""
    skipped: int = 0  # sources already in the record (a resumed restore)

    def to_dict(self) -> dict:
        return asdict(self)


def _columns(table) -> list:  # type: ignore[no-untyped-def]
    return [c for c in table.columns if c.name not in _NOT_CONTENT]


_SCOLS, _ACOLS, _PCOLS = _columns(S), _columns(A), _columns(PR)


def _out(value: object) -> object:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _row_dict(cols, row) -> dict:  # type: ignore[no-untyped-def]
    return {c.name: _out(getattr(row, c.name)) for c in cols}


def _line(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, allow_nan=False)


# -- dump -------------------------------------------------------------------------------------------


def _snapshot(store: Store, conn: Connection) -> Connection:
    """Make ``conn`` read one consistent snapshot until it ends."""
    if store.dialect == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        conn.begin()
    elif store.dialect == "sqlite":
        conn.exec_driver_sql("BEGIN")  # a read transaction: WAL keeps its snapshot for it
    return conn


def _grouped(conn: Connection, table, cols) -> Iterator[tuple[int, list[dict]]]:  # type: ignore[no-untyped-def]
    """(source id, its rows) in order of source id, streamed."""
    q = select(table.c.source_id, *[table.c[c.name] for c in cols]).order_by(table.c.source_id, table.c.id)
    current, rows = None, []
    for r in conn.execution_options(stream_results=True, yield_per=2000).execute(q):
        if r.source_id != current:
            if current is not None:
                yield current, rows
            current, rows = r.source_id, []
        rows.append(_row_dict(cols, r))
    if current is not None:
        yield current, rows


def iter_sources(store: Store, conn: Connection) -> Iterator[dict]:
    """Every source of the record with its assertions and problems, in order of id, as backup lines."""
    assertions = _grouped(conn, A, _ACOLS)
    problems = _grouped(conn, PR, _PCOLS)
    next_a, next_p = next(assertions, None), next(problems, None)
    q = select(S.c.id, *[S.c[c.name] for c in _SCOLS]).order_by(S.c.id)
    for src in conn.execution_options(stream_results=True, yield_per=500).execute(q):
        item = {"source": _row_dict(_SCOLS, src), "assertions": [], "problems": []}
        while next_a is not None and next_a[0] <= src.id:
            if next_a[0] == src.id:
                item["assertions"] = next_a[1]
            next_a = next(assertions, None)
        while next_p is not None and next_p[0] <= src.id:
            if next_p[0] == src.id:
                item["problems"] = next_p[1]
            next_p = next(problems, None)
        yield item


def dump(
    store: Store, path: str | os.PathLike, *, progress: Callable[[dict], None] | None = None
) -> BackupReport:
    """Write every source of ``store`` with its assertions and problems to ``path`` (JSONL.gz)."""
    from . import __version__

    path = Path(path)
    report = BackupReport(str(path))
    digest = hashlib.sha256()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with store.engine.connect() as conn, open(tmp, "wb") as raw:
            conn = _snapshot(store, conn)
            with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
                header = {"format": FORMAT, "version": VERSION, "comity": __version__,
                          "created": datetime.now().isoformat(timespec="seconds"), "dialect": store.dialect}  # fmt: skip
                gz.write((_line(header) + "\n").encode())
                for item in iter_sources(store, conn):
                    line = _line(item) + "\n"
                    digest.update(line.encode())
                    gz.write(line.encode())
                    report.sources += 1
                    report.assertions += len(item["assertions"])
                    report.problems += len(item["problems"])
                    if progress:
                        progress(item)
                report.digest = digest.hexdigest()
                trailer = {"end": True, "sources": report.sources, "assertions": report.assertions,
                           "problems": report.problems, "digest": report.digest}  # fmt: skip
                gz.write((_line(trailer) + "\n").encode())
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return report


# -- restore ----------------------------------------------------------------------------------------


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        with gzip.open(path, "rt", encoding="utf-8", newline="\n") as fh:
            yield from enumerate(fh, 1)
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path}: not a readable backup ({exc.__class__.__name__}: {exc})") from None


def _parse(path: Path, n: int, line: str) -> dict:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BackupError(f"{path}: line {n} is not JSON ({exc.msg})") from None
    if not isinstance(obj, dict):
        raise BackupError(f"{path}: line {n} is not a JSON object")
    return obj


def _check_rows(path: Path, n: int, rows: object, cols: list, what: str) -> None:
    names = {c.name for c in cols}
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise BackupError(f"{path}: line {n}: {what} is not a list of objects")
    for r in rows:
        if set(r) != names:
            raise BackupError(
                f"{path}: line {n}: {what} has columns {sorted(set(r) ^ names)} it should not or lacks"
            )


def _check_item(path: Path, n: int, item: dict) -> None:
    if set(item) != {"source", "assertions", "problems"}:
        raise BackupError(f"{path}: line {n} is not a source line")
    _check_rows(path, n, [item["source"]], _SCOLS, "the source")
    _check_rows(path, n, item["assertions"], _ACOLS, "an assertion")
    _check_rows(path, n, item["problems"], _PCOLS, "a problem")
    src = item["source"]
    if not (
        isinstance(src["kind"], str)
        and isinstance(src["content_hash"], str)
        and isinstance(src["title"], str)
    ):
        raise BackupError(f"{path}: line {n}: the source needs a kind, a title and a content hash")
    for a in item["assertions"]:
        try:
            EventType(a["type"])
            Modality(a["modality"])
        except ValueError as exc:
            raise BackupError(f"{path}: line {n}: {exc}") from None
        if not (isinstance(a["a"], str) and isinstance(a["b"], str)) or a["a"] == a["b"]:
            raise BackupError(f"{path}: line {n}: an assertion needs two different parties")


def read_backup(path: str | os.PathLike) -> tuple[dict, dict]:
    """Read and check the whole file; returns (header, trailer). Raises :class:`BackupError`."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    header: dict | None = None
    trailer: dict | None = None
    digest = hashlib.sha256()
    counts = {"sources": 0, "assertions": 0, "problems": 0}
    for n, line in _lines(path):
        obj = _parse(path, n, line)
        if header is None:
            if obj.get("format") != FORMAT:
                raise BackupError(f"{path}: not a comity backup")
            if obj.get("version") != VERSION:
                raise BackupError(
                    f"{path}: backup version {obj.get('version')} (this comity reads {VERSION})"
                )
            header = obj
        elif trailer is not None:
            raise BackupError(f"{path}: line {n} follows the end of the backup")
        elif obj.get("end") is True:
            trailer = obj
        else:
            _check_item(path, n, obj)
            digest.update(line.encode() if line.endswith("\n") else (line + "\n").encode())
            counts["sources"] += 1
            counts["assertions"] += len(obj["assertions"])
            counts["problems"] += len(obj["problems"])
    if header is None:
        raise BackupError(f"{path}: empty file")
    if trailer is None:
        raise BackupError(f"{path}: truncated (no end line): a backup that did not finish")
    for k, v in counts.items():
        if trailer.get(k) != v:
            raise BackupError(f"{path}: the end line counts {trailer.get(k)} {k}, the file holds {v}")
    if trailer.get("digest") != digest.hexdigest():
        raise BackupError(f"{path}: the digest does not match: the file was altered or damaged")
    return header, trailer


def _value(col, value: object) -> object:  # type: ignore[no-untyped-def]
    if value is not None and isinstance(col.type, Date):
        return date.fromisoformat(str(value))
    return value


def restore(
    store: Store, path: str | os.PathLike, *, progress: Callable[[dict], None] | None = None
) -> BackupReport:
    """Restore the backup at ``path`` into ``store``, which must be empty (or hold this same restore, cut
    short). Raises :class:`BackupError` before writing anything when the file or the record is not fit."""
    path = Path(path)
    _header, trailer = read_backup(path)
    report = BackupReport(str(path), digest=trailer["digest"])
    mark = f"restore:{trailer['digest']}"
    if not store.is_empty() and store.meta("restoring") != mark:
        raise BackupError(
            f"the record at {store.url.render_as_string(hide_password=True)} is not empty: restore into an empty one"
        )
    with store.writing() as conn:
        store.set_meta(conn, "restoring", mark)
        store._mark_dirty(conn, None)  # the derived tables wait for the rebuild at the end
    batch: list[dict] = []
    for n, line in _lines(path):
        if n == 1:
            continue
        obj = json.loads(line)
        if obj.get("end") is True:
            break
        batch.append(obj)
        if len(batch) >= _BATCH:
            _write(store, batch, report, progress)
            batch = []
    if batch:
        _write(store, batch, report, progress)
    store.rebuild()
    with store.writing() as conn:
        store.set_meta(conn, "restoring", None)
    return report


def _write(
    store: Store, items: list[dict], report: BackupReport, progress: Callable[[dict], None] | None
) -> None:
    with store.writing() as conn:
        for item in items:
            src = item["source"]
            exists = conn.execute(
                select(S.c.id).where(S.c.kind == src["kind"], S.c.content_hash == src["content_hash"])
            ).scalar()
            if exists is not None:
                report.skipped += 1
                continue
            sid = conn.execute(
                insert(S).values({c.name: _value(c, src[c.name]) for c in _SCOLS})
            ).inserted_primary_key[0]
            if item["assertions"]:
                conn.execute(
                    insert(A),
                    [{"source_id": sid, "event_id": None, **{c.name: _value(c, a[c.name]) for c in _ACOLS}}
                     for a in item["assertions"]],
                )  # fmt: skip
            if item["problems"]:
                conn.execute(
                    insert(PR),
                    [{"source_id": sid, **{c.name: p[c.name] for c in _PCOLS}} for p in item["problems"]],
                )
            report.sources += 1
            report.assertions += len(item["assertions"])
            report.problems += len(item["problems"])
    for item in items:
        if progress:
            progress(item)
    store.generation += 1


# -- comparing records ------------------------------------------------------------------------------


def content_digest(store: Store) -> str:
    """A digest of the record's content (sources, assertions, problems), independent of ids and of the
    order things were stored in: equal for a record and its restored backup, on either database."""
    with store.engine.connect() as conn:
        conn = _snapshot(store, conn)
        items = []
        for item in iter_sources(store, conn):
            item["assertions"] = sorted(_line(a) for a in item["assertions"])
            item["problems"] = sorted(_line(p) for p in item["problems"])
            items.append(_line(item))
    digest = hashlib.sha256()
    for line in sorted(items):
        digest.update(line.encode() + b"\n")
    return digest.hexdigest()


__all__ = ["BackupError", "BackupReport", "content_digest", "dump", "read_backup", "restore"]
