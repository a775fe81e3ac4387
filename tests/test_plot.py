"""Charts written to real PNG and SVG files and read back: the PNG header and size, the SVG parsed, and the data
they show checked against the record's answers."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from comity.cli import app
from comity.plot import PlotError, pair_matrix, pairs_chart, partners_chart
from comity.query import Record
from comity.records import Assertion, Document, Source, content_hash
from comity.store import Store
from comity.vocab import PartialDate

pytest.importorskip("matplotlib")

SVG = "{http://www.w3.org/2000/svg}"


def page(
    subject: str, name: str, rows: list[tuple[str, str]], extra: list[Assertion] | None = None
) -> Document:
    title = f"Foreign relations of {name}"
    assertions = [
        Assertion(
            "establish",
            subject,
            p,
            PartialDate.parse(d),
            evidence=f"{i} | {p} | {d}",
            detail={"table": "list", "position": i},
        )
        for i, (p, d) in enumerate(rows, 1)
    ]
    return Document(
        Source(
            "wikipedia",
            title,
            content_hash(title + repr(rows) + repr(extra)),
            url=f"https://en.wikipedia.org/wiki/{title}",
            retrieved=date(2025, 11, 1),
        ),
        assertions + (extra or []),
        [],
        subject,
    )


def news(title: str, published: str, *assertions: Assertion) -> Document:
    return Document(
        Source(
            "news",
            title,
            content_hash(title),
            url="https://news.example/" + title.replace(" ", "-"),
            published=date.fromisoformat(published),
        ),
        list(assertions),
    )


DOCS = [
    page("KOR", "South Korea", [("GBR", "1949-01-18"), ("USA", "1949-03-25"), ("CUB", "2024-02-14")]),
    page("CUB", "Cuba", [("PRK", "1960-08-29"), ("KOR", "2024-02-14")]),
    page(
        "USA",
        "United States",
        [("IRN", "1883"), ("KOR", "1949-03-24")],
        extra=[
            Assertion(
                "sever", "USA", "IRN", PartialDate.parse("1980-04-07"), evidence="severed on 7 April 1980"
            )
        ],
    ),
    news(
        "Seoul and London break off ties",
        "1990-05-02",
        Assertion("sever", "KOR", "GBR", PartialDate.parse("1990-05-01"), evidence="broke off ties"),
    ),
    news(
        "Seoul and London restore ties",
        "1991-06-02",
        Assertion("restore", "KOR", "GBR", PartialDate.parse("1991-06-01"), evidence="restored ties"),
    ),
]


@pytest.fixture
def record(any_store):
    any_store.add_many(DOCS)
    return Record(any_store)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "record.db"
    with Store.open(path, seed=False) as store:
        store.add_many(DOCS)
    return str(path)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def svg_texts(path: Path) -> tuple[ET.Element, list[str]]:
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    return root, ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_partners_over_time_with_each_change_marked(record, tmp_path):
    chart = partners_chart(record, "KOR", tmp_path / "korea.png", end="2024-12-31")
    assert png_size(chart.path) == (chart.width, chart.height) == (1200, 600)
    changes = [(c["date"], c["partners"], c["gained"], c["lost"]) for c in chart.changes]
    assert changes == [
        ("1949-01-18", 1, ["GBR"], []),
        ("1949-03-25", 2, ["USA"], []),
        ("1990-05-01", 1, [], ["GBR"]),
        ("1991-06-01", 2, ["GBR"], []),
        ("2024-02-14", 3, ["CUB"], []),
    ]
    for point in chart.data[1:]:  # every count is what `comity partners` answers that day
        assert point["partners"] == len(record.partners("KOR", point["date"]))
    assert chart.data[0]["partners"] == 0 and chart.data[-1] == {"date": "2024-12-31", "partners": 3}


def test_partners_chart_as_svg_over_a_chosen_span(record, tmp_path):
    chart = partners_chart(
        record, "South Korea", tmp_path / "korea.svg", start="1980", end="2000", width=800, height=400
    )
    root, texts = svg_texts(chart.path)
    assert root.get("viewBox") == "0 0 576 288"  # 8 x 4 inches at 72 points an inch
    assert "Diplomatic partners of South Korea (all partners)" in texts
    assert "−GBR" in texts and "+GBR" in texts  # the loss and the gain, labelled
    assert chart.data[0] == {"date": "1980-01-01", "partners": 2}
    assert [c["date"] for c in chart.changes] == ["1990-05-01", "1991-06-01"]


def test_relations_among_a_group_of_states(record, tmp_path):
    cells = {
        (c["a"], c["b"]): c for c in pair_matrix(record, ["KOR", "PRK", "CUB", "USA", "IRN"], "2024-02-15")
    }
    assert cells[("KOR", "PRK")]["status"] == cells[("PRK", "KOR")]["status"] == "not foreign"
    assert (cells[("IRN", "USA")]["status"], cells[("IRN", "USA")]["since"]) == ("severed", "1980-04-07")
    assert (cells[("KOR", "CUB")]["status"], cells[("KOR", "CUB")]["since"]) == ("relations", "2024-02-14")
    # Each row reads the pair as that state's record does: its own list dates it.
    assert cells[("KOR", "USA")]["since"] == "1949-03-25" and cells[("USA", "KOR")]["since"] == "1949-03-24"
    assert len(cells) == 20
    chart = pairs_chart(
        record, ["KOR", "PRK", "CUB", "USA", "IRN"], tmp_path / "group.png", as_of="2024-02-15"
    )
    assert png_size(chart.path) == (chart.width, chart.height) == (600, 600)
    svg = pairs_chart(record, ["KOR", "CUB", "USA"], tmp_path / "group.svg", as_of="2024-02-15", size=500)
    root, texts = svg_texts(svg.path)
    assert root.get("width") == "360pt"
    assert {
        "South Korea (KOR)",
        "Cuba (CUB)",
        "Diplomatic relations as of 2024-02-15",
        "2024",
        "1949",
    } <= set(texts)


def test_charts_refuse_what_they_cannot_draw(record, tmp_path):
    with pytest.raises(PlotError, match="png or an .svg"):
        partners_chart(record, "KOR", tmp_path / "korea.jpg")
    with pytest.raises(PlotError, match="two different states"):
        pairs_chart(record, ["KOR", "South Korea"], tmp_path / "one.png")
    with pytest.raises(PlotError, match="after"):
        partners_chart(record, "KOR", tmp_path / "k.png", start="2000", end="1990")


def test_plot_commands(db, tmp_path):
    runner = CliRunner()
    out = tmp_path / "korea.png"
    result = runner.invoke(
        app, ["plot", "partners", "Seoul", "--db", db, "--out", str(out), "--to", "2024-12-31"]
    )
    assert result.exit_code == 0, result.output
    assert png_size(out) == (1200, 600) and "5 changes marked" in result.stderr
    out = tmp_path / "group.svg"
    result = runner.invoke(
        app,
        [
            "plot",
            "pairs",
            "KOR",
            "CUB",
            "USA",
            "--as-of",
            "2024-02-15",
            "--db",
            db,
            "--out",
            str(out),
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == "" and "Cuba (CUB)" in svg_texts(out)[1]
    bad = runner.invoke(app, ["plot", "partners", "KOR", "--db", db, "--out", str(tmp_path / "k.gif")])
    assert bad.exit_code == 2 and ".svg" in bad.stderr
    unknown = runner.invoke(app, ["plot", "pairs", "KOR", "Atlantis", "--db", db])
    assert unknown.exit_code == 2
