"""``comity backup`` / ``comity restore``: a record to one file and back, losslessly, between SQLite and
PostgreSQL both ways; a damaged file is refused before anything is written; a restore cut short resumes."""

from __future__ import annotations

import gzip
import json
import shutil
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from comity.backup import BackupError, content_digest, dump, read_backup, restore
from comity.records import Assertion, Document, Source, content_hash
from comity.store import Store
from comity.store.models import AssertionRow
from comity.verify import events_checksum
from comity.vocab import PartialDate
from hardening_helpers import cli, run_cli, seeded_sqlite, snapshot, sources_count


def _news() -> Document:
    """A source with everything an assertion can carry: a span, a date text, a detail, an odd confidence."""
    src = Source("news", "Chile cuts ties with Peru", content_hash("chile-peru-backup"), url="https://x.example/1",
                 outlet="Example News", published=date(2021, 3, 15))  # fmt: skip
    a = Assertion("sever", "CHL", "PER", PartialDate.parse("2021-03-14"), evidence="Chile cut ties with Peru",
                  span=(10, 34), date_text="on Sunday", extractor="comity-news", extractor_version="0.1.0",
                  confidence=0.123456789012345, detail={"notes": ["x"], "nested": {"k": [1, 2.5, None]}})  # fmt: skip
    b = Assertion("recall_ambassador", "PER", "CHL", None, modality="planned", confidence=1 / 3)
    return Document(src, [a, b], [{"kind": "odd", "message": "ünïcödé ✓", "raw": None, "section": None}])


@pytest.mark.hardening
def test_a_record_goes_from_sqlite_to_postgresql_and_back_losslessly(tmp_path: Path, pg_url: str) -> None:
    first = str(tmp_path / "first.db")
    shutil.copyfile(seeded_sqlite(tmp_path), first)
    with Store.open(first) as store:  # the bundled baseline (as Store.open seeds it), plus a news source
        store.add(_news())
        want = snapshot(first)
        dump(store, tmp_path / "a.jsonl.gz")
    assert want["ok"] and want["counts"]["sources"] > 200
    with Store.open(pg_url, seed=False) as pg:
        report = restore(pg, tmp_path / "a.jsonl.gz")
        assert report.sources == want["counts"]["sources"] and report.skipped == 0
        dump(pg, tmp_path / "b.jsonl.gz")
        confidences = {r for (r,) in pg.execute(select(AssertionRow.confidence))}
    assert 0.123456789012345 in confidences and 1 / 3 in confidences  # floats exactly
    assert snapshot(pg_url) == want
    last = str(tmp_path / "last.db")
    with Store.open(last, seed=False) as store:
        restore(store, tmp_path / "b.jsonl.gz")
    assert snapshot(last) == want
    # the two backups hold the same lines, in the same order
    assert read_backup(tmp_path / "a.jsonl.gz")[1] == read_backup(tmp_path / "b.jsonl.gz")[1]


def test_a_damaged_backup_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db", seed=False) as store:
        store.add(_news())
        dump(store, tmp_path / "good.jsonl.gz")
    lines = gzip.decompress((tmp_path / "good.jsonl.gz").read_bytes()).decode().splitlines(keepends=True)
    altered = lines[1].replace("Chile cuts ties", "Chile keeps ties")
    bad = {
        "truncated.jsonl.gz": (tmp_path / "good.jsonl.gz").read_bytes()[:-40],
        "no-end.jsonl.gz": gzip.compress("".join(lines[:-1]).encode()),
        "altered.jsonl.gz": gzip.compress("".join([lines[0], altered, lines[2]]).encode()),
        "not-gzip.jsonl.gz": b"".join(x.encode() for x in lines),
        "other.jsonl.gz": gzip.compress(b'{"format": "something else"}\n'),
        "bad-type.jsonl.gz": gzip.compress("".join([lines[0], lines[1].replace('"sever"', '"invade"'), lines[2]]).encode()),
    }  # fmt: skip
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
        with Store.open(tmp_path / f"{name}.db", seed=False) as target:
            with pytest.raises(BackupError):
                restore(target, tmp_path / name)
            assert target.is_empty(), name


def test_restore_needs_an_empty_record(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db", seed=False) as store:
        store.add(_news())
        dump(store, tmp_path / "b.jsonl.gz")
        with pytest.raises(BackupError, match="not empty"):
            restore(store, tmp_path / "b.jsonl.gz")
    done = run_cli("restore", str(tmp_path / "b.jsonl.gz"), "--db", str(tmp_path / "r.db"))
    assert done.returncode == 1 and "not empty" in done.stderr


def _seeded_with_news(tmp_path: Path) -> str:
    """A SQLite record: the bundled baseline and one news source."""
    source = str(tmp_path / "source.db")
    shutil.copyfile(seeded_sqlite(tmp_path), source)
    with Store.open(source) as store:
        store.add(_news())
    return source


@pytest.mark.hardening
def test_a_killed_restore_resumes_and_the_commands_round_trip(tmp_path: Path) -> None:
    """On SQLite (PostgreSQL takes the same path: batches of sources, each in one transaction)."""
    source, target = _seeded_with_news(tmp_path), str(tmp_path / "target.db")
    want = snapshot(source)
    made = run_cli("backup", str(tmp_path / "r.jsonl.gz"), "--db", source, "--quiet")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["sources"] == want["counts"]["sources"]
    proc = cli("restore", str(tmp_path / "r.jsonl.gz"), "--db", target, "--quiet")
    while proc.poll() is None and sources_count(target) < 50:  # SIGKILL part-way
        time.sleep(0.01)
    proc.kill()
    proc.communicate()
    assert 0 < sources_count(target) < want["counts"]["sources"]
    done = run_cli("restore", str(tmp_path / "r.jsonl.gz"), "--db", target, "--quiet")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["skipped"] > 0 and out["content_digest"] == want["content"]
    assert snapshot(target) == want


def test_the_content_digest_ignores_ids_and_order(tmp_path: Path) -> None:
    docs = [_news(), Document(Source("news", "b", content_hash("b")), [Assertion("establish", "KEN", "GHA")])]
    with Store.open(tmp_path / "a.db", seed=False) as a, Store.open(tmp_path / "b.db", seed=False) as b:
        a.add_many(docs)
        b.add_many(reversed(docs))
        assert content_digest(a) == content_digest(b)
        assert events_checksum(a) == events_checksum(b)
        b.delete_source(1)
        assert content_digest(a) != content_digest(b)


def test_export_and_import_of_the_whole_record_are_backup_and_restore(tmp_path: Path) -> None:
    source, target = _seeded_with_news(tmp_path), str(tmp_path / "target.db")
    want = snapshot(source)
    out = tmp_path / "whole.jsonl.gz"
    made = run_cli("export", "--format", "record", "--out", str(out), "--db", source, "--quiet")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["sources"] == want["counts"]["sources"]
    back = run_cli("import", "record", str(out), "--db", target, "--quiet")
    assert back.returncode == 0, back.stderr
    assert json.loads(back.stdout)["content_digest"] == want["content"]
    assert snapshot(target) == want
    wrong = run_cli("export", "--format", "record", "--as-of", "2020", "--db", source, "--quiet")
    assert wrong.returncode != 0 and "whole record" in wrong.stderr
