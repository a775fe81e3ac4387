"""Hostile and broken input: the importer, the reader and the extractor on generated and found inputs.

Property-based (hypothesis) over wikitext made of tables, templates, links, refs, comments, headings and
random unicode, over bytes that are text, HTML or JSONL, and over article text: each entry point gives its
documented result (a Document or a :class:`WikitextError`; articles and :class:`ReadError` items; a list
of assertions) and never hangs. Long runs of one character are mixed in, the shape that makes a
backtracking regex quadratic or worse; each example has a deadline.

``tests/fixtures/hostile/`` keeps the nastiest inputs found (by ``python fuzz/run.py`` and by hand) as
regression cases, each with the time it must stay under.
"""

from __future__ import annotations

import io
import json
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comity.extract import extract
from comity.importers.wikipedia import MAX_PAGE_CHARS, WikitextError, parse_page
from comity.reader import MAX_CHARS, Article, ReadError, read_articles

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
TITLES = ["Foreign relations of Peru", "Foreign relations of Kosovo", "Foreign relations of Abkhazia",
          "Foreign relations of Taiwan", "Foreign relations of Atlantis"]  # fmt: skip
SETTINGS = settings(
    max_examples=300, deadline=timedelta(seconds=3), suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)  # fmt: skip

# -- wikitext ----------------------------------------------------------------------------------------

_names = st.sampled_from(
    ["Chile", "Peru", "Holy See", "Congo", "Atlantis", "Korea", "", "²", "١٩٩٠", "Cook Islands"]
)
_dates = st.sampled_from(["14 March 2021", "1990", "c. 1962", "Before 1990", "1960s", "2024-02-14", "30 February 1990",
                          "7/13/1972", "unknown", "1902; 2015", "1 August 1974, severed 23 July 1980", "—", "99999999"])  # fmt: skip
_unicode = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


def _pump(draw) -> str:  # type: ignore[no-untyped-def]
    """A long run of one piece: what backtracking regexes choke on."""
    piece = draw(st.sampled_from([" ", "=", "-", "<", "[", "{", "(", "|", "'", "a", "1", "<ref>", "<ref ", "[//a ",
                                  "{{", "[[a|", "!", "\t", "\n", "</ref", "<!--", "{{flag|", "== ", "1990 (", "&amp;"]))  # fmt: skip
    head = draw(st.sampled_from(["", "", "= ", "== x", "| 1 || ", "{{flag|", "<ref>", "[//", "1990 (", "! "]))
    tail = draw(st.sampled_from(["", "", "y", "=", "}}", "\n"]))
    return head + piece * draw(st.integers(100, 40_000)) + tail


@st.composite
def _template(draw) -> str:  # type: ignore[no-untyped-def]
    name = draw(st.sampled_from(["flag", "flagcountry", "flagicon", "dts", "date", "start date", "sort", "ubl", "GER",
                                 "USA", "nowrap", "circa", "lang", "#invoke:flag", "#invoke:dts|main", "cite web", "Efn"]))  # fmt: skip
    keyed = st.builds(
        "{}={}".format, st.sampled_from(["1", "2", "name", "99999999", "²", "0", "-1", "٣"]), _names
    )
    params = draw(st.lists(st.one_of(keyed, _names, _dates, keyed, _unicode), max_size=4))
    close = draw(st.sampled_from(["}}", "}}", "}", ""]))
    return "{{" + "|".join([name, *params]) + close


@st.composite
def _cell(draw) -> str:  # type: ignore[no-untyped-def]
    parts = draw(st.lists(st.one_of(_template(), _names, _dates, _unicode, st.just("[[Chile|the Chileans]]"),
                                    st.just("<ref>note</ref>"), st.just('<ref name="a" />'), st.just("<ref>open"),
                                    st.just("(suspended)"), st.just("<br />"), st.just("[//example.org link]"),
                                    st.just("<!-- hidden"), st.just("'''bold'''")), max_size=4))  # fmt: skip
    attrs = draw(st.sampled_from(["", 'style="background:#ddd" | ', 'rowspan="3" | ', 'colspan="' + "9" * 40 + '" | ',
                                  'rowspan="-2" | ', "align=center | "]))  # fmt: skip
    return attrs + " ".join(parts)


_COUNTRIES = ["Chile", "Bolivia", "Ecuador", "Kenya", "Ghana", "Norway", "Holy See", "Cook Islands", "Congo"]
_LAYOUTS = {
    "list": ["#", "Country", "Date"],
    "bilateral": ["Country", "Formal relations began", "Notes"],
    "recognition": ["#", "State", "Date of recognition"],
    "former": ["State", "From", "To"],
}
_NOTES = [
    "Relations were severed in 1980 and restored in 2016.", "Both countries established diplomatic relations on"
    " 2 May 1965.", "Relations were suspended in 1973.", "They never established ties until 1990 (Qing).",
]  # fmt: skip


@st.composite
def _good_cell(draw, column: str, row: int) -> str:  # type: ignore[no-untyped-def]
    """What such a column holds on a real page."""
    if column == "#":
        return draw(st.sampled_from([str(row), "—", ""]))
    if column in ("Country", "State"):
        name = draw(st.sampled_from(_COUNTRIES))
        return draw(
            st.sampled_from([f"{{{{flag|{name}}}}}", f"[[{name}]]", name, f"{{{{flag|{name}}}}} (suspended)"])
        )
    if column == "Notes":
        return draw(st.sampled_from(_NOTES))
    return draw(_dates)


@st.composite
def _spoilt_cell(draw, column: str, row: int) -> str:  # type: ignore[no-untyped-def]
    """A real cell with something hostile after it."""
    bad = draw(st.one_of(_template(), st.composite(_pump)(), _template(), _cell()))
    return draw(_good_cell(column, row)) + draw(st.sampled_from([" ", "", "<br />"])) + bad


@st.composite
def _table(draw) -> str:  # type: ignore[no-untyped-def]
    """A table of one of the page layouts, most cells as a page has them and some hostile."""
    layout = _LAYOUTS[draw(st.sampled_from(sorted(_LAYOUTS)))]
    head = draw(st.sampled_from(["== Diplomatic relations ==", "== Bilateral relations ==", "== Former relations ==",
                                 "== States that recognise ==", ""]))  # fmt: skip
    lines = [head, '{| class="wikitable sortable"', "! " + " !! ".join(layout)]
    for i in range(1, draw(st.integers(0, 8)) + 1):
        cells = [
            draw(st.one_of(_good_cell(c, i), _good_cell(c, i), _spoilt_cell(c, i), _cell())) for c in layout
        ]
        lines.append(draw(st.sampled_from(["|-", "|- style=background:#ddd", "|-", ""])))
        if draw(st.booleans()):
            lines.append("| " + " || ".join(cells))
        else:
            lines += ["| " + c for c in cells]
    lines.append(draw(st.sampled_from(["|}", "|}", ""])))
    return "\n".join(lines)


@st.composite
def _line(draw) -> str:  # type: ignore[no-untyped-def]
    kind = draw(st.integers(0, 9))
    if kind <= 3:
        return draw(_table())
    if kind == 4:
        return draw(
            st.sampled_from(['{| class="wikitable"', "{|", "|}", "|-", "|+ Caption", "! Country !! Date"])
        )
    if kind == 5:
        return "| " + " || ".join(draw(st.lists(_cell(), min_size=1, max_size=4)))
    if kind == 6:
        level = "=" * draw(st.integers(1, 7))
        name = draw(
            st.sampled_from(["Diplomatic relations", "States that have withdrawn recognition", "Recognition"])
        )
        return f"{level} {name} {level}"
    if kind == 7:
        return "* " + draw(_cell())
    if kind == 8:
        return _pump(draw)
    return draw(_unicode)


_wikitext = st.lists(_line(), max_size=12).map("\n".join)


@SETTINGS
@given(title=st.sampled_from(TITLES[:4] * 3 + TITLES), text=_wikitext)
def test_the_importer_reads_any_wikitext_or_says_why_not(title: str, text: str) -> None:
    try:
        doc = parse_page(title, text)
    except WikitextError as exc:
        assert exc.title == title
        return
    n = len(text.removeprefix("\ufeff"))
    for a in doc.assertions:
        assert a.a != a.b
        assert a.span is None or 0 <= a.span[0] <= a.span[1] <= n
    for p in doc.problems:
        assert isinstance(p["kind"], str) and len(p.get("raw") or "") <= 300
    json.dumps(doc.to_dict())


def test_a_page_longer_than_wikipedia_allows_is_refused_at_once() -> None:
    t0 = time.perf_counter()
    with pytest.raises(WikitextError, match="too long"):
        parse_page("Foreign relations of Peru", "{{" * (MAX_PAGE_CHARS // 2 + 1))
    assert time.perf_counter() - t0 < 1


# -- the reader --------------------------------------------------------------------------------------

_story = st.sampled_from([
    "Chile severed diplomatic ties with Peru on 14 March 2021.", "Kenya and Ghana established relations.", "", " ",
    "\x00\x01\x02", "\ufeffChile cut ties", "Ã©tÃ© â€™", "\ud800 lone", "<p>Chile cut ties</p>" * 6,
])  # fmt: skip
_json_value = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), _unicode, _story,
                        st.lists(st.integers(), max_size=2), st.dictionaries(_unicode, st.integers(), max_size=2))  # fmt: skip
_fields = st.sampled_from(["id", "text", "html", "url", "published", "date", "title", "outlet"])
_jsonl_line = st.one_of(
    st.dictionaries(_fields, st.one_of(_json_value, _story), max_size=6).map(json.dumps),
    st.dictionaries(_fields, _json_value, max_size=4).map(lambda d: json.dumps(d, ensure_ascii=False)),
    st.just('{"text": "unterminated'), st.just("[1, 2]"), st.just('{"id": "x"}'), _unicode,
)  # fmt: skip
_html = st.lists(st.one_of(st.sampled_from(["<html>", "<body>", "<article>", "<p>", "</p>", "<div>", "<script>",
                                            "<meta property='article:published_time' content='2024-99-99'>",
                                            "<title>", "</title>", "<!--", "<![CDATA[", "&#0;", "&#xD800;", "<br/>"]),
                                  _story, _unicode), max_size=20).map("".join)  # fmt: skip
_payload = st.one_of(
    st.binary(max_size=300),
    _story.map(lambda s: s.encode("utf-8", "surrogatepass")),
    _html.map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.lists(_jsonl_line, min_size=1, max_size=6).map(
        lambda xs: "\n".join(xs).encode("utf-8", "surrogatepass")
    ),
    _story.map(lambda s: s.encode("utf-16", "surrogatepass")),
    st.text(max_size=200).map(lambda s: s.encode("cp1252", "replace")),
)
_kind = st.sampled_from(["-", ".txt", ".html", ".jsonl", ".jsonl.gz", ".gz"])


@SETTINGS
@given(data=_payload, kind=_kind)
def test_the_reader_yields_articles_or_read_errors_for_any_bytes(
    tmp_path_factory, data: bytes, kind: str
) -> None:
    import gzip

    if kind == "-":
        items = list(read_articles("-", stdin=io.BytesIO(data)))
    else:
        path = tmp_path_factory.mktemp("in") / f"input{kind}"
        path.write_bytes(gzip.compress(data, mtime=0) if kind.endswith(".gz") else data)
        items = list(read_articles(path))
    assert items
    for item in items:
        assert isinstance(item, Article | ReadError)
        if isinstance(item, Article):
            assert item.text.strip() and len(item.text) <= MAX_CHARS
            assert item.published is None or isinstance(item.published, date)
            for field in (item.text, item.title or "", item.outlet or "", item.url or ""):
                field.encode("utf-8")  # no lone surrogate: every database can store it


# -- the extractor -----------------------------------------------------------------------------------

_words = st.sampled_from([
    "Chile", "Peru", "the two countries", "severed", "restored", "established", "diplomatic", "relations", "ties",
    "with", "on", "14 March 2021", "Wednesday", "last month", "embassy", "ambassador", "not", "plans to", "and",
    ",", ".", "\n", "\x0c", "  ", "(", ")", '"', "'s", "since", "1990", "who", "which", "²",
])  # fmt: skip
_SENTENCES = [
    "{a} severed diplomatic ties with {b} on {d}.", "{a} and {b} established diplomatic relations {d}.",
    "{a} restored relations with {b} in {d}, the ministry said.", "{a} expelled {b}'s ambassador on {d}.",
    "{a} recalled its ambassador to {b} {d}.", "{a} plans to open an embassy in {b} by {d}.",
    "{a} did not cut ties with {b} on {d}.", "{a} switched recognition from Taiwan to China on {d}.",
]  # fmt: skip
_STATES = ["Chile", "Peru", "Cuba", "South Korea", "North Korea", "Taiwan", "China", "Kosovo", "Serbia", "the EU",
           "Washington", "Beijing", "Bolivia's", "Ecuador"]  # fmt: skip
_when = st.sampled_from(
    ["14 March 2021", "on Wednesday", "last month", "in 1960", "2024-02-14", "yesterday", ""]
)
_sentence = st.builds(
    lambda t, a, b, d: t.format(a=a, b=b, d=d), st.sampled_from(_SENTENCES), st.sampled_from(_STATES),
    st.sampled_from(_STATES), _when,
)  # fmt: skip
_article = st.lists(
    st.one_of(_sentence, _sentence, _sentence, _words, _unicode, st.composite(_pump)()), max_size=30
).map(" ".join)


@SETTINGS
@given(text=_article, published=st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2100, 1, 1))),
       title=st.one_of(st.none(), _words, _unicode))  # fmt: skip
def test_the_extractor_states_something_or_nothing_for_any_text(
    text: str, published: date | None, title
) -> None:  # type: ignore[no-untyped-def]
    for a in extract(text, published=published, title=title):
        assert a.a != a.b
        assert a.span is None or 0 <= a.span[0] <= a.span[1] <= len(text)


# -- regression cases found -----------------------------------------------------------------------------

CASES = json.loads((HOSTILE / "cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_nastiest_inputs_found_stay_harmless(name: str) -> None:
    """Each file replays one input that made trouble (found by ``fuzz/`` or by hand); ``cases.json`` says
    what went wrong before the fix and the time the input must now stay under."""
    import gzip

    case = CASES[name]
    data = (HOSTILE / name).read_bytes()
    t0 = time.perf_counter()
    if name.startswith("wikitext-"):
        text = gzip.decompress(data).decode("utf-8")
        doc = parse_page(case["title"], text)
        assert all(a.span is None or a.span[1] <= len(text) for a in doc.assertions)
    elif name.startswith("extract-"):  # the layout fuzz/fuzz_extract.py reads
        published = None if data[0] & 1 else date(1990, 1, 1) + timedelta(days=data[1] * 97)
        text = data[3:].decode("utf-8", errors="replace")
        title = None
        if data[0] & 2 and "\n" in text:
            title, text = text.split("\n", 1)
        for a in extract(text, published=published, title=title):
            assert a.span is None or a.span[1] <= len(text)
    else:
        items = list(read_articles("-", stdin=io.BytesIO(data)))
        assert items and all(isinstance(x, Article | ReadError) for x in items)
    assert time.perf_counter() - t0 < case["seconds"]


def test_what_the_reader_lets_through_every_database_stores(any_store) -> None:  # type: ignore[no-untyped-def]
    """Lone surrogates, a NUL in a title, an outlet longer than its column: SQLite would take some of
    them and PostgreSQL refuse them; the reader cleans them, so both store the same four articles."""
    from comity.ingest import ingest

    data = (HOSTILE / "reader-unstorable-fields.jsonl").read_bytes()
    report = ingest(any_store, read_articles("-", stdin=io.BytesIO(data)))
    assert report.added == 4 and report.read == 4, report.errors
    assert sorted(e["item"] for e in report.errors) == ["bad-day", "list-date"]
    titles = [r[0] for r in any_store.execute(__import__("sqlalchemy").text("select title from sources"))]
    assert "Cut ties" in titles and all("\x00" not in t for t in titles)
