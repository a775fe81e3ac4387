"""One storage layer for SQLite (the embedded default) and PostgreSQL, through SQLAlchemy 2.

A :class:`Store` takes :class:`~comity.records.Document` s in, one transaction per source, and keeps the
derived tables (events, periods, listings) in step with the assertions. The derived tables are a pure
function of the assertions (see :mod:`comity.merge` and :mod:`comity.timeline`), so they can always be
rebuilt; a ``dirty`` mark in ``meta`` makes a rebuild that was cut short happen on the next open.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from importlib import resources
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, delete, event, func, insert, select, text, update
from sqlalchemy.engine import make_url

from ..merge import Claim, day_key, merge
from ..records import Document
from ..timeline import TimedEvent, periods
from ..vocab import PartialDate
from .models import AssertionRow, Base, EventRow, ListingRow, MetaRow, PeriodRow, ProblemRow, SourceRow

S, A, E, P, L = (m.__table__ for m in (SourceRow, AssertionRow, EventRow, PeriodRow, ListingRow))

Pair = tuple[str, str]

#: The PostgreSQL advisory lock every write transaction takes first (see :meth:`Store.writing`).
WRITE_LOCK = int.from_bytes(hashlib.sha256(b"comity.store.write").digest()[:8], "big", signed=True)


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("comity", appauthor=False)) / "comity.db"


def resolve_url(url: str | os.PathLike | None = None) -> str:
    """``None`` -> $COMITY_DB -> the SQLite file in the user's data directory. A bare path is SQLite."""
    value = str(url) if url else os.environ.get("COMITY_DB") or ""
    if not value:
        path = default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    if "://" not in value:
        path = Path(value).expanduser()
        if path.parent and not path.parent.exists():
            raise FileNotFoundError(f"database folder does not exist: {path.parent}")
        return f"sqlite:///{path}"
    if value.startswith("postgresql://") or value.startswith("postgres://"):
        value = "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    _set_wal(cur)
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _set_wal(cur, wait: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    """Switch a new file to WAL. SQLite can answer "database is locked" to this pragma without waiting on the
    busy timeout (while another process is switching the same new file), so it is retried here."""
    deadline = time.monotonic() + wait
    delay = 0.01
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


@dataclass
class AddResult:
    source_id: int
    added: bool  # False when the same source was already stored
    assertions: int
    problems: int
    replaced: int = 0  # older revisions of the same page that this one replaced


class Store:
    """The record. ``Store.open()`` gives the default; ``Store.open(url)`` any SQLite or PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url = engine.url
        self.generation = 0  # bumped on every write, for caches above the store

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, url: str | os.PathLike | None = None, *, seed: bool = True, echo: bool = False) -> Store:
        """Open (creating and migrating) the record. With ``seed``, an empty record gets the baseline."""
        full = resolve_url(url)
        kwargs: dict = {"echo": echo, "future": True}
        if make_url(full).get_backend_name() == "sqlite":
            kwargs["connect_args"] = {"timeout": 30}
        engine = create_engine(full, **kwargs)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        store.migrate()
        if store.meta("dirty"):
            store.rebuild(store._dirty_pairs())
        # A seeding cut short (a killed process) is marked, so the next open finishes it: the record is not
        # empty then, and would otherwise keep a part of the baseline for good.
        if seed and (store.is_empty() or store.meta("seeding")):
            from ..baseline import load_baseline

            with store.writing() as conn:
                store.set_meta(conn, "seeding", "1")
            load_baseline(store)
            with store.writing() as conn:
                store.set_meta(conn, "seeding", None)
        return store

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (a no-op when it is there)."""
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        cfg = Config()
        cfg.set_main_option("script_location", str(resources.files("comity").joinpath("migrations")))
        head = ScriptDirectory.from_config(cfg).get_current_head()
        with self.engine.connect() as conn:
            if MigrationContext.configure(conn).get_current_revision() == head:
                return
        # Under the write lock, and asked again: processes opening a new record at once migrate it once.
        with self.writing() as conn:
            if MigrationContext.configure(conn).get_current_revision() == head:
                return
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write transaction (committed at the end, rolled back on an error) that holds the write lock.

        Several processes may write to one record (``comity ingest`` runs side by side, a bulk run and the
        web API). Each write transaction reads before it writes: whether a source is already stored,
        which claims a pair has. Without a lock two writers both find a source missing and the second
        fails on the unique (kind, content_hash) constraint; both rebuild one pair from snapshots that
        miss the other's new assertion and leave two sets of events for it; both replace meta's
        ``version`` row and the second fails on its primary key. So writers take turns:
        on PostgreSQL a transaction-level advisory lock (released at commit or rollback, also when the
        process dies), on SQLite ``BEGIN IMMEDIATE``, which takes the database's write lock at once
        (waiting up to the busy timeout) rather than at the first write, after the reads. Readers are
        never blocked. A transaction is short (one source, or one rebuild), so the wait is too.
        """
        with self.engine.begin() as conn:
            self.lock(conn)
            yield conn

    def lock(self, conn: Connection) -> None:
        """Take the write lock as the first statement of ``conn``'s transaction (see :meth:`writing`)."""
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})
        elif conn.dialect.name == "sqlite":
            # pysqlite opens its own (deferred) transaction only before a write: this one comes first.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    # -- meta ----------------------------------------------------------------------------
    def meta(self, key: str, conn: Connection | None = None) -> str | None:
        q = select(MetaRow.value).where(MetaRow.key == key)
        if conn is not None:
            return conn.execute(q).scalar()
        with self.engine.connect() as c:
            return c.execute(q).scalar()

    def set_meta(self, conn: Connection, key: str, value: str | None) -> None:
        conn.execute(delete(MetaRow).where(MetaRow.key == key))
        if value is not None:
            conn.execute(insert(MetaRow).values(key=key, value=value))

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(S)).scalar() == 0

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar() or 0
                for t in (S, A, E, P, L, ProblemRow.__table__)
            }

    # -- writing -------------------------------------------------------------------------
    def add(self, doc: Document, *, rebuild: bool = True) -> AddResult:
        """Store one source with its assertions and problems, all or nothing.

        The same content twice changes nothing. A new revision of a reference page (same kind and
        title, other content) replaces the older one. With ``rebuild`` the affected pairs' events and
        timelines are brought up to date in the same transaction.
        """
        with self.writing() as conn:
            result, pairs = self._add(conn, doc)
            if pairs:
                if rebuild:
                    self._rebuild(conn, pairs)
                else:
                    self._mark_dirty(conn, pairs)
        if result.added:
            self.generation += 1
        return result

    def add_many(
        self, docs: Iterable[Document], *, progress: Callable[[Document, AddResult], None] | None = None
    ) -> list[AddResult]:
        """Store many sources, each in its own transaction, then rebuild what they touched once."""
        results = []
        touched: set[Pair] = set()
        for doc in docs:
            with self.writing() as conn:
                result, pairs = self._add(conn, doc)
                if pairs:
                    self._mark_dirty(conn, pairs)
            touched |= pairs
            results.append(result)
            if progress:
                progress(doc, result)
        if touched:
            self.rebuild(touched)
        return results

    def _mark_dirty(self, conn: Connection, pairs: set[Pair] | None) -> None:
        """The derived tables lag behind for ``pairs`` (None: for all); the rebuild that follows (or, if
        it never comes, the next open) repairs them.

        ``dirty`` is the mark an open looks for; each pair waiting for its rebuild has a ``dirty:A:B`` row
        too, so that a rebuild of other pairs (another writer's, or ``add`` after ``add(rebuild=False)``)
        clears the mark only when no pair waits any more. A single mark, cleared by any rebuild, let a
        process killed between its inserts and its rebuild leave stale events behind, unmarked.
        ``dirty`` = ``all`` waits for a rebuild of everything.
        """
        if pairs is None or self.meta("dirty", conn) == "all":
            self.set_meta(conn, "dirty", "all")
            return
        self.set_meta(conn, "dirty", "1")
        keys = sorted(_dirty_key(p) for p in pairs)
        have: set[str] = set()
        for chunk in _chunks(keys, 500):
            have |= set(conn.execute(select(MetaRow.key).where(MetaRow.key.in_(chunk))).scalars())
        new = [{"key": k, "value": "1"} for k in keys if k not in have]
        if new:
            conn.execute(insert(MetaRow), new)

    def _dirty_pairs(self) -> set[Pair] | None:
        """The pairs waiting for a rebuild; None (all of them) when the mark names none."""
        with self.engine.connect() as conn:
            if self.meta("dirty", conn) == "all":
                return None
            keys = conn.execute(select(MetaRow.key).where(MetaRow.key.like("dirty:%"))).scalars().all()
        pairs = {tuple(k.split(":")[1:3]) for k in keys}
        return pairs or None  # type: ignore[return-value]

    def _clear_dirty(self, conn: Connection, pairs: set[Pair] | None) -> None:
        if pairs is None:
            conn.execute(delete(MetaRow).where(MetaRow.key.like("dirty%")))  # the mark and every pair's
            return
        for chunk in _chunks(sorted(_dirty_key(p) for p in pairs), 500):
            conn.execute(delete(MetaRow).where(MetaRow.key.in_(chunk)))
        if self.meta("dirty", conn) == "all":
            return
        if conn.execute(select(MetaRow.key).where(MetaRow.key.like("dirty:%")).limit(1)).first() is None:
            self.set_meta(conn, "dirty", None)

    def _add(self, conn: Connection, doc: Document) -> tuple[AddResult, set[Pair]]:
        src = doc.source
        existing = conn.execute(
            select(S.c.id).where(S.c.kind == src.kind, S.c.content_hash == src.content_hash)
        ).scalar()
        if existing is not None:
            return AddResult(existing, False, 0, 0), set()
        pairs: set[Pair] = set()
        replaced = 0
        if src.kind == "wikipedia":
            old = (
                conn.execute(select(S.c.id).where(S.c.kind == src.kind, S.c.title == src.title))
                .scalars()
                .all()
            )
            if old:
                pairs |= self._pairs_of(conn, old)
                conn.execute(delete(A).where(A.c.source_id.in_(old)))
                conn.execute(delete(ProblemRow.__table__).where(ProblemRow.source_id.in_(old)))
                conn.execute(delete(S).where(S.c.id.in_(old)))
                replaced = len(old)
        subject = getattr(doc, "subject", None)
        source_id = conn.execute(
            insert(S).values(
                kind=src.kind,
                title=src.title,
                url=src.url,
                outlet=src.outlet,
                published=src.published,
                retrieved=src.retrieved,
                content_hash=src.content_hash,
                licence=src.licence,
                attribution=src.attribution,
                subject=subject,
                imported=date.today(),
            )
        ).inserted_primary_key[0]
        seen = set()
        rows = []
        for a in doc.assertions:
            if a.key() in seen:
                continue
            seen.add(a.key())
            rows.append(
                {
                    "source_id": source_id,
                    "type": a.type.value,
                    "a": a.a,
                    "b": a.b,
                    "date": str(a.date) if a.date else None,
                    "lo": day_key(a.date.earliest()) if a.date else None,
                    "hi": day_key(a.date.latest()) if a.date else None,
                    "date_text": a.date_text,
                    "modality": a.modality.value,
                    "evidence": a.evidence or "",
                    "span_start": a.span[0] if a.span else None,
                    "span_end": a.span[1] if a.span else None,
                    "extractor": a.extractor,
                    "extractor_version": a.extractor_version,
                    "confidence": float(a.confidence),
                    "detail": a.detail or None,
                    "event_id": None,
                }
            )
            pairs.add((a.a, a.b) if a.a < a.b else (a.b, a.a))
        if rows:
            conn.execute(insert(A), rows)
        if doc.problems:
            conn.execute(
                insert(ProblemRow.__table__),
                [
                    {
                        "source_id": source_id,
                        "kind": str(p.get("kind", "unknown")),
                        "message": str(p.get("message", "")),
                        "raw": p.get("raw"),
                        "section": p.get("section"),
                    }
                    for p in doc.problems
                ],
            )
        return AddResult(source_id, True, len(rows), len(doc.problems), replaced), pairs

    @staticmethod
    def _pairs_of(conn: Connection, source_ids: list[int]) -> set[Pair]:
        rows = conn.execute(select(A.c.a, A.c.b).where(A.c.source_id.in_(source_ids)).distinct())
        return {(a, b) if a < b else (b, a) for a, b in rows}

    def delete_source(self, source_id: int) -> None:
        with self.writing() as conn:
            pairs = self._pairs_of(conn, [source_id])
            conn.execute(delete(A).where(A.c.source_id == source_id))
            conn.execute(delete(ProblemRow.__table__).where(ProblemRow.source_id == source_id))
            conn.execute(delete(S).where(S.c.id == source_id))
            self._rebuild(conn, pairs)
        self.generation += 1

    # -- derived tables --------------------------------------------------------------------
    def rebuild(self, pairs: set[Pair] | None = None) -> None:
        """Recompute events, periods and listings for ``pairs`` (all pairs when None)."""
        with self.writing() as conn:
            self._rebuild(conn, pairs)
        self.generation += 1

    def _rebuild(self, conn: Connection, pairs: set[Pair] | None) -> None:
        if pairs is None:
            conn.execute(update(A).values(event_id=None))
            for t in (P, L, E):
                conn.execute(delete(t))
            rows = conn.execute(_CLAIMS).all()
        else:
            rows = []
            for chunk in _chunks(sorted(pairs), 400):
                rows += conn.execute(_CLAIMS.where(_pair_in(A.c.a, A.c.b, chunk))).all()
                old = [r[0] for r in conn.execute(select(E.c.id).where(_pair_in(E.c.a, E.c.b, chunk)))]
                conn.execute(delete(P).where(_pair_in(P.c.a, P.c.b, chunk)))
                conn.execute(delete(L).where(_pair_in(L.c.viewer, L.c.partner, chunk)))
                for ids in _chunks(old, 500):
                    conn.execute(update(A).where(A.c.event_id.in_(ids)).values(event_id=None))
                    conn.execute(delete(E).where(E.c.id.in_(ids)))
        self._derive(conn, rows)
        self._clear_dirty(conn, pairs)
        self.set_meta(conn, "version", uuid.uuid4().hex)

    def _derive(self, conn: Connection, rows: list) -> None:
        claims = [
            Claim(
                r.id,
                r.type,
                r.a,
                r.b,
                r.modality,
                PartialDate.parse(r.date),
                r.published or r.retrieved or r.imported,
            )
            for r in rows
        ]
        merged = merge(claims)
        if not merged:
            return
        # Insert events and remember their ids (RETURNING works on SQLite >= 3.35 and PostgreSQL).
        ev_rows = [
            {
                "type": m.type,
                "a": m.a,
                "b": m.b,
                "date": str(m.date) if m.date else None,
                "lo": m.lo,
                "hi": m.hi,
                "bound": day_key(m.bound) if m.bound else None,
                "modality": m.modality,
                "n_sources": 0,
                "disputed_dates": m.disputed,
            }
            for m in merged
        ]
        ids: list[int] = []
        for chunk in _chunks(ev_rows, 500):
            ids += [
                r[0] for r in conn.execute(insert(E).returning(E.c.id, sort_by_parameter_order=True), chunk)
            ]
        link = []
        n_sources = []
        for eid, m in zip(ids, merged, strict=True):
            link += [{"aid": cid, "eid": eid} for cid in m.claims]
            n_sources.append({"eid": eid, "n": len(m.claims)})
        from sqlalchemy import bindparam

        conn.execute(update(A).where(A.c.id == bindparam("aid")).values(event_id=bindparam("eid")), link)
        conn.execute(update(E).where(E.c.id == bindparam("eid")).values(n_sources=bindparam("n")), n_sources)
        # Periods per pair.
        by_pair: dict[Pair, list[TimedEvent]] = defaultdict(list)
        for eid, m in zip(ids, merged, strict=True):
            by_pair[(m.a, m.b) if m.a < m.b else (m.b, m.a)].append(
                TimedEvent(eid, m.type, m.modality, str(m.date) if m.date else None, m.lo, m.hi)
            )
        period_rows = []
        for (x, y), evs in by_pair.items():
            for p in periods(evs):
                period_rows.append(
                    {
                        "a": x,
                        "b": y,
                        "status": p.status,
                        "start": p.start,
                        "start_lo": p.start_lo,
                        "start_hi": p.start_hi,
                        "end": p.end,
                        "end_lo": p.end_lo,
                        "end_hi": p.end_hi,
                        "start_event_id": p.start_event,
                        "end_event_id": p.end_event,
                    }
                )
        if period_rows:
            conn.execute(insert(P), period_rows)
        listing_rows = _listings(rows, merged)
        if listing_rows:
            conn.execute(insert(L), listing_rows)

    # -- reading ---------------------------------------------------------------------------
    @cached_property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def execute(self, statement, params=None):  # type: ignore[no-untyped-def]
        with self.engine.connect() as conn:
            return conn.execute(statement, params or {}).all()

    def ping(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(text("select 1")).scalar() == 1


_CLAIMS = select(
    A.c.id,
    A.c.type,
    A.c.a,
    A.c.b,
    A.c.modality,
    A.c.date,
    A.c.lo,
    A.c.detail,
    S.c.published,
    S.c.retrieved,
    S.c.imported,
    S.c.subject,
    S.c.kind,
).join(S, S.c.id == A.c.source_id)


def _dirty_key(pair: Pair) -> str:
    return f"dirty:{pair[0]}:{pair[1]}"


def _pair_in(col_a, col_b, pairs: list[Pair]):  # type: ignore[no-untyped-def]
    """A condition matching rows whose (a, b) is one of ``pairs`` in either order."""
    from sqlalchemy import or_, tuple_

    flipped = [(y, x) for x, y in pairs]
    return or_(tuple_(col_a, col_b).in_(pairs), tuple_(col_a, col_b).in_(flipped))


def _chunks(items: list, n: int) -> Iterator[list]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _listings(rows, merged) -> list[dict]:  # type: ignore[no-untyped-def]
    """How each side of each pair orders the other: its own list's row first, else the record's date.

    basis ``own``: the viewer's own reference page lists the partner (date and position from it);
    ``record``: sources other than reference pages (the news) establish the pair;
    ``partner``: only the partner's page (or another page) lists it.
    """
    first_establish: dict[Pair, tuple[int | None, str | None]] = {}
    for m in merged:
        if m.type in ("establish", "restore") and m.modality == "asserted":
            key = (m.a, m.b) if m.a < m.b else (m.b, m.a)
            cur = first_establish.get(key)
            if cur is None or (m.lo or 99999999) < (cur[0] or 99999999):
                first_establish[key] = (m.lo, str(m.date) if m.date else None)
    own: dict[tuple[str, str], tuple] = {}
    news: set[tuple[str, str]] = set()
    for r in rows:
        if r.type not in ("establish", "restore") or r.modality != "asserted":
            continue
        detail = r.detail or {}
        if (
            r.type == "establish"
            and r.kind == "wikipedia"
            and r.subject in (r.a, r.b)
            and detail.get("table") == "list"
        ):
            viewer = r.subject
            partner = r.b if r.a == viewer else r.a
            cur = own.get((viewer, partner))
            cand = (r.lo, r.date, detail.get("position"))
            if cur is None or (cand[0] or 99999999) < (cur[0] or 99999999):
                own[(viewer, partner)] = cand
        elif r.kind != "wikipedia":
            news.add((r.a, r.b))
            news.add((r.b, r.a))
    out = []
    for (x, y), (lo, d) in first_establish.items():
        for viewer, partner in ((x, y), (y, x)):
            if (viewer, partner) in own:
                olo, odate, pos = own[(viewer, partner)]
                out.append(
                    {
                        "viewer": viewer,
                        "partner": partner,
                        "date": odate,
                        "lo": olo,
                        "hi": day_key(PartialDate.parse(odate).latest()) if odate else None,
                        "position": pos,
                        "basis": "own",
                    }
                )
            else:
                basis = "record" if (viewer, partner) in news else "partner"
                out.append(
                    {
                        "viewer": viewer,
                        "partner": partner,
                        "date": d,
                        "lo": lo,
                        "hi": day_key(PartialDate.parse(d).latest()) if d else None,
                        "position": None,
                        "basis": basis,
                    }
                )
    return out


__all__ = ["AddResult", "Base", "Store", "default_path", "resolve_url"]
