"""Check an article's claims about diplomatic relations against the record.

Stories about relations are full of checkable claims ("the 193rd country", "the only UN member state
without ties", "relations since 1960", "relations with 191 countries"), and many of them are true only
under a counting convention the story does not state. :func:`check_article` finds each claim, checks it
against the record as of the article's date and explains the verdict in one line::

    >>> result = check_article(record, text, published=date(2024, 2, 15))
    >>> for c in result.claims:
    ...     print(c.verdict, c.kind, c.explanation)

Claim kinds:

- ``ordinal``: "the 193rd country with which South Korea has established relations": the partner's
  rank counting all partners and counting UN members only (:meth:`Record.rank`);
- ``exclusivity``: "the only UN member without ties with Seoul", "one of only two countries ...",
  "relations with every UN member except Syria": the states without relations
  (:meth:`Record.missing`), with the pairs that are not foreign to each other (the two Koreas) named;
- ``count``: "relations with 191 countries", "190 of the 193 UN member states": the number of
  partners counting all partners and counting UN members only (:meth:`Record.partners`);
- ``dated``: "recognized South Korea in 1949", "close relations with North Korea since 1960",
  "established in 1992": against the pair's events (:meth:`Record.timeline`, :meth:`Record.status`);
- ``news``: the article's own news, read by :func:`comity.extract.extract`: already in the record
  (from which sources) or new to it.

Verdicts: ``supported``, ``contradicted``, ``depends`` (true under a named convention or source, false
under another) and ``unverifiable`` (the record does not know). A claim the record cannot confirm is
never ``supported``: a date the record holds only to the year does not support a claim to the day.

States are found with the extractor's gazetteer and reference resolution
(:mod:`comity.extract.actors`), so "Seoul", "Havana", "the two countries" and "it" count as states.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from .merge import day_key
from .query import Record
from .states import registry
from .vocab import PartialDate, Precision

Verdict = Literal["supported", "contradicted", "depends", "unverifiable"]
Kind = Literal["ordinal", "exclusivity", "count", "dated", "news"]

KINDS: tuple[str, ...] = ("ordinal", "exclusivity", "count", "dated", "news")
VERDICTS: tuple[str, ...] = ("supported", "contradicted", "depends", "unverifiable")

#: An event the article reports that the record dates within this many days counts as the same event
#: when the article's date for it is only its publication day (no date phrase of its own).
NEWS_TOLERANCE_DAYS = 7
#: An event dated more than this many days before the article is background, not the article's news.
NEWS_AGE_DAYS = 366
#: At most this many states are given as evidence of an exclusivity claim (the rest are counted).
MAX_EVIDENCE = 25


# -- results ------------------------------------------------------------------------------------------


@dataclass
class Evidence:
    """One fact of the record a verdict rests on, with its sources (title, url, kind)."""

    fact: str
    state: str | None = None
    date: str | None = None
    sources: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"fact": self.fact, "state": self.state, "date": self.date, "sources": list(self.sources)}


@dataclass
class Claim:
    """A checkable statement of the article and its verdict.

    ``text`` is the sentence that makes the claim and ``span`` its (start, end) offsets in the article
    text; a claim in the title has ``span=None`` and ``where="title"``. ``phrase`` is the words that make
    the claim.
    """

    text: str
    span: tuple[int, int] | None
    kind: str
    verdict: str
    explanation: str
    evidence: list[Evidence] = field(default_factory=list)
    phrase: str = ""
    states: list[str] = field(default_factory=list)
    where: str = "body"

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "span": list(self.span) if self.span else None,
            "kind": self.kind,
            "verdict": self.verdict,
            "explanation": self.explanation,
            "evidence": [e.to_dict() for e in self.evidence],
            "phrase": self.phrase,
            "states": list(self.states),
            "where": self.where,
        }


@dataclass
class CheckResult:
    """The claims of one article, checked as of ``as_of`` (``as_of_from`` says where that day came
    from: ``published`` (given), ``text`` (a dateline in the article) or ``today``)."""

    as_of: str
    as_of_from: str
    claims: list[Claim] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def by_kind(self, kind: str) -> list[Claim]:
        return [c for c in self.claims if c.kind == kind]

    def summary(self) -> dict[str, int]:
        return {v: sum(1 for c in self.claims if c.verdict == v) for v in VERDICTS}

    def to_dict(self) -> dict:
        return {
            "as_of": self.as_of,
            "as_of_from": self.as_of_from,
            "summary": self.summary(),
            "claims": [c.to_dict() for c in self.claims],
            "notes": list(self.notes),
        }


# -- numbers -----------------------------------------------------------------------------------------

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_ORD_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
}  # fmt: skip
_ORD_TENS = {
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
    "eightieth": 80, "ninetieth": 90,
}  # fmt: skip
_CARD_WORD = "|".join(sorted([*_UNITS, *_TENS, "hundred"], key=len, reverse=True))
_ORD_WORD = "|".join(sorted([*_ORD_UNITS, *_ORD_TENS, "hundredth"], key=len, reverse=True))
_SEP = r"(?:[\s-]+(?:and[\s-]+)?)"
#: "193rd", "one hundred ninety-third", "third"
ORDINAL = rf"(?:\d{{1,3}}(?:st|nd|rd|th|d)\b|(?:(?:{_CARD_WORD}){_SEP})*(?:{_ORD_WORD})\b)"
#: "191", "one hundred and ninety-one", "two"
CARDINAL = rf"(?:\d{{1,3}}(?![\d,.]\d)\b|(?:(?:{_CARD_WORD}){_SEP})*(?:{_CARD_WORD})\b)"


def parse_number(text: str) -> int | None:
    """The value of a cardinal or ordinal in digits or words ("193rd", "one hundred ninety-third")."""
    t = text.strip().lower()
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th|d)?", t)
    if m:
        return int(m.group(1))
    total = 0
    current = 0
    seen = False
    for w in re.split(r"[\s-]+", t):
        if not w or w == "and":
            continue
        if w in _UNITS or w in _ORD_UNITS:
            current += _UNITS.get(w, _ORD_UNITS.get(w, 0))
        elif w in _TENS or w in _ORD_TENS:
            current += _TENS.get(w, _ORD_TENS.get(w, 0))
        elif w in ("hundred", "hundredth"):
            current = (current or 1) * 100
        else:
            return None
        seen = True
    return total + current if seen else None


def ordinal_word(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# -- the text and the states it names ----------------------------------------------------------------


@dataclass
class _Sentence:
    start: int
    end: int
    text: str


@dataclass
class _Actor:
    start: int
    end: int
    codes: tuple[str, ...]
    surface: str
    possessive: bool
    kind: str


class _Text:
    """The article (title first, as the extractor reads it), its sentences and the states it names."""

    def __init__(self, text: str, title: str | None) -> None:
        from .extract.actors import disambiguate, resolve_references, salience, scan
        from .extract.lexicon import lexicon, normalize_text
        from .extract.pipeline import Analysis

        self.body_offset = 0
        if title and title.strip():
            title = " ".join(title.split())
            self.body_offset = len(title) + 2
            text = title + "\n\n" + text
        self.text = text
        self.norm = normalize_text(text)
        lex = lexicon()
        doc = lex.nlp(self.norm)
        doc._.offset = 0
        an = Analysis(text=text, norm=self.norm)
        an.docs = [doc]
        an.mentions = scan(lex, an)
        disambiguate(an.mentions)
        an.mentions = [m for m in an.mentions if m.codes or m.kind == "ref"]
        an.salience = salience(an.mentions)
        resolve_references(an)
        self.salience = an.salience
        self.actors = [
            _Actor(
                m.start,
                m.end,
                tuple(m.codes),
                m.surface,
                m.possessive or m.surface.lower() in ("its", "their"),
                m.kind,
            )
            for m in an.mentions
            if m.codes
        ]
        self.sentences = []
        for s in doc.sents:
            txt = s.text
            lead = len(txt) - len(txt.lstrip())
            body = txt.strip()
            if body:
                start = s.start_char + lead
                self.sentences.append(
                    _Sentence(start, start + len(body), self.norm[start : start + len(body)])
                )

    def actors_in(self, start: int, end: int) -> list[_Actor]:
        return [a for a in self.actors if start <= a.start and a.end <= end]

    def span(self, start: int, end: int) -> tuple[tuple[int, int] | None, str]:
        """Offsets in the article text (None for the title) and where the claim is."""
        if start < self.body_offset:
            return None, "title"
        return (start - self.body_offset, end - self.body_offset), "body"

    def main_state(self) -> str | None:
        if not self.salience:
            return None
        return max(self.salience, key=lambda c: self.salience[c])


# -- vocabulary of claims ---------------------------------------------------------------------------

_UN = r"(?:U\.?\s?N\.?|United\s+Nations)"
#: Singular nouns of an ordinal or "the only ..." claim, with the counting they imply ("un" or None).
_NOUN_SG = (
    rf"(?P<un>{_UN}\s+member(?:\s+(?:state|country|nation))?|member\s+(?:state|country|nation)\s+of\s+the\s+{_UN}"
    rf"|member\s+of\s+the\s+{_UN})"
    r"|(?:(?:sovereign|independent|foreign)\s+)?(?:country|nation|state)(?!\s+(?:media|television|news|agency|visit|department))"
    r"|(?:diplomatic\s+)?partner"
)
_NOUN_PL = (
    rf"(?P<un>{_UN}\s+members?(?:\s+(?:states|countries|nations))?|member\s+(?:states|countries|nations)\s+of\s+the\s+{_UN}"
    rf"|members\s+of\s+the\s+{_UN})"
    r"|(?:(?:sovereign|independent|foreign|other)\s+)?(?:countries|nations|states)"
    r"|(?:diplomatic\s+)?partners"
)
_TIES = r"(?:formal\s+|official\s+|full\s+|any\s+)?(?:diplomatic\s+)?(?:ties|relations)"
#: Words that say a sentence is about diplomatic relations.
_REL_WORDS = re.compile(
    r"\b(?:diplomatic|relations|ties|recogni[sz]\w*|embass(?:y|ies)|ambassadors?|envoys?)\b", re.I
)
#: Qualifiers that make "relations" something other than diplomatic relations.
_NOT_DIPLOMATIC = re.compile(
    r"\b(?:economic|trade|business|commercial|cultural|military|sporting|sports|family|personal|"
    r"religious|academic|labou?r|public|romantic|race|industrial|investor)\s+(?:\w+\s+)?(?:ties|relations)\b",
    re.I,
)
#: Restrictions that rank within a group the record does not know ("in Latin America").
_GROUP = re.compile(
    r"^\s*(?:in|from|of|among)\s+(?:the\s+)?(?:Latin\s+America|Africa|Asia|Europe|the\s+Americas|the\s+Caribbean|"
    r"the\s+Pacific|the\s+Middle\s+East|the\s+Arab\s+world|the\s+region|its\s+region|the\s+Gulf|Oceania|"
    r"Central\s+\w+|South(?:ern|east|east)?\s+\w+|North(?:ern)?\s+\w+|East(?:ern)?\s+\w+|West(?:ern)?\s+\w+|"
    r"the\s+\w+\s+region)",
)

#: What precedes a ranking ordinal: "the 193rd", "its 193rd", "South Korea's 193rd".
_DETERMINER = re.compile(r"(?:\bthe|\bits|\btheir|'s|s'|’s)\s+$", re.I)
ORDINAL_RE = re.compile(
    rf"\b(?P<num>{ORDINAL})\s+(?:(?:and\s+(?:latest|last|newest|most\s+recent)|latest|newest)\s+)?(?P<noun>{_NOUN_SG})\b",
    re.I,
)

_WITHOUT = (
    r"(?:without|with\s+no|lacking|that\s+lacks?|not\s+to\s+have|yet\s+to\s+(?:establish|forge|set\s+up|have)"
    r"|that\s+(?:has|have|does|do|did)\s+not\s+(?:yet\s+)?(?:have|had|establish|established|forge|forged)"
    r"|that\s+(?:has|have)\s+(?:yet\s+to\s+(?:establish|forge|set\s+up)|never\s+(?:had|established))"
    r"|that\s+(?:has|have)\s+no|still\s+without)"
)
_ONLY = (
    r"(?P<q>(?:the\s+only|the\s+last|the\s+sole)(?:\s+(?P<n0>" + CARDINAL + r"))?"
    r"|one\s+of\s+(?:only\s+|just\s+|the\s+(?:only|last)\s+)?(?P<n>" + CARDINAL + r"))"
)
EXCLUSIVE_RE = re.compile(
    rf"\b{_ONLY}\s+(?:remaining\s+)?(?:(?P<noun1>{_NOUN_SG})|(?P<noun2>{_NOUN_PL.replace('?P<un>', '?P<un2>')}))"
    rf"(?:\s+(?:left|remaining|still))?\s+{_WITHOUT}\s+{_TIES}\s+(?:with|to)\b",
    re.I,
)
EXCLUSIVE_WHICH_RE = re.compile(
    rf"\b{_ONLY}\s+(?:remaining\s+)?(?:(?P<noun1>{_NOUN_SG})|(?P<noun2>{_NOUN_PL.replace('?P<un>', '?P<un2>')}))"
    rf"\s+with\s+which\b(?P<mid>[^.;]{{0,60}}?)\b(?:has|have|does|do)\s+(?:not\s+(?:yet\s+)?(?:have|established?)|no|yet\s+to\s+establish)\s+"
    rf"{_TIES}",
    re.I,
)
EXCEPT_RE = re.compile(
    rf"\b{_TIES}\s+with\s+(?:all|every|each)\s+(?:(?:other|of\s+the|the|member|\d+)\s+)*"
    rf"(?:{_NOUN_PL}|{_NOUN_SG.replace('?P<un>', '?P<un2>')})\s*,?\s+(?:except(?:\s+for)?|but|save|other\s+than|apart\s+from|bar)\b",
    re.I,
)
_QUAL = (
    r"(?P<qual>more\s+than|over|fewer\s+than|less\s+than|under|about|around|some|roughly|approximately|nearly|"
    r"almost|at\s+least|all\s+but|all|only|just)"
)
COUNT_RE = re.compile(
    rf"\b{_TIES}\s+with\s+(?:{_QUAL}\s+)?(?P<n>{CARDINAL})(?:\s+(?:of|out\s+of)\s+(?:the|all)\s+(?P<m>{CARDINAL}))?"
    rf"\s+(?P<noun>{_NOUN_PL})\b",
    re.I,
)
COUNT_SUBJ_RE = re.compile(
    rf"\b(?:{_QUAL}\s+)?(?P<n>{CARDINAL})\s+(?P<noun>{_NOUN_PL})\s+(?:now\s+|currently\s+|already\s+)?"
    rf"(?:have|has|maintain|hold|keep)\s+{_TIES}\s+with\b",
    re.I,
)

#: Change words of dated facts, by event type (the first that matches near a date phrase decides).
_EVENT_WORDS: list[tuple[str, re.Pattern[str]]] = [
    (
        "restore",
        re.compile(
            r"\b(?:restor(?:ed|es|e|ing|ation)|re-?establish(?:ed|es|ing|ment)?|resum(?:ed|es|e|ing|ption)|"
            r"normali[sz](?:ed|es|e|ing|ation))\b",
            re.I,
        ),
    ),
    (
        "sever",
        re.compile(
            r"\b(?:sever(?:ed|s|ing|ance)?|cut\s+(?:off\s+)?(?:\w+\s+)?(?:ties|relations)|(?:was|were|been|being)\s+cut|"
            r"cut\s+off|broke\s+off|broken\s+off|"
            r"break\s+off|rupture[sd]?)\b",
            re.I,
        ),
    ),
    ("suspend", re.compile(r"\b(?:suspend(?:ed|s|ing)?|suspension|froze|frozen)\b", re.I)),
    (
        "withdraw_recognition",
        re.compile(r"\b(?:withdr[ae]w|withdrawn|revoked?)\s+(?:its\s+|their\s+)?recognition\b", re.I),
    ),
    ("recognize", re.compile(r"\brecogni[sz](?:ed|es|e|ing|ation)\b", re.I)),
    (
        "embassy_open",
        re.compile(
            r"\b(?:open(?:ed|s|ing)?|inaugurated?)\s+(?:an?\s+|its\s+|their\s+)?embass(?:y|ies)\b", re.I
        ),
    ),
    (
        "establish",
        re.compile(
            r"\b(?:establish(?:ed|es|ing|ment)?|set\s+up|forg(?:ed|e|es|ing)|(?:dates?|dating|dated|go|goes|going|went)\s+back\s+to|"
            r"(?:ties|relations)\s+(?:began|started|begun))\b",
            re.I,
        ),
    ),
]
_RELATIONS = re.compile(r"\b(?:ties|relations)\b", re.I)
_CLAUSE_BREAK = re.compile(
    r";|\s[—–]\s|\s--\s|,\s+(?:and|but|which|who|although|though)\b"
    r"|\b(?:while|whereas|when|after|before|until|because)\b"
)
_TYPE_WORDS = {
    "establish": "establishment of relations",
    "restore": "restoration of relations",
    "sever": "severance of relations",
    "suspend": "suspension of relations",
    "upgrade": "upgrade of relations",
    "downgrade": "downgrade of relations",
    "recognize": "recognition",
    "withdraw_recognition": "withdrawal of recognition",
    "embassy_open": "embassy opening",
    "embassy_close": "embassy closing",
    "recall_ambassador": "recall of an ambassador",
    "expel_diplomats": "expulsion of diplomats",
}


def describe_event(etype: str, a: str, b: str) -> str:
    """ "establishment of relations between Cuba and North Korea", "recognition of South Korea by Cuba"."""
    x, y = _name(a), _name(b)
    if etype in ("recognize", "withdraw_recognition"):
        return f"{_TYPE_WORDS[etype]} of {y} by {x}"
    if etype == "embassy_open":
        return f"opening of an embassy of {x} in {y}"
    if etype == "embassy_close":
        return f"closing of the embassy of {x} in {y}"
    if etype == "recall_ambassador":
        return f"recall of {x}'s ambassador from {y}"
    if etype == "expel_diplomats":
        return f"expulsion of {y}'s diplomats by {x}"
    return f"{_TYPE_WORDS.get(etype, etype)} between {x} and {y}"


# -- helpers -------------------------------------------------------------------------------------------


def _name(code: str) -> str:
    reg = registry()
    return reg.get(code).name if code in reg else code


def _names(codes: Iterable[str]) -> str:
    names = [_name(c) for c in codes]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _seat(code: str) -> str:
    """How a state's own view is called: "Seoul's" (its capital), else "South Korea's"."""
    reg = registry()
    cap = reg.get(code).capital if code in reg else ""
    return f"{cap}'s" if cap else f"{_name(code)}'s"


def _refs(refs: Iterable[Any]) -> list[dict]:
    out: dict[str, dict] = {}
    for r in refs:
        d = r if isinstance(r, dict) else r.to_dict()
        out.setdefault(d["title"], {"title": d["title"], "url": d.get("url"), "kind": d.get("kind")})
    return list(out.values())


def _titles(sources: list[dict]) -> str:
    return "; ".join(s["title"] for s in sources) or "no source"


def _pd(value: str | None) -> PartialDate | None:
    try:
        return PartialDate.parse(value) if value else None
    except ValueError:
        return None


_RANK = {Precision.YEAR: 1, Precision.MONTH: 2, Precision.DAY: 3}


def compare_dates(claim: PartialDate, record: PartialDate | None) -> str:
    """How a claimed date stands to the record's: ``match`` (the record is as precise or more and
    agrees), ``coarser`` (the record is less precise and does not rule the claim out), ``mismatch``
    or ``undated`` (the record has no date)."""
    if record is None:
        return "undated"
    if _RANK[record.precision] >= _RANK[claim.precision]:
        return "match" if record.truncate(claim.precision) == claim else "mismatch"
    return "coarser" if claim.truncate(record.precision) == record else "mismatch"


def _human_date(d: PartialDate | str | None) -> str:
    d = _pd(d) if isinstance(d, str) else d
    if d is None:
        return "an unknown date"
    if d.precision is Precision.YEAR:
        return str(d.year)
    month = date(d.year, d.month or 1, 1).strftime("%B")
    if d.precision is Precision.MONTH:
        return f"{month} {d.year}"
    return f"{d.day} {month} {d.year}"


def _when(d: PartialDate | str | None) -> str:
    """ "on 2012-09-07", "in August 1960", "in 2023"."""
    d = _pd(d) if isinstance(d, str) else d
    if d is None:
        return "undated"
    return f"on {d}" if d.precision is Precision.DAY else f"in {_human_date(d)}"


def _about_relations(text: str) -> bool:
    """Does the text speak of diplomatic relations (not only of "trade ties" or "economic relations")?"""
    bad = [m.span() for m in _NOT_DIPLOMATIC.finditer(text)]
    return any(not any(a <= m.start() < b for a, b in bad) for m in _REL_WORDS.finditer(text))


def _qualified(text: str, start: int, end: int) -> bool:
    """Is the "ties"/"relations" of the match at [start, end) a non-diplomatic kind?"""
    return any(m.start() < end and m.end() > start for m in _NOT_DIPLOMATIC.finditer(text))


def _clause_of(text: str, pos: int) -> int:
    return len(_CLAUSE_BREAK.findall(text[:pos]))


# -- found claims (before checking) ----------------------------------------------------------------


@dataclass
class _Found:
    kind: str
    sentence: _Sentence
    start: int
    end: int
    data: dict = field(default_factory=dict)


class Checker:
    """Finds and checks the claims of one article against one record, as of one day."""

    def __init__(
        self,
        record: Record,
        text: str,
        *,
        published: date | None,
        title: str | None,
        news: list | None = None,
    ) -> None:
        self.record = record
        self.t = _Text(text, title)
        self.raw_text = text
        self.title = title
        self.notes: list[str] = []
        if published is not None:
            self.as_of, self.as_of_from = published, "published"
        else:
            from .extract.dates import infer_published

            inferred = infer_published(self.t.text)
            if inferred is not None:
                self.as_of, self.as_of_from = inferred, "text"
            else:
                self.as_of, self.as_of_from = date.today(), "today"
        self.published = published or (self.as_of if self.as_of_from == "text" else None)
        self.key = day_key(self.as_of)
        self._news = news

    # -- the article's own news ---------------------------------------------------------------------
    @property
    def news(self) -> list:
        if self._news is None:
            try:
                from .extract import extract

                self._news = extract(self.raw_text, published=self.published, title=self.title)
            except Exception as exc:  # the extractor is a separate stage: a failure there is a note
                self._news = []
                self.notes.append(f"the article's own news could not be read: {type(exc).__name__}: {exc}")
        return self._news

    def _news_partners(self, code: str) -> list[str]:
        """States the article reports establishing (or restoring) relations with ``code``."""
        out = []
        for a in self.news:
            if (
                a.modality.value == "asserted"
                and a.type.value in ("establish", "restore")
                and code in (a.a, a.b)
            ):
                other = a.b if a.a == code else a.a
                if other not in out:
                    out.append(other)
        return out

    # -- running ---------------------------------------------------------------------------------------
    def run(self) -> CheckResult:
        claims: list[tuple[int, Claim]] = []
        for s in self.t.sentences:
            for f in self._find(s):
                claim = self._check(f)
                if claim is not None:
                    claims.append((f.start, claim))
        claims += self._news_claims(claims)
        claims.sort(key=lambda x: x[0])
        return CheckResult(self.as_of.isoformat(), self.as_of_from, [c for _, c in claims], self.notes)

    def _find(self, s: _Sentence) -> list[_Found]:
        if not _about_relations(s.text):
            return []
        out: list[_Found] = []
        for m in ORDINAL_RE.finditer(s.text):
            n = parse_number(m.group("num"))
            if n is None or n < 1:
                continue
            if not _DETERMINER.search(s.text[max(0, m.start() - 20) : m.start()]):
                continue  # "through a third country" ranks nothing
            out.append(
                _Found(
                    "ordinal",
                    s,
                    s.start + m.start(),
                    s.start + m.end(),
                    {"n": n, "un": bool(m.group("un")), "m": m},
                )
            )
        for rx, form in ((EXCLUSIVE_RE, "only"), (EXCLUSIVE_WHICH_RE, "only"), (EXCEPT_RE, "except")):
            for m in rx.finditer(s.text):
                gd = m.groupdict()
                if _qualified(s.text, m.start(), m.end()):
                    continue
                un = bool(gd.get("un") or gd.get("un2"))
                n = parse_number(gd.get("n") or gd.get("n0") or "") if (gd.get("n") or gd.get("n0")) else None
                if gd.get("q") and gd["q"].lower().startswith("one of") and n is None:
                    continue
                if gd.get("n0") and n is not None and n > 1 and not gd.get("noun2"):
                    continue  # "the only two" takes a plural noun
                out.append(
                    _Found(
                        "exclusivity",
                        s,
                        s.start + m.start(),
                        s.start + m.end(),
                        {"form": form, "un": un, "n": n, "m": m},
                    )
                )
        for rx, form in ((COUNT_RE, "with"), (COUNT_SUBJ_RE, "subject")):
            for m in rx.finditer(s.text):
                n = parse_number(m.group("n"))
                if n is None or _qualified(s.text, m.start(), m.end()):
                    continue
                total = parse_number(m.group("m")) if form == "with" and m.group("m") else None
                out.append(
                    _Found(
                        "count",
                        s,
                        s.start + m.start(),
                        s.start + m.end(),
                        {
                            "form": form,
                            "n": n,
                            "m_total": total,
                            "un": bool(m.group("un")),
                            "qual": (m.group("qual") or "").lower() or None,
                            "m": m,
                        },
                    )
                )
        # An exclusivity phrase with "one of only two countries" is not also a count.
        excl = [(f.start, f.end) for f in out if f.kind == "exclusivity"]
        out = [f for f in out if f.kind != "count" or not any(s0 <= f.start < e0 for s0, e0 in excl)]
        out += self._find_dated(s, [(f.start, f.end) for f in out])
        return out

    # -- dated facts ------------------------------------------------------------------------------------
    def _find_dated(self, s: _Sentence, taken: list[tuple[int, int]]) -> list[_Found]:
        from .extract.dates import find_dates, resolve

        out: list[_Found] = []
        text = s.text
        masked = self._masked(s)
        # The date finder takes "in 1960" but not a sentence's "In 1960": lower the word (same length).
        lowered = re.sub(
            r"\b(?:In|Since|By|From|During|Around|Back in|As early as)(?=\s+(?:1[6-9]|20)\d\d\b)",
            lambda m: m.group(0).lower(),
            text,
        )
        for dm in find_dates(lowered, offset=0):
            gs, ge = s.start + dm.start, s.start + dm.end
            if any(a <= gs < b for a, b in taken):
                continue
            if dm.kind not in ("iso", "mdy", "dmy", "my", "years", "md", "dm"):
                continue  # "on Wednesday", "last month": the article's news, read by the extractor
            dates = resolve(dm, self.published)
            if not dates:
                continue
            # The change word nearest the date phrase, in its clause.
            clause = _clause_of(text, dm.start)
            best: tuple[int, str, re.Match] | None = None
            for etype, rx in _EVENT_WORDS:
                for m in rx.finditer(text):
                    if _clause_of(text, m.start()) != clause:
                        continue
                    if m.start() >= dm.end and re.search(r"\b(?:and|but|or)\b", masked[dm.end : m.start()]):
                        continue  # "declared independence in 2008 and X recognized it": another verb's date
                    dist = dm.start - m.end() if m.end() <= dm.start else (m.start() - dm.end) * 2
                    if dist < 0:
                        dist = 0
                    if best is None or dist < best[0]:
                        best = (dist, etype, m)
            rel = None
            for m in _RELATIONS.finditer(text):
                if _clause_of(text, m.start()) == clause and m.start() < dm.start:
                    rel = m
            if best is not None and best[0] > 120:
                best = None
            if best is None and rel is None:
                continue
            if (
                dm.since
                and rel is not None
                and (
                    best is None
                    or best[1] == "establish"
                    or best[2].start() > dm.start
                    or best[2].start() < rel.start()
                )
            ):
                etype, anchor = "status", rel  # "have had relations since 1960"
            elif best is not None:
                etype, anchor = best[1], best[2]
            else:
                continue
            if _NOT_DIPLOMATIC.search(text[max(0, anchor.start() - 40) : anchor.end() + 5]) and etype in (
                "status",
                "establish",
                "sever",
                "restore",
                "suspend",
            ):
                continue
            out.append(
                _Found(
                    "dated",
                    s,
                    gs,
                    ge,
                    {
                        "type": etype,
                        "dates": dates,
                        "date_text": dm.text,
                        "since": dm.since,
                        "anchor": (s.start + anchor.start(), s.start + anchor.end()),
                        "clause": clause,
                    },
                )
            )
        return out

    def _masked(self, s: _Sentence) -> str:
        """The sentence with each state named replaced by X's, and lists of states ("Cuba and North Korea")
        made one run of X's, so that what is left of "and" joins clauses."""
        chars = list(s.text)
        for a in self.t.actors_in(s.start, s.end):
            for i in range(a.start - s.start, a.end - s.start):
                chars[i] = "X"
        masked = "".join(chars)
        return re.sub(r"X+(?:\s*,\s*X+)*\s*,?\s*(?:and|&)\s+X+", lambda m: "X" * len(m.group(0)), masked)

    # -- checking ---------------------------------------------------------------------------------------
    def _check(self, f: _Found) -> Claim | None:
        if f.kind == "ordinal":
            return self._ordinal(f)
        if f.kind == "exclusivity":
            return self._exclusive(f)
        if f.kind == "count":
            return self._count(f)
        return self._dated(f)

    def _claim(
        self, f: _Found, verdict: str, explanation: str, evidence: list[Evidence], states: list[str]
    ) -> Claim:
        span, where = self.t.span(f.sentence.start, f.sentence.end)
        text = self.t.text[f.sentence.start : f.sentence.end]
        # The phrase runs from the first to the last state of the claim named near the matched words.
        start, end = f.start, f.end
        named = [
            a
            for a in self.t.actors_in(f.sentence.start, f.sentence.end)
            if len(a.codes) == 1 and a.kind != "ref"
        ]
        for code in states[:3]:
            near = [a for a in named if a.codes[0] == code]
            if not near:
                continue
            a = min(near, key=lambda a: f.start - a.end if a.end <= f.start else max(0, a.start - f.end))
            if f.start - 100 <= a.start < start:
                start = a.start
            elif end < a.end <= f.end + 100:
                end = a.end
        return Claim(
            text,
            span,
            f.kind,
            verdict,
            explanation,
            evidence,
            self.t.text[start:end].strip(),
            list(dict.fromkeys(states)),
            where,
        )

    def _single(self, actors: list[_Actor]) -> list[_Actor]:
        return [a for a in actors if len(a.codes) == 1]

    # ordinal ------------------------------------------------------------------------------------------
    def _ordinal(self, f: _Found) -> Claim | None:
        s, m, n = f.sentence, f.data["m"], f.data["n"]
        text = s.text
        after = text[m.end() :]
        group = _GROUP.match(after)
        actors = self._single(self.t.actors_in(s.start, s.end))
        start, end = s.start + m.start(), s.start + m.end()
        before = [a for a in actors if a.end <= start]
        later = [a for a in actors if a.start >= end]
        viewer = referent = None
        # "South Korea's 193rd partner", "its 193rd partner"
        if before and before[-1].possessive and start - before[-1].end <= 6:
            viewer = before[-1].codes[0]
            rest = [a for a in before[:-1] if a.codes[0] != viewer] + [
                a for a in later if a.codes[0] != viewer
            ]
            referent = (
                rest[-1].codes[0] if rest and rest[-1] in before else (rest[0].codes[0] if rest else None)
            )
        else:
            if later:
                viewer = later[0].codes[0]
            cands = [a for a in before if a.codes[0] != viewer]
            if cands:
                referent = self._subject_of(cands, viewer)
            elif viewer:
                more = [a for a in later[1:] if a.codes[0] != viewer]
                referent = more[0].codes[0] if more else None
        if referent and not viewer:
            partners = self._news_partners(referent)
            viewer = partners[0] if partners else None
        if viewer and not referent:
            partners = self._news_partners(viewer)
            referent = partners[0] if partners else None
        only_recognition = not re.search(r"\b(?:relations|ties|diplomatic|partner)\b", text, re.I)
        if viewer is None or referent is None or viewer == referent:
            if not actors:
                return None  # no state named: not a claim about relations between states
            return self._claim(
                f,
                "unverifiable",
                f"could not tell which two states the {ordinal_word(n)} is about",
                [],
                [a.codes[0] for a in actors],
            )
        states = [referent, viewer]
        if group:
            return self._claim(
                f,
                "unverifiable",
                f"ranks {_name(referent)} within a group the record does not know "
                f"({group.group(0).strip()!r}); it ranks all of {_name(viewer)}'s partners",
                [],
                states,
            )
        if only_recognition:
            return self._claim(
                f,
                "unverifiable",
                "about recognitions; the record ranks establishments of diplomatic relations",
                [],
                states,
            )
        r = self.record.rank(viewer, referent, self.as_of)
        srcs = _refs(r.sources)
        ref, view, day = _name(referent), _name(viewer), self.as_of.isoformat()
        if r.rank_all is None:
            ev = [
                Evidence(
                    f"{view} has {r.total_all} recorded partners by {day} ({r.total_un} UN members)",
                    viewer,
                    None,
                    [],
                )
            ]
            hint = ""
            if r.total_all + 1 == n or r.total_un + 1 == n:
                hint = f"; as the next partner it would be no. {r.total_all + 1} of all partners, no. {r.total_un + 1} among UN members"
            return self._claim(
                f,
                "unverifiable",
                f"the record has no establishment of relations between {ref} and {view} by {day}{hint}",
                ev,
                states,
            )
        fact = (
            f"{ref} ({r.date}) is {view}'s partner no. {r.rank_all} of {r.total_all} counting all partners"
            + (
                f", no. {r.rank_un} of {r.total_un} counting UN members only"
                if r.rank_un
                else f"; {ref} is not a UN member"
            )
            + f", as of {day}"
        )
        ev = [Evidence(fact, referent, r.date, srcs)]
        before_non_un = self._non_un_before(viewer, referent)
        who = f"{ref} (relations since {r.date})" if r.date else ref
        tail = f", as of {day} ({_titles(srcs)})"
        if f.data["un"]:
            if r.rank_un == n:
                return self._claim(
                    f,
                    "supported",
                    f"{who} is {view}'s {ordinal_word(n)} partner among UN members "
                    f"({ordinal_word(r.rank_all)} counting all partners){tail}",
                    ev,
                    states,
                )
            among = f"{ordinal_word(r.rank_un)} among UN members" if r.rank_un else "not a UN member"
            return self._claim(
                f,
                "contradicted",
                f"{who} is {view}'s {among}, not {ordinal_word(n)} "
                f"({ordinal_word(r.rank_all)} counting all partners){tail}",
                ev,
                states,
            )
        if r.rank_all == n:
            un = (
                f"; {ordinal_word(r.rank_un)} counting UN members only"
                if r.rank_un and r.rank_un != n
                else ""
            )
            return self._claim(
                f,
                "supported",
                f"{who} is {view}'s {ordinal_word(n)} partner counting all partners{un}{tail}",
                ev,
                states,
            )
        if r.rank_un == n:
            extra = f" with {_names(before_non_un)}" if before_non_un else ""
            return self._claim(
                f,
                "depends",
                f"true counting UN members only ({ordinal_word(n)}); false counting all "
                f"partners: {ordinal_word(r.rank_all)}{extra}{tail}",
                ev,
                states,
            )
        un = f", {ordinal_word(r.rank_un)} counting UN members only" if r.rank_un else ""
        return self._claim(
            f,
            "contradicted",
            f"{who} is {view}'s {ordinal_word(r.rank_all)} partner counting all "
            f"partners{un}, not {ordinal_word(n)}{tail}",
            ev,
            states,
        )

    def _subject_of(self, cands: list[_Actor], viewer: str | None) -> str:
        """The state an ordinal is said of, among those named before it: the viewer's new partner in the
        article's news, else the subject of "X is / becomes the ...", else the nearest."""
        if viewer:
            news = [a for a in cands if a.codes[0] in self._news_partners(viewer)]
            if news:
                return news[-1].codes[0]
        copula = re.compile(
            r"(?:'s)?\s*(?:,[^,]{1,80},\s*)?(?:is|was|becomes|became|has\s+become|had\s+become|will\s+become|"
            r"would\s+become|is\s+now|was\s+now|now)\b",
            re.I,
        )
        for a in cands:
            if copula.match(self.t.norm, a.end):
                return a.codes[0]
        return cands[-1].codes[0]

    def _non_un_before(self, viewer: str, referent: str) -> list[str]:
        out = []
        for p in self.record.partners(viewer, self.as_of):
            if p.code == referent:
                break
            if not p.un_member:
                out.append(p.code)
        return out

    # exclusivity ----------------------------------------------------------------------------------
    def _exclusive(self, f: _Found) -> Claim | None:
        s, m, form = f.sentence, f.data["m"], f.data["form"]
        start, end = s.start + m.start(), s.start + m.end()
        actors = self._single(self.t.actors_in(s.start, s.end))
        if not actors:
            return None
        if form == "except":
            before = [a for a in actors if a.end <= start]
            viewer = before[-1].codes[0] if before else None
            # the states named after "except", up to the end of the clause
            tail_end = s.start + len(s.text)
            brk = _CLAUSE_BREAK.search(s.text, m.end())
            if brk:
                tail_end = s.start + brk.start()
            referents = [a.codes[0] for a in actors if end <= a.start < tail_end and a.codes[0] != viewer]
        else:
            mid = m.groupdict().get("mid")
            later = [a for a in actors if a.start >= end]
            if mid is not None:
                # "the only UN member with which South Korea has no ties": the viewer is in the middle
                mids = [a for a in actors if start + m.start("mid") - m.start() <= a.start < end]
                viewer = mids[0].codes[0] if mids else None
            else:
                viewer = later[0].codes[0] if later else None
            before = [a for a in actors if a.end <= start and a.codes[0] != viewer]
            referents = [before[-1].codes[0]] if before else []
            if not referents:
                rest = [a for a in later if a.codes[0] != viewer]
                referents = [rest[0].codes[0]] if rest else []
            # "Syria and North Korea are the only two ..."
            n = f.data.get("n")
            if n and n > 1 and len(before) >= n:
                referents = list(dict.fromkeys(a.codes[0] for a in before[-n:]))
        referents = list(dict.fromkeys(referents))
        if viewer is None:
            return self._claim(
                f,
                "unverifiable",
                "could not tell with which state the ties are meant",
                [],
                [a.codes[0] for a in actors],
            )
        n_claimed = 1 if form == "only" and not f.data.get("n") else f.data.get("n")
        if form == "except":
            n_claimed = len(referents)
        states = [*referents, viewer]
        view, day = _name(viewer), self.as_of.isoformat()
        partners = self.record.partners(viewer, self.as_of)
        if not partners:
            return self._claim(
                f, "unverifiable", f"the record has no partners of {view} by {day}", [], states
            )
        if not referents:
            return self._claim(
                f, "unverifiable", f"could not tell which state is said to lack ties with {view}", [], states
            )
        # "country", "state": counted among UN members (entities like Taiwan or Kosovo are not counted)
        missing = self.record.missing(viewer, "un", self.as_of)
        reg = registry()
        by_code = {x.code: x for x in missing}
        shown = sorted(missing, key=lambda x: (x.code not in referents, not reg.not_foreign(viewer, x.code)))
        evidence = [
            Evidence(f"{x.name}: {x.status}; {x.note}", x.code, x.since, _refs(x.sources))
            for x in shown[:MAX_EVIDENCE]
        ]
        if len(shown) > MAX_EVIDENCE:
            evidence.append(
                Evidence(f"and {len(shown) - MAX_EVIDENCE} more UN members without relations with {view}")
            )
        # A named state that has relations makes the claim false.
        having = []
        for c in referents:
            if c in by_code:
                continue
            st = self.record.status(viewer, c, self.as_of)
            if st.status == "relations":
                having.append(
                    Evidence(
                        f"{_name(c)} has relations with {view}" + (f" since {st.since}" if st.since else ""),
                        c,
                        st.since,
                        _refs(st.sources),
                    )
                )
            else:  # not a UN member ("Taiwan is the only country ..."): it lacks ties all the same
                evidence.insert(
                    0, Evidence(f"{_name(c)}: {st.status}; not a UN member", c, st.since, _refs(st.sources))
                )
        if having:
            return self._claim(
                f,
                "contradicted",
                "; ".join(e.fact for e in having) + f", as of {day}",
                having + evidence,
                states,
            )
        others = [x for x in missing if x.code not in referents]
        nf = [x for x in others if reg.not_foreign(viewer, x.code)]
        genuine = [x for x in others if not reg.not_foreign(viewer, x.code)]
        n_strict = len(referents) + len(nf) + len(genuine)  # counting every UN member
        n_seat = len(referents) + len(genuine)  # the viewer's own convention
        subject = _names(referents)
        noun = "UN member"
        counted = "" if f.data["un"] else " (counting UN members as the countries)"
        if n_claimed is None:
            n_claimed = len(referents)

        def also(xs: list) -> str:
            if len(xs) > 5:
                return (
                    f"{len(xs)} other UN members also have no relations with {view} "
                    f"(among them {_names(x.code for x in xs[:5])})"
                )
            out = []
            for x in xs:
                if reg.not_foreign(viewer, x.code):
                    out.append(f"{x.name} also has no relations with {view}")
                    continue
                if x.status in ("severed", "suspended"):
                    why = f"relations {x.status}" + (f" since {x.since}" if x.since else "")
                elif x.status == "relations":
                    why = f"not on {view}'s own list"
                else:
                    why = "no relations recorded"
                out.append(f"{x.name} also has no relations with {view} ({why})")
            return "; ".join(out)

        if n_seat == n_claimed and n_strict == n_claimed:
            what = f"{subject} {'is' if len(referents) == 1 else 'are'} the only {noun}"
            own = [c for c in referents if reg.not_foreign(viewer, c)]
            aside = f"; {_names(own)} is not a foreign state to {view}" if own else ""
            return self._claim(
                f,
                "supported",
                f"{what}{'s' if len(referents) > 1 else ''} without relations with "
                f"{view}{counted} as of {day}{aside}",
                evidence,
                states,
            )
        lead = f"{subject} {'has' if len(referents) == 1 else 'have'} no relations with {view}; "
        if n_seat == n_claimed and nf:
            return self._claim(
                f,
                "depends",
                f"{lead}true counting {_names(x.code for x in nf)} as not foreign to {view} ({_seat(viewer)} convention); "
                f"false counting all UN members: {also(nf)}; as of {day}",
                evidence,
                [*states, *(x.code for x in nf)],
            )
        if genuine:
            extra = f"; {also(nf)}" if nf else ""
            return self._claim(
                f,
                "contradicted",
                f"{lead}but {also(genuine)}{extra}; as of {day}",
                evidence,
                [*states, *(x.code for x in genuine + nf)],
            )
        return self._claim(
            f,
            "contradicted",
            f"{n_seat} UN members have no relations with {view} as of {day}"
            + (f" ({n_strict} counting {_names(x.code for x in nf)})" if nf else "")
            + f": {_names([*referents, *(x.code for x in others)])}",
            evidence,
            states,
        )

    # count --------------------------------------------------------------------------------------------
    def _count(self, f: _Found) -> Claim | None:
        s, m, form = f.sentence, f.data["m"], f.data["form"]
        start, end = s.start + m.start(), s.start + m.end()
        actors = self._single(self.t.actors_in(s.start, s.end))
        viewer = None
        note = ""
        if form == "subject":
            later = [a for a in actors if a.start >= end]
            viewer = later[0].codes[0] if later else None
        else:
            before = [a for a in actors if a.end <= start]
            viewer = before[-1].codes[0] if before else None
        if viewer is None:
            if not actors and not self.t.salience:
                return None
            viewer = self.t.main_state()
            if viewer is None:
                return self._claim(f, "unverifiable", "could not tell whose relations are counted", [], [])
            note = f" (taking {_name(viewer)}, the state the article names most, as the one counted)"
        n, qual, un_only = f.data["n"], f.data["qual"], f.data["un"]
        group = _GROUP.match(s.text[m.end() :])
        if group:
            return self._claim(
                f,
                "unverifiable",
                f"counts {_name(viewer)}'s partners within a group the record does not know "
                f"({group.group(0).strip()!r}){note}",
                [],
                [viewer],
            )
        day, view = self.as_of.isoformat(), _name(viewer)
        all_p = self.record.partners(viewer, self.as_of, "all")
        if not all_p:
            return self._claim(
                f, "unverifiable", f"the record has no partners of {view} by {day}{note}", [], [viewer]
            )
        un_p = [p for p in all_p if p.un_member]
        n_un_members = len(registry().un_members(self.as_of))
        evidence = [
            Evidence(
                f"{view} has relations with {len(all_p)} states and entities as of {day}, "
                f"{len(un_p)} of them UN members (of {n_un_members})",
                viewer,
                day,
                [],
            ),
        ]
        non_un = [p.code for p in all_p if not p.un_member]
        if non_un:
            evidence.append(Evidence(f"partners that are not UN members: {_names(non_un)}", viewer, day, []))

        def ok(count: int) -> bool:
            if qual in (None, "all", "only", "just"):
                return count == n
            if qual in ("more than", "over"):
                return count > n
            if qual in ("fewer than", "less than", "under"):
                return count < n
            if qual == "at least":
                return count >= n
            if qual in ("nearly", "almost"):
                return n - max(3, n // 20) <= count < n
            if qual == "all but":
                return False
            return abs(count - n) <= max(2, n // 50)  # about, around, some, roughly, approximately

        q = f"{qual} " if qual else ""
        extra = []
        if f.data.get("m_total") and f.data["m_total"] not in (n_un_members, n_un_members - 1):
            extra.append(f"the UN has {n_un_members} members, not {f.data['m_total']}")
        tail = ("; " + "; ".join(extra) if extra else "") + note
        states = [viewer]
        if un_only:
            if ok(len(un_p)):
                return self._claim(
                    f,
                    "supported",
                    f"{view} has relations with {len(un_p)} UN members as of {day}"
                    f" ({len(all_p)} counting all partners){tail}",
                    evidence,
                    states,
                )
            return self._claim(
                f,
                "contradicted",
                f"{view} has relations with {len(un_p)} UN members as of {day}, not {q}{n}{tail}",
                evidence,
                states,
            )
        ok_all, ok_un = ok(len(all_p)), ok(len(un_p))
        if ok_all and ok_un:
            return self._claim(
                f,
                "supported",
                (
                    f"{view} has relations with {len(all_p)} states as of {day}, all of them UN members{tail}"
                    if len(all_p) == len(un_p)
                    else f"{view} has relations with {len(all_p)} states ({len(un_p)} UN members) as of {day}: "
                    f"true counting either way{tail}"
                ),
                evidence,
                states,
            )
        if ok_all:
            # As with ordinals, "countries" counts all partners; the UN-only count is given alongside.
            return self._claim(
                f,
                "supported",
                f"{view} has relations with {len(all_p)} states counting all partners (with "
                f"{_names(non_un)}); {len(un_p)} counting UN members only; as of {day}{tail}",
                evidence,
                states,
            )
        if ok_un:
            return self._claim(
                f,
                "depends",
                f"true counting UN members only ({len(un_p)}); false counting all "
                f"partners ({len(all_p)}, with {_names(non_un)}); as of {day}{tail}",
                evidence,
                states,
            )
        return self._claim(
            f,
            "contradicted",
            f"{view} has relations with {len(all_p)} states ({len(un_p)} UN members) "
            f"as of {day}, not {q}{n}{tail}",
            evidence,
            states,
        )

    # dated facts --------------------------------------------------------------------------------------
    def _pair_for(self, f: _Found) -> tuple[str, str] | None:
        s = f.sentence
        a0, a1 = f.data["anchor"]
        clause = f.data["clause"]
        actors = self.t.actors_in(s.start, s.end)
        pairs = [a for a in actors if len(a.codes) == 2]
        singles = self._single(actors)

        def dist(a: _Actor) -> tuple[int, int]:
            same = _clause_of(s.text, a.start - s.start) == clause
            d = a0 - a.end if a.end <= a0 else a.start - a1
            return (0 if same else 1, abs(d))

        for p in sorted(pairs, key=dist):
            if dist(p)[0] == 0:
                return p.codes[0], p.codes[1]
        ranked = sorted(singles, key=dist)
        ranked = [a for a in ranked if dist(a)[0] == 0] or ranked
        codes: list[str] = []
        for a in ranked:
            if a.codes[0] not in codes:
                codes.append(a.codes[0])
            if len(codes) == 2:
                break
        if len(codes) < 2:
            return None
        # Order: the actor before the change word first, unless passive ("recognized by X").
        from .vocab import is_symmetric

        x, y = codes
        if f.data["type"] == "status" or is_symmetric(f.data["type"]):
            order = [a.codes[0] for a in singles if a.codes[0] in codes]
            if order and order[0] == y:
                x, y = y, x  # in the order the sentence names them
        else:
            first = next((a for a in reversed(singles) if a.codes[0] in codes and a.end <= a0), None)
            if first is not None and first.codes[0] == y:
                x, y = y, x  # the actor nearest before the change word acts
        agent = next((a for a in singles if a.start >= a1 and a.codes[0] in codes), None)
        if agent is not None and re.fullmatch(r"\s+by\s+(?:the\s+)?", self.t.norm[a1 : agent.start], re.I):
            y = x if agent.codes[0] == y else y
            x = agent.codes[0]
        return x, y

    def _dated(self, f: _Found) -> Claim | None:
        pair = self._pair_for(f)
        etype = f.data["type"]
        claimed: list[PartialDate] = f.data["dates"]
        actors = self._single(self.t.actors_in(f.sentence.start, f.sentence.end))
        if pair is None:
            if not actors:
                return None
            return self._claim(
                f,
                "unverifiable",
                f"the sentence names only {_names(dict.fromkeys(a.codes[0] for a in actors))}: "
                "could not tell the other state of the pair",
                [],
                [a.codes[0] for a in actors],
            )
        a, b = pair
        if etype == "status":
            return self._status_claim(f, a, b, claimed[0])
        return self._event_claim(f, a, b, etype, claimed)

    def _events(self, a: str, b: str, etype: str | None = None, directed: bool = False) -> list[dict]:
        evs = [e for e in self.record.timeline(a, b)["events"] if e["modality"] == "asserted"]
        evs = [e for e in evs if (e["lo"] or e["bound"] or 0) <= self.key]
        if etype:
            evs = [e for e in evs if e["type"] == etype]
        if directed:
            evs = [e for e in evs if (e["a"], e["b"]) == (a, b)]
        return evs

    def _status_claim(self, f: _Found, a: str, b: str, claimed: PartialDate) -> Claim:
        st = self.record.status(a, b, self.as_of)
        day = self.as_of.isoformat()
        pair = f"{_name(a)} and {_name(b)}"
        srcs = _refs(st.sources)
        ev = [
            Evidence(
                f"{pair}: {st.status}" + (f" since {st.since}" if st.since else "") + f" as of {day}",
                None,
                st.since,
                srcs,
            )
        ]
        states = [a, b]
        if st.note and registry().not_foreign(a, b):
            ev.append(Evidence(st.note, None, None, []))
        if st.status == "unknown":
            return self._claim(
                f, "unverifiable", f"the record knows nothing of relations between {pair}", ev, states
            )
        if st.status != "relations":
            since = f" since {st.since}" if st.since else ""
            return self._claim(
                f,
                "contradicted",
                f"the record has {pair} {st.status}{since}, not in relations, as of {day} ({_titles(srcs)})",
                ev,
                states,
            )
        rec = _pd(st.since)
        how = compare_dates(claimed, rec)
        if how == "match":
            return self._claim(
                f, "supported", f"{pair} have had relations since {st.since} ({_titles(srcs)})", ev, states
            )
        if how == "undated":
            return self._claim(
                f,
                "unverifiable",
                f"{pair} have relations as of {day}, but the record does not know since when",
                ev,
                states,
            )
        if how == "coarser":
            return self._claim(
                f,
                "unverifiable",
                f"the record dates the relations of {pair} only to "
                f"{_human_date(rec)}: cannot confirm {_human_date(claimed)} ({_titles(srcs)})",
                ev,
                states,
            )
        readings = self._source_readings(
            self._events(a, b, "establish") + self._events(a, b, "restore"), claimed
        )
        if readings:
            return self._claim(
                f,
                "depends",
                f"relations between {pair} since {_human_date(claimed)}: the sources disagree: {readings}; "
                f"the record has relations since {st.since}",
                ev,
                states,
            )
        first = self._events(a, b, "establish")
        history = ""
        if first and first[0]["date"] and first[0]["date"] != st.since:
            history = f" (first established {first[0]['date']})"
        return self._claim(
            f,
            "contradicted",
            f"{pair} have had relations since {st.since}{history}, not since "
            f"{_human_date(claimed)} ({_titles(srcs)})",
            ev,
            states,
        )

    @staticmethod
    def _source_readings(events: list[dict], claimed: PartialDate) -> str | None:
        """When the sources' own dates disagree and some agree with the claim: who says what."""
        yes: dict[str, set[str]] = {}
        no: dict[str, set[str]] = {}
        for e in events:
            for x in e["evidence"]:
                d = _pd(x.get("date"))
                if d is None:
                    continue
                side = yes if compare_dates(claimed, d) == "match" else no
                side.setdefault(x["source"], set()).add(str(d))
        if not yes or not no:
            return None

        def said(side: dict[str, set[str]]) -> str:
            return "; ".join(f"{src} ({', '.join(sorted(ds))})" for src, ds in sorted(side.items()))

        return f"true per {said(yes)}; false per {said(no)}"

    def _later_establishments(self, a: str, b: str) -> list[dict]:
        """Establishments that follow a break: the lists date a re-establishment as an establishment."""
        evs = self._events(a, b)
        breaks = [e["lo"] for e in evs if e["type"] in ("sever", "suspend") and e["lo"]]
        if not breaks:
            return []
        return [e for e in evs if e["type"] == "establish" and e["lo"] and e["lo"] > min(breaks)]

    def _event_claim(self, f: _Found, a: str, b: str, etype: str, claimed: list[PartialDate]) -> Claim:
        from .vocab import is_symmetric

        directed = not is_symmetric(etype)
        events = self._events(a, b, etype, directed=directed)
        if etype == "restore":
            events += self._later_establishments(a, b)
        subject = describe_event(etype, a, b)
        states = [a, b]
        day = self.as_of.isoformat()

        def ev_of(es: list[dict]) -> list[Evidence]:
            return [
                Evidence(
                    f"{describe_event(e['type'], e['a'], e['b'])} "
                    f"{_when(e['date']) if e['date'] else 'by ' + (e['happened_by'] or '?')}",
                    None,
                    e["date"],
                    _refs(e["sources"]),
                )
                for e in es
            ]

        if not events:
            hints: list[str] = []
            ev: list[Evidence] = []
            siblings = {
                "recognize": ["establish"],
                "sever": ["suspend"],
                "suspend": ["sever"],
                "establish": ["restore"],
            }.get(etype, [])
            for other in siblings:
                found = self._events(a, b, other)
                if found:
                    ev += ev_of(found)
                    hints.append(
                        "it has the "
                        + "; the ".join(
                            f"{describe_event(other, e['a'], e['b'])} {_when(e['date'])}" for e in found
                        )
                    )
            if etype == "recognize" and hints:
                hints.append("recognition came by then, but the record does not say when")
            if directed:
                reverse = self._events(b, a, etype, directed=True)
                if reverse:
                    ev += ev_of(reverse)
                    hints.append(f"it has the {describe_event(etype, b, a)}")
            hint = "".join(f"; {h}" for h in hints)
            return self._claim(f, "unverifiable", f"the record has no {subject} by {day}{hint}", ev, states)
        ev = ev_of(events)
        verdicts: list[tuple[str, str]] = []
        for c in claimed:
            hows = [(compare_dates(c, _pd(e["date"])), e) for e in events]
            kinds = {h for h, _ in hows}
            if "match" in kinds:
                e = next(e for h, e in hows if h == "match")
                verdicts.append(
                    (
                        "supported",
                        f"{subject} in {_human_date(c)}: the record has it {_when(e['date'])}"
                        f"{' (as an establishment after a break)' if e['type'] != etype else ''} "
                        f"({_titles(_refs(e['sources']))})",
                    )
                )
            elif "coarser" in kinds:
                e = next(e for h, e in hows if h == "coarser")
                verdicts.append(
                    (
                        "unverifiable",
                        f"the record dates the {subject} only to {_human_date(e['date'])}: cannot confirm "
                        f"{_human_date(c)} ({_titles(_refs(e['sources']))})",
                    )
                )
            elif (readings := self._source_readings(events, c)) is not None:
                dates = ", ".join(e["date"] or "?" for e in events)
                verdicts.append(
                    ("depends", f"{subject}: the sources disagree: {readings}; the record has {dates}")
                )
            elif kinds == {"undated"}:
                verdicts.append(
                    (
                        "unverifiable",
                        f"the record has the {subject} but not its date (it happened by "
                        f"{events[0]['happened_by'] or '?'})",
                    )
                )
            else:
                dates = " and ".join(_when(e["date"]) for e in events if e["date"])
                verdicts.append(
                    (
                        "contradicted",
                        f"the record has the {subject} {dates}, not in {_human_date(c)} "
                        f"({_titles(_refs(s for e in events for s in e['sources']))})",
                    )
                )
        order = ["contradicted", "depends", "unverifiable", "supported"]
        verdict = min((v for v, _ in verdicts), key=order.index)
        return self._claim(f, verdict, "; ".join(x for _, x in verdicts), ev, states)

    # news ---------------------------------------------------------------------------------------------
    def _news_claims(self, found: list[tuple[int, Claim]]) -> list[tuple[int, Claim]]:
        out: list[tuple[int, Claim]] = []
        dated = [c for _, c in found if c.kind == "dated"]
        seen: set[tuple] = set()
        for a in self.news:
            if a.modality.value != "asserted":
                continue
            key = (a.type.value, a.a, a.b, str(a.date) if a.date else None)
            if key in seen:
                continue  # the headline and the body tell one event: one verdict
            seen.add(key)
            if a.span is not None:
                start, end = a.span[0] + self.t.body_offset, a.span[1] + self.t.body_offset
            elif a.detail.get("title_span"):
                start, end = a.detail["title_span"]
            else:
                continue
            sent = next(
                (s for s in self.t.sentences if s.start <= start < s.end), _Sentence(start, end, a.evidence)
            )
            # A dated fact already checked in this sentence for this pair covers the assertion.
            if any(
                c.text == self.t.text[sent.start : sent.end] and set(c.states[:2]) == {a.a, a.b}
                for c in dated
            ):
                continue
            f = _Found("news", sent, start, end, {})
            out.append((start, self._news_claim(f, a)))
        return out

    def _news_claim(self, f: _Found, a: Any) -> Claim:
        from .vocab import is_symmetric

        etype = a.type.value
        directed = not is_symmetric(etype)
        what = _TYPE_WORDS.get(etype, etype)
        subject = describe_event(etype, a.a, a.b)
        states = [a.a, a.b]
        events = [
            e
            for e in self.record.timeline(a.a, a.b)["events"]
            if e["modality"] == "asserted"
            and e["type"] == etype
            and (not directed or (e["a"], e["b"]) == (a.a, a.b))
        ]
        kind = "news"
        if (
            a.date is not None
            and self.published is not None
            and (self.published - a.date.latest()).days > NEWS_AGE_DAYS
        ):
            kind = "dated"
        claim_date = a.date
        from_published = a.date_text is None and a.date is not None
        ev = [
            Evidence(
                f"{describe_event(e['type'], e['a'], e['b'])} {_when(e['date']) if e['date'] else '(undated)'}",
                None,
                e["date"],
                _refs(e["sources"]),
            )
            for e in events
        ]
        head = f"{subject}" + (f" ({a.date})" if a.date else "")
        background = kind == "dated"

        def close(e: dict) -> bool:
            d = _pd(e["date"])
            if d is None or claim_date is None:
                return False
            if from_published:
                return abs((claim_date.earliest() - d.latest()).days) <= NEWS_TOLERANCE_DAYS or d.overlaps(
                    claim_date
                )
            return compare_dates(claim_date, d) in ("match", "coarser")

        def made(verdict: str, explanation: str) -> Claim:
            c = self._claim(f, verdict, explanation, ev, states)
            c.kind = kind
            c.phrase = a.evidence
            return c

        def new(why: str) -> Claim:
            if background:
                return made(
                    "unverifiable", f"the record has no {subject} ({why}); the article dates it {a.date}"
                )
            return made("unverifiable", f"new to the record: {head}; {why}")

        if not events:
            return new(f"no {what} for this pair")
        hits = [e for e in events if close(e)]
        if hits:
            e = hits[0]
            srcs = _refs(e["sources"])
            rd = _pd(e["date"])
            if (
                claim_date is not None
                and rd is not None
                and not from_published
                and compare_dates(claim_date, rd) == "coarser"
            ):
                return made(
                    "unverifiable",
                    f"{head}: in the record (sources: {_titles(srcs)}) only to "
                    f"{_human_date(rd)}: cannot confirm {_human_date(claim_date)}",
                )
            when = "" if e["date"] == str(claim_date) else f", dated {e['date']} there"
            return made("supported", f"{head}: in the record (sources: {_titles(srcs)}){when}")
        dates = ", ".join(e["date"] or "undated" for e in events)
        if claim_date is None:
            srcs = _refs(x for e in events for x in e["sources"])
            return made("supported", f"{head}: in the record (sources: {_titles(srcs)}), dated {dates} there")
        latest = max((_pd(e["date"]) for e in events if e["date"]), key=lambda d: d.sort_key(), default=None)
        if latest is None or latest.latest() < claim_date.earliest():
            return new(f"the record's last {what} for this pair is {latest or 'undated'}")
        return made(
            "contradicted",
            f"{head}: the record has it on {dates} "
            f"({_titles(_refs(s for e in events for s in e['sources']))})",
        )


def check_article(
    record: Record,
    text: str,
    *,
    published: date | str | None = None,
    title: str | None = None,
    news: list | None = None,
) -> CheckResult:
    """Find the claims about diplomatic relations in ``text`` and check each against ``record``.

    The record is read as of ``published`` (a date or ``YYYY-MM-DD``); without it, as of a dateline
    at the head of the text, else today (``CheckResult.as_of_from`` says which). ``news`` may pass
    the article's assertions when the caller has extracted them already.
    """
    if isinstance(published, str):
        published = date.fromisoformat(published)
    if not isinstance(text, str) or not text.strip():
        day = published or date.today()
        return CheckResult(day.isoformat(), "published" if published else "today", [], ["empty article"])
    return Checker(record, text, published=published, title=title, news=news).run()


__all__ = ["CheckResult", "Checker", "Claim", "Evidence", "check_article", "compare_dates", "parse_number"]
