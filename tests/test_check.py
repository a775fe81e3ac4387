"""Checking an article's claims about relations against the record: ordinals, exclusivity, counts,
dated facts and the article's own news, on hand-made records (every claim kind, with paraphrases and
negative cases) and on the bundled baseline."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from comity.baseline import baseline_path
from comity.check import check_article, compare_dates, parse_number
from comity.cli import app
from comity.query import Record
from comity.records import Assertion, Document, Source, content_hash
from comity.states import registry
from comity.store import Store
from comity.vocab import PartialDate

FIXTURES = Path(__file__).parent / "fixtures" / "check"
STORY_DAY = date(2024, 2, 15)
runner = CliRunner()


# -- hand-made records ------------------------------------------------------------------------------


def page(subject: str, name: str, rows: list[tuple], extra: list[Assertion] | None = None) -> Document:
    """A 'Foreign relations of X' page: rows are (partner, date)."""
    title = f"Foreign relations of {name}"
    assertions = [
        Assertion(
            "establish",
            subject,
            partner,
            PartialDate.parse(d),
            evidence=f"{pos} | {partner} | {d}",
            extractor="wikipedia-list",
            detail={"table": "list", "position": pos},
        )
        for pos, (partner, d) in enumerate(rows, 1)
    ]
    assertions += extra or []
    src = Source(
        "wikipedia",
        title,
        content_hash(title + repr(rows) + repr(extra)),
        url=f"https://en.wikipedia.org/wiki/{title.replace(' ', '_')}",
        retrieved=date(2025, 11, 1),
    )
    return Document(src, assertions, [], subject)


def news(title: str, published: str, *assertions: Assertion) -> Document:
    src = Source(
        "news",
        title,
        content_hash(title + published),
        url="https://news.example/1",
        outlet="Example Wire",
        published=date.fromisoformat(published),
    )
    return Document(src, list(assertions))


def korea_rows(extra: list[tuple] = ()) -> list[tuple]:
    """South Korea's list as the facts have it: every UN member but North Korea and Syria by 1990, then the
    Holy See (1963), the Cook Islands (2013), Niue (2023), Cuba (2024-02-14) and Syria (2025-04-10)."""
    skip = {"KOR", "PRK", "SYR", "CUB", "GBR", "USA", "CHN", *(c for c, _ in extra)}
    rest = sorted(s.code for s in registry().un_members(STORY_DAY) if s.code not in skip)
    return [
        ("GBR", "1949-01-18"),
        ("USA", "1949-03-25"),
        ("VAT", "1963-12-11"),
        *((c, "1990-01-01") for c in rest),
        ("CHN", "1992-08-24"),
        ("COK", "2013-02-22"),
        ("NIU", "2023-05-29"),
        ("CUB", "2024-02-14"),
        ("SYR", "2025-04-10"),
        *extra,
    ]


def make_record(tmp: Path, docs: list[Document]) -> Record:
    store = Store.open(tmp / "record.db", seed=False)
    store.add_many(docs)
    return Record(store)


SEOUL_DOCS = [
    page("KOR", "South Korea", korea_rows()),
    page("CUB", "Cuba", [("CAN", "1945-03-16"), ("PRK", "1960-08-29"), ("KOR", "2024-02-14")]),
    page(
        "USA",
        "United States",
        [("KOR", "1949-03-25")],
        extra=[
            Assertion(
                "recognize",
                "USA",
                "KOR",
                PartialDate.parse("1949"),
                evidence="recognized the Republic in 1949",
                extractor="wikipedia-bilateral",
                detail={"table": "bilateral"},
            ),
        ],
    ),
    page("CHN", "China", [("KOR", "1992-08-24")]),
    news(
        "Seoul and Havana open ties",
        "2024-02-14",
        Assertion(
            "establish",
            "KOR",
            "CUB",
            PartialDate.parse("2024-02-14"),
            evidence="established ties on Wednesday",
            extractor="comity-news",
        ),
    ),
]


@pytest.fixture(scope="session")
def seoul(tmp_path_factory) -> Record:
    """South Korea with every partner it has, Cuba's page, the US page with its recognition, China's page."""
    return make_record(tmp_path_factory.mktemp("seoul"), SEOUL_DOCS)


@pytest.fixture(scope="session")
def with_togo(tmp_path_factory) -> Record:
    """As ``seoul``, and Togo severed its relations with South Korea in 1974 (and never restored them)."""
    docs = [
        page(
            "KOR",
            "South Korea",
            korea_rows([("TGO", "1963-07-26")]),
            extra=[
                Assertion(
                    "sever",
                    "KOR",
                    "TGO",
                    PartialDate.parse("1974-09-16"),
                    evidence="severed 16 September 1974",
                    extractor="wikipedia-bilateral",
                    detail={"table": "bilateral"},
                ),
            ],
        )
    ]
    return make_record(tmp_path_factory.mktemp("togo"), docs)


@pytest.fixture(scope="session")
def empty(tmp_path_factory) -> Record:
    return make_record(tmp_path_factory.mktemp("empty"), [])


@pytest.fixture(scope="session")
def baseline(tmp_path_factory) -> Record:
    """A temporary SQLite record seeded from the bundled baseline (built from Wikipedia)."""
    if not baseline_path().exists():
        pytest.skip("the bundled baseline record is not built yet")
    return Record(Store.open(tmp_path_factory.mktemp("baseline") / "record.db", seed=True))


def check(record: Record, text: str, published: date | str | None = STORY_DAY, **kw):  # type: ignore[no-untyped-def]
    return check_article(record, text, published=published, **kw)


def only(result, kind: str):  # type: ignore[no-untyped-def]
    got = result.by_kind(kind)
    assert len(got) == 1, [(c.kind, c.phrase, c.verdict) for c in result.claims]
    return got[0]


def story(name: str = "story.txt") -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# -- numbers and dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("193rd", 193),
        ("192nd", 192),
        ("101st", 101),
        ("one hundred ninety-third", 193),
        ("one hundred and ninety-third", 193),
        ("third", 3),
        ("191", 191),
        ("one hundred ninety-one", 191),
        ("two", 2),
        ("twentieth", 20),
        ("seventy", 70),
    ],
)
def test_numbers_in_digits_and_words(text, value):
    assert parse_number(text) == value


def test_parse_number_refuses_other_words():
    assert parse_number("several") is None
    assert parse_number("latest") is None


@pytest.mark.parametrize(
    ("claim", "record", "how"),
    [
        ("1960", "1960-08-29", "match"),
        ("1960-08", "1960-08-29", "match"),
        ("1960-08-29", "1960-08-29", "match"),
        ("1965", "1960-08-29", "mismatch"),
        ("2024-02-14", "2024", "coarser"),
        ("2024-02-14", "2024-02", "coarser"),
        ("2024-02-14", "2023", "mismatch"),
        ("1960", None, "undated"),
    ],
)
def test_dates_compare_at_the_precision_both_have(claim, record, how):
    assert compare_dates(PartialDate.parse(claim), PartialDate.parse(record)) == how


# -- the story ---------------------------------------------------------------------------------------


def test_the_story_against_the_record(seoul):
    result = check(seoul, story())
    assert result.as_of == "2024-02-15" and result.as_of_from == "published"
    ordinal = only(result, "ordinal")
    assert ordinal.verdict == "supported"
    assert "193rd" in ordinal.explanation and "190th counting UN members only" in ordinal.explanation
    assert ordinal.states == ["CUB", "KOR"]
    excl = only(result, "exclusivity")
    assert excl.verdict == "depends"
    assert "North Korea" in excl.explanation and "Seoul's convention" in excl.explanation
    assert "false counting all UN members" in excl.explanation
    dated = only(result, "dated")
    assert (
        dated.verdict == "supported" and dated.states == ["CUB", "PRK"] and "1960-08-29" in dated.explanation
    )
    # The claims point into the text.
    text = story()
    for c in result.claims:
        assert c.span is not None and text[c.span[0] : c.span[1]] == c.text


def test_a_hard_wrapped_story_gives_the_same_verdicts(seoul):
    import textwrap

    wrapped = "\n\n".join(textwrap.fill(p, 64) for p in story().split("\n\n"))
    plain, hard = check(seoul, story()), check(seoul, wrapped)
    assert [(c.kind, c.verdict) for c in hard.claims] == [(c.kind, c.verdict) for c in plain.claims]
    assert {c.kind for c in hard.claims} >= {"ordinal", "exclusivity", "dated"}
    for c in hard.claims:  # the claims point into the wrapped text, line breaks and all
        assert c.span is not None and wrapped[c.span[0] : c.span[1]] == c.text


def test_the_story_s_own_news_is_in_the_record_with_its_sources(seoul):
    result = check(seoul, story())
    new = only(result, "news")
    assert new.verdict == "supported"
    assert new.explanation.startswith("establishment of relations between Cuba and South Korea (2024-02-1")
    assert "in the record (sources: " in new.explanation
    assert (
        "Foreign relations of South Korea" in new.explanation
        and "Seoul and Havana open ties" in new.explanation
    )
    assert set(new.states) == {"CUB", "KOR"}


def test_the_story_saying_192nd_is_contradicted(seoul):
    c = only(check(seoul, story("story-192nd.txt")), "ordinal")
    assert c.verdict == "contradicted"
    assert "193rd" in c.explanation and "not 192nd" in c.explanation


def test_the_story_saying_since_1965_is_contradicted(seoul):
    c = only(check(seoul, story("story-since-1965.txt")), "dated")
    assert c.verdict == "contradicted"
    assert "1960-08-29" in c.explanation and "not since 1965" in c.explanation


def test_json_shape(seoul):
    d = check(seoul, story()).to_dict()
    json.dumps(d)
    assert d["as_of"] == "2024-02-15"
    for c in d["claims"]:
        assert {"text", "span", "kind", "verdict", "explanation", "evidence"} <= set(c)
        assert c["verdict"] in ("supported", "contradicted", "depends", "unverifiable")
        for e in c["evidence"]:
            assert e["fact"] and isinstance(e["sources"], list)
    assert sum(d["summary"].values()) == len(d["claims"])


def test_against_an_empty_record_nothing_is_supported(empty):
    result = check(empty, story())
    assert {c.kind for c in result.claims} >= {"ordinal", "exclusivity", "dated", "news"}
    assert {c.verdict for c in result.claims} == {"unverifiable"}
    assert "new to the record" in only(result, "news").explanation


def test_without_a_date_the_record_is_read_as_of_today(seoul):
    result = check(seoul, "Cuba is the 193rd country with which South Korea has diplomatic relations.", None)
    assert result.as_of == date.today().isoformat() and result.as_of_from == "today"
    result = check(
        seoul,
        "SEOUL, Thursday, 15 February 2024 -- Cuba is the 193rd country with which South Korea "
        "has diplomatic relations.",
        None,
    )
    assert (result.as_of, result.as_of_from) == ("2024-02-15", "text")
    assert only(result, "ordinal").verdict == "supported"


# -- ordinals ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Cuba is the 193rd country with which South Korea has established diplomatic relations.",
        "Cuba became South Korea's 193rd diplomatic partner when the two exchanged notes.",
        "With the move Cuba becomes the one hundred ninety-third country to establish diplomatic ties with Seoul.",
        "Havana is now the 193rd nation to have formal relations with South Korea.",
        "South Korea established diplomatic ties with Cuba, its 193rd diplomatic partner, on Wednesday.",
        "Cuba, a close ally of North Korea, is the 193rd country with which South Korea has diplomatic relations.",
        "After talks in Mexico, Cuba became the 193rd country to establish diplomatic relations with South Korea.",
    ],
)
def test_ordinal_paraphrases(seoul, sentence):
    c = only(check(seoul, sentence), "ordinal")
    assert c.verdict == "supported", c.explanation
    assert c.states == ["CUB", "KOR"]


def test_ordinal_among_un_members(seoul):
    c = only(
        check(
            seoul, "Cuba is the 190th U.N. member state to establish diplomatic relations with South Korea."
        ),
        "ordinal",
    )
    assert c.verdict == "supported" and "among UN members" in c.explanation
    c = only(
        check(seoul, "Cuba is the 193rd UN member to establish diplomatic relations with South Korea."),
        "ordinal",
    )
    assert c.verdict == "contradicted" and "190" in c.explanation


def test_an_ordinal_true_only_among_un_members_depends(seoul):
    c = only(
        check(seoul, "Cuba is the 190th country with which South Korea has diplomatic relations."), "ordinal"
    )
    assert c.verdict == "depends"
    assert "true counting UN members only" in c.explanation
    assert "Holy See" in c.explanation and "Niue" in c.explanation


def test_the_ordinal_s_referent_comes_from_the_article_s_news(seoul):
    text = (
        "South Korea and Cuba established diplomatic relations on Wednesday. "
        "Officials said it was the 193rd country with which Seoul has established diplomatic ties."
    )
    c = only(check(seoul, text), "ordinal")
    assert c.verdict == "supported" and c.states == ["CUB", "KOR"]


def test_an_ordinal_before_the_partnership_is_in_the_record_is_unverifiable(seoul):
    c = only(
        check(
            seoul, "Cuba is the 193rd country with which South Korea has diplomatic relations.", "2024-01-01"
        ),
        "ordinal",
    )
    assert c.verdict == "unverifiable"
    assert "no establishment of relations" in c.explanation


def test_an_ordinal_within_a_region_is_unverifiable(seoul):
    c = only(
        check(
            seoul,
            "Cuba is the third country in Latin America to establish diplomatic relations with South Korea.",
        ),
        "ordinal",
    )
    assert c.verdict == "unverifiable" and "group" in c.explanation


@pytest.mark.parametrize(
    "text",
    [
        "Cuba's team fell to 193rd in the latest world football rankings.",
        "Cuba ranked 193rd of 200 countries in the index, below South Korea.",
        "South Korea hosted the 193rd session of the council in Seoul.",
        "It was the 193rd country to sign the trade agreement with South Korea.",
        "Cuba and South Korea kept up diplomatic contacts through a third country for decades.",
    ],
)
def test_ordinals_that_are_not_about_relations_are_no_claims(seoul, text):
    assert check(seoul, text).by_kind("ordinal") == []


# -- exclusivity -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Syria remains the only U.N. member state without diplomatic ties with Seoul.",
        "Syria is now the last UN member that has not established diplomatic relations with South Korea.",
        "South Korea now has diplomatic relations with every U.N. member except Syria.",
        "Seoul has formal ties with all members of the United Nations except for Syria.",
        "Syria is the only UN member with which South Korea has no diplomatic relations.",
        "Syria is the only country without diplomatic relations with South Korea.",
    ],
)
def test_only_un_member_without_ties_depends_on_north_korea(seoul, sentence):
    c = only(check(seoul, sentence), "exclusivity")
    assert c.verdict == "depends", c.explanation
    assert "true counting North Korea as not foreign to South Korea (Seoul's convention)" in c.explanation
    assert (
        "false counting all UN members: North Korea also has no relations with South Korea" in c.explanation
    )
    assert "PRK" in c.states and "SYR" in c.states
    assert {e.state for e in c.evidence} == {"PRK", "SYR"}


def test_naming_both_koreas_exception_is_supported(seoul):
    c = only(
        check(
            seoul, "South Korea has diplomatic relations with every UN member except Syria and North Korea."
        ),
        "exclusivity",
    )
    assert c.verdict == "supported"
    c = only(
        check(seoul, "Syria and North Korea are the only two UN members without diplomatic ties with Seoul."),
        "exclusivity",
    )
    assert c.verdict == "supported"


def test_one_of_only_n(seoul):
    # Before Cuba: Cuba, Syria and (not foreign) North Korea had no relations with Seoul.
    c = only(
        check(
            seoul,
            "Cuba was one of only two UN members without diplomatic ties with South Korea.",
            "2024-01-01",
        ),
        "exclusivity",
    )
    assert c.verdict == "depends" and "North Korea" in c.explanation
    c = only(
        check(
            seoul,
            "Cuba was one of only four UN members without diplomatic ties with South Korea.",
            "2024-01-01",
        ),
        "exclusivity",
    )
    assert c.verdict == "contradicted"


def test_exclusivity_after_syria_joined_is_contradicted(seoul):
    c = only(
        check(
            seoul,
            "Syria remains the only U.N. member state without diplomatic ties with Seoul.",
            "2025-05-01",
        ),
        "exclusivity",
    )
    assert c.verdict == "contradicted"
    assert "Syria has relations with South Korea since 2025-04-10" in c.explanation


def test_north_korea_the_only_one_left_after_syria(seoul):
    c = only(
        check(
            seoul,
            "Syria's move leaves North Korea as the only U.N. member state with no diplomatic ties "
            "with Seoul.",
            "2025-04-11",
        ),
        "exclusivity",
    )
    assert c.verdict == "supported"
    assert "not a foreign state" in c.explanation


def test_a_third_state_without_ties_contradicts(with_togo):
    c = only(
        check(with_togo, "Syria remains the only U.N. member state without diplomatic ties with Seoul."),
        "exclusivity",
    )
    assert c.verdict == "contradicted"
    assert "Togo also has no relations with South Korea (relations severed since 1974-09-16)" in c.explanation
    assert "North Korea" in c.explanation


def test_a_non_un_state_said_to_be_the_only_one_without_ties(seoul):
    c = only(
        check(seoul, "Taiwan is the only country without diplomatic relations with South Korea."),
        "exclusivity",
    )
    assert c.verdict == "contradicted"
    assert "Syria also has no relations with South Korea" in c.explanation
    assert c.evidence[0].state == "TWN" and "not a UN member" in c.evidence[0].fact


def test_many_states_without_ties_are_summed_up(seoul):
    c = only(check(seoul, "Syria is the only UN member without diplomatic ties with Canada."), "exclusivity")
    assert c.verdict == "contradicted"
    assert "other UN members also have no relations with Canada (among them" in c.explanation
    assert len(c.evidence) == 26 and c.evidence[-1].fact.startswith("and ")


@pytest.mark.parametrize(
    "text",
    [
        "Iceland is the only NATO member country without a standing army.",
        "Syria is the only country in the group without a win, South Korea's coach said.",
        "South Korea has trade ties with every country in the region except Syria.",
    ],
)
def test_exclusivity_negative_cases(seoul, text):
    assert check(seoul, text).by_kind("exclusivity") == []


# -- counts -----------------------------------------------------------------------------------------


def test_count_of_countries_counts_all_partners_and_depends_on_un_members_only(seoul):
    # Like "the 193rd country", "193 countries" counts all partners (the Holy See, the Cook Islands, Niue).
    c = only(check(seoul, "South Korea now maintains diplomatic relations with 193 countries."), "count")
    assert c.verdict == "supported"
    assert (
        "193 states counting all partners" in c.explanation
        and "190 counting UN members only" in c.explanation
    )
    c = only(check(seoul, "South Korea now maintains diplomatic relations with 190 countries."), "count")
    assert c.verdict == "depends"
    assert "true counting UN members only (190)" in c.explanation and "false counting all partners (193" in (
        c.explanation
    )


@pytest.mark.parametrize(
    ("sentence", "verdict"),
    [
        ("Seoul has diplomatic ties with 190 of the 193 U.N. member states.", "supported"),
        ("South Korea has diplomatic relations with 191 countries.", "contradicted"),
        ("South Korea has diplomatic relations with more than 180 countries.", "supported"),
        ("South Korea has diplomatic relations with about 190 countries.", "supported"),
        ("South Korea has diplomatic relations with one hundred and ninety U.N. members.", "supported"),
        ("190 U.N. member states now have diplomatic relations with South Korea.", "supported"),
        ("Seoul has diplomatic ties with 191 UN member states.", "contradicted"),
        ("Seoul has diplomatic ties with only 190 countries, all but three of the world's.", "depends"),
        ("South Korea has diplomatic relations with 54 countries in Africa.", "unverifiable"),
    ],
)
def test_count_paraphrases(seoul, sentence, verdict):
    c = only(check(seoul, sentence), "count")
    assert c.verdict == verdict, c.explanation
    assert c.states == ["KOR"]


@pytest.mark.parametrize(
    "text",
    [
        "South Korea sells its goods to 191 countries.",
        "South Korea has trade relations with 191 countries.",
        "The 191 countries at the summit discussed climate change.",
    ],
)
def test_count_negative_cases(seoul, text):
    assert check(seoul, text).by_kind("count") == []


# -- dated facts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Havana has maintained close relations with North Korea since 1960.",
        "Cuba and North Korea have had diplomatic relations since 1960.",
        "Cuba established diplomatic relations with North Korea in 1960.",
        "Cuba and North Korea established diplomatic ties on 29 August 1960.",
        "Cuba's relations with North Korea date back to August 1960.",
        "In 1960, Cuba and North Korea established diplomatic relations.",
    ],
)
def test_dated_paraphrases_supported(seoul, sentence):
    c = only(check(seoul, sentence), "dated")
    assert c.verdict == "supported", c.explanation
    assert set(c.states) == {"CUB", "PRK"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Havana has maintained close relations with North Korea since 1965.",
        "Cuba established diplomatic relations with North Korea in 1962.",
        "Cuba and North Korea established diplomatic ties on 29 September 1960.",
    ],
)
def test_dated_paraphrases_contradicted(seoul, sentence):
    assert only(check(seoul, sentence), "dated").verdict == "contradicted"


def test_recognition_dated_to_the_year(seoul):
    assert (
        only(check(seoul, "The United States recognized South Korea in 1949."), "dated").verdict
        == "supported"
    )
    c = only(check(seoul, "South Korea was recognized by the United States in 1949."), "dated")
    assert c.verdict == "supported" and c.states == ["USA", "KOR"]
    assert (
        only(check(seoul, "The United States recognized South Korea in 1948."), "dated").verdict
        == "contradicted"
    )


def test_a_date_of_another_verb_is_not_the_claim_s(seoul):
    result = check(seoul, "South Korea was founded in 1948 and the United States recognized it in 1949.")
    c = only(result, "dated")
    assert c.verdict == "supported" and c.states == ["USA", "KOR"] and "1949" in c.phrase


def test_severed_restored_and_suspended(tmp_path):
    rec = make_record(
        tmp_path,
        [
            page(
                "IRN",
                "Iran",
                [("SAU", "1929-08-24")],
                extra=[
                    Assertion("sever", "SAU", "IRN", PartialDate.parse("2016-01-03"), evidence="severed"),
                    Assertion(
                        "restore", "SAU", "IRN", PartialDate.parse("2023"), evidence="restored in 2023"
                    ),
                ],
            ),
            page(
                "USA",
                "United States",
                [("CUB", "1902-05-27"), ("CUB", "2015-07-20")],
                extra=[Assertion("sever", "USA", "CUB", PartialDate.parse("1961-01-03"), evidence="severed")],
            ),
            page(
                "CAN",
                "Canada",
                [("IRN", "1955-01-09")],
                extra=[Assertion("sever", "CAN", "IRN", PartialDate.parse("2012-09-07"), evidence="severed")],
            ),
        ],
    )
    result = check(
        rec,
        "Iran and Saudi Arabia restored diplomatic relations in 2023, seven years after they were cut in 2016.",
    )
    assert [(c.verdict, c.phrase.split()[-1]) for c in result.by_kind("dated")] == [
        ("supported", "2023"),
        ("supported", "2016"),
    ]
    c = only(check(rec, "Iran and Saudi Arabia restored diplomatic relations in March 2023."), "dated")
    assert c.verdict == "unverifiable" and "only to 2023" in c.explanation
    # The lists date a re-establishment as an establishment: it counts for a restoration.
    c = only(check(rec, "The United States and Cuba restored diplomatic relations in July 2015."), "dated")
    assert c.verdict == "supported" and "after a break" in c.explanation
    c = only(check(rec, "Washington broke off relations with Havana in 1961."), "dated")
    assert c.verdict == "supported"
    # A suspension is not a severance: not supported, but the severance is named.
    c = only(check(rec, "Canada suspended diplomatic relations with Iran in 2012."), "dated")
    assert c.verdict == "unverifiable" and "severance of relations between Canada and Iran on 2012-09-07" in (
        c.explanation
    )


def test_a_claim_more_precise_than_the_record_is_not_supported(seoul):
    c = only(check(seoul, "The United States recognized South Korea on 1 January 1949."), "dated")
    assert c.verdict == "unverifiable"
    assert "only to 1949" in c.explanation and "1 January 1949" in c.explanation


def test_a_dated_fact_the_record_has_no_event_for_is_unverifiable(seoul):
    c = only(check(seoul, "France recognized South Korea in 1949."), "dated")
    assert c.verdict == "unverifiable" and "no recognition of South Korea by France" in c.explanation
    c = only(check(seoul, "Cuba recognized South Korea in 1949."), "dated")
    assert c.verdict == "unverifiable"


def test_established_in_1992(seoul):
    assert (
        only(check(seoul, "South Korea and China established diplomatic relations in 1992."), "dated").verdict
        == "supported"
    )
    assert only(
        check(
            seoul,
            "The two countries have had diplomatic ties since 1992, when South Korea and China "
            "normalised relations.",
        ),
        "dated",
    ).verdict in ("supported", "contradicted")
    assert (
        only(check(seoul, "South Korea and China established diplomatic relations in 1993."), "dated").verdict
        == "contradicted"
    )


def test_relations_since_a_year_when_they_were_severed_is_contradicted(with_togo):
    c = only(check(with_togo, "South Korea has had diplomatic relations with Togo since 1963."), "dated")
    assert c.verdict == "contradicted" and "severed since 1974-09-16" in c.explanation


def test_sources_that_disagree_make_a_date_depend_on_the_source(tmp_path):
    rec = make_record(
        tmp_path,
        [
            page("CUB", "Cuba", [("PRK", "1960-08-29")]),
            page("PRK", "North Korea", [("CUB", "1961")]),
            page("VNM", "Vietnam", [("CUB", "1960-12-02")]),
        ],
    )
    # One event dated 1960-08-29 by Cuba's page, read as 1961 by North Korea's page.
    c = only(check(rec, "Cuba and North Korea established diplomatic relations in 1961."), "dated")
    assert c.verdict == "depends"
    assert "true per Foreign relations of North Korea" in c.explanation
    assert "false per Foreign relations of Cuba" in c.explanation


@pytest.mark.parametrize(
    "text",
    [
        "Trade between Cuba and North Korea has grown since 1960.",
        "Cuba and North Korea have had close economic ties since 1960.",
        "The embassy building in Havana was built in 1960 for North Korea's envoys.",
        "Kim Il Sung visited Havana in 1986, South Korean media said.",
    ],
)
def test_dated_negative_cases(seoul, text):
    assert check(seoul, text).by_kind("dated") == []


# -- the article's own news ----------------------------------------------------------------------------


def test_news_new_to_the_record(seoul, tmp_path):
    rec = make_record(tmp_path, [page("KOR", "South Korea", korea_rows()[:-1])])  # without Syria
    result = check(rec, story("syria.txt"), "2025-04-11")
    new = [c for c in result.by_kind("news") if set(c.states) == {"KOR", "SYR"}]
    assert new and new[0].verdict == "unverifiable" and "new to the record" in new[0].explanation
    ordinal = only(result, "ordinal")
    assert ordinal.verdict == "unverifiable" and "no. 194" in ordinal.explanation
    # With Syria in the record, it is there, and Syria is the 194th.
    result = check(seoul, story("syria.txt"), "2025-04-11")
    assert [c.verdict for c in result.by_kind("news") if set(c.states) == {"KOR", "SYR"}][0] == "supported"
    assert only(result, "ordinal").verdict == "supported"
    excl = only(result, "exclusivity")
    assert excl.verdict == "supported" and excl.states[0] == "PRK"


def test_news_passed_in_by_the_caller(seoul):
    a = Assertion(
        "establish",
        "CUB",
        "KOR",
        PartialDate.parse("2024-02-14"),
        evidence="Cuba and South Korea",
        span=(0, 20),
        extractor="test",
    )
    result = check(seoul, "Cuba and South Korea said nothing else today.", news=[a])
    c = only(result, "news")
    assert c.verdict == "supported" and "Foreign relations of Cuba" in c.explanation


def test_news_at_a_finer_date_than_the_record_is_not_supported(tmp_path):
    rec = make_record(tmp_path, [page("CUB", "Cuba", [("KOR", "2024")])])
    a = Assertion(
        "establish",
        "CUB",
        "KOR",
        PartialDate.parse("2024-02-14"),
        evidence="established",
        span=(0, 10),
        date_text="on 14 February 2024",
        extractor="test",
    )
    c = only(check(rec, "established relations with Cuba and South Korea", news=[a]), "news")
    assert c.verdict == "unverifiable" and "only to 2024" in c.explanation


@pytest.mark.parametrize("name", ["trade.txt", "football.txt"])
def test_articles_without_claims_about_relations(seoul, name):
    assert check(seoul, story(name)).claims == []


def test_the_extractor_s_story_fixture_if_present(seoul):
    path = Path(__file__).parent / "fixtures" / "news" / "cuba-korea.txt"
    if not path.exists():
        pytest.skip("no extractor story fixture")
    result = check(seoul, path.read_text(encoding="utf-8"))
    # Whatever that story says, nothing the record does not know is called supported.
    for c in result.claims:
        if c.verdict == "supported":
            assert c.evidence, c
    assert all(c.verdict in ("supported", "contradicted", "depends", "unverifiable") for c in result.claims)


def test_a_claim_in_the_title_has_no_span(seoul):
    result = check(
        seoul, "The ministry said so.", title="Cuba becomes South Korea's 193rd diplomatic partner"
    )
    c = only(result, "ordinal")
    assert c.where == "title" and c.span is None and c.verdict == "supported"


def test_empty_text():
    result = check_article(None, "   ", published=STORY_DAY)  # type: ignore[arg-type]
    assert result.claims == [] and result.as_of == "2024-02-15"


# -- the bundled baseline ------------------------------------------------------------------------------


def test_the_story_against_the_bundled_record(baseline):
    result = check(baseline, story())
    ordinal = only(result, "ordinal")
    assert ordinal.verdict == "supported"
    assert "193rd" in ordinal.explanation and "190th counting UN members only" in ordinal.explanation
    assert only(result, "dated").verdict == "supported"
    excl = only(result, "exclusivity")
    assert excl.verdict == "depends" and "North Korea" in excl.explanation, excl.explanation
    assert only(check(baseline, story("story-192nd.txt")), "ordinal").verdict == "contradicted"
    assert only(check(baseline, story("story-since-1965.txt")), "dated").verdict == "contradicted"


def test_the_syria_story_against_the_bundled_record(baseline):
    result = check(baseline, story("syria.txt"), "2025-04-11")
    ordinal = only(result, "ordinal")
    assert (
        ordinal.verdict == "supported" and "194th" in ordinal.explanation and "191st" in ordinal.explanation
    )
    excl = only(result, "exclusivity")
    assert excl.verdict == "supported" and excl.states[0] == "PRK"


# -- the command ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seoul_db(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("cli-check") / "record.db"
    store = Store.open(path, seed=False)
    store.add_many(SEOUL_DOCS)
    store.close()
    return str(path)


def test_cli_json(seoul_db):
    result = runner.invoke(
        app,
        [
            "check",
            str(FIXTURES / "story.txt"),
            "--published",
            "2024-02-15",
            "--db",
            seoul_db,
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    verdicts = {c["kind"]: c["verdict"] for c in data["claims"]}
    assert verdicts == {
        "news": "supported",
        "ordinal": "supported",
        "exclusivity": "depends",
        "dated": "supported",
    }
    assert data["as_of"] == "2024-02-15"


def test_cli_table_and_stdin(seoul_db):
    result = runner.invoke(
        app, ["check", "-", "--published", "2024-02-15", "--db", seoul_db], input=story("story-192nd.txt")
    )
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "as of 2024-02-15" in out and "contradicted" in out and "depends" in out


def test_cli_html_and_no_date(seoul_db, tmp_path):
    html = (
        "<html><head><title>Cuba and Seoul</title></head><body><article><p>"
        + "</p><p>".join(story().split("\n\n")[1:])
        + "</p></article></body></html>"
    )
    path = tmp_path / "story.html"
    path.write_text(html, encoding="utf-8")
    result = runner.invoke(app, ["check", str(path), "--db", seoul_db, "-f", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["as_of_from"] in ("today", "published", "text")
    assert any(c["kind"] == "ordinal" for c in data["claims"])


def test_cli_errors(seoul_db, tmp_path):
    result = runner.invoke(app, ["check", str(tmp_path / "nope.txt"), "--db", seoul_db])
    assert result.exit_code != 0 and "no such file" in result.stderr
    result = runner.invoke(
        app, ["check", str(FIXTURES / "story.txt"), "--published", "15/02/2024", "--db", seoul_db]
    )
    assert result.exit_code == 2 and "--published" in result.stderr


# -- robustness ------------------------------------------------------------------------------------------

FRAGMENTS = [
    "Cuba", "South Korea", "Seoul", "Havana", "North Korea", "Syria", "the two countries", "it", "its",
    "is the 193rd country", "the only UN member", "without diplomatic ties with", "relations with 191 countries",
    "since 1960", "in 1949", "on 14 February 2024", "recognized", "established diplomatic relations",
    "severed ties", "one of only two", "except", "every U.N. member", "190 of the 193", ",", ".", "and", "\n\n",
    "one hundred ninety-third", "the latest", "football", "trade ties", "193rd",
]  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=30))
def test_any_text_gives_well_formed_verdicts(seoul, words):
    text = " ".join(words)
    result = check(seoul, text)
    for c in result.claims:
        assert c.verdict in ("supported", "contradicted", "depends", "unverifiable")
        assert c.kind in ("ordinal", "exclusivity", "count", "dated", "news")
        assert c.explanation
        if c.span is not None:
            assert text[c.span[0] : c.span[1]] == c.text
        if c.verdict == "supported":
            assert c.evidence, c
