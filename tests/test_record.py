"""The record end to end on small hand-made sources: store (SQLite and PostgreSQL), events, timelines
and the questions of :mod:`comity.query`."""

from __future__ import annotations

from datetime import date

import pytest

from comity.query import QueryError, Record
from comity.records import Assertion, Document, Source, content_hash
from comity.vocab import PartialDate

RETRIEVED = date(2025, 11, 1)


def page(subject: str, name: str, rows: list[tuple], extra: list[Assertion] | None = None) -> Document:
    """A 'Foreign relations of X' page: rows are (partner, date, marker)."""
    title = f"Foreign relations of {name}"
    assertions = []
    for pos, (partner, d, *marker) in enumerate(rows, 1):
        assertions.append(
            Assertion(
                "establish",
                subject,
                partner,
                PartialDate.parse(d),
                evidence=f"{pos} | {partner} | {d}",
                extractor="wikipedia-list",
                detail={"table": "list", "position": pos},
            )
        )
        if marker:
            assertions.append(
                Assertion(
                    marker[0],
                    subject,
                    partner,
                    None,
                    evidence=f"{partner} ({marker[0]})",
                    extractor="wikipedia-list",
                    detail={"table": "list", "marker": marker[0]},
                )
            )
    assertions += extra or []
    src = Source(
        "wikipedia",
        title,
        content_hash(repr(rows) + repr(extra)),
        url=f"https://en.wikipedia.org/wiki/{title}",
        retrieved=RETRIEVED,
        licence="CC BY-SA 4.0",
    )
    return Document(src, assertions, [], subject)


def news(title: str, published: str, *assertions: Assertion) -> Document:
    src = Source(
        "news",
        title,
        content_hash(title + published),
        url=f"https://news.example/{len(title)}",
        outlet="Example Wire",
        published=date.fromisoformat(published),
    )
    return Document(src, list(assertions))


KOREA = page(
    "KOR",
    "South Korea",
    [
        ("GBR", "1949-01-18"),
        ("USA", "1949-03-25"),
        ("VAT", "1963-12-11"),
        ("COK", "2013-02-22"),
        ("NIU", "2023-05-29"),
        ("CUB", "2024-02-14"),
        ("SYR", "2025-04-10"),
    ],
)
CUBA = page("CUB", "Cuba", [("PRK", "1960-08-29"), ("KOR", "2024-02-14"), ("CAN", "1945-03-16")])
KOSOVO = page("XKX", "Kosovo", [("KOR", "2009-02-20")])
CANADA = page("CAN", "Canada", [("IRN", "1955-01-09", "suspend"), ("CUB", "1945-03-16")])
UNITED_STATES = page(
    "USA",
    "United States",
    [("IRN", "1883", "sever"), ("KOR", "1949-03-24")],
    extra=[
        Assertion(
            "sever",
            "USA",
            "IRN",
            PartialDate.parse("1980"),
            evidence="Diplomatic relations severed in 1980",
            extractor="wikipedia-bilateral",
            detail={"table": "bilateral"},
        ),
    ],
)


@pytest.fixture
def store(any_store):
    return any_store


@pytest.fixture
def record(store):
    store.add_many([KOREA, CUBA, KOSOVO, CANADA, UNITED_STATES])
    return Record(store)


def test_rank_counts_all_partners_and_un_members_only(record):
    r = record.rank("KOR", "CUB")
    assert (r.rank_all, r.rank_un) == (6, 3)  # the Holy See, the Cook Islands and Niue are not UN members
    assert r.date == "2024-02-14"
    assert "Foreign relations of South Korea" in [s.title for s in r.sources]


def test_a_state_s_own_list_orders_its_partners(record):
    # The US page dates the pair a day earlier than South Korea's page: Seoul's own list decides its order.
    names = [p.code for p in record.partners("KOR")]
    assert names == ["GBR", "USA", "VAT", "COK", "NIU", "CUB", "SYR"]
    assert next(p for p in record.partners("KOR") if p.code == "USA").date == "1949-03-25"
    assert next(p for p in record.partners("USA") if p.code == "KOR").date == "1949-03-24"


def test_partners_among_un_members_and_as_of_a_day(record):
    assert [p.code for p in record.partners("KOR", as_of="2024-02-13", among="un")] == ["GBR", "USA"]
    assert [p.code for p in record.partners("KOR", as_of="2024-02-15", among="un")] == ["GBR", "USA", "CUB"]


def test_missing_names_the_pairs_that_are_not_foreign_to_each_other(record):
    before = {m.code: m for m in record.missing("KOR", as_of="2024-02-15")}
    assert "not a foreign state" in before["PRK"].note
    assert "SYR" in before and "CUB" not in before
    after = {m.code for m in record.missing("KOR", as_of="2025-05-01")}
    assert "SYR" not in after and "PRK" in after


def test_a_pair_only_the_partner_page_lists_is_not_counted_but_shown_as_a_conflict(record):
    assert "XKX" not in [p.code for p in record.partners("KOR")]
    one_sided = [c for c in record.conflicts("KOR") if c["kind"] == "one_sided"]
    assert [(c["a"], c["b"]) for c in one_sided] == [("KOR", "XKX")]


def test_status_has_since_and_sources(record):
    s = record.status("CUB", "PRK", as_of="2000-01-01")
    assert (s.status, s.since) == ("relations", "1960-08-29")
    assert [x.title for x in s.sources] == ["Foreign relations of Cuba"]
    assert record.status("CUB", "PRK", as_of="1959-01-01").status == "none"


def test_severed_and_suspended_pairs(record):
    today = record.status("USA", "IRN")
    assert today.status == "severed" and today.since == "1980"
    # The undated "(severed)" row joins the 1980 event rather than making a new one.
    sever = [e for e in today.events if e["type"] == "sever"]
    assert len(sever) == 1 and sever[0]["n_sources"] == 2
    assert record.status("CAN", "IRN").status == "suspended"
    earlier = record.status("CAN", "IRN", as_of="2000-01-01")
    assert earlier.status == "relations" and "suspended" in earlier.note


def test_news_learnt_later_changes_the_answers(record, store):
    store.add(
        news(
            "Seoul and Havana break off ties",
            "2026-03-02",
            Assertion(
                "sever",
                "KOR",
                "CUB",
                PartialDate.parse("2026-03-01"),
                evidence="broke off ties on Sunday",
                extractor="comity-news",
            ),
        )
    )
    assert record.status("KOR", "CUB", as_of="2026-03-05").status == "severed"
    assert record.status("KOR", "CUB", as_of="2025-01-01").status == "relations"
    assert "CUB" not in [p.code for p in record.partners("KOR", as_of="2026-03-05")]
    gone = {m.code: m for m in record.missing("KOR", as_of="2026-03-05")}
    assert gone["CUB"].note == "relations severed since 2026-03-01"


def test_several_outlets_telling_one_event_make_one_event(record, store):
    for outlet_title, d in [("Wire A", "2026-03-01"), ("Wire B", "2026-03-01"), ("Wire C", "2026-03")]:
        store.add(
            news(
                outlet_title,
                "2026-03-02",
                Assertion("restore", "IRN", "CAN", PartialDate.parse(d), evidence="restored ties"),
            )
        )
    events = [e for e in record.timeline("CAN", "IRN")["events"] if e["type"] == "restore"]
    assert len(events) == 1 and events[0]["n_sources"] == 3 and events[0]["date"] == "2026-03-01"
    assert record.status("CAN", "IRN", as_of="2026-04-01").status == "relations"


def test_importing_the_same_source_twice_changes_nothing(store):
    first = store.add(KOREA)
    before = store.counts()
    again = store.add(KOREA)
    assert first.added and not again.added and again.source_id == first.source_id
    assert store.counts() == before


def test_a_newer_revision_of_a_page_replaces_the_older(store):
    store.add(KOREA)
    newer = page("KOR", "South Korea", [("GBR", "1949-01-18"), ("CUB", "2024-02-14")])
    result = store.add(newer)
    assert result.replaced == 1
    assert [p.code for p in Record(store).partners("KOR")] == ["GBR", "CUB"]


def test_a_source_that_fails_midway_leaves_nothing_behind(store):
    before = store.counts()
    broken = page("KOR", "South Korea", [("GBR", "1949-01-18")])
    broken.assertions.append(
        Assertion("establish", "KOR", "FRA", PartialDate.parse("1949"), detail={"not json": object()})
    )
    with pytest.raises(Exception):  # noqa: B017 - whatever the driver raises, the point is what is left
        store.add(broken)
    assert store.counts() == before


def test_timeline_tells_the_whole_story_with_quotes(record, store):
    store.add(
        news(
            "Havana and Seoul",
            "2024-02-15",
            Assertion(
                "recognize", "CUB", "KOR", PartialDate.parse("1949"), evidence="recognised Seoul in 1949"
            ),
            Assertion(
                "embassy_open", "KOR", "CUB", None, modality="planned", evidence="plan to open embassies"
            ),
        )
    )
    t = record.timeline("KOR", "CUB")
    assert [(e["type"], e["date"], e["modality"]) for e in t["events"]] == [
        ("recognize", "1949", "asserted"),
        ("establish", "2024-02-14", "asserted"),
        ("embassy_open", None, "planned"),
    ]
    assert t["events"][0]["evidence"][0]["quote"] == "recognised Seoul in 1949"
    assert [p["status"] for p in t["periods"]] == ["relations"]


def test_bad_questions_are_clear_errors(record):
    with pytest.raises(QueryError, match="YYYY"):
        record.partners("KOR", as_of="last Tuesday")
    with pytest.raises(QueryError, match="among"):
        record.partners("KOR", among="friends")
    with pytest.raises(QueryError):
        record.status("KOR", "South Korea")


def test_an_absence_rests_on_the_state_s_own_list(record):
    syria = next(m for m in record.missing("KOR", as_of="2024-02-15") if m.code == "SYR")
    prk = next(m for m in record.missing("KOR", as_of="2024-02-15") if m.code == "PRK")
    assert [s.title for s in prk.sources] == ["Foreign relations of South Korea"]
    assert syria.note == "no relations recorded"


def test_a_restoration_from_the_news_counts_even_without_a_known_first_establishment(record, store):
    store.add(
        news(
            "Seoul and Damascus resume ties",
            "2030-05-02",
            Assertion("restore", "KOR", "LBN", PartialDate.parse("2030-05-01"), evidence="resumed ties"),
        )
    )
    partners = {p.code: p for p in record.partners("KOR", as_of="2030-06-01")}
    assert partners["LBN"].basis == "record" and partners["LBN"].date == "2030-05-01"


def test_an_own_list_that_dates_a_restoration_leaves_the_earlier_relations_alone(store):
    # Iceland's list dates Ecuador by the restoration of 2001; its notes tell of relations from 1950 to 1963.
    iceland = page(
        "ISL",
        "Iceland",
        [("ECU", "2001-03-03")],
        extra=[
            Assertion(
                "establish", "ISL", "ECU", PartialDate.parse("1950-06-04"), extractor="wikipedia-notes"
            ),
            Assertion("sever", "ISL", "ECU", PartialDate.parse("1963-05-12"), extractor="wikipedia-notes"),
        ],
    )
    store.add(iceland)
    record = Record(store)
    seen = {d: record.status("ISL", "ECU", as_of=d) for d in ("1949", "1955", "1990", "2010")}
    assert {d: (s.status, s.since) for d, s in seen.items()} == {
        "1949": ("none", None),
        "1955": ("relations", "1950-06-04"),
        "1990": ("severed", "1963-05-12"),
        "2010": ("relations", "2001-03-03"),
    }
    assert [p.date for p in record.partners("ISL")] == ["2001-03-03"]
    assert [p.code for p in record.partners("ISL", as_of="1955")] == ["ECU"]
