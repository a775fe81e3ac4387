"""Date phrases in news sentences and their resolution against the publication date.

:func:`find_dates` finds phrases ("on 14 February", "last May", "since 1960", "on Wednesday",
"in 1965 and 1971", "30 years ago") in a piece of text; :func:`resolve` turns one into a
:class:`~comity.vocab.PartialDate` at the precision the phrase gives, looking backwards from the
publication date for things that happened and forwards for things that are planned. A phrase that
cannot be resolved (a weekday without a publication date) resolves to None and keeps its text.
"""

from __future__ import annotations

import calendar
import copy
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..vocab import PartialDate, Precision

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
}  # fmt: skip

# Month names are matched capitalised (or in capitals) so that "may" and "march" stay words.
_MONTH = (
    r"(?P<{g}>(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
_WD = r"(?P<{g}>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Tues|Wed|Thu|Thurs|Fri|Sat|Sun)\.?"
_YEAR = r"(?P<{g}>1[6-9]\d\d|20\d\d)"
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_SINCE = r"(?P<since>\b(?i:since)\s+(?:at\s+least\s+|as\s+early\s+as\s+)?)?"


def _p(template: str, **groups: str) -> str:
    for name, g in groups.items():
        template = template.replace("{" + name + "}", g)
    return template


def _g(pattern: str, name: str) -> str:
    return pattern.replace("{g}", name)


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(_SINCE + r"\b(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-3]\d)\b")),
    (
        "mdy",
        re.compile(
            _SINCE
            + r"(?:(?:on\s+)?"
            + _g(_WD, "wd")
            + r",?\s+)?(?:the\s+)?"
            + _g(_MONTH, "m")
            + r"\s+"
            + _g(_DAY, "d")
            + r",?\s+"
            + _g(_YEAR, "y")
            + r"\b"
        ),
    ),
    (
        "dmy",
        re.compile(
            _SINCE
            + r"(?:(?:on\s+)?"
            + _g(_WD, "wd")
            + r",?\s+)?(?:the\s+)?\b"
            + _g(_DAY, "d")
            + r"\s+(?:of\s+)?"
            + _g(_MONTH, "m")
            + r",?\s+"
            + _g(_YEAR, "y")
            + r"\b"
        ),
    ),
    (
        "md",
        re.compile(
            _SINCE
            + r"(?:(?:on\s+)?"
            + _g(_WD, "wd")
            + r",?\s+)?\b"
            + _g(_MONTH, "m")
            + r"\s+"
            + _g(_DAY, "d")
            + r"\b(?!\s*,?\s*(?:1[6-9]|20)\d\d)(?![\d:])"
        ),
    ),
    (
        "dm",
        re.compile(
            _SINCE
            + r"(?:(?:on\s+)?"
            + _g(_WD, "wd")
            + r",?\s+)?\b"
            + _g(_DAY, "d")
            + r"\s+(?:of\s+)?"
            + _g(_MONTH, "m")
            + r"\b(?!\.?,?\s*(?:1[6-9]|20)\d\d)"
        ),
    ),
    (
        "month_that_year",
        re.compile(_SINCE + r"\b" + _g(_MONTH, "m") + r"\s+(?:of\s+)?(?:that|the\s+same)\s+year\b"),
    ),
    (
        # "in May last year", "in April of this year"
        "month_rel_year",
        re.compile(
            _SINCE
            + r"\b(?:(?P<prep>(?i:in|during|by|until|from|early|late|mid-?))\s+)?(?:early\s+|late\s+|mid-?)?"
            + _g(_MONTH, "m")
            + r"\s+(?:of\s+)?(?P<ry>(?i:last|this|next))\s+year\b"
        ),
    ),
    ("my", re.compile(_SINCE + r"\b" + _g(_MONTH, "m") + r",?\s+(?:of\s+)?" + _g(_YEAR, "y") + r"\b")),
    (
        "rel_month",
        re.compile(
            r"\b(?P<rel>(?i:last|next|this|earlier\s+this|later\s+this|since\s+last|late\s+last|early\s+last))\s+"
            + _g(_MONTH, "m").replace("May|", "May|")
            + r"(?!\.?\s+[0-3]?\d\b)"
        ),
    ),
    (
        "month",
        re.compile(
            r"\b(?P<prep>(?i:in|since|by|until|till|from|during|early|late|mid-?|of|through|before|after|as\s+of))\s+"
            r"(?:early\s+|late\s+|mid-?)?"
            + _g(_MONTH, "m")
            + r"(?!\.?\s+[0-3]?\d\b)(?!\.?,?\s*(?:of\s+)?(?:1[6-9]|20)\d\d)"
        ),
    ),
    (
        "years",
        re.compile(
            _SINCE
            + r"\b(?P<prep>(?i:in|during|by|from|around|circa|early|late|mid-?|back\s+in|as\s+early\s+as|as\s+far\s+back\s+as|as\s+of|until|till|before|after|of|since))?\s*"
            r"(?P<ys>(?:1[6-9]\d\d|20\d\d)(?:(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+)(?:1[6-9]\d\d|20\d\d))*)\b(?!\s*[-–/]\s*\d)(?!s\b)(?!-\d)"
        ),
    ),
    (
        "years_ago",
        re.compile(
            r"\b(?P<n>\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy)\s+years?\s+ago\b",
            re.I,
        ),
    ),
    ("days_ago", re.compile(r"\b(?P<n>\d{1,2}|a|one|two|three|four|five|six|seven)\s+days?\s+ago\b", re.I)),
    ("yesterday", re.compile(r"\b(?:yesterday|last\s+night)\b", re.I)),
    ("today", re.compile(r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening))\b", re.I)),
    (
        # "effective immediately", "as of this day", "with effect from the date of signature": the day it is told
        "signature",
        re.compile(
            r"\b(?:effective\s+immediately|with\s+immediate\s+effect|as\s+(?:of|from)\s+(?:this|that)\s+day"
            r"|(?:with\s+effect|effective)\s+from\s+the\s+(?:date|day)\s+of\s+(?:its\s+|the\s+)?(?:signature|signing))\b",
            re.I,
        ),
    ),
    ("tomorrow", re.compile(r"\btomorrow\b", re.I)),
    (
        "rel_period",
        re.compile(
            r"\b(?P<rel>last|this|earlier\s+this|later\s+this|next|past|previous|(?:at\s+)?the\s+(?:start|beginning)\s+of\s+(?:the|this))"
            r"\s+(?P<unit>week|month|year)\b",
            re.I,
        ),
    ),
    (
        "anchored",
        re.compile(
            r"\b(?:(?:later\s+|earlier\s+)?(?P<same>(?:the|that)\s+(?:very\s+)?same|that)\s+(?P<su>day|month|year)"
            r"|(?P<att>at\s+(?:the|that|the\s+same)\s+time|within\s+hours|(?:later|earlier)\s+in\s+the\s+day)"
            r"|(?P<days>within\s+(?:days|weeks|a\s+week|a\s+few\s+days))"
            r"|(?P<fol>the\s+(?:following|previous|preceding)|the\s+next)\s+(?P<fu>day|month|year)"
            r"|(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(?P<lu>day|month|year)s?"
            r"\s+(?P<dir>later|earlier|afterwards))\b",
            re.I,
        ),
    ),
    (
        # "two months after recalling its ambassador": a change placed before (or after) the one told
        "rel_after",
        re.compile(
            r"\b(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})\s+"
            r"(?P<u>day|week|month|year)s?\s+(?P<dir>after|before)\b",
            re.I,
        ),
    ),
    (
        "weekday",
        re.compile(
            r"(?:\b(?P<rel>(?i:last|next|this)|on|since|early|late|effective|from|until|by|before|as\s+of)\s+)?"
            r"(?<![\w-])(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b"
        ),
    ),
]


@dataclass
class DateMention:
    """A date phrase at [start, end) of the text it was found in."""

    start: int
    end: int
    text: str
    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    rel: str | None = None
    n: int | None = None
    since: bool = False
    years: list[int] = field(default_factory=list)
    unit: str | None = None  # of an anchored phrase ("the same day": day)

    @property
    def absolute(self) -> bool:
        return self.kind in ("iso", "mdy", "dmy", "my", "years")


def _month(s: str) -> int:
    return _MONTHS[s.rstrip(".").lower()]


def _num(s: str) -> int:
    s = s.lower()
    return int(s) if s.isdigit() else _NUMBERS.get(s, 1)


_HAS_DIGIT = re.compile(r"\d")
_HAS_MONTH = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)"
)
_HAS_ANCHOR = re.compile(
    r"\b(?:same|following|previous|preceding|next|later|earlier|afterwards|that|at\s+the\s+time|within\s+(?:hours|days|weeks|a))\b",
    re.I,
)
_HAS_REL_AFTER = re.compile(r"(?:day|week|month|year)s?\s+(?:after|before)\b", re.I)
_HAS_WEEKDAY = re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day")
_HAS_RELATIVE = re.compile(
    r"\b(?:yesterday|today|tonight|tomorrow|ago|last|this|next|past|previous|following|start|beginning|"
    r"immediately|immediate|signature|signing|that\s+day)\b",
    re.I,
)
#: A month name anywhere, even inside a word (the day-and-month patterns do not start it at a word start).
_HAS_MONTH_ANYWHERE = re.compile(
    r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC"
)
#: Which cheap tests a kind of phrase needs to pass before its pattern is tried (each is implied by a
#: match of the pattern: a day-and-month pattern needs a digit and a month name, "... ago" needs "ago").
_NEEDS = {
    "iso": ("digit",), "mdy": ("digit", "month_anywhere"), "dmy": ("digit", "month_anywhere"),
    "md": ("digit", "month_anywhere"), "dm": ("digit", "month_anywhere"), "my": ("digit", "month_anywhere"),
    "years": ("digit",), "month_that_year": ("month",), "month_rel_year": ("month",), "rel_month": ("month",), "month": ("month",),
    "years_ago": ("relative", "ago"), "days_ago": ("relative", "ago"), "yesterday": ("relative",),
    "today": ("relative",), "signature": ("relative",), "tomorrow": ("relative",), "rel_period": ("relative",), "weekday": ("weekday",),
    "anchored": ("anchor",), "rel_after": ("relafter",),
}  # fmt: skip


_AMBIGUOUS_MONTHS = frozenset({"May", "Mar", "MAY", "MARCH", "Sep", "Dec", "Jan", "Jun", "Jul"})
_DATE_PREPS = frozenset({"in", "since", "until", "till", "early", "late", "through"})


def find_dates(text: str, offset: int = 0, memo: dict | None = None) -> list[DateMention]:
    """Date phrases in ``text``, left to right, without overlaps (the longest wins).

    ``memo`` (a dict kept by the caller, e.g. for one article) remembers the phrases of each text: the
    stages look at the same sentence more than once (its cue words, then its date)."""
    if memo is None:
        return _find_dates(text, offset)
    got = memo.get(text)
    if got is None:
        got = memo[text] = tuple(_find_dates(text))
    out = []
    for dm in got:
        dm = copy.copy(dm)
        dm.start += offset
        dm.end += offset
        out.append(dm)
    return out


def _find_dates(text: str, offset: int = 0) -> list[DateMention]:
    found: list[DateMention] = []
    has = {
        "digit": bool(_HAS_DIGIT.search(text)),
        "month": bool(_HAS_MONTH.search(text)),
        "weekday": bool(_HAS_WEEKDAY.search(text)),
        "relative": bool(_HAS_RELATIVE.search(text)),
        "anchor": bool(_HAS_ANCHOR.search(text)),
        "relafter": bool(_HAS_REL_AFTER.search(text)),
    }
    if not any(has.values()):
        return []
    if has["digit"]:
        has["month_anywhere"] = bool(_HAS_MONTH_ANYWHERE.search(text))
    if has["relative"]:
        # re.I lets no character but a, g and o (in either case) match "ago"; str.lower maps none else to them
        has["ago"] = "ago" in text.lower()
    for kind, rx in _PATTERNS:
        if not all(has.get(need) for need in _NEEDS[kind]):
            continue
        for m in rx.finditer(text):
            gd = m.groupdict()
            s, e = m.span()
            # Trim a leading space left by optional groups.
            while s < e and text[s].isspace():
                s += 1
            if s >= e:
                continue
            dm = DateMention(s + offset, e + offset, text[s:e], kind, since=bool(gd.get("since")))
            try:
                if kind in ("iso", "mdy", "dmy"):
                    dm.year = int(gd["y"])
                    dm.month = int(gd["m"]) if kind == "iso" else _month(gd["m"])
                    dm.day = int(gd["d"])
                    PartialDate(dm.year, dm.month, dm.day)
                elif kind in ("md", "dm"):
                    dm.month, dm.day = _month(gd["m"]), int(gd["d"])
                    if not 1 <= dm.day <= 31:
                        continue
                    if gd.get("wd"):
                        dm.weekday = _WEEKDAYS.get(_wd_full(gd["wd"]))
                elif kind == "my":
                    dm.year, dm.month = int(gd["y"]), _month(gd["m"])
                elif kind == "month_that_year":
                    dm.month = _month(gd["m"])
                elif kind == "month_rel_year":
                    dm.month, dm.rel = _month(gd["m"]), gd["ry"].lower()
                    dm.n = {"last": -1, "this": 0, "next": 1}[dm.rel]
                elif kind == "rel_month":
                    dm.month, dm.rel = _month(gd["m"]), re.sub(r"\s+", " ", gd["rel"].lower())
                elif kind == "month":
                    if gd["m"].rstrip(".") in _AMBIGUOUS_MONTHS and gd["prep"].lower() not in _DATE_PREPS:
                        continue  # "may", "march": a month only after a preposition that takes a date
                    dm.month, dm.rel = _month(gd["m"]), gd["prep"].lower()
                    dm.since = gd["prep"].lower() == "since"
                elif kind == "years":
                    prep = (gd.get("prep") or "").lower()
                    ys = [int(y) for y in re.findall(r"\d{4}", gd["ys"])]
                    if not prep and not dm.since and len(ys) < 2:
                        continue  # a bare number: not taken for a year
                    if len(ys) == 2 and re.search(r"\b(?:between|from)\s*$", text[max(0, s - 10) : s]):
                        ys = ys[:1]  # "between 1988 and 1991": a period, which began in the first
                    dm.years = ys
                    dm.year = ys[0]
                    dm.since = dm.since or prep == "since"
                    dm.rel = re.sub(r"\s+", " ", prep) or None
                elif kind in ("years_ago", "days_ago"):
                    dm.n = _num(gd["n"])
                elif kind == "rel_period":
                    dm.rel = re.sub(r"\s+", " ", gd["rel"].lower()) + " " + gd["unit"].lower()
                elif kind == "anchored":
                    if gd.get("su"):
                        dm.rel, dm.unit, dm.n = "same", gd["su"].lower(), 0
                    elif gd.get("days"):
                        # "responded within days": the same month as the story (a month at most)
                        dm.rel, dm.unit, dm.n = "same", "month", 0
                    elif gd.get("att"):
                        # "severed relations at the time", "followed within hours": the story's date
                        dm.rel, dm.unit, dm.n = "same", "day", 0
                    elif gd.get("fu"):
                        fol = gd["fol"].lower().split()[-1]
                        if fol == "next" and gd["fu"].lower() != "day":
                            continue  # "in the next year": ahead of now, not of the story's date
                        dm.rel, dm.unit = fol, gd["fu"].lower()
                        dm.n = -1 if fol in ("previous", "preceding") else 1
                    else:
                        dm.rel, dm.unit = gd["dir"].lower(), gd["lu"].lower()
                        dm.n = _num(gd["n"]) * (-1 if gd["dir"].lower() == "earlier" else 1)
                elif kind == "rel_after":
                    unit, n = gd["u"].lower(), _num(gd["n"])
                    if unit == "week":
                        unit, n = "day", n * 7
                    dm.rel, dm.unit = "counted " + gd["dir"].lower(), unit  # not a bound ("after 2011")
                    dm.n = -n if dm.rel == "counted after" else n
                elif kind == "weekday":
                    dm.weekday = _WEEKDAYS[gd["wd"].lower()]
                    dm.rel = (gd.get("rel") or "").lower() or None
            except (ValueError, KeyError):
                continue
            found.append(dm)
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    out: list[DateMention] = []
    for dm in found:
        if out and dm.start < out[-1].end:
            if dm.end - dm.start > out[-1].end - out[-1].start:
                out[-1] = dm
            continue
        out.append(dm)
    return out


def _wd_full(s: str) -> str:
    s = s.lower().rstrip(".")
    for full in _WEEKDAYS:
        if full.startswith(s[:3]):
            return full
    return s


def _last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def resolve(
    dm: DateMention,
    published: date | None,
    *,
    forward: bool = False,
    context_year: int | None = None,
    anchor: PartialDate | None = None,
) -> list[PartialDate]:
    """The date(s) a phrase names: several for "in 1965 and 1971", none when it cannot be resolved.

    ``forward`` looks ahead of ``published`` (for planned events: "in September", "effective
    Thursday"); otherwise a phrase without a year is the latest such day on or before ``published``.
    """
    k = dm.kind
    try:
        if k in ("iso", "mdy", "dmy"):
            return [PartialDate(dm.year, dm.month, dm.day)]  # type: ignore[arg-type]
        if k == "my":
            return [PartialDate(dm.year, dm.month)]  # type: ignore[arg-type]
        if k == "years":
            return [PartialDate(y) for y in dm.years]
        if k == "month_that_year":
            return [PartialDate(context_year, dm.month)] if context_year else []
        if k in ("anchored", "rel_after"):
            return _shift(anchor, dm.unit or "day", dm.n or 0) if anchor is not None else []
        if published is None:
            return []
        if k == "month_rel_year":
            return [PartialDate(published.year + (dm.n or 0), dm.month)]  # type: ignore[arg-type]
        if k in ("md", "dm"):
            assert dm.month and dm.day
            y = published.year
            if forward:
                cand = date(y, dm.month, min(dm.day, _last_day(y, dm.month)))
                if cand < published - timedelta(days=7):
                    y += 1
            else:
                cand = date(y, dm.month, min(dm.day, _last_day(y, dm.month)))
                if cand > published + timedelta(days=2):
                    y -= 1
            return [PartialDate(y, dm.month, dm.day)]
        if k in ("month", "rel_month"):
            assert dm.month
            rel = dm.rel or ""
            y = published.year
            if "last" in rel and "this" not in rel:
                if dm.month >= published.month:
                    y -= 1
            elif "next" in rel:
                if dm.month <= published.month:
                    y += 1
            elif "this" in rel:
                pass
            elif forward or rel in ("until", "till", "by"):
                if dm.month < published.month:
                    y += 1
            elif dm.month > published.month:
                y -= 1
            return [PartialDate(y, dm.month)]
        if k == "years_ago":
            return [PartialDate(published.year - (dm.n or 0))]
        if k == "days_ago":
            return [PartialDate.parse(published - timedelta(days=dm.n or 0))]  # type: ignore[list-item]
        if k == "yesterday":
            return [PartialDate.parse(published - timedelta(days=1))]  # type: ignore[list-item]
        if k == "today":
            return [PartialDate.parse(published)]  # type: ignore[list-item]
        if k == "tomorrow":
            return [PartialDate.parse(published + timedelta(days=1))]  # type: ignore[list-item]
        if k == "rel_period":
            rel = dm.rel or ""
            unit = rel.rsplit(" ", 1)[-1]
            if unit == "year":
                if rel.startswith(("last", "past", "previous", "the previous")):
                    return [PartialDate(published.year - 1)]
                if rel.startswith("next") or rel.startswith("the following"):
                    return [PartialDate(published.year + 1)]
                return [PartialDate(published.year)]
            if unit == "month":
                if rel.startswith(("last", "past", "previous", "the previous")):
                    first = published.replace(day=1) - timedelta(days=1)
                    return [PartialDate(first.year, first.month)]
                if rel.startswith(("next", "the following")):
                    nxt = published.replace(day=28) + timedelta(days=7)
                    return [PartialDate(nxt.year, nxt.month)]
                return [PartialDate(published.year, published.month)]
            # a week: the month when the whole week falls in one month
            if rel.startswith(("last", "past", "previous", "the previous")):
                start = published - timedelta(days=published.weekday() + 7)
                end = start + timedelta(days=6)
            elif rel.startswith(("next", "the following")):
                start = published + timedelta(days=7 - published.weekday())
                end = start + timedelta(days=6)
            else:
                start = published - timedelta(days=published.weekday())
                end = min(published, start + timedelta(days=6))
            if (start.year, start.month) == (end.year, end.month):
                return [PartialDate(start.year, start.month)]
            if start.year == end.year:
                return [PartialDate(start.year)]
            return []
        if k == "weekday":
            assert dm.weekday is not None
            rel = dm.rel or ""
            if (
                rel == "next"
                or (forward and rel not in ("last", "since"))
                or rel in ("effective", "until", "by")
            ):
                delta = (dm.weekday - published.weekday()) % 7
                if rel == "next" and delta == 0:
                    delta = 7
                return [PartialDate.parse(published + timedelta(days=delta))]  # type: ignore[list-item]
            delta = (published.weekday() - dm.weekday) % 7
            if rel == "last" and delta == 0:
                delta = 7
            return [PartialDate.parse(published - timedelta(days=delta))]  # type: ignore[list-item]
    except (ValueError, AssertionError):
        return []
    return []


def _shift(anchor: PartialDate, unit: str, n: int) -> list[PartialDate]:
    """ "the same day", "the following year", "two years later": the story's date moved by n units,
    at the precision the phrase gives (never finer than the anchor's)."""
    rank = {Precision.YEAR: 1, Precision.MONTH: 2, Precision.DAY: 3}
    need = {"year": 1, "month": 2, "day": 3}[unit]
    have = rank[anchor.precision]
    if n == 0:
        if have > need:
            return [anchor.truncate(Precision.YEAR if need == 1 else Precision.MONTH)]
        return [anchor]
    if have < need:
        return []  # "the following day" after "in 2019": no day to count from
    if unit == "year":
        return [PartialDate(anchor.year + n)]
    if unit == "month":
        m = anchor.year * 12 + (anchor.month or 1) - 1 + n
        return [PartialDate(m // 12, m % 12 + 1)]
    d = anchor.earliest() + timedelta(days=n)
    return [PartialDate(d.year, d.month, d.day)]


def anchor_before(text: str, pos: int, published: date | None, window: int = 1500) -> PartialDate | None:
    """The date of the story told before ``pos``: the last date phrase there that resolves (for
    "the same day", "the following year")."""
    lo = max(0, pos - window)
    for dm in reversed(find_dates(text[lo:pos], lo)):
        if dm.kind in ("anchored", "rel_after") or (dm.rel or "") in BOUNDS or _is_metadata(text, dm):
            continue
        if dm.since and not _WHEN_NEXT.match(text, dm.end, dm.end + 12):
            continue  # "since the October 7 attack": when a state of things began (unless "since 2008, when ...")
        if _DATELINE_HEAD.search(text, max(0, dm.start - 60), dm.start):
            continue  # "NIAMEY, Aug 7 (Sahel Wire) -": the day it was filed, not the story's date
        if re.search(r"\b(?:by|until|till|before|leave)\s+$", text[max(0, dm.start - 8) : dm.start], re.I):
            continue  # "ordered to leave by Feb. 7": a deadline, not the story's date
        ctx = last_year_before(text, dm.start) if dm.kind == "month_that_year" else None
        got = resolve(dm, published, context_year=ctx)
        if got:
            return got[0]
    return None


_DATELINE_HEAD = re.compile(r"(?:^|\n)[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Za-z][\w .'’-]{1,30})?,\s*$")


def is_future_phrase(dm: DateMention) -> bool:
    """Does the phrase itself point ahead ("next month", "tomorrow", "effective Thursday")?"""
    rel = dm.rel or ""
    return dm.kind == "tomorrow" or rel.startswith(("next", "the following", "effective", "until", "by"))


# -- publication dates written in the text ----------------------------------------------------

_META_DATE = re.compile(r"^\s*date\s+((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
_DATELINE = re.compile(
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+"
    r"(?:(?P<d1>[0-3]?\d)\s+"
    + _g(_MONTH, "m1")
    + r"|"
    + _g(_MONTH, "m2")
    + r"\s+(?P<d2>[0-3]?\d)),?\s+(?P<y>(?:19|20)\d\d)"
    r"|\((?P<m3>January|February|March|April|May|June|July|August|September|October|November|December)\s+(?P<d3>[0-3]?\d),\s+(?P<y3>(?:19|20)\d\d),\s+\d"
    r"|^\s*(?P<d4>[0-3]\d)/(?P<m4>[01]\d)/(?P<y4>(?:19|20)\d\d)\s+\d\d:\d\d",
    re.M,
)


def infer_published(text: str, window: int = 400) -> date | None:
    """A publication date written at the head of an article: a ``date YYYY-MM-DD`` metadata line,
    a dateline with its weekday ("Tuesday, 19 September 2023", "Friday, Sept. 7, 2012"), or a
    by-line stamp ("(September 17, 2021, 8:14 PM"). None when the head has none."""
    head = text[:window]
    m = _META_DATE.match(head)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    for m in _DATELINE.finditer(head):
        gd = m.groupdict()
        try:
            if gd.get("y"):
                mon = _month(gd.get("m1") or gd.get("m2"))  # type: ignore[arg-type]
                day = int(gd.get("d1") or gd.get("d2"))  # type: ignore[arg-type]
                return date(int(gd["y"]), mon, day)
            if gd.get("y3"):
                return date(int(gd["y3"]), _month(gd["m3"]), int(gd["d3"]))
            if gd.get("y4"):
                return date(int(gd["y4"]), int(gd["m4"]), int(gd["d4"]))
        except (ValueError, KeyError, TypeError):
            continue
    return None


def last_year_before(text: str, pos: int, window: int = 3000) -> int | None:
    """The last year written before ``pos`` (for "in January of that year")."""
    start = max(0, pos - window)
    years = re.findall(r"\b(1[6-9]\d\d|20\d\d)\b", text[start:pos])
    return int(years[-1]) if years else None


# -- the pipeline stage ---------------------------------------------------------------------------

#: Words that start another clause between a trigger and a date phrase.
_SEPARATORS = frozenset(
    [
        "after",
        "because",
        "as",
        "while",
        "which",
        "who",
        "whom",
        "but",
        "following",
        "although",
        "though",
        "that",
        "whereas",
        "where",
        "amid",
        "despite",
        "until",
        "unless",
        "if",
    ]
) | {";", "—", "–", "(", ")", "\n", "\n\n", '"'}
_REPORTING = frozenset(
    [
        "said",
        "says",
        "say",
        "announced",
        "announces",
        "told",
        "tells",
        "confirmed",
        "confirms",
        "reported",
        "reports",
        "stated",
        "states",
        "declared",
        "declares",
        "added",
        "adds",
        "noted",
        "notes",
        "saying",
        "quoted",
    ]
)
CURRENT_TENSES = frozenset({"present", "perfect", "base"})
#: Prepositions that make a date a bound, not the date of a change.
BOUNDS = frozenset({"as of", "by", "until", "till", "before", "after"})


def _stage() -> None:
    from .lexicon import Lexicon
    from .pipeline import Analysis, Candidate, component, doc_offset

    @component("dates")
    def make_dates(lex: Lexicon, current_days: int = 45):
        def dates(an: Analysis) -> None:
            if an.published is None and an.options.get("infer_published", True):
                got = infer_published(an.text[an.body_offset :])
                if got is not None:
                    an.published = got
                    an.published_inferred = True
            pub = an.published
            cache: dict[tuple[int, int], list[DateMention]] = {}
            out: list[Candidate] = []
            trig_spans: dict[int, list[tuple[int, int]]] = {}
            for t in {id(c.trigger): c.trigger for c in an.candidates}.values():
                trig_spans.setdefault(id(t.sent.doc) * 100003 + t.sent.start, []).append(
                    (t.char_start, t.char_end)
                )
            for c in an.candidates:
                t = c.trigger
                doc = t.doc
                off = doc_offset(doc)
                sent = t.sent
                s0, s1 = sent.start_char + off, sent.end_char + off
                key = (s0, s1)
                if key not in cache:
                    # a "date YYYY-MM-DD" metadata line at the head is when it was published, not a date in the text
                    found = find_dates(an.norm[s0:s1], s0, memo=doc.user_data.setdefault("comity_dates", {}))
                    cache[key] = [d for d in found if not _is_metadata(an.norm, d)]
                mentions = cache[key]
                chain = _chain(an, t)
                others = [
                    sp
                    for sp in trig_spans.get(id(sent.doc) * 100003 + sent.start, [])
                    if sp != (t.char_start, t.char_end) and sp not in chain
                ]
                siblings = [
                    sp
                    for sp in trig_spans.get(id(sent.doc) * 100003 + sent.start, [])
                    if sp != (t.char_start, t.char_end)
                ]
                # "have agreed to establish relations with effect from the date of signature", "suspended
                # relations with immediate effect": done, on the day of the act the story tells
                now = any(dm.kind == "signature" and dm.start >= t.char_start for dm in mentions)
                if now and c.modality == "planned":
                    c.modality = "asserted"
                chosen, forward = _choose(an, c, mentions, others, siblings)
                resolved: list[PartialDate] = []
                if chosen is not None:
                    ctx_year = (
                        last_year_before(an.norm, chosen.start) if chosen.kind == "month_that_year" else None
                    )
                    anchor = None
                    if chosen.kind == "anchored":
                        anchor = anchor_before(an.norm, chosen.start, pub)
                    elif chosen.kind == "rel_after":  # counted from the date of the clause it hangs on
                        anchor = anchor_before(an.norm, chosen.start, pub, window=chosen.start - s0)
                        if anchor is None:
                            # "The raid came a day after Quito declared ...": the story told before
                            anchor = anchor_before(an.norm, chosen.start, pub)
                    resolved = resolve(chosen, pub, forward=forward, context_year=ctx_year, anchor=anchor)
                    ante = c.antecedent
                    if (
                        chosen.kind == "month"
                        and not forward
                        and ante is not None
                        and ante.date is not None
                        and ante.date.month is not None
                        and chosen.month is not None
                    ):
                        # "... in May last year. Slovenia followed in June": the June after that May
                        y = ante.date.year + (chosen.month < ante.date.month)
                        if pub is None or date(y, chosen.month, 1) <= pub:
                            resolved = [PartialDate(y, chosen.month)]
                    idx = c.subject_index
                    if idx and len(resolved) == idx[1] > 1:
                        resolved = [resolved[idx[0]]]  # "A and B did it in 2022 and 2023": in that order
                    if "date:later" in c.notes:
                        resolved = [d.truncate(Precision.YEAR) for d in resolved]
                    if pub is not None and c.modality == "planned":
                        resolved = [d for d in resolved if d.latest() >= pub]
                    elif pub is not None:
                        resolved = [d for d in resolved if d.earliest() <= pub + timedelta(days=1)]
                    c.date_text = an.text[chosen.start : chosen.end]
                    c.date_span = (chosen.start, chosen.end)
                dated: list[Candidate] = []
                if resolved:
                    for i, d in enumerate(resolved):
                        cc = c if i == 0 else copy.copy(c)
                        if i:
                            cc.notes = list(c.notes)
                        cc.date = d
                        cc.date_source = "explicit"
                        dated.append(cc)
                else:
                    if (
                        c.modality == "asserted"
                        and (c.tense in CURRENT_TENSES or now)
                        and not (chosen is not None and chosen.kind == "rel_after")
                        and not c.background
                        and pub is not None
                        and "since" not in t.flags
                    ):
                        c.date = PartialDate(pub.year, pub.month, pub.day)
                        c.date_source = "published"
                    dated.append(c)
                for cc in dated:
                    cc.epoch = _epoch(cc, pub, current_days)
                    if "since" in t.flags and cc.date_source != "explicit":
                        continue  # "has had an embassy there" with no "since": a standing state
                    out.append(cc)
            for c in out:
                # "Bahrain followed suit": on the day of the change it repeats, unless it says when
                src = c.antecedent
                if (
                    src is not None
                    and c.date_source != "explicit"
                    and c.modality == "asserted"
                    and src.date is not None
                    and src.date_source == "explicit"
                ):
                    c.date, c.date_source = src.date, "explicit"
                    c.notes.append("date of the change before")
                    c.epoch = _epoch(c, pub, current_days)
            # "broke off relations with Tehran in January 2016 ... and ordered the Iranian ambassador to leave",
            # "established relations with Beijing last March and broke off ties with Taipei": a verb coordinated
            # with a dated one, with no date of its own, shares it
            parent_date = {
                id(c.trigger): c.date
                for c in out
                if c.date is not None
                and c.date_source == "explicit"
                and c.date_span is not None
                and c.trigger.sent.start_char + doc_offset(c.trigger.doc) <= c.date_span[0]
                and c.date_span[1] <= c.trigger.sent.end_char + doc_offset(c.trigger.doc)
            }
            for c in out:
                p = an.coord_parent.get(id(c.trigger))
                if (
                    p is not None
                    and c.modality == "asserted"
                    and c.date_source != "explicit"
                    and id(p) in parent_date
                    and p.sent.start == c.trigger.sent.start
                ):
                    c.date, c.date_source = parent_date[id(p)], "explicit"
                    c.notes.append("date of the verb it is coordinated with")
                    c.epoch = _epoch(c, pub, current_days)
            # "Saudi Arabia cut ties with Iran in January 2016; the UAE downgraded relations and Kuwait recalled
            # its ambassador": undated acts told in the sentence of a dated one are part of that story
            for c in out:
                if (
                    c.modality != "asserted"
                    or c.date is not None
                    or c.background
                    or "since" in c.trigger.flags
                ):
                    continue
                t = c.trigger
                told = [
                    o
                    for o in out
                    if o.trigger.doc is t.doc
                    and o.trigger.sent.start == t.sent.start
                    and o.trigger.end <= t.start
                    and o.modality == "asserted"
                    and o.date is not None
                    and o.date_source == "explicit"
                    and o.date_span is not None
                    and o.date_span[1] <= t.char_start
                    # across "after", "because" only a year: "broke off relations in 1976 after Algiers recognised",
                    # but not "... on Sunday, after the country cut its ties"
                    and (
                        o.date.precision == Precision.YEAR
                        or not set(re.findall(r"[\w']+", an.norm[o.trigger.char_end : t.char_start].lower()))
                        & _BEFORE_AFTER
                    )
                ]
                if told:
                    c.date, c.date_source = told[-1].date, "explicit"
                    c.notes.append("date of the change told before it in the sentence")
                    c.epoch = _epoch(c, pub, current_days)
            carry_dates(an, out, cache, pub, current_days)
            an.candidates = out

        return dates


def carry_dates(an, cands: list, cache: dict, pub: date | None, current_days: int) -> None:
    """An undated act told right after a dated one of the same pair is part of the same story:
    "Maduro broke off relations with Bogota in February 2019 ... Maduro expelled Colombian
    diplomats" (February 2019); "Ankara responded by declaring Egypt's envoy persona non grata"."""
    from .pipeline import doc_offset

    told: list[tuple[int, frozenset, PartialDate]] = []  # (position, pair, date the text gives it)
    for c in cands:
        t = c.trigger
        d = c.date if c.date_source == "explicit" else None
        if d is None and c.modality == "planned":
            # "Bulgaria announced last Friday that 10 diplomats would be expelled": the story's day
            off = doc_offset(t.doc)
            key = (t.sent.start_char + off, t.sent.end_char + off)
            view = copy.copy(c)
            view.modality, view.notes = "asserted", []
            dm, _ = _choose(an, view, cache.get(key, []), [])
            if dm is not None and dm.end <= t.char_start and not is_future_phrase(dm):
                got = resolve(dm, pub)
                d = got[0] if got else None
        if d is not None:
            told.append((t.char_start, frozenset((c.a, c.b)), d))
    if not told:
        return
    text = an.norm
    for c in cands:
        t = c.trigger
        pos = t.char_start
        if c.date_source == "published" and c.modality == "asserted":
            # "broke off relations with Tehran in January 2016, days after ..., and ordered the Iranian
            # ambassador to leave": the same story, told in one sentence, not news of the day
            s0 = t.sent.start_char + doc_offset(t.doc)
            same = [d for p, pr, d in told if s0 <= p < pos and pr == frozenset((c.a, c.b))]
            if same:
                c.date, c.date_source = same[-1], "explicit"
                c.notes.append("date from the story told before it")
                c.epoch = _epoch(c, pub, current_days)
                continue
        if (
            c.modality != "asserted"
            or c.date is not None
            or c.background
            or c.tense == "pluperfect"
            or "since" in t.flags
        ):
            continue
        para = text.rfind("\n", 0, pos)  # this paragraph and the one before it
        while para > 0 and text[para - 1].isspace():
            para -= 1
        lo = max(text.rfind("\n", 0, para), 0) if para > 0 else 0
        pair = frozenset((c.a, c.b))
        got = [d for p, pr, d in told if lo <= p < pos and pr == pair]
        if got:
            c.date = got[-1]
            c.date_source = "explicit"
            c.notes.append("date from the story told before it")
            c.epoch = _epoch(c, pub, current_days)


def _chain(an, t) -> set[tuple[int, int]]:
    """Spans of the triggers coordinated with ``t`` ("established ties with A and broke with B on Monday")."""
    parents = an.coord_parent
    kids: dict[int, list] = {}
    for child_id, parent in parents.items():
        kids.setdefault(id(parent), []).append(child_id)
    by_id = {id(x): x for x in an.triggers}
    out: set[tuple[int, int]] = set()
    # up to the root, then every descendant of the root
    root = t
    while id(root) in parents:
        root = parents[id(root)]
    todo = [id(root)]
    while todo:
        k = todo.pop()
        x = by_id.get(k)
        if x is not None:
            out.add((x.char_start, x.char_end))
        todo.extend(kids.get(k, []))
    return out


def _is_metadata(text: str, d: DateMention) -> bool:
    return d.start < 40 and bool(re.search(r"\bdate\s*$", text[max(0, d.start - 8) : d.start]))


def _near_reporting(text: str, dm: DateMention, after_words: int = 3) -> bool:
    """Is the date phrase the day of a statement ("said on Friday", "told reporters in X on Friday",
    "Last Friday, Bulgaria announced")?"""
    before = text[max(0, dm.start - 40) : dm.start].lower().split()
    after = re.findall(r"[\w']+", text[dm.end : dm.end + 30].lower())
    return bool((set(before[-4:]) | set(after[:after_words])) & _REPORTING)


#: "as" in "recognised Kosovo as an independent state": a complement, not a clause of its own.
_AS_STATE = re.compile(
    r"\bas\s+(?:an?\s+|the\s+)?(?:(?:independent|sovereign|democratic|legitimate|free|separate)\s+(?:and\s+)?)*"
    r"(?:state|country|nation|republic)\b",
    re.I,
)
_DEADLINE = re.compile(
    r"\b(?:by|until|till|before)\s+(?:(?:mid)?night\s+(?:on\s+)?|(?:the\s+)?end\s+of\s+)?$", re.I
)
_BORDERS = re.compile(
    r"\b(?:borders?|lines?|frontiers?|boundaries)\s+(?:(?:of|on|as\s+of|as\s+they\s+stood\s+(?:on|in))\s+(?:the\s+)?)?$",
    re.I,
)
#: A when-clause right after a date phrase ("since March 2014, when Riyadh ..."): it dates that clause.
_WHEN_NEXT = re.compile(r"[\s,]*when\b")
#: Words that put one change before or after another in a sentence.
_BEFORE_AFTER = frozenset(["after", "before", "since", "because", "following", "until", "although", "though"])
_BY_WHICH = re.compile(r"\b(?:under|in|by|through|with)\s+which\b", re.I)
_THEN = frozenset({"then", "later", "subsequently", "afterwards", "eventually"})


def _choose(
    an,
    c,
    mentions: list[DateMention],
    others: list[tuple[int, int]],
    siblings: list[tuple[int, int]] = (),  # type: ignore[assignment]
) -> tuple[DateMention | None, bool]:
    """The date phrase that dates this candidate's change, and whether to look forward."""
    from .pipeline import doc_offset

    t = c.trigger
    doc = t.doc
    off = doc_offset(doc)
    vpos = doc[t.verb].idx + off
    planned = c.modality == "planned"
    if c.modality in ("speculative", "negated"):
        return None, False
    best = None
    for dm in mentions:
        if dm.kind == "signature":
            continue  # "with immediate effect": when, not which day
        if (dm.rel or "") in BOUNDS and not ((dm.rel or "") == "until" and "not_until" in c.notes):
            continue  # "as of 2011", "by 2011": when a state held, not when a change was made
        if (
            dm.since
            and not ({"since", "passive", "intrans"} & t.flags)
            and c.type not in ("embassy_close", "suspend", "sever")
            and not _WHEN_NEXT.match(an.norm, dm.end, dm.end + 12)  # "since March 2014, when X ..."
        ):
            continue
        if dm.kind in ("md", "dm", "weekday", "mdy", "dmy") and _DEADLINE.search(
            an.norm, max(0, dm.start - 24), dm.start
        ):
            continue  # "ordered to leave by Feb. 7": a deadline, not the day of the order
        if _BORDERS.search(an.norm[max(0, dm.start - 30) : dm.start]):
            continue  # "as a state within the borders of Jan. 1, 1956": a line on a map, not a day
        lo, hi = (dm.end, t.char_start) if dm.end <= t.char_start else (t.char_end, dm.start)
        if dm.start < t.char_end and dm.end > t.char_start:
            lo, hi = 0, 0  # inside the trigger phrase
        if dm.start >= t.char_end and any(lo <= s and e <= hi for s, e in others):
            continue  # another change stands between: the date is that one's
        purpose = (
            t.verb > 0
            and doc[t.verb - 1].lower_ in ("to", ",")
            and (doc[t.verb - 1].lower_ == "to" or doc[t.verb].lower_.endswith("ing"))
        )  # "broke them off in 2002 to recognise"; "recognised Taipei in 1994, breaking off ties"
        when = re.match(r"[\s,]*when\b", an.norm[dm.end : t.char_start], re.I) is not None
        # "..., the same day Bolivia severed relations": an anchored phrase opens the clause it dates
        if dm.kind == "rel_after" and (
            dm.end > t.char_start or not re.fullmatch(r"[\s\w'.-]{0,40}", an.norm[dm.end : t.char_start])
        ):
            continue  # "cut ties two days after the election": it dates the change it introduces
        opens = dm.kind in ("anchored", "rel_after") and re.fullmatch(
            r"[\s\w'.-]{0,40}", an.norm[dm.end : t.char_start]
        )
        if (
            dm.end <= t.char_start
            and not (purpose or when or opens)
            and any(lo - 60 <= s and e <= dm.start for s, e in siblings)
        ):
            continue  # "cut ties with A on Thursday and restored ties with B": Thursday is the cut's
        between = an.norm[lo:hi] if hi > lo else ""
        if "as" in between:
            between = _AS_STATE.sub(" ", between)  # "recognised X as an independent state on Monday"
        if dm.end <= t.char_start and "," in between and _opens_sentence(an, t, dm):
            # "In May 2018, after troops killed dozens of protesters, Turkey recalled its ambassador": the
            # clause set off by commas after the opening date is an aside; the main clause follows it
            head, _, tail = between.rpartition(",")
            if re.match(r"\s*,\s*(?:after|following|amid|as|while|despite|when)\b", head):
                between = tail
        # "signed a declaration under which the two countries restored relations": the act is the change
        between = _BY_WHICH.sub(" ", between)
        if dm.start >= t.char_end and an.norm.count('"', t.char_start, t.char_end) % 2:
            between = between.replace('"', " ", 1)  # 'severed so-called "diplomatic relations" on May 24'

        words = set(re.findall(r"[\w']+|[;—–()\"\n]", between.lower()))
        if dm.kind == "years" and (dm.rel or "") in _SEPARATORS:
            words.discard(dm.rel)
        separated = bool(words & _SEPARATORS)
        if dm.start >= t.char_end and words & _THEN:
            separated = True  # "broke them off in 2002 to recognise Beijing, then restored ties in 2005"
        if planned:
            if dm.end <= vpos and not is_future_phrase(dm):
                continue  # the day it was announced, not the day it takes effect
            if separated or _near_reporting(an.norm, dm, after_words=0):
                continue  # "plans to reopen its embassy, the minister said on Friday"
        dist = min(abs(dm.start - vpos), abs(dm.end - vpos))
        if dm.end <= t.char_start:
            dist += 500  # a date after the verb binds tighter than one before it
        tier = 0 if not separated else 1
        # "France said Friday that it had recalled ...": the day of the statement
        if tier == 1 and (not _near_reporting(an.norm, dm) or c.modality != "asserted"):
            continue
        if best is None or (tier, dist) < best[0]:
            best = ((tier, dist), dm)
    if best is None:
        return None, planned
    dm = best[1]
    if dm.end <= t.char_start and "later" in re.findall(r"\w+", an.norm[dm.end : t.char_start].lower()):
        c.notes.append("date:later")  # "in March 2017 expelled X and later closed Y": that year only
    return dm, planned or is_future_phrase(dm)


def _opens_sentence(an, t, dm) -> bool:
    """Does the date phrase open the sentence (after at most a word: "Then on Dec. 22, ...")?"""
    from .pipeline import doc_offset

    s0 = t.sent.start_char + doc_offset(t.doc)
    return s0 <= dm.start and len(an.norm[s0 : dm.start].split()) <= 1


def _epoch(c, pub: date | None, current_days: int) -> str:
    if c.modality != "asserted":
        return "other"
    if c.date is not None:
        if pub is None:
            return "current" if c.date_source == "published" else "past"
        age = (pub - c.date.latest()).days
        return "current" if age <= current_days and c.date.earliest() <= pub + timedelta(days=1) else "past"
    if c.tense in CURRENT_TENSES and not c.background:
        return "current"
    return "unknown"


_stage()
