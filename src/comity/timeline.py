"""Events -> a pair's timeline: the status of relations over time.

Only asserted events change the status: establish and restore start ``relations``, sever starts
``severed``, suspend starts ``suspended``. Other events (recognitions, embassies, envoys) are part of
the story but leave the status as it is. An undated severance or suspension that follows a dated
break of the other kind is the same break in another source's words. An undated event is placed at its bound (it happened by then)
and starts no earlier than the change before it; a status read on a day inside that window is
uncertain, and :func:`status_at` says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

STATUS_OF = {
    "establish": "relations",
    "restore": "relations",
    "sever": "severed",
    "suspend": "suspended",
}

_BROKEN = ("severed", "suspended")

#: Order of events that share a date: an establishment before a severance on the same day.
_SAME_DAY_ORDER = {"establish": 0, "restore": 1, "suspend": 2, "sever": 3}


@dataclass
class TimedEvent:
    id: int
    type: str
    modality: str
    date: str | None
    lo: int | None
    hi: int | None


@dataclass
class Period:
    status: str
    start: str | None
    start_lo: int | None
    start_hi: int | None
    start_event: int | None
    end: str | None = None
    end_lo: int | None = None
    end_hi: int | None = None
    end_event: int | None = None


def period_of(row) -> Period:  # type: ignore[no-untyped-def]
    """A stored status period (a row of the periods table) as a :class:`Period`."""
    return Period(
        row.status,
        row.start,
        row.start_lo,
        row.start_hi,
        row.start_event_id,
        row.end,
        row.end_lo,
        row.end_hi,
        row.end_event_id,
    )


def periods(events: Iterable[TimedEvent]) -> list[Period]:
    """The pair's status periods, oldest first. Before the first period the status is ``none``."""
    changing = [e for e in events if e.modality == "asserted" and e.type in STATUS_OF and e.hi is not None]
    changing.sort(key=lambda e: (e.lo if e.lo is not None else e.hi, e.hi, _SAME_DAY_ORDER[e.type], e.id))
    out: list[Period] = []
    status = "none"
    for e in changing:
        new = STATUS_OF[e.type]
        if new == status:
            continue
        if e.lo is None and status in _BROKEN and new in _BROKEN:
            # An undated "suspended" after a dated severance (or the reverse) is one side's word for the
            # same break, not a new change.
            continue
        lo = e.lo
        if lo is None:  # undated: some time after the change before it, by its bound
            lo = out[-1].start_lo if out else None
        if out:
            out[-1].end, out[-1].end_lo, out[-1].end_hi, out[-1].end_event = e.date, lo, e.hi, e.id
        out.append(Period(new, e.date, lo, e.hi, e.id))
        status = new
    return out


@dataclass
class StatusAt:
    status: str
    period: Period | None
    #: A change whose date is too coarse (or unknown) to tell whether it had happened by the day asked.
    uncertain: Period | None = None


def status_at(pair_periods: list[Period], day: int) -> StatusAt:
    """The status on ``day`` (YYYYMMDD): the last period certainly begun by then."""
    current: Period | None = None
    uncertain: Period | None = None
    for p in pair_periods:
        if p.start_hi is not None and p.start_hi <= day:
            current = p
            uncertain = None
        elif p.start_lo is None or p.start_lo <= day:
            uncertain = uncertain or p
        else:
            break
    return StatusAt(current.status if current else "none", current, uncertain)
