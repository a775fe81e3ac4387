"""The schema: sources -> assertions -> events -> timelines, plus what could not be read.

Dates are stored three ways: the partial date as written (``1949``, ``1960-07``, ``2024-02-14``),
and two integer keys ``lo``/``hi`` (YYYYMMDD of its earliest and latest day) for range queries.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class SourceRow(Base):
    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(200))
    published: Mapped[object | None] = mapped_column(Date)
    retrieved: Mapped[object | None] = mapped_column(Date)
    content_hash: Mapped[str] = mapped_column(String(64))
    licence: Mapped[str | None] = mapped_column(String(200))
    attribution: Mapped[str | None] = mapped_column(Text)
    #: The state a reference page is about ("Foreign relations of X"): its own list orders its partners.
    subject: Mapped[str | None] = mapped_column(String(8))
    imported: Mapped[object | None] = mapped_column(Date)
    __table_args__ = (
        UniqueConstraint("kind", "content_hash", name="uq_sources_kind_hash"),
        Index("ix_sources_kind_title", "kind", "title"),
    )


class AssertionRow(Base):
    __tablename__ = "assertions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(32))
    a: Mapped[str] = mapped_column(String(8))
    b: Mapped[str] = mapped_column(String(8))
    date: Mapped[str | None] = mapped_column(String(10))
    lo: Mapped[int | None] = mapped_column(Integer)
    hi: Mapped[int | None] = mapped_column(Integer)
    date_text: Mapped[str | None] = mapped_column(Text)
    modality: Mapped[str] = mapped_column(String(16))
    evidence: Mapped[str] = mapped_column(Text, default="")
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    extractor: Mapped[str] = mapped_column(String(64), default="")
    extractor_version: Mapped[str] = mapped_column(String(32), default="")
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    detail: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"), index=True)
    __table_args__ = (Index("ix_assertions_pair", "a", "b"),)


class EventRow(Base):
    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(32))
    a: Mapped[str] = mapped_column(String(8))
    b: Mapped[str] = mapped_column(String(8))
    date: Mapped[str | None] = mapped_column(String(10))
    lo: Mapped[int | None] = mapped_column(Integer)
    hi: Mapped[int | None] = mapped_column(Integer)
    #: For an undated event: the date of the latest source that states it (it happened by then).
    bound: Mapped[int | None] = mapped_column(Integer)
    modality: Mapped[str] = mapped_column(String(16))
    n_sources: Mapped[int] = mapped_column(Integer, default=1)
    #: The dates the supporting sources give when they disagree, else null.
    disputed_dates: Mapped[list | None] = mapped_column(JSON(none_as_null=True))
    __table_args__ = (
        Index("ix_events_pair", "a", "b"),
        Index("ix_events_type_lo", "type", "lo"),
    )


class PeriodRow(Base):
    """One stretch of a pair's timeline: a status from one event until the next change."""

    __tablename__ = "periods"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    a: Mapped[str] = mapped_column(String(8))
    b: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    start: Mapped[str | None] = mapped_column(String(10))
    start_lo: Mapped[int | None] = mapped_column(Integer)
    start_hi: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[str | None] = mapped_column(String(10))
    end_lo: Mapped[int | None] = mapped_column(Integer)
    end_hi: Mapped[int | None] = mapped_column(Integer)
    start_event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    end_event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    __table_args__ = (Index("ix_periods_a", "a", "status"), Index("ix_periods_b", "b", "status"))


class ListingRow(Base):
    """How a state's own page (or, failing that, the record) orders one partner: first date and position."""

    __tablename__ = "listings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    viewer: Mapped[str] = mapped_column(String(8))
    partner: Mapped[str] = mapped_column(String(8))
    date: Mapped[str | None] = mapped_column(String(10))
    lo: Mapped[int | None] = mapped_column(Integer)
    hi: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int | None] = mapped_column(Integer)
    #: "own" (the viewer's own list), "partner" (only the partner's page), "record" (news and other sources)
    basis: Mapped[str] = mapped_column(String(16))
    __table_args__ = (UniqueConstraint("viewer", "partner", name="uq_listings_pair"),)


class ProblemRow(Base):
    """Something a source held that could not be read, kept with its raw text."""

    __tablename__ = "problems"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    raw: Mapped[str | None] = mapped_column(Text)
    section: Mapped[str | None] = mapped_column(Text)


class MetaRow(Base):
    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class BulkChunkRow(Base):
    """One chunk of an archive that ``comity ingest --bulk`` has finished: read, extracted and stored.

    ``archive`` names the archive by content (a hash of its size and samples of its bytes), so a moved
    or renamed archive is still known; ``plan`` is how it was cut (``jsonl:8388608``: byte ranges of
    8 MiB). A rerun skips the chunks listed here.
    """

    __tablename__ = "bulk_chunks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    archive: Mapped[str] = mapped_column(String(64))
    plan: Mapped[str] = mapped_column(String(64))
    chunk: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(BigInteger)
    end: Mapped[int] = mapped_column(BigInteger)
    articles: Mapped[int] = mapped_column(Integer, default=0)
    stored: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[object] = mapped_column(DateTime)
    __table_args__ = (UniqueConstraint("archive", "plan", "chunk", name="uq_bulk_chunks_chunk"),)
