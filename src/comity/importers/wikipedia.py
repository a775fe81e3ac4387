"""Read English Wikipedia "Foreign relations of X" pages into :class:`~comity.records.Document` objects.

A page is raw wikitext, as ``index.php?title=...&action=raw`` returns it. The importer finds the page's
tables with a cheap line scan, reads only those, and turns them into assertions about the page's *owner*
(the state the page is about) and each row's *partner*:

``list`` tables (``# | Country | Date`` and their variants)
    every row is an ``establish`` assertion (extractor ``wikipedia-list``) at the date the row gives, with
    the row's 1-based position in the table (how the owner orders its partners; several share a date).
    A row marked "(suspended)", "(severed)", "(frozen)"... or greyed out also gives a ``suspend`` /
    ``sever`` assertion. A row numbered "—" without a marker (Holy See, Cook Islands, Niue) is an
    ordinary partner outside the UN, not a severed one.
``bilateral`` tables (``Country | Formal relations began | Notes``)
    the date column gives ``establish`` (``wikipedia-bilateral``), or whatever it says instead
    ("1 August 1974, severed 23 July 1980, restored 17 May 1984"); sentences of the notes such as
    "relations were severed in 1980 and restored in 2016" give dated ``sever`` / ``restore`` / ``suspend`` /
    ``establish`` assertions (``wikipedia-notes``), only for the row's own pair.
``recognition`` tables (Abkhazia, South Ossetia, Transnistria; Kosovo's list of recognisers)
    ``recognize`` (partner recognises owner), ``withdraw_recognition``, and the relations columns
    (``wikipedia-recognition``). "States that have withdrawn recognition" bullet lists as well.
``former`` tables (Taiwan's State | From | To)
    ``establish`` (later periods ``restore``) at "From" and ``sever`` at "To" (``wikipedia-former``).

What cannot be read (a partner that is not a state, an unreadable date, a malformed row) goes into
``Document.problems`` with the raw row text; no row is dropped silently.

Dates keep the precision the page gives (year, month or day). A qualified date keeps an *anchor* in
``Assertion.date`` and says how to read it in ``detail["qualifier"]``: the bound for ``before`` /
``after``, the year for ``circa``, the first year for a ``decade``, the start for a ``range``. Such
assertions carry a lower ``confidence``. ``span`` is the (start, end) of the row (or cell) in the page
text; ``evidence`` is that span made readable.
"""

from __future__ import annotations

import calendar
import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import requests

from ..records import Assertion, Document, Source, content_hash
from ..states import AmbiguousState, Registry, State, StateError, UnknownState
from ..states import registry as default_registry
from ..vocab import EventType, Modality, PartialDate

__all__ = [
    "EXTRACTOR_VERSION",
    "DateReading",
    "WikitextError",
    "fetch_live",
    "page_url",
    "parse_date",
    "parse_page",
    "read_files",
    "title_from_path",
]

EXTRACTOR_VERSION = "1.0"
LICENCE = "CC BY-SA 4.0"
TITLE_PREFIX = "Foreign relations of "
USER_AGENT = (
    "comity/0.1 (importer for a sourced record of diplomatic relations between states; reads "
    f"'Foreign relations of' pages with action=raw, one request at a time) python-requests/{requests.__version__}"
)

#: How much a qualified date lowers an assertion's confidence.
_QUALIFIER_CONFIDENCE = {None: 1.0, "circa": 0.8, "range": 0.7, "before": 0.5, "after": 0.5, "decade": 0.5}
_NOTES_CONFIDENCE = 0.8
_RAW_LIMIT = 300
#: Wikipedia refuses pages over 2 MiB ($wgMaxArticleSize); a longer text is not a page, and refusing it
#: bounds the work per page (the largest "Foreign relations of" page is 0.6 MB).
MAX_PAGE_CHARS = 2 * 1024 * 1024


class WikitextError(ValueError):
    """Input that cannot be read as a "Foreign relations of" page; ``path`` or ``title`` says which."""

    def __init__(self, message: str, *, path: Path | str | None = None, title: str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.title = title
        self.reason = message
        where = str(path) if path is not None else (repr(title) if title else "")
        super().__init__(f"{where}: {message}" if where else message)


# ======================================================================================================
# Dates
# ======================================================================================================

_MONTHS = {n.lower(): i for i, n in enumerate(calendar.month_name) if n}
_MONTHS |= {n.lower(): i for i, n in enumerate(calendar.month_abbr) if n}
_MONTHS["sept"] = 9
_M = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_Y = r"(?:1[0-9]|20)\d\d"
_ORD = r"(?:st|nd|rd|th)?"
# One pass finds every date; at a position the first alternative that matches wins.
_DATE_RX = re.compile(
    rf"(?P<iso>(?<!\d)(?P<iso_y>{_Y})-(?P<iso_m>\d\d?)-(?P<iso_d>\d\d?)(?!\d))"
    rf"|(?P<dmy>(?<!\d)(?P<dmy_d>\d\d?){_ORD}\s+(?:of\s+)?(?P<dmy_mon>{_M}),?\s+(?P<dmy_y>{_Y})(?!\d))"
    rf"|(?P<slash>(?<![\d/])(?P<slash_a>\d\d?)/(?P<slash_b>\d\d?)/(?P<slash_y>{_Y})(?![\d/]))"
    rf"|(?P<mdy>\b(?P<mdy_mon>{_M})\s+(?P<mdy_d>\d\d?){_ORD},?\s+(?P<mdy_y>{_Y})(?!\d))"
    rf"|(?P<my>\b(?P<my_mon>{_M}),?\s+(?P<my_y>{_Y})(?!\d))"
    rf"|(?P<ym>(?<!\d)(?P<ym_y>{_Y})-(?P<ym_m>0[1-9]|1[0-2])(?![\d-]))"
    rf"|(?P<decade>(?<!\d)(?P<decade_y>1\d\d|20\d)0\s?'?s\b)"
    rf"|(?P<year>(?<![\d.,])(?P<year_y>{_Y})(?!\d|[.,]\d))",
    re.I,
)
_DATE_GROUPS = {
    kind: tuple(f"{kind}_{part}" if f"{kind}_{part}" in _DATE_RX.groupindex else None for part in "ymdab")
    + (f"{kind}_mon" if f"{kind}_mon" in _DATE_RX.groupindex else None,)
    for kind in ("iso", "dmy", "slash", "mdy", "my", "ym", "decade", "year")
}
# Possessive quantifiers (``*+``) here and below: the same matches, without the quadratic backtracking
# that a long run of one character class (a cell of 30,000 dashes) would cost.
_UNDATED = re.compile(r"^\W*+(?:unknown|unk|n/?a|none|nil|tba|tbd|yes|pending|undated)?\W*+$", re.I)
_UNDATED_WORDS = re.compile(r"\b(?:unknown|not known|no date|undated|unclear|uncertain)\b", re.I)
_NO_RELATIONS = re.compile(r"\b(?:no|not|never|informal|unofficial|de facto|none|without)\b", re.I)
_BEFORE = re.compile(r"\b(?:before|prior to|by|until|no later than|not later than)\b", re.I)
_OR_BEFORE = re.compile(r"\s*(?:or|and)\s+(?:before|earlier)\b", re.I)
_AFTER = re.compile(r"\b(?:after|later than)\b", re.I)
_OR_AFTER = re.compile(r"\s*(?:or|and)\s+later\b", re.I)
_CIRCA = re.compile(r"\bc\.|\bca\.|\bcirca\b|\baround\b|\babout\b|\bapprox\w*\.?|~", re.I)
_RANGE_SEP = re.compile(r"\s*(?:[-–—‒]|to|until|till|or|/)\s*", re.I)


@dataclass(frozen=True)
class DateReading:
    """What a date phrase says: the date (an anchor when qualified), its qualifier, a problem if any."""

    date: PartialDate | None
    qualifier: str | None = None  # before | after | circa | decade | range
    problem: str | None = None  # impossible_date | ambiguous_date | bad_date
    message: str | None = None
    end: PartialDate | None = None  # the end of a range
    note: str | None = None  # "unknown" | "no_relations": no date, and the text says why


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    date: PartialDate
    kind: str
    problem: str | None = None
    message: str | None = None


def _found(m: re.Match[str]) -> _Found:
    kind = m.lastgroup or "year"
    gy, gm, gd, ga, gb, gmon = _DATE_GROUPS[kind]
    text = m.group(kind)
    y = int(m.group(gy)) * (10 if kind == "decade" else 1)
    mo = _MONTHS[m.group(gmon).lower().rstrip(".")] if gmon else (int(m.group(gm)) if gm else None)
    d = int(m.group(gd)) if gd else None
    problem = message = None
    if kind == "slash":  # 7/13/1972: day first unless that cannot be; the year only when both can be
        a, b = int(m.group(ga)), int(m.group(gb))
        d, mo = (b, a) if b > 12 >= a else (a, b)
        if a != b and a <= 12 and b <= 12:
            d = mo = None
            problem, message = "ambiguous_date", f"{text!r} may be day/month or month/day; kept the year"
    if mo is not None and not 1 <= mo <= 12:
        problem, message = "impossible_date", f"{text!r} has no month {mo}; kept the year"
        d = mo = None
    elif d is not None and not 1 <= d <= calendar.monthrange(y, mo or 1)[1]:
        d = None
        problem, message = "impossible_date", f"{text!r} is not a real day; kept {y}-{mo:02d}"
    return _Found(m.start(), m.end(), PartialDate(y, mo, d), kind, problem, message)


def _find_dates(text: str) -> list[_Found]:
    """Every date expression in ``text``, left to right."""
    return [_found(m) for m in _DATE_RX.finditer(text)]


@lru_cache(maxsize=1 << 15)
def parse_date(text: str | None) -> DateReading:
    """Read a date cell (already cleaned of markup): ``18 January 1949``, ``2024-02-14``, ``March 1962``,
    ``1962``, ``c. 1962``, ``Before 1990``, ``22 January 1993 or before``, ``1960s``, ``1962–1963``,
    ``Unknown``... An impossible day (30 February) keeps the month and reports ``impossible_date``."""
    text = (text or "").strip()
    if _UNDATED.match(text):
        return DateReading(None, note="unknown" if text.strip(" .-–—?") else None)
    found = _find_dates(text)
    if not found:
        if _UNDATED_WORDS.search(text):
            return DateReading(None, note="unknown")
        if _NO_RELATIONS.search(text):
            return DateReading(None, note="no_relations")
        return DateReading(None, problem="bad_date", message=f"cannot read a date in {text!r}")
    first = found[0]
    head, tail = text[: first.start], text[first.end :]
    qualifier: str | None = "decade" if first.kind == "decade" else None
    end: PartialDate | None = None
    if len(found) > 1 and _RANGE_SEP.fullmatch(text[first.end : found[1].start]):
        qualifier, end = "range", found[1].date
    elif _BEFORE.search(head) or _OR_BEFORE.match(tail):
        qualifier = "before"
    elif _AFTER.search(head) or _OR_AFTER.match(tail):
        qualifier = "after"
    elif _CIRCA.search(head):
        qualifier = "circa"
    return DateReading(first.date, qualifier, first.problem, first.message, end)


def _reading_at(text: str, d: _Found) -> DateReading:
    """The reading of a date met in running text, qualified by the words just before it."""
    head = text[max(0, d.start - 25) : d.start]
    qualifier = None
    if d.kind == "decade":
        qualifier = "decade"
    elif re.search(r"\b(?:before|prior to|by)\s+(?:the\s+)?$", head, re.I):
        qualifier = "before"
    elif re.search(r"\bafter\s+$", head, re.I):
        qualifier = "after"
    elif re.search(r"(?:\bc\.|\bcirca|\baround|\babout)\s*$", head, re.I):
        qualifier = "circa"
    return DateReading(d.date, qualifier, d.problem, d.message)


# ======================================================================================================
# Markup
# ======================================================================================================

_MASK_START = re.compile(r"<!--|<ref\b", re.I)
_REF_CLOSE = re.compile(r"</ref\s*+>", re.I)
_TEMPLATE = re.compile(r"\{\{((?:[^{}\[\]]|\[(?!\[)|\](?!\])|\{(?!\{)|\}(?!\}))*)\}\}")
_LINK = re.compile(r"\[\[([^\[\]{}|]*)(?:\|((?:[^\[\]{}]|\[(?!\[)|\](?!\]))*))?\]\]")
_EXTLINK = re.compile(r"\[(?:https?:)?//[^\s\]]++\s*+([^\]]*+)\]")
_TAG = re.compile(r"<\s*+(/?)\s*+([a-zA-Z]++)[^<>]*+>")
_QUOTES = re.compile(r"'{2,}")
_FILE_NS = ("file:", "image:", "category:", "media:")

# fmt: off
_FLAG_TEMPLATES = {"flag", "flagcountry", "flagu", "flag country", "flagu2", "flagg", "flagname", "flaglink"}
_FLAG_ICONS = {"flagicon", "flagdeco", "flag icon"}
_DATE_TEMPLATES = {
    "dts", "date table sorting", "dtsort", "date", "start date", "start date and age", "end date",
    "daterange", "date range", "#invoke:dts",
}
_KEEP_FIRST = {
    "nowrap", "nobr", "small", "big", "center", "centre", "nobold", "noitalic", "abbr", "ill",
    "interlanguage link", "resize", "smaller", "larger", "mono", "vanchor", "nts", "ntsh", "tooltip",
    "nobreak", "no wrap", "font", "color", "colour", "bg", "blue", "green", "red",
}
_JOIN_ALL = {"ubl", "unbulleted list", "plainlist", "hlist", "flatlist", "bulleted list", "ublist"}
_LITERAL = {
    "n/a": "N/A", "na": "N/A", "n.a.": "N/A", "yes": "Yes", "no": "No", "dash": "—", "mdash": "—",
    "ndash": "–", "snd": " – ", "spaced ndash": " – ", "spnd": " – ", "!": "|", "=": "=", "pb": "\n",
    "break": "\n", "br": "\n", "-": "\n", "nbsp": " ", "·": " · ", "dot": " · ", "unknown": "Unknown",
    "tba": "TBA", "?": "?", "none": "None",
}
#: Country-code templates ({{GER}} shows a flag and "Germany"): the codes that are not ISO 3166 alpha-3,
#: and a few other short names the flag templates accept. Other three-letter templates are ISO codes.
_CODE_TEMPLATES = {
    "GER": "Germany", "NED": "Netherlands", "SUI": "Switzerland", "POR": "Portugal", "RSA": "South Africa",
    "UAE": "United Arab Emirates", "KSA": "Saudi Arabia", "INA": "Indonesia", "MAS": "Malaysia",
    "PHI": "Philippines", "VIE": "Vietnam", "DEN": "Denmark", "BUL": "Bulgaria", "ROM": "Romania",
    "SIN": "Singapore", "TAN": "Tanzania", "GUA": "Guatemala", "GUI": "Guinea", "BAN": "Bangladesh",
    "BHU": "Bhutan", "BRU": "Brunei", "FIJ": "Fiji", "PAR": "Paraguay", "KOS": "Kosovo",
    "PAL": "State of Palestine", "PRC": "China", "SKN": "Saint Kitts and Nevis", "JAP": "Japan",
    "MLD": "Moldova", "HKG": "Hong Kong", "CAR": "Central African Republic", "DRC": "DR Congo",
    "SADR": "Sahrawi Arab Democratic Republic", "UK": "United Kingdom", "US": "United States",
    "EU": "European Union", "ROC": "Taiwan",
}
#: Three capital letters that are not countries: currencies, maintenance tags.
_NOT_CODE = {"AUD", "CIA", "USD", "EUR", "GBP", "JPY", "CNY", "POV", "BLP", "TOC", "ISO", "PDF", "URL", "DTS"}
# fmt: on
_MONTH_NAMES = list(calendar.month_name)
#: How Wikipedia's flag templates read a name that is ambiguous elsewhere ({{flag|Congo}} is Brazzaville).
_FLAG_NAMES = {"Congo": "Republic of the Congo"}
_FLAG_START = re.compile(r"\{\{\s*(?:#invoke:\s*)?flag[\w ]*\|", re.I)


def _mask(text: str) -> str:
    r"""Blank out comments and footnotes with spaces, keeping every offset of the text.

    What ``<!--.*?(?:-->|\Z)|<ref\b[^>]*?/>|<ref\b[^>]*>.*?</ref\s*>`` (dot-all, any case) would blank,
    scanned by hand: as a regex, every unclosed ``<ref>`` searched the rest of the page for its
    ``</ref>``, which made a page of many unclosed refs quadratic (160 kB: 14 s). Here each search
    for the next ``>`` or ``</ref>`` is remembered, so the scan stays linear.
    """
    if "<" not in text:
        return text
    parts: list[str] = []
    pos = 0
    # The last search for ">" and for "</ref>": (searched from, where found, or -1 for nowhere after).
    gt_from, gt_at = len(text) + 1, -1
    close_from, close_at, close_end = len(text) + 1, -1, -1
    for m in _MASK_START.finditer(text):
        s = m.start()
        if s < pos:
            continue
        if m.group(0) == "<!--":
            e = text.find("-->", s + 4)
            end = len(text) if e < 0 else e + 3
        else:
            at = s + 4
            if not (gt_from <= at and (gt_at >= at or gt_at == -1)):
                gt_from, gt_at = at, text.find(">", at)
            if gt_at < 0:
                continue
            if gt_at - 1 >= at and text[gt_at - 1] == "/":  # <ref name="x" />
                end = gt_at + 1
            else:
                body = gt_at + 1
                if not (close_from <= body and (close_at >= body or close_at == -1)):
                    found = _REF_CLOSE.search(text, body)
                    close_from, close_at, close_end = (
                        body,
                        found.start() if found else -1,
                        found.end() if found else -1,
                    )
                if close_at < 0:
                    continue
                end = close_end
        parts.append(text[pos:s])
        parts.append(" " * (end - s))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


@dataclass
class _Clean:
    """Readable text of a piece of wikitext, with the countries its flag templates and links name."""

    text: str
    flags: list[tuple[str, str]] = field(default_factory=list)  # (country argument, name shown)
    links: list[tuple[str, str]] = field(default_factory=list)  # (target, label)


def _split_params(body: str) -> tuple[str, list[str], dict[str, str]]:
    parts = body.split("|")
    name = parts[0].strip()
    if name.lower().startswith("#invoke:"):
        # {{#invoke:flag||X}}, {{#invoke:dts|main|...}}: the second part names the module's function
        name = name.lower()
        parts = [name] + parts[2:]
    positional: list[str] = []
    named: dict[str, str] = {}
    for p in parts[1:]:
        k, eq, v = p.partition("=")
        key = k.strip()
        # isdecimal, not isdigit: int() refuses "²"; from 1 ("0=" has no place) to 99: {{flag|99999999=X}}
        # would otherwise allocate a list of 10^8 empty parameters
        if eq and key.isdecimal() and len(key) <= 2 and int(key) >= 1:
            idx = int(key) - 1
            positional.extend([""] * (idx + 1 - len(positional)))
            positional[idx] = v.strip()
        elif eq and re.fullmatch(r"[\w -]+", key):
            named[key.lower()] = v.strip()
        else:
            positional.append(p.strip())
    return name, positional, named


def _render_date(positional: list[str]) -> str:
    values = [p for p in positional if p]
    if not values:
        return ""
    if len(values) == 1 or not values[0].isdecimal():
        return values[0]
    y, mo = values[0], values[1]
    d = values[2] if len(values) > 2 and values[2].isdecimal() else ""
    if mo.isdecimal() and len(mo) <= 2 and 1 <= int(mo) <= 12:
        mo = _MONTH_NAMES[int(mo)]
    elif mo.isdecimal():
        return f"{y}-{mo}-{d}" if d else f"{y}-{mo}"
    return " ".join(x for x in (d, mo, y) if x)


def _render_template(body: str, out: _Clean) -> str:
    name, positional, named = _split_params(body)
    key = name.lower().replace("_", " ").strip()
    if key == "#invoke:flag":
        key = "flag"
    if key in _FLAG_TEMPLATES:
        country = positional[0] if positional else ""
        shown = named.get("name") or country
        if country:
            out.flags.append((country, shown))
        return shown
    if key in ("flagicon image", "flag image"):
        return ""  # its argument is an image file, not a country
    if key in _FLAG_ICONS:
        if positional and positional[0]:
            out.flags.append((positional[0], ""))
        return ""
    if key in _DATE_TEMPLATES:
        return _render_date(positional)
    if key in ("sort", "sort key", "sortkey"):
        return positional[1] if len(positional) > 1 else (positional[0] if positional else "")
    if key in ("hs", "hidden sort key", "hidden", "sort hidden", "hiddensort"):
        return ""
    if key in ("lang", "transl", "transliteration"):
        return positional[-1] if positional else ""
    if key in ("circa", "c.", "ca", "ca."):
        return f"c. {positional[0]}" if positional else "c."
    if key in _KEEP_FIRST:
        return positional[0] if positional else ""
    if key in _JOIN_ALL:
        return "; ".join(p for p in positional if p)
    if key == "sortname":
        return " ".join(p for p in positional[:2] if p)
    if key in _LITERAL:
        return _LITERAL[key]
    if not positional and not named and (name in _CODE_TEMPLATES or (len(name) == 3 and name.isupper())):
        if name in _NOT_CODE or not name.isalpha():
            return ""
        country = _CODE_TEMPLATES.get(name, name)
        out.flags.append((country, country))
        return country
    return ""  # footnotes, hatnotes, maintenance tags, citations...


def _render_link(m: re.Match[str], out: _Clean) -> str:
    target, label = m.group(1).strip(), m.group(2)
    if target.lower().lstrip(":").startswith(_FILE_NS):
        return ""
    target = target.lstrip(":")
    page = target.split("#", 1)[0] or target
    shown = label.strip() if label is not None and label.strip() else target.split("#")[-1]
    out.links.append((page, shown))
    return shown


def clean(text: str, *, keep_lines: bool = False) -> _Clean:
    """Readable text of (masked) wikitext: templates rendered or dropped, links shown as their labels.

    The result of a short text is cached and shared: treat it as read-only.
    """
    if len(text) <= 200 and not keep_lines:
        return _clean_short(text)
    return _clean(text, keep_lines)


@lru_cache(maxsize=1 << 15)
def _clean_short(text: str) -> _Clean:
    return _clean(text, False)


def _clean(text: str, keep_lines: bool) -> _Clean:
    out = _Clean("")
    if "{{" in text or "[[" in text:
        for _ in range(12):  # innermost first: a link inside a template, a template inside a link
            before = text
            if "[[" in text:
                text = _LINK.sub(lambda m: _render_link(m, out), text)
            if "{{" in text:
                text = _TEMPLATE.sub(lambda m: _render_template(m.group(1), out), text)
            if text == before:
                break
        text = text.replace("{{", "").replace("}}", "").replace("[[", "").replace("]]", "")
    if "[" in text:
        # No link ends after the last "]": leaving that tail out keeps a text of many unclosed links linear.
        last = text.rfind("]") + 1
        text = _EXTLINK.sub(lambda m: m.group(1), text[:last]) + text[last:]
    if "<" in text:
        text = _TAG.sub(lambda m: "\n" if m.group(2).lower() in ("br", "p", "li", "div") else "", text)
    if "''" in text:
        text = _QUOTES.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    if keep_lines:
        text = re.sub(r"[ \t\u00a0]+", " ", text)
        text = re.sub(r" ?\n[ \n]*", "\n", text).strip()
    else:
        text = " ".join(text.split())
    out.text = text
    return out


# ======================================================================================================
# Tables
# ======================================================================================================

# The name keeps its surrounding blanks (``clean`` drops them): ``[ \t]*(.+?)[ \t]*`` around it made a
# line of "=" and 2,000 spaces take 6 s (cubic backtracking).
_HEADING = re.compile(r"^(={1,6})(.+?)\1[ \t\r]*+$", re.M)
_TABLE_EDGE = re.compile(r"^[ \t:]*(\{\||\|\}(?!\}))", re.M)
_CELL_TOKENS = re.compile(r"\{\{|\}\}|\[\[|\]\]|\|\||!!")
_ATTR_TOKENS = re.compile(r"\{\{|\}\}|\[\[|\]\]|\|")
_SPAN = re.compile(r"\b(row|col)span\s*=\s*[\"']?\s*(\d+)", re.I)
_GREY = re.compile(
    r"background(?:-color)?\s*:\s*(?:#d3d3d3|#dcdcdc|#c0c0c0|#ccc(?:ccc)?|#ddd(?:ddd)?|#bbb(?:bbb)?|#a9a9a9|"
    r"#808080|silver|gr[ae]y|lightgr[ae]y|darkgr[ae]y|gainsboro)\b",
    re.I,
)


class _Cell:
    """One table cell: its masked wikitext, attributes and place in the page."""

    __slots__ = ("attrs", "carried", "end", "header", "origin", "parts", "start", "_clean")

    def __init__(self, text: str, attrs: str, header: bool, start: int, end: int) -> None:
        self.parts = [text]
        self.attrs = attrs
        self.header = header
        self.start = start
        self.end = end
        self.carried = False  # repeated from a rowspan above
        self.origin: _Cell | None = None
        self._clean: _Clean | None = None

    @property
    def text(self) -> str:
        if len(self.parts) > 1:
            self.parts = ["\n".join(self.parts)]
        return self.parts[0]

    def cleaned(self) -> _Clean:
        if self.origin is not None:
            return self.origin.cleaned()
        if self._clean is None:
            self._clean = clean(self.text)
        return self._clean

    def span(self, kind: str) -> int:
        if "span" not in self.attrs:
            return 1
        for k, n in _SPAN.findall(self.attrs):
            if k.lower() == kind:
                # a colspan widens every header row: 64 is ten times the widest in the corpus
                return max(1, min(int(n[:4]), 500 if kind == "row" else 64))
        return 1

    def carry(self) -> _Cell:
        copy = _Cell("", self.attrs, self.header, self.start, self.end)
        copy.parts = self.parts
        copy.carried = True
        copy.origin = self
        return copy


@dataclass
class _Row:
    attrs: str
    start: int
    end: int
    cells: list[_Cell] = field(default_factory=list)
    is_header: bool = False


def _depth(text: str) -> int:
    return text.count("{{") - text.count("}}") + text.count("[[") - text.count("]]")


def _split_cells(line: str, header: bool) -> list[tuple[int, int]]:
    """(start, end) of the cells of one table line (after its leading ``|`` or ``!``)."""
    if "||" not in line and not (header and "!!" in line):
        return [(0, len(line))]
    out = []
    start = depth = 0
    for m in _CELL_TOKENS.finditer(line):
        tok = m.group(0)
        if tok in ("{{", "[["):
            depth += 1
        elif tok in ("}}", "]]"):
            depth = max(0, depth - 1)
        elif depth == 0 and (tok == "||" or header):
            out.append((start, m.start()))
            start = m.end()
    out.append((start, len(line)))
    return out


def _split_attrs(text: str) -> tuple[str, str, int]:
    """Split ``style="..." | content`` into (attributes, content, offset of the content)."""
    if "|" not in text:
        return "", text, 0
    depth = 0
    for m in _ATTR_TOKENS.finditer(text):
        tok = m.group(0)
        if tok in ("{{", "[["):
            depth += 1
        elif tok in ("}}", "]]"):
            depth -= 1
        elif depth == 0:
            prefix = text[: m.start()]
            if "\n" not in prefix and ("=" in prefix or prefix.strip() in ("", "<")):
                return prefix, text[m.end() :], m.end()
            break
    return "", text, 0


def _find_tables(masked: str) -> list[tuple[int, int]]:
    """(start, end) of each top-level table: from its ``{|`` to the start of its ``|}`` line."""
    out = []
    stack: list[int] = []
    for m in _TABLE_EDGE.finditer(masked):
        if m.group(1) == "{|":
            stack.append(m.start(1))
        elif stack:
            s = stack.pop()
            if not stack:
                out.append((s, m.start(1)))
    if stack:
        out.append((stack[0], len(masked)))
    return out


def _parse_rows(masked: str, start: int, end: int) -> tuple[list[_Row], str]:
    """Rows and caption of the table in ``masked[start:end]`` (from ``{|`` to before ``|}``).

    A line-level scan: a line that starts with ``|-`` opens a row, ``|`` or ``!`` opens cells (split on
    ``||`` / ``!!`` outside templates and links); any other line, or any line while a template, link or
    nested table is open, continues the current cell.
    """
    rows: list[_Row] = []
    caption = ""
    row: _Row | None = None
    cell: _Cell | None = None
    depth = 0  # templates and links open in the current cell
    nested = 0  # tables open inside the current cell
    pos = masked.find("\n", start, end)
    if pos < 0:
        return [], ""
    pos += 1
    for line in masked[pos:end].split("\n"):
        line_start = pos
        pos += len(line) + 1
        s = line.lstrip()
        if nested or depth or not s or (s[0] not in "|!" and not s.startswith("{|")):
            if cell is not None:
                cell.parts.append(line)
                cell.end = line_start + len(line)
                row.end = cell.end  # type: ignore[union-attr]
            if nested:
                if s.startswith("{|"):
                    nested += 1
                elif s.startswith("|}"):
                    nested -= 1
            elif "{" in line or "}" in line or "[" in line or "]" in line:
                depth = max(0, depth + _depth(line))
            continue
        lead = line_start + len(line) - len(s)
        if s.startswith("{|"):
            nested = 1
            if cell is not None:
                cell.parts.append(line)
            continue
        if s.startswith("|-"):
            row = _Row(s[2:].lstrip("-").strip(), lead, line_start + len(line))
            rows.append(row)
            cell = None
            continue
        if s.startswith("|+"):
            caption = s[2:]
            continue
        if s.startswith("|}"):
            continue
        header = s[0] == "!"
        body = s[1:]
        if row is None:
            row = _Row("", lead, lead)
            rows.append(row)
        for a, b in _split_cells(body, header):
            attrs, content, off = _split_attrs(body[a:b])
            cell = _Cell(content, attrs.strip(), header, lead + 1 + a + off, lead + 1 + b)
            row.cells.append(cell)
        row.end = line_start + len(line)
        depth = max(0, _depth(cell.parts[0])) if cell is not None else 0
    out = [r for r in rows if r.cells]
    for r in out:
        r.is_header = all(c.header for c in r.cells)
    return out, caption


def _grid(rows: list[_Row]) -> Iterator[tuple[_Row, list[_Cell | None]]]:
    """Rows with their cells placed in columns: header colspans widened, rowspans carried down."""
    carry: dict[int, tuple[_Cell, int]] = {}
    for row in rows:
        placed: list[_Cell | None] = []
        col = 0
        cells = iter(row.cells)
        pending = next(cells, None)
        while pending is not None or (carry and max(carry) >= col):
            if col in carry:
                c, left = carry[col]
                placed.append(c.carry())
                if left <= 1:
                    del carry[col]
                else:
                    carry[col] = (c, left - 1)
                col += 1
                continue
            if pending is None:
                placed.append(None)
                col += 1
                continue
            rowspan = 1 if row.is_header else pending.span("row")
            for _ in range(pending.span("col") if row.is_header else 1):
                placed.append(pending)
                if rowspan > 1:
                    carry[col] = (pending, rowspan - 1)
                col += 1
            pending = next(cells, None)
        yield row, placed


# ======================================================================================================
# States
# ======================================================================================================

#: Names that are not states (organisations, territories, regions, entities no registry keeps).
# fmt: off
_NON_STATES = {
    "european union", "eu", "united nations", "un", "african union", "asean", "nato", "arab league",
    "league of arab states", "commonwealth of nations", "organization of american states", "opec",
    "gulf cooperation council", "caricom", "mercosur", "council of europe", "european communities",
    "european economic community", "organisation of islamic cooperation", "hong kong", "macau", "macao",
    "puerto rico", "greenland", "faroe islands", "bermuda", "aruba", "curaçao", "curacao", "sint maarten",
    "new caledonia", "french polynesia", "guam", "gibraltar", "northern ireland", "scotland", "wales",
    "england", "quebec", "flanders", "wallonia", "catalonia", "basque country", "tibet", "kurdistan",
    "iraqi kurdistan", "kurdistan region", "zanzibar", "donetsk people's republic", "luhansk people's republic",
    "american samoa", "cayman islands", "british virgin islands", "anguilla", "montserrat",
    "turks and caicos islands", "falkland islands", "isle of man", "jersey", "guernsey", "åland",
    "tokelau", "wallis and futuna", "international committee of the red cross", "interpol",
}
# fmt: on


@dataclass(frozen=True)
class _Resolved:
    state: State | None
    kind: str | None = None  # the problem kind when unresolved
    message: str | None = None


@lru_cache(maxsize=1)
def _place_names() -> tuple[str, ...]:
    """Names that contain a state's name without naming it: the news extractor's "blockers"."""
    import json
    from importlib.resources import files

    refs = json.loads(files("comity.data.extract").joinpath("references.json").read_text(encoding="utf-8"))
    return tuple(refs.get("blockers", []))


class _Resolver:
    """Country-cell names to states (cached), and a finder of state names in sentences."""

    def __init__(self, reg: Registry) -> None:
        self.reg = reg
        self._cache: dict[str, _Resolved] = {}
        self._related: dict[str, frozenset[str]] = {}
        self._names: re.Pattern[str] | None = None
        self._name_codes: dict[str, str] = {}

    def resolve(self, name: str) -> _Resolved:
        name = " ".join(name.split()).strip(" ,;:*")
        hit = self._cache.get(name)
        if hit is None:
            hit = self._cache[name] = self._resolve(name)
        return hit

    def _resolve(self, name: str) -> _Resolved:
        if not name:
            return _Resolved(None, "malformed_row", "no country named in the cell")
        bare = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()
        error: StateError | None = None
        for candidate in dict.fromkeys((name, bare)):
            try:
                return _Resolved(self.reg.resolve(candidate, weak=False))
            except (AmbiguousState, UnknownState) as e:
                error = error or e
        if isinstance(error, AmbiguousState):
            return _Resolved(None, "ambiguous_state", str(error))
        key = bare.casefold().removeprefix("the ")
        if key in _NON_STATES or self._is_territory(bare):
            return _Resolved(None, "not_a_state", f"{name!r} is not a state")
        hint = ""
        if error is not None and error.suggestions:
            hint = "; did you mean " + ", ".join(s.name for s in error.suggestions[:3]) + "?"
        return _Resolved(None, "unknown_state", f"{name!r} does not name a known state{hint}")

    def mentioned(self, text: str) -> set[str]:
        """Codes of the states whose names (or demonyms) occur in ``text``."""
        if self._names is None:
            names: dict[str, str] = {}
            for s in self.reg:
                for n in s.names(("name", "abbreviation", "former_name", "demonym")):
                    n = n.strip()
                    if len(n) >= 4 and n[0].isupper() and not n.isupper():
                        names.setdefault(n, s.code)
            self._name_codes = names
            # Places whose names hold a state's ("Latin America", "Gulf of Guinea") match as themselves
            # (the longer name wins) and name no state.
            places = [p for p in _place_names() if p not in names]
            alternatives = "|".join(sorted((re.escape(n) for n in [*names, *places]), key=len, reverse=True))
            self._names = re.compile(rf"\b(?:{alternatives})\b") if names else re.compile(r"(?!)")
        found = (self._name_codes.get(m.group(0)) for m in self._names.finditer(text))
        return {code for code in found if code}

    def related(self, code: str) -> frozenset[str]:
        """A state with its predecessors and successors (the Soviet Union for Russia and back)."""
        hit = self._related.get(code)
        if hit is None:
            out = {code}
            for s in self.reg:
                if code in s.successors:
                    out.add(s.code)
            if code in self.reg:
                out.update(self.reg.get(code).successors)
            hit = self._related[code] = frozenset(out)
        return hit

    def _is_territory(self, name: str) -> bool:
        """A name pycountry knows (Hong Kong, Puerto Rico, Greenland) for an entity the registry lacks."""
        try:
            import pycountry

            country = pycountry.countries.lookup(name)
        except (LookupError, ImportError):
            return False
        return country.alpha_3 not in self.reg


# ======================================================================================================
# Table layouts
# ======================================================================================================

_NUMBER_HDR = re.compile(r"^(?:#|no\.?|nr\.?|n[°º]|№|number|s\.?\s?no\.?)$", re.I)
_COUNTRY_HDR = re.compile(r"\b(?:country|countries|state|states|entity|nation|partner|sovereign)\b", re.I)
_RECOG_HDR = re.compile(
    r"^(?:date (?:of )?|year (?:of )?)?(?:diplomatic )?(?:recognition|recogni[sz]ed)(?: date| on| since)?$",
    re.I,
)
_ENDED_HDR = re.compile(r"^(?:to|until|ended|end|.*\b(?:ended|to|until))$", re.I)
_FROM_HDR = re.compile(r"^(?:from|.*\bfrom)$", re.I)
_NOTES_HDR = re.compile(r"\b(?:notes?|remarks|comments|details)\b", re.I)
_DATE_HDR = re.compile(
    r"\b(?:date|dates|established|establishment|began|begun|since|year|start|started|beginning|relations)\b",
    re.I,
)
_OTHER_FIRST_HDR = re.compile(
    r"^(?:organi[sz]ations?|international organi[sz]ations?|bloc|year|treaty)", re.I
)
_RECOG_BY_HDR = re.compile(r"^recogni[sz]ed by (?:the )?(.+)$", re.I)
_SKIP_SECTION = re.compile(
    r"consular|poll|visa|agreement|partnership|treat(?:y|ies)|membership|organi[sz]ation|other relations|"
    r"unofficial|\bofficial relations|non-diplomatic|never had|without (?:diplomatic )?relations|"
    r"no (?:diplomatic )?relations",
    re.I,
)
_FORMER_SECTION = re.compile(r"\bformer\b", re.I)
_WITHDRAWN_SECTION = re.compile(r"withdr\w*\s+(?:their\s+|its\s+)?recogni|recogni\w*\s+withdr", re.I)
_RECOG_SECTION = re.compile(r"recogni", re.I)
_DISAMBIG = re.compile(
    r"\{\{\s*(?:disambig\w*|dab|set index|sia)\s*(?:\||\}\})|\bmay (?:also )?refer to\s*:", re.I
)
_REDIRECT = re.compile(r"^\s*#redirect\s*:?\s*\[\[([^\]|#]+)", re.I)
_BULLET = re.compile(r"^\*+\s*(.*)$", re.M)
_MARKER_PAREN = re.compile(
    r"\(([^()]*\b(?:suspen\w*|frozen|froze|sever(?:ed|ing|s|ance)?|cancel+ed|broken|terminated|cut|ended|"
    r"withdrawn)\b[^()]*)\)",
    re.I,
)
_MARKER_WORDS = re.compile(
    r"\b(suspen\w*|frozen|froze|freez\w*|sever(?:ed|ing|s|ance)?|cancel+ed|broken|broke off|terminated|cut off|"
    r"ended|withdrawn|ruptured)\b",
    re.I,
)


def _greyed(row: _Row, cells: list[_Cell | None]) -> bool:
    """A row greyed out by its own style or its cells' (how some pages mark suspended relations)."""
    attrs = [row.attrs, *(c.attrs for c in cells if c is not None)]
    return any("background" in a and _GREY.search(a) for a in attrs)


def _marker_of(word: str) -> str:
    return "suspended" if word.lower().startswith(("suspen", "froz", "freez")) else "severed"


@dataclass
class _Columns:
    number: int | None = None
    country: int | None = None
    date: int | None = None
    recognition: int | None = None
    from_: int | None = None
    ended: int | None = None
    notes: int | None = None
    recognized_by: int | None = None  # "Recognized by Nicaragua": the page's state recognises the row's
    recognizer: str = ""
    foreign: bool = False  # a column about a third state ("Year recognized the PRC")
    names: list[str] = field(default_factory=list)


def _columns(names: list[str]) -> _Columns:
    cols = _Columns(names=names)
    for i, raw in enumerate(names):
        n = raw.strip().lower()
        if cols.number is None and _NUMBER_HDR.match(n):
            cols.number = i
        elif cols.recognition is None and _RECOG_HDR.match(n):
            cols.recognition = i
        elif cols.recognized_by is None and (by := _RECOG_BY_HDR.match(raw.strip())):
            cols.recognized_by, cols.recognizer = i, by.group(1)
        elif "recogni" in n and not _COUNTRY_HDR.search(n):
            cols.foreign = True
        elif cols.ended is None and _ENDED_HDR.match(n):
            cols.ended = i
        elif cols.from_ is None and _FROM_HDR.match(n):
            cols.from_ = i
        elif cols.country is None and _COUNTRY_HDR.search(n) and "date" not in n and "relations" not in n:
            cols.country = i
        elif cols.notes is None and _NOTES_HDR.search(n):
            cols.notes = i
        elif cols.date is None and _DATE_HDR.search(n) and "mission" not in n and "embass" not in n:
            cols.date = i
    if cols.country is None and names and names[0].strip().lower() in ("", "name", "region"):
        cols.country = 0  # "Region | Formal relations began | Notes" over a column of flags
    return cols


def _table_kind(cols: _Columns, context: str) -> str:
    """list | bilateral | recognition | former | other, from the header and the section heading."""
    first = cols.names[0].strip() if cols.names else ""
    if cols.country is None or _SKIP_SECTION.search(context):
        return "other"
    if _OTHER_FIRST_HDR.match(first) and cols.country != 0:
        return "other"
    if cols.recognition is not None or cols.recognized_by is not None:
        return "recognition"
    if cols.foreign:
        return "other"
    if cols.from_ is not None and cols.ended is not None:
        return "former"
    if cols.date is not None and (cols.number is not None or cols.notes is None):
        return "list"
    if cols.notes is not None or cols.date is not None:
        return "bilateral"
    if _RECOG_SECTION.search(context):
        return "recognition"
    return "other"


def _header_names(header_rows: list[list[_Cell | None]]) -> list[str]:
    width = max((len(r) for r in header_rows), default=0)
    names = []
    for i in range(width):
        parts: list[str] = []
        for r in header_rows:
            c = r[i] if i < len(r) else None
            t = c.cleaned().text if c is not None else ""
            if t and t not in parts:
                parts.append(t)
        names.append(" ".join(parts))
    return names


# ======================================================================================================
# Notes
# ======================================================================================================

_VERB_HINT = re.compile(
    r"sever|suspen|broke|break|restor|establish|resum|froze|frozen|cut|ruptur|cancel|terminat", re.I
)
_RELATIONS_HINT = re.compile(r"relation|ties", re.I)
_GAP_HINT = re.compile(r"\bno\b|\bnot have\b|\bwithout\b|\babsence\b", re.I)
_RELATIONS_ANY = re.compile(r"\b(?:relations?|ties)\b", re.I)
_VERB_PATTERNS = [
    (EventType.RESTORE, r"re-?establish\w*|restor\w*|resum\w*|re-?instat\w*|renew\w*"),
    (
        EventType.SEVER,
        r"sever(?:ed|ing|s|ance)?\b|broke off|break(?:s|ing)? off|broken off|broken|cut (?:off )?|cutting (?:off )?|ruptur\w*|"
        r"terminat\w*|cancel+\w*",
    ),
    (EventType.SUSPEND, r"suspen\w*|froze|frozen|freez\w*"),
    (EventType.ESTABLISH, r"establish\w*|began|begun|started"),
]
_NOTE_VERBS = re.compile("|".join(f"(?P<{t.value}>\\b(?:{p}))" for t, p in _VERB_PATTERNS), re.I)
_RELATIONS_WORD = re.compile(r"\b(?:relations|ties)\b", re.I)
#: "economic relations", "military and political relations": not diplomatic relations
_OTHER_RELATIONS = re.compile(
    r"\b(?:economic|trade|commercial|cultural|military|consular|business|parliamentary|defen[cs]e|security|"
    r"sporting|political|academic|scientific|educational|air|aviation|maritime|banking|sister[- ]city)"
    r"(?:\s+and\s+\w+)?\s+(?:relations|ties)\b",
    re.I,
)
_NEGATION = re.compile(r"\b(?:not|never|no longer|yet to|without|nor)\b[^.;]{0,30}$", re.I)
_PLANNED = re.compile(
    r"\b(?:(?i:plan\w*|intend\w*|intention|agreed to|agree to|will|would|shall|expect\w*|propos\w*|"
    r"consider\w*|aim\w* to|seek\w* to|hope\w* to|threaten\w*)|may|might|could)\b[^.;]{0,40}$"
)
_UNTIL = re.compile(r"\s*(?:to|until|till|[-–—])\s*", re.I)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])|(?<=[.!?][\"'”’)])\s+(?=[A-Z0-9])|\n+")
_NOT_A_VERB = re.compile(r"\b(?:the|a|an|its|their|newly)\s+$", re.I)  # "the restored Republic"
_INFINITIVE = re.compile(r"\bto\s+(?:fully\s+|formally\s+|officially\s+)?$", re.I)  # "moved to establish"

_PREDECESSOR_DATE = re.compile(r"\b\d{3,4}\s*+\((?![^)\d]*+\d)[^)A-Za-z]*+[A-Za-z][^)]*+\)")
_INFORMAL = re.compile(r"\b(?:informal|unofficial|no (?:formal|diplomatic|official)|none)\b", re.I)

_NoteEvent = tuple[EventType, DateReading, "str | None", Modality]

#: "There were no diplomatic relations between the two from 1 January 1959 to 14 February 2024"
_GAP_CLAIM = re.compile(
    r"\b(?:no|not have|did not have|had no|without|absence of)\b[^.;]{0,40}?\b(?:diplomatic\s+)?"
    r"(?:relations?|ties)\b[^.;]{0,120}$",
    re.I,
)
_GAP_OPEN = re.compile(r"\b(?:from|between)\s+(?:the\s+)?$", re.I)
_GAP_SEP = re.compile(r"\s*(?:to|until|till|and|[-–—])\s*", re.I)


def _sentences(text: str) -> Iterator[str]:
    for s in _SENTENCE_SPLIT.split(text):
        s = s.strip(" *#:;-–•\t")
        if len(s) >= 12:
            yield s


def _note_events(
    sentence: str, *, need_relations: bool = True, allow_undated: bool = False
) -> tuple[list[_NoteEvent], list[_Found], set[int]]:
    """The events one sentence states: each relations verb with the date that goes with it.

    A verb takes the first date after it (before the next verb), else the nearest one before it:
    "severed in 1980 and restored in 2016", "On 14 February 2024 the two established relations".
    "broken from 1941 to 1952" also gives the restoration at its end. A verb after "not"/"never" states
    nothing; after "plans to", "agreed to", "will"... it is ``planned``.
    Returns the events, every date in the sentence and the indices of the dates used.
    """
    verbs = []
    for m in _NOTE_VERBS.finditer(sentence):
        if need_relations:
            # "relations" near the verb, or an earlier verb of the sentence about relations ("established
            # relations on 26 July 1963, but severed them in 1974 and re-established them in 1991")
            window = sentence[max(0, m.start() - 60) : m.end() + 60]
            if _OTHER_RELATIONS.search(window) or not (_RELATIONS_WORD.search(window) or verbs):
                continue
        if _NOT_A_VERB.search(sentence, max(0, m.start() - 8), m.start()):
            continue
        verbs.append((m, EventType(m.lastgroup)))  # type: ignore[arg-type]
    if not verbs:
        return _gap_events(sentence) if need_relations else [], [], set()
    dates = _find_dates(sentence)
    used: set[int] = set()
    events: list[_NoteEvent] = []
    for i, (m, etype) in enumerate(verbs):
        before = sentence[max(0, m.start() - 60) : m.start()]
        if _NEGATION.search(before):
            continue
        planned = _PLANNED.search(before) or _INFINITIVE.search(before)
        modality = Modality.PLANNED if planned else Modality.ASSERTED
        nxt = verbs[i + 1][0].start() if i + 1 < len(verbs) else len(sentence)
        prev = verbs[i - 1][0].end() if i else 0
        after = next((j for j, d in enumerate(dates) if m.end() <= d.start < nxt and j not in used), None)
        before_date = next(
            (
                j
                for j in reversed(range(len(dates)))
                if prev <= dates[j].start and dates[j].end <= m.start() and j not in used
            ),
            None,
        )
        # the date right after the verb ("severed in 1980"), else the one before it ("By 1955, the two
        # had cut off relations"), else a later one in the same clause
        gap = dates[after].start - m.end() if after is not None else 10**6
        if gap <= 60:
            pick = after
        elif before_date is not None:
            pick = before_date
        else:
            pick = after if gap <= 120 else None
        if pick is None:
            if allow_undated:
                events.append((etype, DateReading(None), None, modality))
            continue
        used.add(pick)
        d = dates[pick]
        events.append((etype, _reading_at(sentence, d), sentence[d.start : d.end], modality))
        end = pick + 1
        if (
            etype in (EventType.SEVER, EventType.SUSPEND)
            and end < len(dates)
            and end not in used
            and dates[end].start < nxt
            and _UNTIL.fullmatch(sentence[d.end : dates[end].start])
        ):
            used.add(end)
            e = dates[end]
            events.append((EventType.RESTORE, _reading_at(sentence, e), sentence[e.start : e.end], modality))
    return events, dates, used


def _gap_events(sentence: str) -> list[_NoteEvent]:
    """A stretch without relations, "no diplomatic relations ... from D1 to D2": the break at D1 and the
    restoration at D2 (a stretch "from D1" without an end gives the break alone)."""
    dates = _find_dates(sentence)
    for i, d in enumerate(dates):
        head = sentence[: d.start]
        if not (_GAP_OPEN.search(head) and _GAP_CLAIM.search(head)):
            continue
        if _OTHER_RELATIONS.search(head[-160:]):
            return []
        out: list[_NoteEvent] = [(EventType.SEVER, _reading_at(sentence, d), sentence[d.start : d.end],
                                  Modality.ASSERTED)]  # fmt: skip
        if i + 1 < len(dates) and _GAP_SEP.fullmatch(sentence[d.end : dates[i + 1].start]):
            e = dates[i + 1]
            out.append(
                (EventType.RESTORE, _reading_at(sentence, e), sentence[e.start : e.end], Modality.ASSERTED)
            )
        return out
    return []


# ======================================================================================================
# Page parsing
# ======================================================================================================


def _owner_name(title: str) -> str:
    name = title.strip().removeprefix(TITLE_PREFIX)
    return re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()


def page_url(title: str) -> str:
    return "https://en.wikipedia.org/wiki/" + quote(title.replace(" ", "_"), safe="_(),'-.!~*:")


def _trim(text: str, limit: int = _RAW_LIMIT) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _PageParser:
    """Reads the tables of one page about ``owner``."""

    def __init__(self, text: str, resolver: _Resolver, owner: State) -> None:
        self.text = text
        self.masked = _mask(text)
        self.resolver = resolver
        self.owner = owner
        self.assertions: list[Assertion] = []
        self.problems: list[dict] = []
        self.rows_by_kind: dict[str, int] = {}
        self.headings = [
            (m.start(), len(m.group(1)), clean(m.group(2)).text) for m in _HEADING.finditer(self.masked)
        ]

    # -- helpers -----------------------------------------------------------------------------------
    def section_at(self, pos: int) -> str:
        section = ""
        for start, _level, name in self.headings:
            if start > pos:
                break
            section = name
        return section

    def problem(self, kind: str, message: str, start: int, end: int, section: str) -> None:
        self.problems.append(
            {"kind": kind, "message": message, "raw": _trim(self.text[start:end]), "section": section}
        )

    def add(
        self,
        etype: EventType,
        a: str,
        b: str,
        reading: DateReading | None,
        date_text: str | None,
        *,
        evidence: str,
        span: tuple[int, int] | None,
        extractor: str,
        detail: dict,
        confidence: float = 1.0,
        modality: Modality = Modality.ASSERTED,
    ) -> None:
        if a == b:
            return
        qualifier = reading.qualifier if reading else None
        self.assertions.append(
            Assertion(
                type=etype,
                a=a,
                b=b,
                date=reading.date if reading else None,
                modality=modality,
                evidence=evidence,
                span=span,
                date_text=date_text,
                extractor=extractor,
                extractor_version=EXTRACTOR_VERSION,
                confidence=round(confidence * _QUALIFIER_CONFIDENCE.get(qualifier, 0.5), 3),
                detail=detail,
            )
        )

    def partners(self, cell: _Cell | None, row: _Row, section: str) -> list[State]:
        """The states a country cell names (usually one), or none after recording why not.

        ``{{flag|Cook Islands}} and {{flag|Niue}}`` names two partners; ``{{flag|Burkina Faso}} (formerly
        {{flag|Upper Volta}})`` names one.
        """
        if cell is None:
            self.problem("malformed_row", "the row has no country cell", row.start, row.end, section)
            return []
        c = cell.cleaned()
        # the flag template's country, the name it shows, a link's target and label, the plain text
        names: list[str] = []
        if c.flags:
            names += [_FLAG_NAMES.get(c.flags[0][0].strip(), c.flags[0][0]), c.flags[0][1]]
        if c.links:
            names += [c.links[0][0], c.links[0][1]]
        plain = _MARKER_PAREN.sub("", c.text).strip(" *†‡")
        if plain and not c.flags:
            names.append(plain)
        names = [n for n in dict.fromkeys(n.strip() for n in names) if n]
        if not names:
            self.problem("malformed_row", "the country cell is empty", row.start, row.end, section)
            return []
        res = self.resolver.resolve(names[0])
        for other in names[1:]:
            if res.state is not None:
                break
            alt = self.resolver.resolve(other)
            if alt.state is not None:
                res = alt
        if res.state is None:
            if not c.flags and not c.links and _DATE_RX.search(plain):
                self.problem(
                    "malformed_row", f"no country in the row, only {plain!r}", row.start, row.end, section
                )
            else:
                self.problem(res.kind or "unknown_state", res.message or "", row.start, row.end, section)
            return []
        if res.state.code == self.owner.code:
            self.problem(
                "self_reference",
                f"the row names the page's own state, {res.state.name}",
                row.start,
                row.end,
                section,
            )
            return []
        return [res.state, *self.more_partners(cell, c, res.state, row, section)]

    def more_partners(self, cell: _Cell, c: _Clean, first: State, row: _Row, section: str) -> list[State]:
        """Further flags of one cell that stand beside the first, not in a "(formerly ...)" aside."""
        if len(c.flags) < 2:
            return []
        starts = [m.start() for m in _FLAG_START.finditer(cell.text)]
        out: list[State] = []
        for i, (name, _shown) in enumerate(c.flags[1:], 1):
            between = cell.text[starts[i - 1] : starts[i]] if len(starts) == len(c.flags) else "("
            if "(" in between or re.search(r"\b(?:formerly|now|as|then)\b", between):
                continue
            res = self.resolver.resolve(_FLAG_NAMES.get(name.strip(), name))
            state = res.state
            if state is None:
                self.problem(res.kind or "unknown_state", res.message or "", row.start, row.end, section)
            elif state.code != self.owner.code and state.code not in self.resolver.related(first.code) | {
                s.code for s in out
            }:
                out.append(state)
        return out

    # -- the page ------------------------------------------------------------------------------------
    def run(self) -> None:
        for start, end in _find_tables(self.masked):
            rows, caption = _parse_rows(self.masked, start, end)
            self.read_table(rows, self.section_at(start), clean(caption).text)
        self.read_withdrawn_bullets()

    def read_table(self, rows: list[_Row], section: str, caption: str) -> None:
        header_rows: list[list[_Cell | None]] = []
        cols = _Columns()
        kind = "other"
        position = 0
        after_data = False
        periods: dict[str, int] = {}
        last_state: list[State | None] = [None]
        for row, cells in _grid(rows):
            if row.is_header:
                if after_data:  # a new header further down starts a new layout
                    header_rows, after_data = [], False
                header_rows.append(cells)
                continue
            if not after_data and header_rows:
                # The layout of the header rows above, read once at the first data row below them (read
                # at every header row, a table of 70,000 header rows took minutes).
                cols = _columns(_header_names(header_rows))
                kind = _table_kind(cols, f"{section} {caption}")
                # "Recognized by Nicaragua" is read on Nicaragua's page only
                by_other = (
                    cols.recognized_by is not None
                    and self.resolver.resolve(cols.recognizer).state != self.owner
                )
                if kind == "recognition" and cols.recognition is None and by_other:
                    kind = "other"
            after_data = True
            if kind == "other" or all(c is None or c.carried or not c.text.strip() for c in cells):
                continue
            self.rows_by_kind[kind] = self.rows_by_kind.get(kind, 0) + 1
            if kind == "list":
                position += 1
                self.list_row(row, cells, cols, section, position)
            elif kind == "bilateral":
                self.bilateral_row(row, cells, cols, section)
            elif kind == "recognition":
                self.recognition_row(row, cells, cols, section)
            else:
                self.former_row(row, cells, cols, section, periods, last_state)

    # -- list rows -------------------------------------------------------------------------------------
    def list_row(
        self, row: _Row, cells: list[_Cell | None], cols: _Columns, section: str, position: int
    ) -> None:
        def get(i: int | None) -> _Cell | None:
            return cells[i] if i is not None and i < len(cells) else None

        owner = self.owner.code
        states = self.partners(get(cols.country), row, section)
        if not states:
            return
        number_cell, date_cell, notes_cell = get(cols.number), get(cols.date), get(cols.notes)
        number = (number_cell.cleaned().text or None) if number_cell is not None else None
        date_text = date_cell.cleaned().text if date_cell is not None else ""
        reading = parse_date(date_text)
        notes = notes_cell.cleaned().text if notes_cell is not None else ""
        country_text = get(cols.country).cleaned().text  # type: ignore[union-attr]
        # marked: "(suspended)" by the name, a grey row, or a table of former relations
        marker, marker_reading, marker_text = None, None, None
        m = _MARKER_PAREN.search(country_text)
        if m:
            marker = _marker_of(_MARKER_WORDS.search(m.group(1)).group(1))  # type: ignore[union-attr]
            if _DATE_RX.search(m.group(1)):
                marker_reading, marker_text = parse_date(m.group(1)), m.group(1).strip()
        elif _greyed(row, cells):
            words = _MARKER_WORDS.findall(notes)  # the last one says how things stand
            marker = _marker_of(words[-1]) if words else "suspended"
        elif _FORMER_SECTION.search(section):
            words = _MARKER_WORDS.findall(notes)
            marker = _marker_of(words[-1]) if words else "severed"
        evidence = _trim(
            " | ".join(_trim(t, 100) for c in cells if c is not None and (t := c.cleaned().text))
        )
        detail = {
            "table": "list",
            "position": position,
            "number": number,
            "section": section,
            "marker": marker,
            "qualifier": reading.qualifier,
        }
        span = (row.start, row.end)
        if reading.problem:
            self.problem(reading.problem, reading.message or "", row.start, row.end, section)
        for state in states:
            self.add(
                EventType.ESTABLISH,
                owner,
                state.code,
                reading,
                date_text or None,
                evidence=evidence,
                span=span,
                extractor="wikipedia-list",
                detail=dict(detail),
            )
            if marker:
                etype = EventType.SUSPEND if marker == "suspended" else EventType.SEVER
                qualifier = marker_reading.qualifier if marker_reading else None
                self.add(
                    etype,
                    owner,
                    state.code,
                    marker_reading,
                    marker_text,
                    evidence=evidence,
                    span=span,
                    extractor="wikipedia-list",
                    detail=dict(detail, qualifier=qualifier),
                )
            if notes_cell is not None and not notes_cell.carried:
                self.notes(notes_cell, state.code, section, "list")

    # -- bilateral rows ----------------------------------------------------------------------------------
    def bilateral_row(self, row: _Row, cells: list[_Cell | None], cols: _Columns, section: str) -> None:
        def get(i: int | None) -> _Cell | None:
            return cells[i] if i is not None and i < len(cells) else None

        ccell = get(cols.country)
        if ccell is None or ccell.carried or not ccell.text.strip():
            return  # the rest of a rowspan: nothing new about a pair
        date_cell, notes_cell = get(cols.date), get(cols.notes)
        for state in self.partners(ccell, row, section):
            if date_cell is not None and not date_cell.carried:
                self.bilateral_date(date_cell, ccell, state, cols, row, section)
            if notes_cell is not None and not notes_cell.carried:
                self.notes(notes_cell, state.code, section, "bilateral")

    def bilateral_date(
        self, cell: _Cell, ccell: _Cell, state: State, cols: _Columns, row: _Row, section: str
    ) -> None:
        text = cell.cleaned().text
        if not text:
            return
        label = (cols.names[cols.date] if cols.date is not None else "").strip() or "Date"
        evidence = _trim(f"{ccell.cleaned().text} | {label}: {text}")
        events: list[_NoteEvent] = []
        # "1226 (Goryeo) 22 December 1992": a date that names a predecessor polity is not these states'
        # relations; the date that follows it is.
        modern = _PREDECESSOR_DATE.sub("", text).strip(" ;,")
        if modern and modern != text and _DATE_RX.search(modern):
            text = modern
        if _INFORMAL.search(text):
            self.problem(
                "no_formal_relations",
                f"the date column says there are no formal relations: {text!r}",
                row.start,
                row.end,
                section,
            )
            return
        if _NOTE_VERBS.search(text):  # "1 August 1974, severed 23 July 1980, restored 17 May 1984"
            events = self.date_cell_events(text, row, section)
        elif re.search(r"recogni", text, re.I) and _DATE_RX.search(text):
            self.problem(
                "recognition_date",
                f"the date column gives a recognition, not relations: {text!r}",
                row.start,
                row.end,
                section,
            )
        elif ";" in text and all(parse_date(part).date for part in text.split(";") if part.strip()):
            # "1902; 2015": relations began, broke off, and began again: the later dates are restorations
            parts = [part.strip() for part in text.split(";") if part.strip()]
            for i, part in enumerate(parts):
                etype = EventType.ESTABLISH if i == 0 else EventType.RESTORE
                events.append((etype, parse_date(part), part, Modality.ASSERTED))
        else:
            reading = parse_date(text)
            if reading.problem:
                self.problem(reading.problem, reading.message or "", row.start, row.end, section)
            if reading.date is not None:
                events.append((EventType.ESTABLISH, reading, text, Modality.ASSERTED))
        for etype, reading, phrase, modality in events:
            self.add(
                etype,
                self.owner.code,
                state.code,
                reading,
                phrase,
                evidence=evidence,
                span=(cell.start, cell.end),
                extractor="wikipedia-bilateral",
                modality=modality,
                detail={"table": "bilateral", "section": section, "qualifier": reading.qualifier},
            )

    def date_cell_events(self, text: str, row: _Row, section: str) -> list[_NoteEvent]:
        """The events of a date cell that tells a story: each verb with its date, and a leading date
        before any verb as the establishment."""
        verb = _NOTE_VERBS.search(text)
        events, dates, used = _note_events(text, need_relations=False, allow_undated=True)
        if verb and dates and 0 not in used and dates[0].end <= verb.start():
            first = dates[0]
            phrase = text[first.start : first.end]
            events.insert(0, (EventType.ESTABLISH, _reading_at(text, first), phrase, Modality.ASSERTED))
        for d in dates:
            if d.problem:
                self.problem(d.problem, d.message or "", row.start, row.end, section)
        return events

    # -- recognition rows --------------------------------------------------------------------------------
    def recognition_row(self, row: _Row, cells: list[_Cell | None], cols: _Columns, section: str) -> None:
        def get(i: int | None) -> _Cell | None:
            return cells[i] if i is not None and i < len(cells) else None

        ccell = get(cols.country)
        if ccell is None or ccell.carried or not ccell.text.strip():
            return
        for state in self.partners(ccell, row, section):
            self.recognition_pair(state, ccell, cells, cols, row, section)

    def recognition_pair(
        self, state: State, ccell: _Cell, cells: list[_Cell | None], cols: _Columns, row: _Row, section: str
    ) -> None:
        def get(i: int | None) -> _Cell | None:
            return cells[i] if i is not None and i < len(cells) else None

        owner = self.owner.code
        name = ccell.cleaned().text or state.name
        span = (row.start, row.end)
        base = {"table": "recognition", "section": section, "qualifier": None}

        def emit(
            etype: EventType, a: str, b: str, reading: DateReading | None, text: str | None, evidence: str
        ) -> None:
            self.add(
                etype,
                a,
                b,
                reading,
                text,
                evidence=_trim(evidence),
                span=span,
                extractor="wikipedia-recognition",
                detail=dict(base, qualifier=reading.qualifier if reading else None),
            )

        rcell = get(cols.recognition)
        bycell = get(cols.recognized_by)
        if bycell is not None:  # "Recognized by Nicaragua": Yes, No, a date
            text = bycell.cleaned().text
            reading = parse_date(text)
            if _NOTE_VERBS.search(text):  # "Diplomatic relations severed in 2021"
                for etype, when, phrase, modality in self.date_cell_events(text, row, section):
                    self.add(
                        etype,
                        owner,
                        state.code,
                        when,
                        phrase,
                        evidence=_trim(f"{name} | {text}"),
                        span=span,
                        extractor="wikipedia-recognition",
                        modality=modality,
                        detail=dict(base, qualifier=when.qualifier),
                    )
            elif reading.date is not None or re.match(r"yes\b", text, re.I):
                emit(
                    EventType.RECOGNIZE,
                    owner,
                    state.code,
                    reading,
                    text or None,
                    f"{name} | recognised: {text}",
                )
            elif reading.problem and not re.match(r"no\b", text, re.I):
                self.problem(reading.problem, reading.message or "", row.start, row.end, section)
        elif rcell is None:  # a list of recognisers without dates (Kosovo)
            emit(EventType.RECOGNIZE, state.code, owner, None, None, name)
        else:
            text = rcell.cleaned().text
            reading = parse_date(text)
            if reading.problem:
                self.problem(reading.problem, reading.message or "", row.start, row.end, section)
            evidence = f"{name} | recognised: {text}"
            if reading.date is not None and reading.qualifier == "range" and reading.end is not None:
                # "19 September 2011–31 March 2014": recognised, then withdrawn
                emit(EventType.RECOGNIZE, state.code, owner, DateReading(reading.date), text, evidence)
                emit(
                    EventType.WITHDRAW_RECOGNITION,
                    state.code,
                    owner,
                    DateReading(reading.end),
                    text,
                    evidence,
                )
            elif reading.date is not None:
                emit(EventType.RECOGNIZE, state.code, owner, reading, text, evidence)
            elif re.search(r"withdr|revok|retract", text, re.I):
                emit(EventType.WITHDRAW_RECOGNITION, state.code, owner, None, text, evidence)
        for idx, etype, label in (
            (cols.date, EventType.ESTABLISH, "relations established"),
            (cols.ended, EventType.SEVER, "relations ended"),
        ):
            c = get(idx)
            if c is None or c.carried:
                continue
            text = c.cleaned().text
            reading = parse_date(text)
            if reading.problem:
                self.problem(reading.problem, reading.message or "", row.start, row.end, section)
            if reading.date is not None:
                emit(etype, owner, state.code, reading, text, f"{name} | {label}: {text}")
        notes_cell = get(cols.notes)
        if notes_cell is not None and not notes_cell.carried:
            self.notes(notes_cell, state.code, section, "recognition")

    # -- former relations (From / To) ------------------------------------------------------------------
    def former_row(
        self,
        row: _Row,
        cells: list[_Cell | None],
        cols: _Columns,
        section: str,
        periods: dict[str, int],
        last_state: list[State | None],
    ) -> None:
        def get(i: int | None) -> _Cell | None:
            return cells[i] if i is not None and i < len(cells) else None

        ccell = get(cols.country)
        if ccell is None:
            self.problem("malformed_row", "the row has no country cell", row.start, row.end, section)
            return
        state = last_state[0] if ccell.carried else next(iter(self.partners(ccell, row, section)), None)
        last_state[0] = state
        if state is None:
            return
        period = periods.get(state.code, 0) + 1
        periods[state.code] = period
        frm, to = get(cols.from_), get(cols.ended)
        frm_text = frm.cleaned().text if frm is not None else ""
        to_text = to.cleaned().text if to is not None else ""
        evidence = _trim(f"{ccell.cleaned().text} | {frm_text} | {to_text}")
        for text, etype in (
            (frm_text, EventType.RESTORE if period > 1 else EventType.ESTABLISH),
            (to_text, EventType.SEVER),
        ):
            reading = parse_date(text)
            if reading.problem:
                self.problem(reading.problem, reading.message or "", row.start, row.end, section)
            if reading.date is None:
                continue
            self.add(
                etype,
                self.owner.code,
                state.code,
                reading,
                text,
                evidence=evidence,
                span=(row.start, row.end),
                extractor="wikipedia-former",
                detail={
                    "table": "former",
                    "section": section,
                    "period": period,
                    "qualifier": reading.qualifier,
                },
            )

    # -- "States that have withdrawn recognition" bullet lists --------------------------------------------
    def read_withdrawn_bullets(self) -> None:
        for i, (start, level, name) in enumerate(self.headings):
            if not _WITHDRAWN_SECTION.search(name):
                continue
            end = next((s for s, lv, _n in self.headings[i + 1 :] if lv <= level), len(self.masked))
            for m in _BULLET.finditer(self.masked, start, end):
                c = clean(m.group(1))
                if not c.flags and not c.links:
                    continue
                res = self.resolver.resolve(c.flags[0][0] if c.flags else c.links[0][0])
                if res.state is None:
                    self.problem(res.kind or "unknown_state", res.message or "", m.start(), m.end(), name)
                    continue
                dates = _find_dates(c.text)  # "Vanuatu - June 2011, repeated in March 2013"
                reading = _reading_at(c.text, dates[0]) if dates else None
                phrase = c.text[dates[0].start : dates[0].end] if dates else None
                if reading is not None and reading.problem:
                    self.problem(reading.problem, reading.message or "", m.start(), m.end(), name)
                self.add(
                    EventType.WITHDRAW_RECOGNITION,
                    res.state.code,
                    self.owner.code,
                    reading,
                    phrase,
                    evidence=_trim(c.text),
                    span=(m.start(), m.end()),
                    extractor="wikipedia-recognition",
                    detail={
                        "table": "withdrawn",
                        "section": name,
                        "qualifier": reading.qualifier if reading else None,
                    },
                )

    # -- notes -----------------------------------------------------------------------------------------
    def notes(self, cell: _Cell, partner: str, section: str, table: str) -> None:
        """Dated relations events in a notes cell, for the row's pair only; ``span`` is the cell's."""
        raw = cell.text
        if not (_VERB_HINT.search(raw) or _GAP_HINT.search(raw)) or not _RELATIONS_HINT.search(raw):
            return
        text = clean(raw, keep_lines=True).text
        allowed = self.resolver.related(self.owner.code) | self.resolver.related(partner)
        for sentence in _sentences(text):
            if not (_NOTE_VERBS.search(sentence) or _GAP_HINT.search(sentence)):
                continue
            if not _RELATIONS_ANY.search(sentence):
                continue
            events = _note_events(sentence)[0]
            if not events or self.resolver.mentioned(sentence) - allowed:
                continue  # nothing dated, or about a third state
            for etype, reading, phrase, modality in events:
                self.add(
                    etype,
                    self.owner.code,
                    partner,
                    reading,
                    phrase,
                    evidence=_trim(sentence, 500),
                    span=(cell.start, cell.end),
                    extractor="wikipedia-notes",
                    confidence=_NOTES_CONFIDENCE,
                    modality=modality,
                    detail={"table": table, "section": section, "qualifier": reading.qualifier},
                )


# ======================================================================================================
# Public API
# ======================================================================================================

_RESOLVERS: dict[int, _Resolver] = {}


def _resolver_for(reg: Registry | None) -> _Resolver:
    reg = reg if reg is not None else default_registry()
    hit = _RESOLVERS.get(id(reg))
    if hit is None or hit.reg is not reg:
        hit = _RESOLVERS[id(reg)] = _Resolver(reg)
    return hit


def _source(title: str, text: str, retrieved: date | None) -> Source:
    return Source(
        kind="wikipedia",
        title=title,
        content_hash=content_hash(text),
        url=page_url(title),
        outlet="Wikipedia",
        retrieved=retrieved,
        licence=LICENCE,
        attribution=f'Wikipedia contributors, "{title}", English Wikipedia',
    )


def _page_problem(kind: str, message: str, raw: str = "") -> dict:
    return {"kind": kind, "message": message, "raw": _trim(raw), "section": ""}


def parse_page(
    title: str, text: str, *, retrieved: date | None = None, registry: Registry | None = None
) -> Document:
    """Read one page's wikitext into a :class:`Document` with its assertions and problems.

    ``title`` is the page title ("Foreign relations of South Korea"); the owner state is resolved from
    it. A page without a list table gives a Document with a ``no_list_table`` problem (and whatever its
    other tables say). Raises :class:`WikitextError` for empty or binary text, for a text longer than
    Wikipedia allows (:data:`MAX_PAGE_CHARS`), and for a title that
    names no known state unless the page is a disambiguation page. ``registry`` defaults to
    :func:`comity.states.registry`.
    """
    if not text or not text.strip():
        raise WikitextError("the page is empty", title=title)
    if "\x00" in text:
        raise WikitextError("the page holds NUL bytes: binary data, not wikitext", title=title)
    if len(text) > MAX_PAGE_CHARS:
        raise WikitextError(
            f"the page is too long ({len(text):,} characters > {MAX_PAGE_CHARS:,}, Wikipedia's limit)",
            title=title,
        )
    text = text.removeprefix("\ufeff")
    resolver = _resolver_for(registry)
    doc = Document(source=_source(title, text, retrieved))
    redirect = _REDIRECT.match(text)
    if redirect:
        doc.problems.append(
            _page_problem("redirect", f"the page redirects to {redirect.group(1).strip()!r}", text)
        )
        return doc
    owner = resolver.resolve(_owner_name(title))
    if owner.state is None:
        if _DISAMBIG.search(text):
            doc.problems.append(
                _page_problem(
                    "no_list_table", "a disambiguation page: no owner state and no list of relations"
                )
            )
            return doc
        raise WikitextError(f"no recognisable owner state in the title ({owner.message})", title=title)
    doc.subject = owner.state.code
    parser = _PageParser(text, resolver, owner.state)
    parser.run()
    doc.assertions = parser.assertions
    doc.problems = parser.problems
    if not parser.rows_by_kind.get("list"):
        found = (
            ", ".join(f"{n} {k} rows" for k, n in sorted(parser.rows_by_kind.items())) or "no readable table"
        )
        doc.problems.append(
            _page_problem(
                "no_list_table", f"the page has no list table of diplomatic relations (read: {found})"
            )
        )
    return doc


def title_from_path(path: Path) -> str:
    """The page title a file holds: its name minus ``.wikitext``; ``X _country_`` stands for ``X (country)``."""
    stem = path.name.removesuffix(".wikitext").removesuffix(".wiki")
    return re.sub(r" _([^_]+)_$", r" (\1)", stem)


def _decode(data: bytes, *, path: Path | str | None = None, title: str | None = None) -> str:
    if not data.strip():
        raise WikitextError("the file is empty" if path else "the page is empty", path=path, title=title)
    if b"\x00" in data:
        raise WikitextError("NUL bytes: binary data, not wikitext", path=path, title=title)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise WikitextError(
            f"not UTF-8 text ({e.reason} at byte {e.start})", path=path, title=title
        ) from None


def read_files(
    paths: Iterable[Path | str], *, retrieved: date | None = None, registry: Registry | None = None
) -> Iterator[Document]:
    """Documents of ``.wikitext`` files, one per file; a folder stands for all ``*.wikitext`` in it.

    ``retrieved`` is the day the pages were read from Wikipedia, when known: undated statements on them
    ("relations suspended") are taken to hold by then.

    The page title is the file name minus ``.wikitext``. Raises :class:`WikitextError` naming the file
    for a missing, empty or binary file and for a page with no recognisable owner state.
    """
    for p in paths:
        p = Path(p)
        files = sorted([*p.glob("*.wikitext"), *p.glob("*.wiki")]) if p.is_dir() else [p]
        for f in files:
            try:
                if f.stat().st_size > 4 * MAX_PAGE_CHARS:  # more bytes than any page of MAX_PAGE_CHARS
                    raise WikitextError(
                        f"the file is too large ({f.stat().st_size:,} bytes) for a page", path=f
                    )
                data = f.read_bytes()
            except OSError as e:
                raise WikitextError(f"cannot read the file ({e.strerror or e})", path=f) from e
            text = _decode(data, path=f)
            try:
                doc = parse_page(title_from_path(f), text, retrieved=retrieved, registry=registry)
            except WikitextError as e:
                raise WikitextError(e.reason, path=f, title=e.title) from e
            yield doc


def fetch_live(
    titles: Iterable[str],
    *,
    endpoint: str = "https://en.wikipedia.org/w/index.php",
    session: requests.Session | None = None,
    timeout: float = 30,
    registry: Registry | None = None,
) -> Iterator[Document]:
    """Fetch pages as raw wikitext (``endpoint?title=<title>&action=raw``) and read them.

    Sends a descriptive User-Agent; follows one ``#REDIRECT`` per title; the Documents carry today's
    date as ``retrieved``. Network and HTTP errors raise :class:`WikitextError` naming the title.
    """
    own = session is None
    s = session if session is not None else requests.Session()
    try:
        for title in titles:
            text = _fetch(s, endpoint, title, timeout)
            redirect = _REDIRECT.match(text)
            if redirect:
                title = redirect.group(1).strip()
                text = _fetch(s, endpoint, title, timeout)
            yield parse_page(title, text, retrieved=date.today(), registry=registry)
    finally:
        if own:
            s.close()


def _fetch(session: requests.Session, endpoint: str, title: str, timeout: float) -> str:
    try:
        resp = session.get(
            endpoint,
            params={"title": title, "action": "raw"},
            headers={"User-Agent": USER_AGENT},
            timeout=timeout,
        )
    except requests.RequestException as e:
        raise WikitextError(f"cannot fetch the page: {e}", title=title) from e
    if resp.status_code != 200:
        raise WikitextError(
            f"HTTP {resp.status_code} {resp.reason or ''} from {resp.url}".rstrip(), title=title
        )
    return _decode(resp.content, title=title)
