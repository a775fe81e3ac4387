"""Check the record's invariants: every event backed by assertions, every assertion by a source, and the
derived tables (events, periods, listings) equal to what the assertions give when derived afresh.

``comity verify`` prints the report and exits non-zero when an invariant fails.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import func, select

from .store import Store
from .store.models import AssertionRow, EventRow, ListingRow, MetaRow, PeriodRow, ProblemRow, SourceRow

A, E, P, L, S = (m.__table__ for m in (AssertionRow, EventRow, PeriodRow, ListingRow, SourceRow))


@dataclass
class Report:
    counts: dict[str, int]
    failures: list[str] = field(default_factory=list)
    checksum: str = ""

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict:
        return {"ok": self.ok, "counts": self.counts, "checksum": self.checksum, "failures": self.failures}


def _event_rows(conn) -> list[tuple]:  # type: ignore[no-untyped-def]
    rows = conn.execute(
        select(E.c.type, E.c.a, E.c.b, E.c.date, E.c.modality, E.c.n_sources, E.c.bound)
    ).all()
    return _sorted(rows)


def _sorted(rows) -> list[tuple]:  # type: ignore[no-untyped-def]
    """Rows in a stable order; a NULL (an undated event, an open period) sorts before any value."""

    def key(row: tuple) -> tuple:
        return tuple((v is not None, v if v is not None else 0) for v in row)

    return sorted((tuple(r) for r in rows), key=key)


def events_checksum(store: Store) -> str:
    """A checksum of the events' content (not their ids): equal records give equal checksums."""
    with store.connect() as conn:
        rows = _event_rows(conn)
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _derived(conn) -> tuple[list, list, list]:  # type: ignore[no-untyped-def]
    events = _event_rows(conn)
    periods = _sorted(conn.execute(select(P.c.a, P.c.b, P.c.status, P.c.start, P.c.end)))
    listings = _sorted(conn.execute(select(L.c.viewer, L.c.partner, L.c.date, L.c.position, L.c.basis)))
    return events, periods, listings


def verify(store: Store) -> Report:
    """Check the invariants. Everything is read, and derived afresh, in one transaction that holds the
    write lock and is rolled back: a writer at work on the same record cannot make it look inconsistent."""
    with store.engine.connect() as conn:
        trans = conn.begin()
        try:
            store.lock(conn)
            return _verify(store, conn)
        finally:
            trans.rollback()


def _verify(store: Store, conn) -> Report:  # type: ignore[no-untyped-def]
    report = Report(_counts(conn))
    fail = report.failures.append
    if conn.execute(select(MetaRow.value).where(MetaRow.key == "dirty")).scalar():
        fail("the derived tables are marked out of date (an interrupted import); reopening rebuilds them")
    orphans = conn.execute(
        select(func.count()).select_from(A).outerjoin(S, S.c.id == A.c.source_id).where(S.c.id.is_(None))
    ).scalar()
    if orphans:
        fail(f"{orphans} assertions have no source")
    unlinked = conn.execute(select(func.count()).select_from(A).where(A.c.event_id.is_(None))).scalar()
    if unlinked:
        fail(f"{unlinked} assertions support no event")
    support = dict(
        conn.execute(
            select(A.c.event_id, func.count()).where(A.c.event_id.is_not(None)).group_by(A.c.event_id)
        ).all()
    )
    for eid, n in conn.execute(select(E.c.id, E.c.n_sources)):
        if eid not in support:
            fail(f"event {eid} has no supporting assertion")
        elif support[eid] != n:
            fail(f"event {eid} counts {n} sources but {support[eid]} assertions support it")
    stored = _derived(conn)
    # Derive everything afresh (the caller rolls it back), and compare.
    store._rebuild(conn, None)
    fresh = _derived(conn)
    for name, mine, theirs in zip(("events", "periods", "listings"), stored, fresh, strict=True):
        if mine != theirs:
            extra = len(set(mine) - set(theirs))
            lacking = len(set(theirs) - set(mine))
            fail(
                f"{name} differ from a fresh derivation: {extra} stored rows not derived, "
                f"{lacking} derived rows not stored"
            )
    report.checksum = hashlib.sha256(repr(stored[0]).encode()).hexdigest()
    return report


def _counts(conn) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {
        t.name: conn.execute(select(func.count()).select_from(t)).scalar() or 0
        for t in (S, A, E, P, L, ProblemRow.__table__)
    }
