"""Read the news: what an article states about diplomatic relations, with the quote that proves it.

    >>> from datetime import date
    >>> from comity.extract import extract
    >>> for a in extract("Cuba and South Korea established diplomatic relations on Wednesday.",
    ...                  published=date(2024, 2, 15)):
    ...     print(a.type.value, a.a, a.b, a.date, a.modality.value)
    establish CUB KOR 2024-02-14 asserted

The pipeline (:class:`Pipeline`) runs registered components in order, one job each:
``prefilter`` (Aho-Corasick keywords; most articles stop here), ``sentences`` (spaCy tokenizer and
sentencizer over the candidate paragraphs), ``actors`` (gazetteer and references), ``triggers``
(Matcher patterns from ``data/extract/triggers.txt``), ``roles`` (who did what to whom),
``modality``, ``dates`` and ``assemble`` (one assertion per change, with evidence).

Offsets: ``Assertion.span`` is (start, end) in ``text`` as passed. With ``title=...`` the title is
analysed first (as ``title + "\\n\\n" + text``); an event found only in the title has
``span=None`` and ``detail["title_span"]`` giving offsets into the title.
"""

from __future__ import annotations

from datetime import date

from ..records import Assertion
from .pipeline import (
    COMPONENTS,
    DEFAULT_PIPELINE,
    EXTRACTOR,
    VERSION,
    Analysis,
    Candidate,
    Mention,
    Pipeline,
    Trigger,
    component,
)

_default: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _default
    if _default is None:
        _default = Pipeline()
    return _default


def extract(
    text: str,
    *,
    published: date | None = None,
    title: str | None = None,
    include_standing: bool = False,
) -> list[Assertion]:
    """The relation changes ``text`` states, as :class:`~comity.records.Assertion` objects.

    ``published`` resolves relative dates ("on Wednesday", "last month") and dates a change
    reported as news; without it, a dateline at the head of the text is used when there is one.
    ``include_standing`` also reports standing states ("has no diplomatic relations with") as
    negated assertions (``detail["notes"]`` has "standing"); by default they are no events.
    """
    if not isinstance(text, str) or not text.strip():
        return []
    return default_pipeline()(text, published=published, title=title, include_standing=include_standing)


__all__ = [
    "COMPONENTS",
    "DEFAULT_PIPELINE",
    "EXTRACTOR",
    "VERSION",
    "Analysis",
    "Candidate",
    "Mention",
    "Pipeline",
    "Trigger",
    "component",
    "default_pipeline",
    "extract",
]
