"""Assertions -> events: what several sources say about one real event becomes one fact.

Pure functions over plain records; :mod:`comity.store` feeds them and writes the result.

Rules (per pair, type and modality):
- dated assertions whose dates overlap, or lie within :data:`SAME_EVENT_DAYS` of each other, tell of
  one event; its date is the best-supported most precise reading, and the other readings are kept in
  ``disputed_dates`` (both stay: the disagreement is shown, not hidden);
- an undated assertion ("relations severed", no date) joins the latest dated event of its kind that
  its source could have known of; with none, it is an event of its own that happened by ``bound``,
  the date of the earliest source that states it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from .vocab import PartialDate, Precision

#: Two dated reports of one kind of change for one pair, this close, are one event.
SAME_EVENT_DAYS = 366

_PRECISION_RANK = {Precision.YEAR: 1, Precision.MONTH: 2, Precision.DAY: 3}


def day_key(d: date) -> int:
    return d.year * 10000 + d.month * 100 + d.day


def key_date(key: int) -> date:
    return date(key // 10000, key // 100 % 100, key % 100)


@dataclass
class Claim:
    """One assertion as the merger sees it."""

    id: int
    type: str
    a: str
    b: str
    modality: str
    date: PartialDate | None
    bound: date | None  # when its source was published or read: it happened by then


@dataclass
class MergedEvent:
    type: str
    a: str
    b: str
    modality: str
    date: PartialDate | None
    bound: date | None
    claims: list[int] = field(default_factory=list)
    disputed: list[dict] | None = None

    @property
    def lo(self) -> int | None:
        return day_key(self.date.earliest()) if self.date else None

    @property
    def hi(self) -> int | None:
        if self.date:
            return day_key(self.date.latest())
        return day_key(self.bound) if self.bound else None


def _gap_days(x: PartialDate, y: PartialDate) -> int:
    if x.overlaps(y):
        return 0
    if x.latest() < y.earliest():
        return (y.earliest() - x.latest()).days
    return (x.earliest() - y.latest()).days


def _best_date(dates: list[PartialDate]) -> PartialDate:
    """The reading most sources give at the highest precision; ties go to the earliest."""
    counts = Counter(dates)

    def support(d: PartialDate) -> int:
        return sum(n for other, n in counts.items() if other.overlaps(d))

    return max(
        counts,
        key=lambda d: (
            _PRECISION_RANK[d.precision],
            support(d),
            counts[d],
            -d.sort_key()[0],
            -(d.month or 0),
            -(d.day or 0),
        ),
    )


def merge(claims: Iterable[Claim]) -> list[MergedEvent]:
    """Cluster the claims (any pairs, any types) into events."""
    groups: dict[tuple[str, str, str, str], list[Claim]] = defaultdict(list)
    for c in claims:
        groups[(c.type, c.a, c.b, c.modality)].append(c)
    events: list[MergedEvent] = []
    for (etype, a, b, modality), members in sorted(groups.items()):
        dated = sorted((c for c in members if c.date), key=lambda c: c.date.sort_key())  # type: ignore[union-attr]
        undated = [c for c in members if not c.date]
        clusters: list[list[Claim]] = []
        for c in dated:
            if clusters and any(_gap_days(c.date, o.date) <= SAME_EVENT_DAYS for o in clusters[-1]):  # type: ignore[arg-type]
                clusters[-1].append(c)
            else:
                clusters.append([c])
        pair_events = []
        for cluster in clusters:
            dates = [c.date for c in cluster]  # type: ignore[misc]
            best = _best_date(dates)  # type: ignore[arg-type]
            disputed = None
            if len({str(d) for d in dates}) > 1 and any(not d.overlaps(best) for d in dates):  # type: ignore[union-attr]
                disputed = [
                    {"date": str(d), "claims": n}
                    for d, n in sorted(Counter(dates).items(), key=lambda kv: kv[0].sort_key())
                ]  # type: ignore[union-attr]
            bounds = [c.bound for c in cluster if c.bound]
            pair_events.append(
                MergedEvent(
                    etype,
                    a,
                    b,
                    modality,
                    best,
                    min(bounds) if bounds else None,
                    sorted(c.id for c in cluster),
                    disputed,
                )
            )
        orphan: list[Claim] = []
        for c in undated:
            home = None
            for ev in pair_events:
                if ev.date and (c.bound is None or ev.date.earliest() <= c.bound):
                    home = ev  # the latest such event, as pair_events is in date order
            if home is not None:
                home.claims.append(c.id)
            else:
                orphan.append(c)
        if orphan:
            bounds = [c.bound for c in orphan if c.bound]
            pair_events.append(
                MergedEvent(
                    etype, a, b, modality, None, min(bounds) if bounds else None, sorted(c.id for c in orphan)
                )
            )
        for ev in pair_events:
            ev.claims.sort()
        events.extend(pair_events)
    return events
