"""Plain records that flow between stages: a source document and what it asserts.

documents -> :class:`Assertion` (what one source says) -> events -> timelines -> queries.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date

from .vocab import EventType, Modality, PartialDate, order_pair


def content_hash(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


@dataclass
class Source:
    """One document: a Wikipedia page, a news article, a GDELT file."""

    kind: str  # "wikipedia" | "news" | "gdelt" | ...
    title: str
    content_hash: str
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    retrieved: date | None = None
    licence: str | None = None
    attribution: str | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in ("published", "retrieved"):
            d[k] = d[k].isoformat() if d[k] else None
        return d


@dataclass
class Assertion:
    """What one source says about one pair: an event of a type, with its date and evidence.

    ``span`` is (start, end) character offsets of ``evidence`` in the source text, when known.
    ``date_text`` keeps the phrase the date came from, also when it could not be resolved.
    ``detail`` carries importer-specific facts (the row number on a list, a table section).
    """

    type: EventType
    a: str
    b: str
    date: PartialDate | None = None
    modality: Modality = Modality.ASSERTED
    evidence: str = ""
    span: tuple[int, int] | None = None
    date_text: str | None = None
    extractor: str = ""
    extractor_version: str = ""
    confidence: float = 1.0
    detail: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.type = EventType(self.type)
        self.modality = Modality(self.modality)
        if self.a == self.b:
            raise ValueError(f"an assertion needs two different parties, got {self.a} twice")
        self.a, self.b = order_pair(self.type, self.a, self.b)

    @property
    def precision(self) -> str | None:
        return self.date.precision.value if self.date else None

    def key(self) -> tuple:
        """What makes two assertions of one source the same statement."""
        return (
            self.type.value,
            self.a,
            self.b,
            str(self.date) if self.date else None,
            self.modality.value,
            self.span,
            self.evidence,
        )

    def to_dict(self) -> dict:
        return {
            "type": self.type.value,
            "a": self.a,
            "b": self.b,
            "date": str(self.date) if self.date else None,
            "precision": self.precision,
            "modality": self.modality.value,
            "evidence": self.evidence,
            "span": list(self.span) if self.span else None,
            "date_text": self.date_text,
            "confidence": round(self.confidence, 3),
            "extractor": self.extractor,
            "extractor_version": self.extractor_version,
            "detail": self.detail or None,
        }


@dataclass
class Document:
    """A source with everything it asserts, the unit that goes into the store in one transaction.

    ``problems`` lists what could not be read (a row that did not parse, with its raw text), so
    nothing is dropped silently.
    """

    source: Source
    assertions: list[Assertion] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    #: The state a reference page is about; its own list is how that state orders its partners.
    subject: str | None = None

    def to_dict(self) -> dict:
        return {
            "source": self.source.to_dict(),
            "subject": self.subject,
            "assertions": [a.to_dict() for a in self.assertions],
            "problems": self.problems,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Document:
        src = dict(data["source"])
        for k in ("published", "retrieved"):
            src[k] = date.fromisoformat(src[k]) if src.get(k) else None
        assertions = []
        for a in data.get("assertions", []):
            assertions.append(
                Assertion(
                    type=EventType(a["type"]),
                    a=a["a"],
                    b=a["b"],
                    date=PartialDate.parse(a.get("date")),
                    modality=Modality(a.get("modality", "asserted")),
                    evidence=a.get("evidence") or "",
                    span=tuple(a["span"]) if a.get("span") else None,  # type: ignore[arg-type]
                    date_text=a.get("date_text"),
                    extractor=a.get("extractor") or "",
                    extractor_version=a.get("extractor_version") or "",
                    confidence=float(a.get("confidence", 1.0)),
                    detail=a.get("detail") or {},
                )
            )
        return cls(Source(**src), assertions, list(data.get("problems") or []), data.get("subject"))
