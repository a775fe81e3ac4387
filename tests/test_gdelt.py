"""GDELT 2.0 event export files as sources: the 61-column layout, the rows about relations, the CAMEO country
codes, problems kept with their raw text, .CSV and .zip, the store (SQLite and PostgreSQL) and the command."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from comity.cli import app
from comity.importers.gdelt import COLUMNS, GdeltError, GdeltReport, read_files, read_rows
from comity.query import Record
from comity.records import Assertion, Document, Source, content_hash
from comity.store import Store
from comity.vocab import PartialDate

FIXTURE = Path(__file__).parent / "fixtures" / "gdelt" / "sample.export.CSV"
TIES = "https://news.example.org/2024/02/14/south-korea-cuba-establish-diplomatic-ties"


def read(path: Path = FIXTURE) -> tuple[list[Document], GdeltReport]:
    report = GdeltReport()
    docs = list(read_files([path], report=report))
    return docs, report


def by_url(docs: list[Document]) -> dict[str, Document]:
    return {d.source.url: d for d in docs}


def test_the_fixture_is_in_the_gdelt_2_layout():
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    assert len(COLUMNS) == 61 and COLUMNS[26] == "EventCode" and COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")
    assert all(len(line.split("\t")) == 61 for line in lines)
    codes = {line.split("\t")[26] for line in lines}
    assert {"054", "161"} <= codes and codes - {"054", "161"}  # rows about relations and rows that are not


def test_rows_about_relations_become_assertions_sourced_to_their_article():
    docs, report = read()
    assert (report.files, report.rows, report.relations_rows) == (1, 13, 9)
    assert report.skipped_codes == {"057": 1, "042": 1, "190": 1, "010": 1}
    ties = by_url(docs)[TIES]
    src = ties.source
    assert (src.kind, src.title, src.outlet, src.published) == (
        "gdelt",
        f"GDELT: {TIES}",
        "news.example.org",
        date(2024, 2, 14),
    )
    got = [(a.type.value, a.a, a.b, str(a.date), a.modality.value) for a in ties.assertions]
    # 054 "Grant diplomatic recognition" is read as recognize: Actor1 recognises Actor2.
    assert got == [
        ("recognize", "KOR", "CUB", "2024-02-14", "asserted"),
        ("recognize", "CUB", "KOR", "2024-02-14", "asserted"),
    ]
    first = ties.assertions[0]
    assert first.detail["cameo"] == "054" and first.detail["globaleventid"] == "1157436021"
    assert first.detail["num_articles"] == 20 and first.detail["goldstein"] == 3.5
    assert first.detail["also_events"] == [
        "1157436023"
    ]  # Seoul's government, the same act in the same article
    assert first.evidence.startswith(
        "GDELT event 1157436021 (2024-02-14): SOUTH KOREA [KOR] -> CUBA [CUB]: CAMEO 054"
    )
    assert first.extractor == "gdelt-events" and first.confidence < 1


def test_cameo_country_codes_that_are_not_iso_are_mapped():
    docs, _ = read()
    pairs = {(a.type.value, a.a, a.b, str(a.date)) for d in docs for a in d.assertions}
    # 161 "Reduce or break diplomatic relations" is read as downgrade (symmetric: the pair in code order).
    assert ("downgrade", "ROU", "RUS", "2024-02-13") in pairs  # CAMEO ROM
    assert ("downgrade", "MNE", "SRB", "2020-11-28") in pairs  # CAMEO MTN
    assert len(pairs) == 4


def test_rows_about_relations_that_name_no_state_are_problems_with_their_raw_text():
    docs, report = read()
    problems = {d.source.url: d.problems for d in docs if d.problems}
    assert report.problems == 4 and all(not by_url(docs)[u].assertions for u in problems)
    messages = {u.rsplit("/", 1)[-1]: ps[0]["message"] for u, ps in problems.items()}
    assert "EUR is a region (Europe), not a state" in messages["france-europe"]
    assert "no country code" in messages["un-israel"]
    assert "has type OPP" in messages["opposition-welcomes-cuba-ties"]
    assert "KOR on both sides" in messages["seoul-cabinet"]
    raw = problems["https://eu.example.net/2024/02/13/france-europe"][0]
    assert (
        raw["kind"] == "gdelt_actor"
        and len(raw["raw"].split("\t")) == 61
        and raw["section"] == "sample.export.CSV line 9"
    )


def test_zip_and_csv_read_the_same(tmp_path):
    archive = tmp_path / "20240214153000.export.CSV.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(FIXTURE, "20240214153000.export.CSV")
    plain, _ = read()
    zipped, report = read(archive)
    assert report.files == 1
    assert [d.source.content_hash for d in zipped] == [d.source.content_hash for d in plain]
    assert [len(d.assertions) for d in zipped] == [len(d.assertions) for d in plain]
    folder, _ = read(tmp_path)  # a folder: every .CSV and .zip in it
    assert len(folder) == len(plain)


def test_a_file_in_another_layout_is_refused_and_a_broken_row_kept(tmp_path):
    old = tmp_path / "20130401.export.CSV"
    old.write_text("\n".join("\t".join(["x"] * 58) for _ in range(3)) + "\n", encoding="utf-8")
    with pytest.raises(GdeltError, match="61 tab-separated columns, found 58"):
        read(old)
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    mixed = [lines[0], "\t".join(lines[7].split("\t")[:40]), lines[7].replace("20240213\t", "2024021x\t", 1)]
    docs = read_rows(mixed, "mixed.CSV")
    kinds = sorted(p["kind"] for d in docs for p in d.problems)
    assert kinds == ["gdelt_columns", "gdelt_date"]
    assert sum(len(d.assertions) for d in docs) == 1


def page(subject: str, name: str, rows: list[tuple[str, str]]) -> Document:
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
            "wikipedia", title, content_hash(title + repr(rows)), url=f"https://en.wikipedia.org/wiki/{title}"
        ),
        assertions,
        [],
        subject,
    )


def test_gdelt_sits_beside_the_record_without_changing_its_answers(any_store):
    any_store.add_many(
        [
            page("KOR", "South Korea", [("GBR", "1949-01-18"), ("CUB", "2024-02-14")]),
            page("ROU", "Romania", [("RUS", "1924")]),
        ]
    )
    record = Record(any_store)
    before = (
        [p.code for p in record.partners("KOR", "2024-02-15")],
        record.status("ROU", "RUS", "2024-03-01").status,
    )
    results = any_store.add_many(read()[0])
    assert sum(r.added for r in results) == 7
    after = (
        [p.code for p in record.partners("KOR", "2024-02-15")],
        record.status("ROU", "RUS", "2024-03-01").status,
    )
    assert before == after == (["GBR", "CUB"], "relations")
    story = record.timeline("KOR", "CUB")
    gdelt = [e for e in story["events"] if e["type"] == "recognize"]
    assert [(e["a"], e["b"], e["date"]) for e in gdelt] == [
        ("CUB", "KOR", "2024-02-14"),
        ("KOR", "CUB", "2024-02-14"),
    ]
    assert gdelt[0]["sources"][0]["url"] == TIES and gdelt[0]["sources"][0]["kind"] == "gdelt"
    counts = any_store.counts()
    assert counts["problems"] == 4
    any_store.add_many(read()[0])  # the same file again changes nothing
    assert any_store.counts() == counts


def test_import_gdelt_command(tmp_path):
    db = str(tmp_path / "record.db")
    with Store.open(db, seed=False) as store:  # not empty, so not seeded with the baseline
        store.add(page("KOR", "South Korea", [("CUB", "2024-02-14")]))
    runner = CliRunner()
    result = runner.invoke(app, ["import", "gdelt", str(FIXTURE), "--db", db, "-f", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (
        summary["relations_rows"],
        summary["assertions"],
        summary["problems"],
        summary["sources_added"],
    ) == (9, 4, 4, 7)
    assert "4 assertions from 7 articles (7 new); 4 rows kept as problems" in result.stderr
    again = json.loads(
        runner.invoke(app, ["import", "gdelt", str(FIXTURE), "--db", db, "-f", "json", "-q"]).stdout
    )
    assert again["sources_added"] == 0
    result = runner.invoke(app, ["problems", "GDELT", "--db", db, "-f", "json"])
    assert len(json.loads(result.stdout)) == 4
    result = runner.invoke(app, ["timeline", "KOR", "CUB", "--db", db, "-f", "json"])
    events = json.loads(result.stdout)["events"]
    assert sorted(e["type"] for e in events) == ["establish", "recognize", "recognize"]
    assert {s["kind"] for e in events for s in e["sources"]} == {"wikipedia", "gdelt"}
    missing = runner.invoke(app, ["import", "gdelt", str(tmp_path / "nope.CSV"), "--db", db])
    assert missing.exit_code == 2 and "no such file" in " ".join(missing.stderr.split())
