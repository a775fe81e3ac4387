"""The registry of states: the data files behind it and how names resolve."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from importlib import resources

import pytest

from comity.states import (
    ALIAS_KINDS,
    KINDS,
    AmbiguousState,
    UnknownState,
    get,
    localized_names,
    normalize,
    registry,
    resolve,
)


def data_rows(name: str) -> list[dict[str, str]]:
    with resources.files("comity").joinpath("data", name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


# -- UN membership ------------------------------------------------------------------------------


def test_there_are_193_un_members_today():
    members = registry().un_members()
    assert len(members) == 193
    assert {s.kind for s in members} == {"un_member"}
    assert len([s for s in registry() if s.kind == "un_member"]) == 193


@pytest.mark.parametrize(
    ("code", "admitted"),
    [
        ("KOR", date(1991, 9, 17)),
        ("PRK", date(1991, 9, 17)),
        ("USA", date(1945, 10, 24)),
        ("RUS", date(1945, 10, 24)),
        ("DEU", date(1973, 9, 18)),
        ("YEM", date(1947, 9, 30)),
        ("SRB", date(2000, 11, 1)),
        ("CZE", date(1993, 1, 19)),
        ("SVK", date(1993, 1, 19)),
        ("ERI", date(1993, 5, 28)),
        ("MCO", date(1993, 5, 28)),
        ("AND", date(1993, 7, 28)),
        ("PLW", date(1994, 12, 15)),
        ("KIR", date(1999, 9, 14)),
        ("NRU", date(1999, 9, 14)),
        ("TON", date(1999, 9, 14)),
        ("TUV", date(2000, 9, 5)),
        ("CHE", date(2002, 9, 10)),
        ("TLS", date(2002, 9, 27)),
        ("MNE", date(2006, 6, 28)),
        ("SSD", date(2011, 7, 14)),
    ],
)
def test_un_admission_dates(code, admitted):
    assert get(code).un_admission == admitted


def test_every_member_has_an_admission_date_and_no_exit():
    for s in registry():
        if s.kind == "un_member":
            assert s.un_admission is not None, s.code
            assert s.un_exit is None, s.code
        if s.kind in ("observer", "other"):
            assert s.un_admission is None, s.code


def test_membership_on_a_past_date():
    members = {s.code for s in registry().un_members(as_of=date(1990, 1, 1))}
    assert "DDR" in members and "DEU" in members
    assert "KOR" not in members and "PRK" not in members
    assert "YMD" in members and "YEM" in members  # South Yemen, and Yemen standing for North Yemen


@pytest.mark.parametrize(
    ("day", "count"),
    [(date(1964, 1, 1), 113), (date(1980, 1, 1), 152), (date(1990, 1, 1), 159), (date(1992, 1, 1), 166)],
)
def test_historical_member_counts_count_each_seat_once(day, count):
    assert len(registry().un_members(as_of=day)) == count


def test_a_continued_seat_is_listed_under_its_holder_of_the_day():
    in_1980 = {s.code for s in registry().un_members(date(1980, 1, 1))}
    assert "SUN" in in_1980 and "RUS" not in in_1980
    in_1992 = {s.code for s in registry().un_members(date(1992, 1, 1))}
    assert "RUS" in in_1992 and "SUN" not in in_1992
    in_2003 = {s.code for s in registry().un_members(date(2003, 1, 1))}
    assert "SCG" in in_2003 and "SRB" not in in_2003
    # Germany: both states joined on the same day, and the GDR's seat lapsed rather than passed on.
    in_1980 = {s.code for s in registry().un_members(date(1980, 1, 1))}
    assert {"DEU", "DDR"} <= in_1980


# -- historical states ----------------------------------------------------------------------------


def test_soviet_union():
    ussr = get("SUN")
    assert ussr.kind == "historical"
    assert ussr.successors[0] == "RUS"
    assert len(ussr.successors) == 15
    assert ussr.is_un_member(date(1980, 1, 1))
    assert not ussr.is_un_member(date(2000, 1, 1))
    assert not ussr.is_un_member()
    assert ussr.existed(date(1980, 1, 1)) and not ussr.existed(date(1992, 1, 1))


def test_every_successor_exists():
    reg = registry()
    for s in reg:
        for code in s.successors:
            assert code in reg, f"{s.code} lists unknown successor {code}"


def test_historical_states_have_an_end_after_their_start():
    for s in registry():
        if s.kind == "historical":
            assert s.end is not None, s.code
            assert s.start is None or s.start < s.end, s.code
        else:
            assert s.end is None and not s.successors, s.code
        if s.un_exit is not None:
            assert s.un_admission is not None and s.un_admission < s.un_exit, s.code


# -- resolving names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("KOR", "KOR"),
        ("kor", "KOR"),
        ("South Korea", "KOR"),
        ("Republic of Korea", "KOR"),
        ("Korea, Republic of", "KOR"),
        ("ROK", "KOR"),
        ("Seoul", "KOR"),
        ("South Korean", "KOR"),
        ("DPRK", "PRK"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("Pyongyang", "PRK"),
        ("Havana", "CUB"),
        ("the Kremlin", "RUS"),
        ("Moscow", "RUS"),
        ("the White House", "USA"),
        ("U.S.", "USA"),
        ("United States of America", "USA"),
        ("American", "USA"),
        ("UK", "GBR"),
        ("Downing Street", "GBR"),
        ("Quai d'Orsay", "FRA"),
        ("Türkiye", "TUR"),
        ("Turkiye", "TUR"),
        ("Ivory Coast", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("DR Congo", "COD"),
        ("Congo-Brazzaville", "COG"),
        ("Czechia", "CZE"),
        ("Burma", "MMR"),
        ("Swaziland", "SWZ"),
        ("East Timor", "TLS"),
        ("The Gambia", "GMB"),
        ("PRC", "CHN"),
        ("Beijing", "CHN"),
        ("Republic of China", "TWN"),
        ("Taipei", "TWN"),
        ("Vatican", "VAT"),
        ("the Holy See", "VAT"),
        ("State of Palestine", "PSE"),
        ("Palestinian Authority", "PSE"),
        ("Kosovo", "XKX"),
        ("SADR", "ESH"),
        ("TRNC", "XNC"),
        ("Pridnestrovie", "XTR"),
        ("Sovereign Order of Malta", "XOM"),
        ("Kyiv", "UKR"),
        ("Kiev", "UKR"),
        ("Washington, D.C.", "USA"),
        ("Emirati", "ARE"),
        ("Dutch", "NLD"),
        ("The Hague", "NLD"),
        ("Soviet Union", "SUN"),
        ("USSR", "SUN"),
        ("East Germany", "DDR"),
        ("Zaire", "COD"),
        ("Upper Volta", "BFA"),
        ("FR Yugoslavia", "SCG"),
        ("Georgia (country)", "GEO"),
        ("St. Vincent and the Grenadines", "VCT"),
    ],
)
def test_resolve(text, code):
    assert resolve(text).code == code


def test_a_current_state_wins_over_a_historical_one_of_the_same_capital():
    assert resolve("Belgrade").code == "SRB"
    assert resolve("Prague").code == "CZE"


@pytest.mark.parametrize(("text", "codes"), [("Korea", {"KOR", "PRK"}), ("Congo", {"COD", "COG"})])
def test_ambiguous_names_raise_with_the_candidates(text, codes):
    with pytest.raises(AmbiguousState) as exc:
        resolve(text)
    assert {s.code for s in exc.value.suggestions} == codes
    assert exc.value.query == text


def test_unknown_name_suggests_close_matches():
    with pytest.raises(UnknownState) as exc:
        resolve("Sout Korea")
    assert exc.value.suggestions[0].code == "KOR"


def test_unknown_code_suggests_too():
    with pytest.raises(UnknownState):
        get("ZZZ")


def test_empty_name_is_unknown():
    with pytest.raises(UnknownState):
        resolve("  ")


def test_capitals_and_demonyms_need_weak_matching():
    assert registry().resolve("Seoul").code == "KOR"
    with pytest.raises(UnknownState):
        registry().resolve("Seoul", weak=False)


@pytest.mark.parametrize(
    "text",
    [
        "European Union",
        "NATO",
        "United Nations",
        "African Union",
        "Hong Kong",
        "Macau",
        "Puerto Rico",
        "Greenland",
        "Kurdistan Region",
        "Tel Aviv",
    ],
)
def test_organisations_territories_and_non_capitals_do_not_resolve(text):
    with pytest.raises(UnknownState):
        resolve(text)


def test_normalize():
    assert normalize("The Gambia") == normalize("Gambia") == "gambia"
    assert normalize("Côte d’Ivoire") == normalize("Cote d'Ivoire")
    assert normalize("Bosnia & Herzegovina") == normalize("Bosnia and Herzegovina")
    assert normalize("Guinea-Bissau") == normalize("Guinea Bissau")


def test_search_finds_by_part_of_a_name():
    codes = {s.code for s in registry().search("korea")}
    assert {"KOR", "PRK"} <= codes


# -- relations facts and other languages ---------------------------------------------------------


def test_not_foreign():
    reg = registry()
    assert reg.not_foreign("KOR", "PRK")
    assert reg.not_foreign("PRK", "KOR") == reg.not_foreign("KOR", "PRK")
    assert reg.not_foreign("CHN", "TWN")
    assert reg.not_foreign("KOR", "CUB") is None


def test_localized_names():
    names = localized_names("KOR")
    assert "fr" in names and "Corée" in names["fr"]
    assert localized_names("XKX") == {}


# -- consistency of the data files -------------------------------------------------------------------


def test_codes_are_unique_three_letter_codes():
    rows = data_rows("states.csv")
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes))
    assert all(len(c) == 3 and c.isalpha() and c.isupper() for c in codes)
    assert {r["kind"] for r in rows} <= set(KINDS)
    assert {r["iso"] for r in rows} <= {"yes", "no"}


def test_non_iso_codes_explain_themselves():
    for r in data_rows("states.csv"):
        if r["iso"] == "no":
            assert r["note"], r["code"]


def test_observers_and_others():
    assert {s.code for s in registry() if s.kind == "observer"} == {"VAT", "PSE"}
    others = {s.code for s in registry() if s.kind == "other"}
    assert {"TWN", "XKX", "ESH", "COK", "NIU", "XOM", "XAB", "XSO", "XNC", "XSL", "XTR"} <= others


def test_aliases_refer_to_known_codes_and_kinds():
    reg = registry()
    for row in data_rows("aliases.csv"):
        assert row["code"] in reg, row
        assert row["kind"] in ALIAS_KINDS, row
        assert row["alias"].strip() == row["alias"] and row["alias"], row


def test_aliases_do_not_repeat_states_csv():
    """Names, capitals and demonyms come from states.csv; aliases.csv adds only other forms.

    The same text may come back as another, stronger kind: "Vatican City" is the Holy See's capital and
    one of its names, "U.S." a demonym and an abbreviation.
    """
    given = defaultdict(set)
    for r in data_rows("states.csv"):
        given[r["code"]] |= {("", r["name"]), ("", r["official_name"]), ("capital", r["capital"])}
        given[r["code"]] |= {("demonym", d) for d in r["demonym"].split(";")}
    rows = data_rows("aliases.csv")
    repeated = [r for r in rows if {("", r["alias"]), (r["kind"], r["alias"])} & given[r["code"]]]
    assert repeated == []
    pairs = [(r["code"], r["alias"]) for r in rows]
    assert len(pairs) == len(set(pairs))


def test_no_name_means_two_entities_unless_marked_ambiguous():
    """A name, abbreviation or former name identifies one entity; 'ambiguous' aliases are the exceptions."""
    strong: dict[str, set[str]] = defaultdict(set)
    weak: dict[str, set[str]] = defaultdict(set)
    ambiguous: dict[str, set[str]] = defaultdict(set)
    for s in registry():
        for n in s.names():
            strong[normalize(n)].add(s.code)
        strong[normalize(s.code)].add(s.code)
        for alias, kind in s.aliases:
            if kind == "ambiguous":
                ambiguous[normalize(alias)].add(s.code)
            elif kind in ("capital", "demonym", "government"):
                weak[normalize(alias)].add(s.code)
    assert {k: v for k, v in strong.items() if len(v) > 1} == {}
    # An ambiguous alias names several entities and no one entity's own name.
    for key, codes in ambiguous.items():
        assert len(codes) > 1, key
        assert key not in strong, key
    # A capital, demonym or seat of government is shared only with historical entities.
    for key, codes in weak.items():
        current = [c for c in codes if get(c).kind != "historical"]
        assert len(current) <= 1, (key, codes)


def test_every_entity_has_a_name_and_un_members_a_capital():
    for s in registry():
        assert s.name, s.code
        if s.kind == "un_member":
            assert s.capital, s.code
