"""The shapes the HTTP API answers with (pydantic models, so the OpenAPI spec describes them).

They mirror :mod:`comity.query`'s answers field for field; the API adds names next to codes where a
reader needs them and nothing else.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

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


class ArticleIn(BaseModel):
    text: str = Field(min_length=1, description="The article: plain text, or an HTML page")
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = Field(None, description="YYYY-MM-DD; the day relative dates are read from")


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
    documents: list[dict[str, Any]] | None = Field(
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
