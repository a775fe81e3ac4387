"""`comity verify` finds a record whose derived tables or links have gone wrong."""

from sqlalchemy import delete, update

from comity.records import Assertion, Document, Source, content_hash
from comity.store.models import EventRow, PeriodRow
from comity.verify import events_checksum, verify
from comity.vocab import PartialDate


def _doc(title: str, *assertions: Assertion) -> Document:
    return Document(Source("news", title, content_hash(title)), list(assertions))


def test_a_healthy_record_passes_and_a_damaged_one_fails(any_store):
    store = any_store
    store.add(_doc("one", Assertion("establish", "CUB", "KOR", PartialDate.parse("2024-02-14"))))
    store.add(_doc("two", Assertion("sever", "CUB", "KOR", PartialDate.parse("2026-03-01"))))
    report = verify(store)
    assert report.ok, report.failures
    checksum = events_checksum(store)
    assert report.checksum == checksum

    with store.engine.begin() as conn:
        conn.execute(delete(PeriodRow.__table__).where(PeriodRow.status == "severed"))
    report = verify(store)
    assert not report.ok and any("periods differ" in f for f in report.failures)

    store.rebuild()
    assert verify(store).ok
    with store.engine.begin() as conn:
        conn.execute(update(EventRow.__table__).values(n_sources=5))
    assert any("counts 5 sources" in f for f in verify(store).failures)
    store.rebuild()
    assert events_checksum(store) == checksum
