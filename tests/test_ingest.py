"""`comity ingest`: articles in, merged events out; several outlets telling one event make one event."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from comity.cli import app
from comity.ingest import ingest
from comity.query import Record
from comity.reader import read_articles

WIRE_A = """Lowland and Highland cut diplomatic ties

VALLETTA, March 3 (Example Wire) - Malta severed diplomatic relations with Libya on Monday, the foreign
ministry in Valletta said, citing the detention of three Maltese fishermen.
"""

WIRE_B = """Malta breaks off relations with Libya over detained crew

Malta on Monday broke off diplomatic relations with Libya, officials said on Tuesday, after talks over the
release of a fishing crew collapsed.
"""

WIRE_C = """Maltese government ends ties with Tripoli

The Maltese government has cut diplomatic ties with Tripoli, a spokesman announced on Monday. Libya's
ambassador was given a week to leave the island.
"""


def _jsonl(tmp_path, rows):
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_three_outlets_telling_one_severance_make_one_event(any_store, tmp_path):
    path = _jsonl(
        tmp_path,
        [
            {"id": "a", "text": WIRE_A, "url": "https://a.example/1", "published": "2031-03-04"},
            {"id": "b", "text": WIRE_B, "url": "https://b.example/2", "published": "2031-03-04"},
            {"id": "c", "text": WIRE_C, "url": "https://c.example/3", "published": "2031-03-03"},
        ],
    )
    report = ingest(any_store, read_articles(path))
    assert (report.read, report.added, report.errors) == (3, 3, [])
    record = Record(any_store)
    severances = [e for e in record.timeline("MLT", "LBY")["events"] if e["type"] == "sever"]
    assert len(severances) == 1
    assert severances[0]["date"] == "2031-03-03"
    assert severances[0]["n_sources"] == 3
    assert record.status("MLT", "LBY", as_of="2031-03-05").status == "severed"
    assert record.status("MLT", "LBY", as_of="2031-03-02").status != "severed"

    again = ingest(any_store, read_articles(path))
    assert (again.added, again.duplicates) == (0, 3)


def test_a_bad_item_is_reported_and_the_rest_go_on(any_store, tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        json.dumps({"id": "ok", "text": WIRE_B, "published": "2031-03-04"})
        + "\n"
        + "{this is not json\n"
        + json.dumps({"id": "empty", "text": ""})
        + "\n",
        encoding="utf-8",
    )
    report = ingest(any_store, read_articles(path))
    assert report.added == 1
    assert len(report.errors) == 2


def test_the_ingest_command_prints_a_report(tmp_path):
    db = str(tmp_path / "r.db")
    story = tmp_path / "story.txt"
    story.write_text(WIRE_A, encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(story), "--published", "2031-03-04", "--db", db, "-q"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["added"] == 1
    result = CliRunner().invoke(
        app, ["status", "Malta", "Libya", "--as-of", "2031-03-05", "--db", db, "-f", "json"]
    )
    data = json.loads(result.stdout)
    assert data["status"] == "severed"
    assert "Lowland and Highland cut diplomatic ties" in [s["title"] for s in data["sources"]]
