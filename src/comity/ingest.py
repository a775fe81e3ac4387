"""News articles -> the record: read, extract, store and merge, one article per transaction.

The same real event told by several outlets becomes one event with several sources (see
:mod:`comity.merge`); the pairs an article touches get their events and timelines rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .reader import Article, ReadError, article_source
from .records import Document
from .store import Store


def article_document(article: Article) -> Document:
    """What one article states, as a document ready for the store (no database touched)."""
    from .extract import extract

    assertions = extract(article.text, published=article.published, title=article.title)
    return Document(article_source(article), assertions)


@dataclass
class IngestReport:
    read: int = 0
    added: int = 0
    duplicates: int = 0
    assertions: int = 0
    errors: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "read": self.read,
            "added": self.added,
            "duplicates": self.duplicates,
            "assertions": self.assertions,
            "errors": self.errors,
        }


def ingest(
    store: Store,
    items: Iterable[Article | ReadError],
    *,
    progress: Callable[[Article | ReadError], None] | None = None,
) -> IngestReport:
    """Store every article of ``items``; a bad item is reported and the rest go on."""
    report = IngestReport()
    for item in items:
        if isinstance(item, ReadError):
            report.errors.append(item.to_dict())
        else:
            report.read += 1
            try:
                doc = article_document(item)
                result = store.add(doc)
            except Exception as exc:  # one bad article must not stop a folder or an archive
                report.errors.append(
                    {"source": item.source_path, "item": item.id, "error": f"{exc.__class__.__name__}: {exc}"}
                )
            else:
                if result.added:
                    report.added += 1
                    report.assertions += result.assertions
                else:
                    report.duplicates += 1
        if progress:
            progress(item)
    return report
