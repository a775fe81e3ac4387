"""The shared vocabulary: event types, modalities, partial dates and pair order.

Every stage speaks these words: the Wikipedia importer, the news extractor, the merger,
the timelines and the queries.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class EventType(StrEnum):
    ESTABLISH = "establish"
    RESTORE = "restore"
    SEVER = "sever"
    SUSPEND = "suspend"
    RECOGNIZE = "recognize"
    WITHDRAW_RECOGNITION = "withdraw_recognition"
    UPGRADE = "upgrade"
    DOWNGRADE = "downgrade"
    EMBASSY_OPEN = "embassy_open"
    EMBASSY_CLOSE = "embassy_close"
    RECALL_AMBASSADOR = "recall_ambassador"
    EXPEL_DIPLOMATS = "expel_diplomats"


class Modality(StrEnum):
    ASSERTED = "asserted"
    PLANNED = "planned"
    NEGATED = "negated"
    SPECULATIVE = "speculative"


#: Types where the pair is unordered: (a, b) is kept in alphabetical order of codes.
SYMMETRIC: frozenset[EventType] = frozenset(
    {
        EventType.ESTABLISH,
        EventType.RESTORE,
        EventType.SEVER,
        EventType.SUSPEND,
        EventType.UPGRADE,
        EventType.DOWNGRADE,
    }
)

#: Directed types: a acts, b is the target (a recognizes b, a opens its embassy in b, a expels b's diplomats).
DIRECTED: frozenset[EventType] = frozenset(set(EventType) - SYMMETRIC)


def is_symmetric(event_type: str | EventType) -> bool:
    return EventType(event_type) in SYMMETRIC


def order_pair(event_type: str | EventType, a: str, b: str) -> tuple[str, str]:
    """Return (a, b) in the order the vocabulary keeps for this type."""
    if is_symmetric(event_type) and b < a:
        return b, a
    return a, b


def parse_event_type(value: str) -> EventType:
    try:
        return EventType(value.strip().lower())
    except ValueError:
        known = ", ".join(t.value for t in EventType)
        raise ValueError(f"unknown event type {value!r}; known types: {known}") from None


def parse_modality(value: str) -> Modality:
    try:
        return Modality(value.strip().lower())
    except ValueError:
        known = ", ".join(m.value for m in Modality)
        raise ValueError(f"unknown modality {value!r}; known: {known}") from None


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


_RANK = {Precision.YEAR: 1, Precision.MONTH: 2, Precision.DAY: 3}
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@dataclass(frozen=True, order=False)
class PartialDate:
    """A date known to the year, the month or the day: ``1949``, ``1960-07``, ``2024-02-14``.

    Comparisons respect precision: ``PartialDate(1960) <= date(1960, 3, 1)`` is *unknown* and
    :meth:`certainly_before` / :meth:`possibly_before` say which reading a caller wants.
    Sorting (``sort_key``) puts a year before its months and a month before its days.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year out of range: {self.year}")
        if self.month is None and self.day is not None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")
        if self.day is not None:
            last = calendar.monthrange(self.year, self.month or 1)[1]
            if not 1 <= self.day <= last:
                raise ValueError(f"day out of range: {self.year}-{self.month:02d}-{self.day:02d}")

    # -- construction -------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str | PartialDate | date | None) -> PartialDate | None:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (or pass a date through). None stays None."""
        if text is None or isinstance(text, PartialDate):
            return text
        if isinstance(text, date):
            return cls(text.year, text.month, text.day)
        m = _ISO.match(str(text).strip())
        if not m:
            raise ValueError(f"not a date: {text!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
        y, mo, d = (int(g) if g else None for g in m.groups())
        return cls(y, mo, d)  # type: ignore[arg-type]

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def isoformat(self) -> str:
        return str(self)

    # -- bounds ---------------------------------------------------------------------------
    def earliest(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return date(self.year, month, day)

    def sort_key(self) -> tuple[int, int, int, int]:
        return (self.year, self.month or 0, self.day or 0, _RANK[self.precision])

    # -- comparisons that respect precision -----------------------------------------------
    def certainly_before(self, other: PartialDate | date) -> bool:
        """True when every day this date may be falls on or before every day ``other`` may be."""
        other_earliest = other.earliest() if isinstance(other, PartialDate) else other
        return self.latest() <= other_earliest

    def possibly_before(self, other: PartialDate | date) -> bool:
        """True when some day this date may be falls on or before some day ``other`` may be."""
        other_latest = other.latest() if isinstance(other, PartialDate) else other
        return self.earliest() <= other_latest

    def on_or_before(self, as_of: date) -> bool:
        """Has this happened by ``as_of``? A year or month that contains ``as_of`` counts as yes
        only once it has wholly passed; before that the answer is uncertain, reported as False."""
        return self.latest() <= as_of

    def overlaps(self, other: PartialDate) -> bool:
        return self.earliest() <= other.latest() and other.earliest() <= self.latest()

    def agrees_at(self, other: PartialDate, precision: Precision) -> bool:
        """Do the two dates agree to ``precision`` (each must be at least that precise)?"""
        if _RANK[self.precision] < _RANK[precision] or _RANK[other.precision] < _RANK[precision]:
            return False
        if self.year != other.year:
            return False
        if precision is Precision.YEAR:
            return True
        if self.month != other.month:
            return False
        return precision is Precision.MONTH or self.day == other.day

    def truncate(self, precision: Precision) -> PartialDate:
        if precision is Precision.YEAR:
            return PartialDate(self.year)
        if precision is Precision.MONTH:
            return PartialDate(self.year, self.month) if self.month else self
        return self


def parse_as_of(value: str | date | None) -> date:
    """An as-of date for queries: ``YYYY-MM-DD``; ``YYYY`` or ``YYYY-MM`` mean their last day; None is today."""
    if value is None:
        return date.today()
    if isinstance(value, date):
        return value
    return PartialDate.parse(value).latest()  # type: ignore[union-attr]
