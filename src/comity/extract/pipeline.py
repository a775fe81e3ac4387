"""The extraction pipeline: named components, registered spaCy-style, run in order over an article.

Each component does one job on an :class:`Analysis` (the article and everything found in it so
far) and may stop the run (the pre-filter does, for an article with nothing about relations)::

    from comity.extract import Pipeline, component

    @component("drop_low_confidence")
    def make_drop(lex, threshold=0.5):
        def run(an):
            an.candidates = [c for c in an.candidates if c.confidence >= threshold]
        return run

    nlp = Pipeline()
    nlp.add("drop_low_confidence", before="assemble", threshold=0.6)
    assertions = nlp("Cuba and South Korea established diplomatic relations on Wednesday.",
                     published=date(2024, 2, 15))
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from spacy.tokens import Doc, Token

from ..records import Assertion
from ..vocab import PartialDate
from .lexicon import Entry, Lexicon, Rule, lexicon, normalize_text

EXTRACTOR = "comity-news"
VERSION = "0.1.0"

#: name -> factory(lexicon, **config) -> callable(Analysis) -> None
COMPONENTS: dict[str, Callable[..., Callable[[Analysis], None]]] = {}

DEFAULT_PIPELINE = ("prefilter", "sentences", "actors", "triggers", "roles", "modality", "dates", "assemble")


def component(name: str) -> Callable:
    """Register a component factory under ``name`` (a decorator)."""

    def register(factory: Callable[..., Callable[[Analysis], None]]) -> Callable:
        COMPONENTS[name] = factory
        return factory

    return register


# -- what flows through the pipeline ---------------------------------------------------------------


@dataclass
class Mention:
    """A name of a state (or a reference to one) at [start, end) of the analysed text."""

    start: int
    end: int
    surface: str
    entry: Entry
    codes: tuple[str, ...] = ()  # what it stands for once resolved (two codes for "the two countries")
    possessive: bool = False

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def ref(self) -> str | None:
        return self.entry.ref

    @property
    def resolved(self) -> bool:
        return bool(self.codes)


@dataclass
class Trigger:
    """A matched trigger phrase: tokens [start, end) of ``doc``."""

    rule: Rule
    doc: Doc
    start: int
    end: int
    verb: int  # token index of the verb (or the first token)
    head: int  # token index of the head noun (or the last token)

    @property
    def type(self) -> str:
        return self.rule.type

    @property
    def flags(self) -> frozenset[str]:
        return self.rule.flags

    @property
    def char_start(self) -> int:
        got = self.__dict__.get("_char_start")  # (start, offset): the stages ask often
        if got is None or got[0] != self.start:
            got = self.__dict__["_char_start"] = (self.start, self.doc[self.start].idx + doc_offset(self.doc))
        return got[1]

    @property
    def char_end(self) -> int:
        got = self.__dict__.get("_char_end")
        if got is None or got[0] != self.end:
            t = self.doc[self.end - 1]
            got = self.__dict__["_char_end"] = (self.end, t.idx + len(t.text) + doc_offset(self.doc))
        return got[1]

    @property
    def sent(self):
        got = self.__dict__.get("_sent")
        if got is None:
            got = self.__dict__["_sent"] = sentence_of(self.doc, self.start)
        return got


# -- quick reads of the extension attributes ---------------------------------------------------------
# ``token._.actor`` goes through spaCy's Underscore object, some 1.5 us a read, and the stages read
# them often. spaCy keeps the values in ``doc.user_data`` under ("._.", name, token.idx, None) (a doc's
# under ("._.", name, None, None)); these read them there, the same values, when the attributes are
# plain ones (no getter, no method), as lexicon.py registers them.


def _plain_default(cls: Any, name: str) -> tuple[bool, Any]:
    default, method, getter, setter = cls.get_extension(name)
    return (method is None and getter is None and setter is None), default


_ACTOR_PLAIN, _ACTOR_DEFAULT = _plain_default(Token, "actor")
_IS_ACTOR_PLAIN, _IS_ACTOR_DEFAULT = _plain_default(Token, "is_actor")
_OFFSET_PLAIN, _OFFSET_DEFAULT = _plain_default(Doc, "offset")
_OFFSET_KEY = ("._.", "offset", None, None)


def doc_offset(doc: Doc) -> int:
    """``doc._.offset``."""
    if _OFFSET_PLAIN:
        return doc.user_data.get(_OFFSET_KEY, _OFFSET_DEFAULT)
    return doc._.offset


def mention_of(tok: Token) -> Mention | None:
    """``tok._.actor``: the mention the token stands for (also one that resolved to nothing)."""
    if _ACTOR_PLAIN:
        return tok.doc.user_data.get(("._.", "actor", tok.idx, None), _ACTOR_DEFAULT)
    return tok._.actor


def is_actor(tok: Token) -> bool:
    """``tok._.is_actor``: the token is a mention of a state (a resolved one)."""
    if _IS_ACTOR_PLAIN:
        return tok.doc.user_data.get(("._.", "is_actor", tok.idx, None), _IS_ACTOR_DEFAULT)
    return tok._.is_actor


def actor_of(tok: Token) -> Mention | None:
    """``tok._.actor if tok._.is_actor else None``."""
    if _ACTOR_PLAIN and _IS_ACTOR_PLAIN:
        data = tok.doc.user_data
        idx = tok.idx
        if data.get(("._.", "is_actor", idx, None), _IS_ACTOR_DEFAULT):
            return data.get(("._.", "actor", idx, None), _ACTOR_DEFAULT)
        return None
    return tok._.actor if tok._.is_actor else None


def set_actor(tok: Token, mention: Mention | None = None, flag: bool = True) -> None:
    """``tok._.actor = mention`` (unless None) and ``tok._.is_actor = flag``."""
    if _ACTOR_PLAIN and _IS_ACTOR_PLAIN:
        data = tok.doc.user_data
        idx = tok.idx
        if mention is not None:
            data[("._.", "actor", idx, None)] = mention
        data[("._.", "is_actor", idx, None)] = flag
        return
    if mention is not None:
        tok._.actor = mention
    tok._.is_actor = flag


def doc_chars(doc: Doc) -> int:
    """``len(doc.text)``, computed once (``doc.text`` joins every token anew on each call)."""
    got = doc.user_data.get("comity_chars")
    if got is None:
        got = doc.user_data["comity_chars"] = len(doc.text)
    return got


def sentence_ranges(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) token ranges of the doc's sentences, computed once."""
    got = doc.user_data.get("comity_sents")
    if got is None:
        got = doc.user_data["comity_sents"] = [(s.start, s.end) for s in doc.sents]
    return got


def sentence_of(doc: Doc, i: int):  # type: ignore[no-untyped-def]
    """The sentence (a Span) holding token i."""
    import bisect

    ranges = sentence_ranges(doc)
    firsts = doc.user_data.get("comity_sent_firsts")
    if firsts is None or firsts[0] is not ranges:
        # the sentences' first tokens (ints only: a Span kept in the doc would make a reference cycle,
        # and the doc would wait for the garbage collector instead of going when the article does)
        firsts = doc.user_data["comity_sent_firsts"] = (ranges, [r[0] for r in ranges])
    a, b = ranges[max(bisect.bisect_right(firsts[1], i) - 1, 0)]
    return doc[a:b]


@dataclass
class Candidate:
    """An event the text may state: a trigger with its parties, modality and date."""

    trigger: Trigger
    type: str
    a: str
    b: str
    modality: str = "asserted"
    tense: str = ""
    background: bool = False
    date: PartialDate | None = None
    date_text: str | None = None
    date_source: str = "none"  # explicit | published | none
    span: tuple[int, int] | None = None  # evidence, char offsets in the analysed text
    confidence: float = 0.9
    notes: list[str] = field(default_factory=list)
    tokens: list[int] = field(default_factory=list)  # token indices that took part (for evidence)
    epoch: str = "unknown"  # current (today's news) | past (a dated background fact) | unknown | other
    date_span: tuple[int, int] | None = None  # the date phrase, char offsets in the analysed text
    subject_index: tuple[int, int] | None = None  # (i, n): the i-th of n coordinated acting states
    antecedent: Candidate | None = None  # an elliptical change's model ("Bahrain followed suit")


@dataclass
class Analysis:
    text: str
    norm: str
    body_offset: int = 0
    published: date | None = None
    published_inferred: bool = False
    options: dict = field(default_factory=dict)
    hits: list[tuple[int, int, tuple]] = field(default_factory=list)
    windows: list[tuple[int, int]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    docs: list[Doc] = field(default_factory=list)
    triggers: list[Trigger] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    assertions: list[Assertion] = field(default_factory=list)
    stopped: str | None = None
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    salience: dict[str, int] = field(default_factory=dict)
    low: str = ""  # the normalised text in lower case (same length)
    coord_parent: dict[int, Trigger] = field(
        default_factory=dict
    )  # id(trigger) -> the verb it is coordinated with
    switches: list[tuple[Trigger, list[tuple[str, str, str]]]] = field(default_factory=list)
    mention_ends: list[int] = field(default_factory=list)
    memo: dict = field(default_factory=dict)  # what the stages work out once per article

    def stop(self, by: str, why: str = "") -> None:
        self.stopped = by
        if why:
            self.notes.append(f"{by}: {why}")


# -- the pipeline ------------------------------------------------------------------------------------


class Pipeline:
    """An ordered list of named components. Call it on a text to get its assertions."""

    def __init__(
        self, names: Iterable[str] = DEFAULT_PIPELINE, *, config: dict[str, dict] | None = None
    ) -> None:
        _ensure_components()
        self.lexicon: Lexicon = lexicon()
        self._steps: list[tuple[str, Callable[[Analysis], None]]] = []
        config = config or {}
        for name in names:
            self.add(name, **config.get(name, {}))

    # -- composition ---------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        return [n for n, _ in self._steps]

    def add(
        self, name: str, *, before: str | None = None, after: str | None = None, **config: Any
    ) -> Pipeline:
        if name not in COMPONENTS:
            raise KeyError(f"no component {name!r}; registered: {', '.join(sorted(COMPONENTS))}")
        if name in self.names:
            raise ValueError(f"component {name!r} is already in the pipeline")
        step = (name, COMPONENTS[name](self.lexicon, **config))
        if before is not None:
            self._steps.insert(self.names.index(before), step)
        elif after is not None:
            self._steps.insert(self.names.index(after) + 1, step)
        else:
            self._steps.append(step)
        return self

    def remove(self, name: str) -> Pipeline:
        self._steps = [(n, f) for n, f in self._steps if n != name]
        return self

    def replace(self, name: str, factory_name: str, **config: Any) -> Pipeline:
        i = self.names.index(name)
        self._steps[i] = (factory_name, COMPONENTS[factory_name](self.lexicon, **config))
        return self

    # -- running -----------------------------------------------------------------------------
    def analyse(
        self,
        text: str,
        *,
        published: date | None = None,
        title: str | None = None,
        timings: bool = False,
        **options: Any,
    ) -> Analysis:
        """Run every component over the text; the :class:`Analysis` keeps what each found."""
        body_offset = 0
        if title and title.strip():
            title = " ".join(title.split())
            body_offset = len(title) + 2
            text = title + "\n\n" + text
        an = Analysis(
            text=text,
            norm=normalize_text(text),
            body_offset=body_offset,
            published=published,
            options=options,
        )
        for name, step in self._steps:
            t0 = time.perf_counter() if timings else 0.0
            step(an)
            if timings:
                an.timings[name] = an.timings.get(name, 0.0) + time.perf_counter() - t0
            if an.stopped:
                break
        return an

    def __call__(
        self, text: str, *, published: date | None = None, title: str | None = None, **options: Any
    ) -> list[Assertion]:
        return self.analyse(text, published=published, title=title, **options).assertions


def _ensure_components() -> None:
    # Importing the stage modules registers their components.
    from . import actors, assemble, dates, modality, prefilter, roles, sentences, triggers  # noqa: F401
