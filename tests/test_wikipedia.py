"""The Wikipedia importer: "Foreign relations of X" wikitext in, Documents of assertions out.

The fixtures in ``tests/fixtures/wikitext`` are invented pages that copy the layouts and traps of the
real ones; the corpus tests at the end run over the real pages in the shared data folder.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from comity.importers.wikipedia import (
    EXTRACTOR_VERSION,
    WikitextError,
    fetch_live,
    parse_date,
    parse_page,
    read_files,
    title_from_path,
)
from comity.records import Assertion, Document
from comity.vocab import PartialDate

FIXTURES = Path(__file__).parent / "fixtures" / "wikitext"


def page(name: str) -> Document:
    """The Document of one fixture page, by the end of its title ("Iceland")."""
    path = FIXTURES / f"Foreign relations of {name}.wiki"
    (doc,) = read_files([path])
    return doc


def found(doc: Document, type: str, a: str, b: str, extractor: str | None = None) -> list[Assertion]:
    """The assertions of a type about a pair (in either order), optionally from one extractor."""
    pair = {a, b}
    return [
        x
        for x in doc.assertions
        if x.type.value == type and {x.a, x.b} == pair and (extractor is None or x.extractor == extractor)
    ]


def one(doc: Document, type: str, a: str, b: str, extractor: str | None = None) -> Assertion:
    hits = found(doc, type, a, b, extractor)
    assert len(hits) == 1, hits
    return hits[0]


def problems(doc: Document, kind: str) -> list[dict]:
    return [p for p in doc.problems if p["kind"] == kind]


# ---------------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "qualifier"),
    [
        ("18 January 1949", "1949-01-18", None),
        ("January 18, 1949", "1949-01-18", None),
        ("2024-02-14", "2024-02-14", None),
        ("March 1962", "1962-03", None),
        ("1962", "1962", None),
        ("c. 1962", "1962", "circa"),
        ("Before 1990", "1990", "before"),
        ("22 January 1993 or before", "1993-01-22", "before"),
        ("After 1990", "1990", "after"),
        ("1960s", "1960", "decade"),
        ("1962–1963", "1962", "range"),
        ("19 September 2011–31 March 2014", "2011-09-19", "range"),
        ("7/13/1972", "1972-07-13", None),
        ("25/12/1972", "1972-12-25", None),
    ],
)
def test_a_date_keeps_the_precision_it_is_given(text: str, expected: str, qualifier: str | None) -> None:
    reading = parse_date(text)
    assert str(reading.date) == expected
    assert reading.qualifier == qualifier
    assert reading.problem is None


def test_a_range_also_keeps_its_end() -> None:
    assert parse_date("19 September 2011–31 March 2014").end == PartialDate(2014, 3, 31)


@pytest.mark.parametrize("text", ["Unknown", "N/A", "—", "", "Established, date unknown"])
def test_an_unknown_date_is_no_date_and_no_problem(text: str) -> None:
    reading = parse_date(text)
    assert reading.date is None
    assert reading.problem is None


def test_an_impossible_day_keeps_the_month_and_says_so() -> None:
    reading = parse_date("30 February 1992")
    assert reading.date == PartialDate(1992, 2)
    assert reading.problem == "impossible_date"


def test_a_slashed_date_that_reads_both_ways_keeps_only_the_year() -> None:
    reading = parse_date("5/9/1962")
    assert reading.date == PartialDate(1962)
    assert reading.problem == "ambiguous_date"


def test_text_without_a_date_is_a_problem() -> None:
    reading = parse_date("some day in spring")
    assert reading.date is None
    assert reading.problem == "bad_date"


# ---------------------------------------------------------------------------------------------------
# The "# | Country | Date" list
# ---------------------------------------------------------------------------------------------------


def test_every_list_row_establishes_relations_at_its_position() -> None:
    doc = page("Iceland")
    rows = sorted(
        (x for x in doc.assertions if x.extractor == "wikipedia-list" and x.type.value == "establish"),
        key=lambda x: x.detail["position"],
    )
    partners = [(x.detail["position"], x.a if x.b == "ISL" else x.b) for x in rows]
    assert partners == [
        (1, "NOR"),
        (2, "SWE"),
        (3, "FIN"),
        (4, "CAN"),
        (5, "VAT"),
        (6, "DEU"),
        (7, "IRN"),
        (8, "JPN"),
        # 9 is the European Union: a problem, not a partner
        (10, "BRA"),
        (11, "MEX"),
        (12, "CHL"),
        # 13 is Narnia
        (14, "PER"),
        (15, "VEN"),
        (16, "NIC"),
        (17, "COK"),
        # 18 has no country
    ]


def test_a_list_row_carries_its_date_number_section_and_readable_evidence() -> None:
    norway = one(page("Iceland"), "establish", "ISL", "NOR")
    assert norway.date == PartialDate(1945, 1, 18)
    assert norway.date_text == "18 January 1945"
    assert norway.evidence == "1 | Norway | 18 January 1945"
    assert norway.extractor == "wikipedia-list"
    assert norway.extractor_version == EXTRACTOR_VERSION
    assert norway.detail == {
        "table": "list",
        "position": 1,
        "number": "1",
        "section": "Diplomatic relations",
        "marker": None,
        "qualifier": None,
    }
    assert norway.span is not None and norway.span[0] < norway.span[1]


def test_the_date_templates_and_forms_of_a_list() -> None:
    doc = page("Iceland")
    date_of = {
        code: one(doc, "establish", "ISL", code, "wikipedia-list")
        for code in ("SWE", "FIN", "CAN", "VAT", "DEU", "JPN", "BRA", "MEX", "CHL", "PER")
    }
    assert date_of["SWE"].date == PartialDate(1945, 1, 18)  # {{dts|1945|1|18}}
    assert date_of["FIN"].date == PartialDate(1945, 1, 18)  # {{dts|18 January 1945}}
    assert date_of["CAN"].date == PartialDate(1946, 5, 7)  # 1946-05-07
    assert date_of["VAT"].date == PartialDate(1948, 3)  # March 1948
    assert (date_of["DEU"].date, date_of["DEU"].detail["qualifier"]) == (PartialDate(1952), "circa")
    assert (date_of["JPN"].date, date_of["JPN"].detail["qualifier"]) == (PartialDate(1956), "before")
    assert (date_of["BRA"].date, date_of["BRA"].detail["qualifier"]) == (PartialDate(1950), "decade")
    assert (date_of["MEX"].date, date_of["MEX"].detail["qualifier"]) == (PartialDate(1964), "range")
    assert (date_of["CHL"].date, date_of["CHL"].date_text) == (None, "Unknown")
    assert (date_of["PER"].date, date_of["PER"].date_text) == (PartialDate(1992, 2), "30 February 1992")
    # a qualified date is weaker evidence
    assert date_of["JPN"].confidence < date_of["DEU"].confidence < date_of["CAN"].confidence == 1.0


def test_a_country_code_template_names_its_country() -> None:
    germany = one(page("Iceland"), "establish", "ISL", "DEU")  # {{GER}}
    assert germany.evidence == "5 | Germany | c. 1952"


def test_a_dash_row_without_a_marker_is_a_partner_outside_the_un_not_a_severed_one() -> None:
    doc = page("Iceland")
    holy_see = one(doc, "establish", "ISL", "VAT")
    assert holy_see.detail["number"] == "—"
    assert holy_see.detail["marker"] is None
    assert found(doc, "suspend", "ISL", "VAT") == found(doc, "sever", "ISL", "VAT") == []


def test_a_suspended_row_also_suspends_relations() -> None:
    doc = page("Iceland")
    established = one(doc, "establish", "ISL", "IRN")
    suspended = one(doc, "suspend", "ISL", "IRN")
    assert established.date == PartialDate(1952, 6, 1)
    assert established.detail["marker"] == suspended.detail["marker"] == "suspended"
    assert suspended.date is None  # the row does not say since when
    assert suspended.detail["position"] == 7


def test_a_severed_row_with_a_date_severs_relations_at_that_date() -> None:
    severed = one(page("Iceland"), "sever", "ISL", "VEN", "wikipedia-list")
    assert (severed.date, severed.date_text) == (PartialDate(2019), "severed 2019")
    assert severed.detail["marker"] == "severed"


def test_a_greyed_row_without_words_counts_as_suspended() -> None:
    doc = page("Iceland")
    assert one(doc, "establish", "ISL", "NIC").detail["marker"] == "suspended"
    assert one(doc, "suspend", "ISL", "NIC").date is None


def test_what_cannot_be_read_is_a_problem_with_its_raw_row() -> None:
    doc = page("Iceland")
    (eu,) = problems(doc, "not_a_state")[:1]
    assert "European Union" in eu["message"]
    assert eu["raw"].startswith("|-\n|7\n|{{flag|European Union}}")
    assert eu["section"] == "Diplomatic relations"
    (narnia,) = problems(doc, "unknown_state")
    assert "Narnia" in narnia["message"]
    (no_country,) = problems(doc, "malformed_row")
    assert "5 May 1980" in no_country["raw"]
    (spring,) = problems(doc, "bad_date")
    assert "some day in spring" in spring["message"]
    # the row is still evidence that relations exist, only undated
    assert one(doc, "establish", "ISL", "COK").date is None
    (february,) = problems(doc, "impossible_date")
    assert "30 February 1992" in february["message"]


def test_tables_that_are_not_about_partners_and_commented_out_text_are_ignored() -> None:
    doc = page("Iceland")
    assert all(p["section"] != "History" for p in doc.problems)
    assert {x.detail["section"] for x in doc.assertions} == {"Diplomatic relations", "Americas"}


# ---------------------------------------------------------------------------------------------------
# Other list layouts
# ---------------------------------------------------------------------------------------------------


def test_a_list_without_a_number_column_uses_the_position() -> None:
    doc = page("Portugal")
    rows = sorted(
        (x for x in doc.assertions if x.extractor == "wikipedia-list"), key=lambda x: x.detail["position"]
    )
    assert [(x.detail["position"], x.detail["number"], str(x.date)) for x in rows] == [
        (1, None, "1373-06-16"),  # {{#invoke:dts|main|16 June 1373}}
        (2, None, "1500"),
        (3, None, "1641-03-12"),
        (4, None, "1825-08-29"),
    ]
    assert [x.a if x.b == "PRT" else x.b for x in rows] == ["GBR", "ESP", "FRA", "BRA"]  # {{#invoke:flag||X}}
    assert doc.problems == []


def test_a_list_of_years_and_a_table_of_former_relations() -> None:
    doc = page("Taiwan")
    assert one(doc, "establish", "TWN", "GTM", "wikipedia-list").date == PartialDate(1933)
    assert one(doc, "establish", "TWN", "VAT", "wikipedia-list").detail["position"] == 2
    # From / To, with a second period carried by a rowspan: established, severed, restored, severed
    burkina = sorted(
        (x for x in doc.assertions if x.extractor == "wikipedia-former" and "BFA" in (x.a, x.b)),
        key=lambda x: x.date.sort_key(),  # type: ignore[union-attr]
    )
    assert [(x.type.value, str(x.date), x.detail["period"]) for x in burkina] == [
        ("establish", "1961", 1),
        ("sever", "1973", 1),
        ("restore", "1994", 2),
        ("sever", "2018", 2),
    ]
    # "Year recognized the PRC" is about a third state: nothing about Algeria
    assert not [x for x in doc.assertions if "DZA" in (x.a, x.b)]
    # Upper Volta is the same state as Burkina Faso, not a second partner
    assert problems(doc, "extra_country") == []


def test_the_sahrawi_layout_with_cells_on_one_line_and_former_relations() -> None:
    doc = page("the Sahrawi Arab Democratic Republic")
    algeria = one(doc, "establish", "ESH", "DZA", "wikipedia-list")
    assert (algeria.date, algeria.detail["number"], algeria.detail["position"]) == (
        PartialDate(1976, 3, 6),
        "1",
        1,
    )
    assert algeria.evidence == "1 | Algeria | 6 March 1976 | Embassy (Algiers) | AU"
    # "Yes" says relations exist, without a date
    assert one(doc, "establish", "ESH", "MNG").date is None
    # notes of a list row are read too: frozen from ... to ...
    kenya = found(doc, "suspend", "ESH", "KEN") + found(doc, "restore", "ESH", "KEN")
    assert [(x.type.value, str(x.date)) for x in kenya] == [
        ("suspend", "2006-10-18"),
        ("restore", "2014-02-06"),
    ]
    # every row of "Former diplomatic relations" is marked; the last word of its notes says how
    albania = one(doc, "sever", "ESH", "ALB", "wikipedia-list")
    assert albania.detail["section"] == "Former diplomatic relations"
    assert one(doc, "sever", "ESH", "ALB", "wikipedia-notes").date == PartialDate(1996, 9, 13)
    bolivia = [
        (x.type.value, str(x.date))
        for x in doc.assertions
        if "BOL" in (x.a, x.b) and x.extractor == "wikipedia-notes"
    ]
    assert bolivia == [("suspend", "1996"), ("restore", "2004"), ("sever", "2015-05-01")]


# ---------------------------------------------------------------------------------------------------
# Bilateral tables and their notes
# ---------------------------------------------------------------------------------------------------


def test_the_formal_relations_column_establishes_relations() -> None:
    cuba = one(page("Iceland"), "establish", "ISL", "CUB", "wikipedia-bilateral")
    assert cuba.date == PartialDate(2024, 2, 14)
    assert cuba.detail == {"table": "bilateral", "section": "Americas", "qualifier": None}
    assert cuba.evidence == "Cuba | Formal relations began: 2024-02-14"


def test_a_notes_sentence_with_a_verb_and_a_date_is_an_assertion() -> None:
    doc = page("Iceland")
    cuba = one(doc, "establish", "ISL", "CUB", "wikipedia-notes")
    assert cuba.evidence == "Diplomatic relations were established on 14 February 2024."
    assert cuba.date == PartialDate(2024, 2, 14)
    assert cuba.confidence < 1
    severed = one(doc, "sever", "ISL", "CHL")
    restored = one(doc, "restore", "ISL", "CHL")
    assert (severed.date, restored.date) == (PartialDate(1980), PartialDate(2016))
    assert severed.evidence == "The two countries severed relations in 1980 and restored them in 2016."
    assert [str(x.date) for x in found(doc, "sever", "ISL", "ISR") + found(doc, "restore", "ISL", "ISR")] == [
        "1967",
        "1991",
    ]
    assert one(doc, "suspend", "ISL", "VEN", "wikipedia-notes").date == PartialDate(2017)


def test_notes_about_third_states_other_relations_and_plans() -> None:
    doc = page("Iceland")
    # "In 1990, Chile broke off relations with Argentina" is not about Iceland and Chile
    assert found(doc, "sever", "ISL", "CHL") == found(doc, "sever", "ISL", "CHL", "wikipedia-notes")
    assert [str(x.date) for x in found(doc, "sever", "ISL", "CHL")] == ["1980"]
    # "Trade relations were suspended in 2003" is not about diplomatic relations
    assert found(doc, "suspend", "ISL", "ISR") == []
    # "Iceland plans to re-establish relations in 2030"
    plan = one(doc, "restore", "ISL", "VEN", "wikipedia-notes")
    assert (plan.date, plan.modality.value) == (PartialDate(2030), "planned")


def test_a_date_column_that_tells_a_story() -> None:
    doc = page("Iceland")
    # '''Diplomatic relations severed in 1980''' where a start date would be
    us = one(doc, "sever", "ISL", "USA")
    assert (us.date, us.extractor) == (PartialDate(1980), "wikipedia-bilateral")
    assert found(doc, "establish", "ISL", "USA") == []
    # "1 August 1974, severed 23 July 1980, restored 17 May 1984"
    venezuela = [
        (x.type.value, str(x.date))
        for x in doc.assertions
        if "VEN" in (x.a, x.b) and x.extractor == "wikipedia-bilateral"
    ]
    assert venezuela == [("establish", "1974-08-01"), ("sever", "1980-07-23"), ("restore", "1984-05-17")]


def test_a_page_without_a_list_table_says_so() -> None:
    doc = page("Ukraine")
    assert [p["kind"] for p in doc.problems] == ["no_list_table"]
    assert "3 bilateral rows" in doc.problems[0]["message"]
    # the organisations table is not read at all; the countries tables are
    assert [(x.type.value, x.a if x.b == "UKR" else x.b, x.extractor) for x in doc.assertions] == [
        ("establish", "POL", "wikipedia-bilateral"),
        ("establish", "POL", "wikipedia-notes"),
        ("establish", "COG", "wikipedia-bilateral"),  # {{flag|Congo}} is the Republic of the Congo
        ("establish", "COK", "wikipedia-bilateral"),  # one cell, two partners
        ("establish", "NIU", "wikipedia-bilateral"),
    ]


# ---------------------------------------------------------------------------------------------------
# Recognition
# ---------------------------------------------------------------------------------------------------


def test_a_recognition_table_says_who_recognised_the_page_s_state_and_when() -> None:
    doc = page("Abkhazia")
    nauru = one(doc, "recognize", "NRU", "XAB")
    assert (nauru.a, nauru.b, nauru.date) == ("NRU", "XAB", PartialDate(2009, 12, 15))  # recogniser first
    assert one(doc, "establish", "XAB", "NRU").date == PartialDate(2016, 9, 29)
    transnistria = one(doc, "recognize", "XTR", "XAB")
    assert (transnistria.date, transnistria.detail["qualifier"]) == (PartialDate(1993, 1, 22), "before")
    # "19 September 2011–31 March 2014": recognised, then withdrawn
    assert one(doc, "recognize", "TUV", "XAB").date == PartialDate(2011, 9, 19)
    assert one(doc, "withdraw_recognition", "TUV", "XAB").date == PartialDate(2014, 3, 31)


def test_a_list_of_withdrawals_withdraws_recognition() -> None:
    vanuatu = one(page("Abkhazia"), "withdraw_recognition", "VUT", "XAB")
    assert (vanuatu.a, vanuatu.date, vanuatu.date_text) == ("VUT", PartialDate(2011, 6), "June 2011")
    assert vanuatu.detail["section"] == "States that have withdrawn recognition"


# ---------------------------------------------------------------------------------------------------
# Documents, files and bad input
# ---------------------------------------------------------------------------------------------------


def test_the_source_names_the_page_its_licence_and_attribution() -> None:
    text = (FIXTURES / "Foreign relations of Portugal.wiki").read_text(encoding="utf-8")
    doc = parse_page("Foreign relations of Portugal", text, retrieved=date(2025, 11, 1))
    source = doc.source
    assert source.kind == "wikipedia"
    assert source.title == "Foreign relations of Portugal"
    assert source.url == "https://en.wikipedia.org/wiki/Foreign_relations_of_Portugal"
    assert source.outlet == "Wikipedia"
    assert source.retrieved == date(2025, 11, 1)
    assert source.licence == "CC BY-SA 4.0"
    assert source.attribution == 'Wikipedia contributors, "Foreign relations of Portugal", English Wikipedia'
    assert len(source.content_hash) == 64


def test_windows_line_ends_read_the_same() -> None:
    text = (FIXTURES / "Foreign relations of Iceland.wiki").read_text(encoding="utf-8")
    unix = parse_page("Foreign relations of Iceland", text)
    windows = parse_page("Foreign relations of Iceland", text.replace("\n", "\r\n"))
    assert [(x.type, x.a, x.b, x.date, x.evidence, x.detail) for x in windows.assertions] == [
        (x.type, x.a, x.b, x.date, x.evidence, x.detail) for x in unix.assertions
    ]


def test_a_folder_is_read_file_by_file() -> None:
    docs = list(read_files([FIXTURES]))
    assert [d.source.title.removeprefix("Foreign relations of ") for d in docs] == [
        "Abkhazia",
        "Iceland",
        "Korea",
        "Portugal",
        "Taiwan",
        "Ukraine",
        "the Sahrawi Arab Democratic Republic",
    ]


def test_a_disambiguation_page_is_a_document_with_a_problem_not_an_error() -> None:
    doc = page("Korea")
    assert doc.assertions == []
    assert [p["kind"] for p in doc.problems] == ["no_list_table"]


def test_the_title_of_a_file_name() -> None:
    assert title_from_path(Path("Foreign relations of Georgia _country_.wikitext")) == (
        "Foreign relations of Georgia (country)"
    )
    assert title_from_path(Path("x/Foreign relations of Chad.wikitext")) == "Foreign relations of Chad"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.wiki", "empty"),
        ("Foreign relations of Iceland (blank).wiki", "empty"),
        ("binary.wiki", "binary"),
        ("latin1.wiki", "not UTF-8"),
        ("Foreign relations of Atlantis.wiki", "no recognisable owner state"),
        ("missing.wiki", "cannot read"),
    ],
)
def test_bad_input_is_an_error_that_names_the_file(name: str, reason: str) -> None:
    path = FIXTURES / "bad" / name
    with pytest.raises(WikitextError, match=reason) as caught:
        list(read_files([path]))
    assert caught.value.path == path
    assert str(path) in str(caught.value)
    assert isinstance(caught.value, ValueError)


# ---------------------------------------------------------------------------------------------------
# Live pages, from a real HTTP server on this machine
# ---------------------------------------------------------------------------------------------------


class _WikiHandler(BaseHTTPRequestHandler):
    """Serves the fixtures as ``/w/index.php?title=<title>&action=raw``, like Wikipedia does."""

    user_agents: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        title = query.get("title", [""])[0]
        type(self).user_agents.append(self.headers.get("User-Agent", ""))
        path = FIXTURES / f"{title}.wiki"
        if url.path != "/w/index.php" or query.get("action") != ["raw"]:
            self.send_error(400)
        elif title == "Iceland foreign relations":
            self._send(b"#REDIRECT [[Foreign relations of Iceland]]")
        elif title == "Foreign relations of Mars":
            self.send_error(503, "Service Unavailable")
        elif path.is_file():
            self._send(path.read_bytes())
        else:
            self.send_error(404, "Not Found")

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/x-wiki; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def wiki_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _WikiHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _WikiHandler.user_agents = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/w/index.php"
    finally:
        server.shutdown()
        server.server_close()


def test_live_pages_are_fetched_raw_and_dated_today(wiki_server: str) -> None:
    docs = list(
        fetch_live(["Foreign relations of Portugal", "Iceland foreign relations"], endpoint=wiki_server)
    )
    assert [d.source.title for d in docs] == ["Foreign relations of Portugal", "Foreign relations of Iceland"]
    assert all(d.source.retrieved == date.today() for d in docs)
    assert one(docs[1], "establish", "ISL", "NOR").date == PartialDate(1945, 1, 18)
    assert all(ua.startswith("comity/") for ua in _WikiHandler.user_agents)


@pytest.mark.parametrize(
    ("title", "status"), [("Foreign relations of Nowhere", "404"), ("Foreign relations of Mars", "503")]
)
def test_an_http_error_names_the_title(wiki_server: str, title: str, status: str) -> None:
    with pytest.raises(WikitextError, match=status) as caught:
        list(fetch_live([title], endpoint=wiki_server))
    assert caught.value.title == title
    assert title in str(caught.value)


def test_an_unreachable_server_is_an_error_too() -> None:
    with pytest.raises(WikitextError, match="cannot fetch"):
        list(fetch_live(["Foreign relations of Chad"], endpoint="http://127.0.0.1:9/w/index.php", timeout=2))


# ---------------------------------------------------------------------------------------------------
# The real corpus (skipped without the shared data)
# ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(shared_data: Path) -> dict[str, Document]:
    folder = shared_data / "wikipedia" / "foreign-relations"
    if not folder.is_dir():
        pytest.skip(f"no Wikipedia corpus at {folder}")
    return {d.source.title.removeprefix("Foreign relations of "): d for d in read_files([folder])}


@pytest.mark.shared
def test_every_page_of_the_corpus_parses(corpus: dict[str, Document]) -> None:
    assert len(corpus) == 205
    without_list = sorted(
        t for t, d in corpus.items() if any(p["kind"] == "no_list_table" for p in d.problems)
    )
    assert without_list == [
        "Abkhazia",
        "Korea",
        "Northern Cyprus",
        "Somaliland",
        "South Ossetia",
        "Transnistria",
        "Ukraine",
    ]


@pytest.mark.shared
def test_the_corpus_fills_the_list_in_south_korea_s_order(corpus: dict[str, Document]) -> None:
    doc = corpus["South Korea"]
    cuba = one(doc, "establish", "KOR", "CUB", "wikipedia-list")
    assert (cuba.date, cuba.detail["position"], cuba.detail["number"]) == (
        PartialDate(2024, 2, 14),
        193,
        "190",
    )
    for code in ("COK", "NIU", "VAT"):
        row = one(doc, "establish", "KOR", code, "wikipedia-list")
        assert row.detail["number"] == "—"
        assert row.detail["position"] < 193


@pytest.mark.shared
def test_the_corpus_knows_suspended_and_severed_relations(corpus: dict[str, Document]) -> None:
    assert one(corpus["Canada"], "suspend", "CAN", "IRN", "wikipedia-list").detail["marker"] == "suspended"
    assert one(corpus["Canada"], "suspend", "CAN", "PRK", "wikipedia-list").detail["marker"] == "suspended"
    assert found(corpus["the United States"], "sever", "IRN", "USA")
    assert PartialDate(1980) in {x.date for x in found(corpus["the United States"], "sever", "IRN", "USA")}


@pytest.mark.shared
def test_the_corpus_gives_about_33000_list_rows_and_few_problems(corpus: dict[str, Document]) -> None:
    by_extractor = Counter(
        x.extractor for d in corpus.values() for x in d.assertions if x.type.value == "establish"
    )
    assert 32_000 <= by_extractor["wikipedia-list"] <= 34_500
    assert by_extractor["wikipedia-bilateral"] > 5_000
    row_problems = sum(1 for d in corpus.values() for p in d.problems if p["kind"] != "no_list_table")
    assert row_problems / by_extractor["wikipedia-list"] < 0.01


def test_a_note_chaining_several_changes_gives_each_one():
    from comity.importers.wikipedia import _note_events

    sentence = (
        "The two states established formal diplomatic relations on 2 March 1961, but severed them on "
        "5 May 1977 and re-established them on 9 October 1993."
    )
    events, _dates, _used = _note_events(sentence)
    assert [(e[0].value, str(e[1].date)) for e in events] == [
        ("establish", "1961-03-02"),
        ("sever", "1977-05-05"),
        ("restore", "1993-10-09"),
    ]


def test_a_bilateral_date_cell_with_several_beginnings_gives_the_restorations():
    text = (
        '== Bilateral relations ==\n{| class="wikitable"\n! Country !! Formal relations began !! Notes\n'
        "|-\n|{{flag|Cuba}}||<!--Date started-->1902; 2015||Relations lapsed for decades.\n|}\n"
    )
    doc = parse_page("Foreign relations of the United States", text)
    found = [(a.type.value, str(a.date)) for a in doc.assertions if a.extractor == "wikipedia-bilateral"]
    assert found == [("establish", "1902"), ("restore", "2015")]


def test_bilateral_dates_of_predecessor_polities_and_informal_ties_are_not_relations():
    text = (
        '== Bilateral relations ==\n{| class="wikitable"\n! Country !! Formal relations began !! Notes\n'
        "|-\n|{{flag|Vietnam}}||1350 (Old Kingdom) 3 March 1993||Text.\n"
        "|-\n|{{flag|Laos}}||1890 (Old Kingdom); only informal relations||Text.\n|}\n"
    )
    doc = parse_page("Foreign relations of South Korea", text)
    found = [(a.b, str(a.date)) for a in doc.assertions if a.extractor == "wikipedia-bilateral"]
    assert found == [("VNM", "1993-03-03")]
    assert [p["kind"] for p in doc.problems if p["kind"] == "no_formal_relations"] == ["no_formal_relations"]


def test_a_note_on_years_without_relations_gives_the_break_and_the_restoration():
    text = (
        '== Bilateral relations ==\n{| class="wikitable"\n! Country !! Formal relations began !! Notes\n'
        "|-\n|{{flag|Ecuador}}||3 March 2001||The two established diplomatic relations on 4 June 1950; "
        "Ecuador was the first state in South America to do so.\n\nThere were no formal diplomatic relations between "
        "Iceland and Ecuador from 12 May 1963 to 3 March 2001.\n"
        "|-\n|{{flag|Peru}}||1990||The two sides had no trade relations from 1970 to 1985.\n|}\n"
    )
    doc = parse_page("Foreign relations of Iceland", text)
    notes = [
        (a.type.value, a.a, a.b, str(a.date)) for a in doc.assertions if a.extractor == "wikipedia-notes"
    ]
    # "South America" names no state, so the first sentence is about the pair; trade relations are not
    # diplomatic relations.
    assert notes == [
        ("establish", "ECU", "ISL", "1950-06-04"),
        ("sever", "ECU", "ISL", "1963-05-12"),
        ("restore", "ECU", "ISL", "2001-03-03"),
    ]
