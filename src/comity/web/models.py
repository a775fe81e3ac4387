"""The shapes the HTTP API answers with (pydantic models, so the OpenAPI spec describes them).

They mirror :mod:`comity.query`'s answers field for field; the API adds names next to codes where a
reader needs them and nothing else.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from ..states import registry
from ..vocab import EventType, Modality, PartialDate

MapStatus = Literal[
    "self", "relations", "none", "severed", "suspended", "one_sided", "not_foreign", "unknown"
]


class ErrorOut(BaseModel):
    detail: str
    suggestions: list[dict[str, str]] = Field(
        default_factory=list, description="Close matches: code and name"
    )


class SourceOut(BaseModel):
    title: str
    url: str | None = None
    kind: str
    outlet: str | None = None
    published: str | None = None


class StateOut(BaseModel):
    code: str
    name: str
    official_name: str | None = None
    kind: str
    un_admission: str | None = None
    un_exit: str | None = None
    capital: str | None = None
    demonym: str | None = None
    successors: list[str] = Field(default_factory=list)
    iso: bool = True
    note: str | None = None


class PartnerOut(BaseModel):
    code: str
    name: str
    date: str | None
    position: int | None
    basis: str = Field(
        description="own: the state's own list; partner: only the partner's page; record: the news"
    )
    un_member: bool
    sources: list[SourceOut]
    note: str | None = None


class PartnersOut(BaseModel):
    state: str
    name: str
    as_of: str
    among: Literal["all", "un"]
    count: int
    partners: list[PartnerOut]


class MissingItemOut(BaseModel):
    code: str
    name: str
    status: str
    note: str
    since: str | None = None
    sources: list[SourceOut]


class MissingOut(BaseModel):
    state: str
    name: str
    as_of: str
    among: Literal["all", "un"]
    count: int
    missing: list[MissingItemOut]


class RankOut(BaseModel):
    state: str
    partner: str
    as_of: str
    date: str | None
    rank_all: int | None
    rank_un: int | None
    total_all: int
    total_un: int
    basis: str | None
    note: str | None
    sources: list[SourceOut]


class EvidenceOut(BaseModel):
    source: str
    quote: str | None
    date: str | None
    date_text: str | None
    span: list[int] | None
    extractor: str | None


class EventOut(BaseModel):
    id: int
    type: str
    a: str
    b: str
    date: str | None
    precision: str | None
    modality: str
    lo: int | None
    hi: int | None
    bound: int | None
    happened_by: str | None
    n_sources: int
    disputed_dates: Any = None
    sources: list[SourceOut]
    evidence: list[EvidenceOut]


class StatusOut(BaseModel):
    a: str
    b: str
    a_name: str
    b_name: str
    as_of: str
    status: Literal["relations", "none", "severed", "suspended", "unknown"]
    since: str | None
    note: str | None
    events: list[EventOut]
    sources: list[SourceOut]
    disagreements: list[dict[str, Any]]


class PeriodOut(BaseModel):
    status: str
    start: str | None
    end: str | None
    start_certain: bool


class TimelineOut(BaseModel):
    a: str
    b: str
    a_name: str
    b_name: str
    not_foreign: str | None
    periods: list[PeriodOut]
    events: list[EventOut]
    sources: list[SourceOut]


class EventSummaryOut(BaseModel):
    id: int
    type: str
    a: str
    b: str
    a_name: str
    b_name: str
    date: str | None
    modality: str
    n_sources: int


class ConflictOut(BaseModel):
    kind: Literal["date", "one_sided"]
    type: str
    a: str
    b: str
    date: str | None
    readings: Any = None
    sources: list[dict[str, Any]]


class MapOut(BaseModel):
    state: str
    name: str
    as_of: str
    among: Literal["all", "un"]
    counts: dict[str, int]
    status: dict[str, MapStatus] = Field(description="Each state's relation with the chosen one, by code")


class HistoryPoint(BaseModel):
    date: str
    all: int
    un: int


class HistoryOut(BaseModel):
    state: str
    name: str
    points: list[HistoryPoint]


# -- what comes in ------------------------------------------------------------------------------------
def _unicode(value: str) -> str:
    """Refuse a lone surrogate ("\\ud800" in JSON): it is not text, and no database stores it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(
            f"not valid Unicode: a lone surrogate ({value[exc.start]!r}) at position {exc.start}"
        ) from None
    return value


def _storable(value: str) -> str:
    """What any database stores: no lone surrogate, no NUL (PostgreSQL refuses one that SQLite takes)."""
    _unicode(value)
    if "\x00" in value:
        raise ValueError(f"contains a NUL character at position {value.index(chr(0))}")
    return value


def _day(value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD)") from None
    if len(value) != 10:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD)")
    return value


def _partial(value: str) -> str:
    PartialDate.parse(value)  # ValueError: "not a date: ... (use YYYY, YYYY-MM or YYYY-MM-DD)"
    return value


def _code(value: str) -> str:
    if value not in registry():
        raise ValueError(f"not a state code: {value!r} (codes as GET /api/states gives them)")
    return value


def _json_value(value: dict[str, Any]) -> dict[str, Any]:
    try:
        text = json.dumps(value, allow_nan=False, ensure_ascii=False)
    except ValueError as exc:
        raise ValueError(f"not storable as JSON: {exc}") from None
    _storable(text)
    return value


Text = Annotated[str, AfterValidator(_unicode)]
Stored = Annotated[str, AfterValidator(_storable)]
Day = Annotated[str, AfterValidator(_day), Field(description="YYYY-MM-DD")]
Code = Annotated[str, AfterValidator(_code), Field(max_length=8, description="A state code: KOR, CUB")]
Offset = Annotated[int, Field(ge=0, le=2**31 - 1)]


class ArticleIn(BaseModel):
    """An article: its ``text``, or (when the server fetches pages) the ``url`` of its page alone."""

    model_config = ConfigDict(json_schema_extra={"anyOf": [{"required": ["text"]}, {"required": ["url"]}]})

    text: Text | None = Field(
        None,
        min_length=1,
        description="The article: plain text, or an HTML page. Without it, 'url' is fetched",
    )
    title: Text | None = None
    url: Text | None = Field(
        None,
        max_length=2048,
        description="The article's address. Without 'text', the page is fetched from it: only when the "
        "server runs with --allow-fetch, and only from public http(s) addresses",
    )
    outlet: Text | None = None
    published: Text | None = Field(None, description="YYYY-MM-DD; the day relative dates are read from")

    @model_validator(mode="after")
    def _text_or_url(self) -> ArticleIn:
        if self.text is None and not self.url:
            raise ValueError("give 'text' (the article) or 'url' (its page, when the server fetches pages)")
        return self


class SourceIn(BaseModel):
    """A source as ``Source.to_dict()`` writes it."""

    model_config = ConfigDict(extra="forbid")

    kind: Annotated[Stored, Field(min_length=1, max_length=32, description="wikipedia, news, gdelt, ...")]
    title: Annotated[Stored, Field(min_length=1, max_length=10_000)]
    content_hash: Annotated[Stored, Field(min_length=1, max_length=64)]
    url: Annotated[Stored, Field(max_length=10_000)] | None = None
    outlet: Annotated[Stored, Field(max_length=200)] | None = None
    published: Day | None = None
    retrieved: Day | None = None
    licence: Annotated[Stored, Field(max_length=200)] | None = None
    attribution: Annotated[Stored, Field(max_length=10_000)] | None = None


class AssertionIn(BaseModel):
    """An assertion as ``Assertion.to_dict()`` writes it (``precision`` follows from ``date``)."""

    type: EventType
    a: Code
    b: Code
    date: Annotated[str, AfterValidator(_partial)] | None = Field(
        None, description="YYYY, YYYY-MM or YYYY-MM-DD"
    )
    precision: str | None = Field(None, description="Ignored: the date's own precision is used")
    modality: Modality = Modality.ASSERTED
    evidence: Annotated[Stored, Field(max_length=100_000)] | None = ""
    span: tuple[Offset, Offset] | None = None
    date_text: Annotated[Stored, Field(max_length=10_000)] | None = None
    extractor: Annotated[Stored, Field(max_length=64)] | None = ""
    extractor_version: Annotated[Stored, Field(max_length=32)] | None = ""
    confidence: float = Field(1.0, ge=0, le=1, allow_inf_nan=False)
    detail: Annotated[dict[str, Any], AfterValidator(_json_value)] | None = None

    @model_validator(mode="after")
    def _two_parties(self) -> AssertionIn:
        if self.a == self.b:
            raise ValueError(f"an assertion needs two different parties, got {self.a} twice")
        if self.span is not None and self.span[0] > self.span[1]:
            raise ValueError(f"span: its start ({self.span[0]}) is after its end ({self.span[1]})")
        return self


class ProblemIn(BaseModel):
    """Something the source held that could not be read."""

    kind: Annotated[Stored, Field(min_length=1, max_length=64)] = "unknown"
    message: Annotated[Stored, Field(max_length=100_000)] = ""
    raw: Annotated[Stored, Field(max_length=1_000_000)] | None = None
    section: Annotated[Stored, Field(max_length=10_000)] | None = None


class DocumentIn(BaseModel):
    """A document as ``comity.records.Document.to_dict()`` writes it."""

    model_config = ConfigDict(extra="forbid")

    source: SourceIn
    subject: Code | None = Field(None, description="The state a reference page is about")
    assertions: list[AssertionIn] = Field(default_factory=list)
    problems: list[ProblemIn] = Field(default_factory=list)


class AssertionOut(BaseModel):
    type: str
    a: str
    b: str
    a_name: str
    b_name: str
    date: str | None
    precision: str | None
    modality: str
    evidence: str
    span: list[int] | None
    date_text: str | None
    confidence: float
    extractor: str
    extractor_version: str
    detail: dict[str, Any] | None = None


class ExtractOut(BaseModel):
    title: str | None
    published: str | None
    count: int
    assertions: list[AssertionOut]


class FactOut(BaseModel):
    fact: str
    state: str | None = None
    date: str | None = None
    sources: list[dict[str, Any]] = Field(default_factory=list)


class ClaimOut(BaseModel):
    text: str = Field(description="The sentence that makes the claim")
    span: list[int] | None = Field(description="Its offsets in the article text (none for the title)")
    kind: Literal["ordinal", "exclusivity", "count", "dated", "news"]
    verdict: Literal["supported", "contradicted", "depends", "unverifiable"]
    explanation: str
    evidence: list[FactOut]
    phrase: str
    states: list[str]
    where: str


class CheckOut(BaseModel):
    title: str | None
    published: str | None
    as_of: str = Field(description="The day the record was read as of")
    as_of_from: str = Field(description="published, article, text (a dateline) or today")
    summary: dict[str, int] = Field(description="How many claims got each verdict")
    count: int
    claims: list[ClaimOut]
    notes: list[str]


class IngestIn(BaseModel):
    documents: list[DocumentIn] | None = Field(
        None, description="Documents as comity.records.Document.to_dict() writes them"
    )
    article: ArticleIn | None = Field(None, description="A news article: extracted, then stored")


class IngestItemOut(BaseModel):
    title: str
    source_id: int
    added: bool
    assertions: int
    problems: int
    replaced: int


class IngestOut(BaseModel):
    results: list[IngestItemOut]


class HealthOut(BaseModel):
    ok: bool
    version: str
    database: str
    writes: bool
    extract: bool
    check: bool
    fetch: bool = Field(False, description="Whether POST bodies may give a 'url' to fetch instead of 'text'")
