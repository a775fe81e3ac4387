"""The command line as a user meets it: answers from the bundled record, output formats, clear errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from comity.cli import app
from comity.store import Store

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    """A record seeded from the bundled baseline, as a fresh install has it."""
    path = tmp_path_factory.mktemp("cli") / "record.db"
    Store.open(path).close()
    return str(path)


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_rank_of_cuba_among_south_korea_s_partners(db):
    code, out, _ = run("rank", "KOR", "CUB", "--db", db, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["rank_all"], data["rank_un"]) == (193, 190)
    assert "Foreign relations of South Korea" in [s["title"] for s in data["sources"]]


def test_states_are_named_by_name_alias_or_capital(db):
    for name in ("South Korea", "Republic of Korea", "ROK", "Seoul"):
        code, out, _ = run("rank", name, "Havana", "--db", db, "-f", "json")
        assert code == 0 and json.loads(out)["rank_all"] == 193


def test_missing_un_members_on_the_day_of_the_story_and_after_syria(db):
    code, out, _ = run("missing", "KOR", "--among", "un", "--as-of", "2024-02-15", "--db", db, "-f", "json")
    assert code == 0
    rows = {r["code"]: r for r in json.loads(out)}
    assert set(rows) == {"PRK", "SYR"}
    assert "not a foreign state" in rows["PRK"]["note"]
    assert all(r["sources"] for r in rows.values())
    _, out, _ = run("missing", "KOR", "--as-of", "2025-05-01", "--db", db, "-f", "json")
    assert [r["code"] for r in json.loads(out)] == ["PRK"]


def test_status_of_cuba_and_north_korea_in_2000(db):
    _, out, _ = run("status", "CUB", "PRK", "--as-of", "2000-01-01", "--db", db, "-f", "json")
    data = json.loads(out)
    assert data["status"] == "relations" and data["since"].startswith("1960")
    assert {s["title"] for s in data["sources"]} >= {"Foreign relations of Cuba"}


def test_the_united_states_and_iran_are_not_in_relations_today(db):
    _, out, _ = run("status", "USA", "IRN", "--db", db, "-f", "json")
    data = json.loads(out)
    assert data["status"] in ("severed", "suspended")
    assert data["since"].startswith("1980")


def test_partners_print_csv_that_pipes(db):
    code, out, _ = run("partners", "KOR", "--as-of", "2024-02-15", "--among", "un", "--db", db, "-f", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 190
    assert rows[-1]["code"] == "CUB" and rows[0]["code"] == "GBR"


def test_timeline_and_conflicts(db):
    _, out, _ = run("timeline", "KOR", "CUB", "--db", db, "-f", "json")
    events = json.loads(out)["events"]
    assert any(e["type"] == "establish" and e["date"] == "2024-02-14" for e in events)
    _, out, _ = run("conflicts", "KOR", "--db", db, "-f", "json")
    conflicts = json.loads(out)
    assert conflicts and all("KOR" in (c["a"], c["b"]) for c in conflicts)


def test_states_search(db):
    code, out, _ = run("states", "korea", "-f", "json")
    assert code == 0
    assert {"KOR", "PRK"} <= {s["code"] for s in json.loads(out)}


@pytest.mark.parametrize("name", ["Atlantis", "Korea", "Congo", ""])
def test_an_unknown_or_ambiguous_state_exits_2_with_suggestions(db, name):
    code, _, err = run("status", name, "CUB", "--db", db)
    assert code == 2
    assert "error" in err
    if name in ("Korea", "Congo"):
        assert "may mean" in err


def test_a_misspelt_state_suggests_the_right_one(db):
    code, _, err = run("partners", "Sout Korea", "--db", db)
    assert code == 2 and "KOR" in err


def test_a_bad_date_is_a_clear_error(db):
    code, _, err = run("partners", "KOR", "--as-of", "yesterday", "--db", db)
    assert code == 2 and "YYYY" in err


def test_importing_bad_files_leaves_the_record_as_it_was(db, tmp_path):
    store = Store.open(db)
    before = store.counts()
    binary = tmp_path / "Foreign relations of Chad.wikitext"
    binary.write_bytes(b"\x00\x01\x02PNG\x00")
    empty = tmp_path / "Foreign relations of Mali.wikitext"
    empty.write_text("")
    code, _, err = run("import", "wikipedia", str(binary), str(empty), "--db", db, "--quiet")
    assert code == 1
    assert "binary" in err or "NUL" in err
    assert store.counts() == before
    code, _, err = run("import", "wikipedia", str(tmp_path / "nope.wikitext"), "--db", db)
    assert code == 2 and "no such file" in err


def test_importing_a_page_twice_changes_nothing(tmp_path):
    page = tmp_path / "Foreign relations of Andorra.wikitext"
    page.write_text(
        '== Diplomatic relations ==\n{| class="wikitable"\n!#\n!Country\n!Date\n|-\n|1\n|{{flag|France}}\n'
        "|{{dts|3 June 1993}}\n|-\n|2\n|{{flag|Spain}}\n|{{dts|3 June 1993}}\n|}\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "r.db")
    assert run("import", "wikipedia", str(page), "--db", db, "-q")[0] == 0
    first = Store.open(db).counts()
    assert run("import", "wikipedia", str(page), "--db", db, "-q")[0] == 0
    assert Store.open(db).counts() == first
    _, out, _ = run("partners", "Andorra", "--db", db, "-f", "json")
    # Same day: the page's own order decides.
    assert [p["code"] for p in json.loads(out)] == ["FRA", "ESP"]


def test_help_teaches(db):
    code, out, _ = run("--help")
    assert code == 0 and "partners" in out and "rank" in out
    code, out, _ = run("rank", "--help")
    assert "193rd" in out or "193" in out
