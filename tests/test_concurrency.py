"""Load: four processes write into one record at once, on SQLite and on PostgreSQL.

Every article is given to two of four ``comity ingest`` processes, and the articles' pairs overlap, so
the processes race to store the same source and to rebuild the same pairs. Nothing may be lost and
nothing doubled: every process exits 0 with no error in its report (no "database is locked"), and the
record equals the one a single process makes of the same articles. Four processes opening a new record
at once create its schema once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from comity.ingest import ingest
from comity.reader import read_articles
from comity.store import Store
from hardening_helpers import ROOT, Databases, articles, cli, cli_env, small_record, snapshot, write_jsonl

pytestmark = pytest.mark.hardening
PROCESSES = 4
ARTICLES = 160


@pytest.fixture(params=["sqlite", "postgresql"])
def dbs(request, tmp_path):  # type: ignore[no-untyped-def]
    if request.param == "postgresql" and not os.environ.get("COMITY_TEST_PG_URL"):
        pytest.skip("COMITY_TEST_PG_URL is not set (no PostgreSQL server)")
    made = Databases(request.param, tmp_path)
    yield made
    made.close()


def test_four_processes_ingesting_at_once_lose_nothing(dbs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    items = articles(ARTICLES, seed=5)
    files = [
        write_jsonl(tmp_path / f"part{k}.jsonl", [x for i, x in enumerate(items) if i % PROCESSES in (k, (k + 1) % PROCESSES)])
        for k in range(PROCESSES)
    ]  # fmt: skip
    start = small_record(dbs.new(), tmp_path)
    shared, alone = dbs.new(copy_of=start), dbs.new(copy_of=start)
    procs = [cli("ingest", str(f), "--db", shared, "--quiet") for f in files]
    reports = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err.decode()
        assert b"locked" not in err and b"Error" not in err, err.decode()
        reports.append(json.loads(out))
    assert all(r["errors"] == [] and r["read"] == ARTICLES // 2 for r in reports), reports
    assert sum(r["added"] for r in reports) == ARTICLES  # each article stored once, by one of its two
    assert sum(r["duplicates"] for r in reports) == ARTICLES

    with Store.open(alone) as store:  # the same articles, one process, one after the other
        for f in files:
            ingest(store, read_articles(f))
    got, want = snapshot(shared), snapshot(alone)
    assert got["ok"], got["failures"]
    assert got == want


def test_four_processes_opening_a_new_record_at_once_create_it_once(dbs) -> None:  # type: ignore[no-untyped-def]
    """They used to race to create the schema ("table alembic_version already exists")."""
    url = dbs.new()
    code = "import sys; from comity.store import Store; Store.open(sys.argv[1], seed=False).close()"
    procs = [
        subprocess.Popen([sys.executable, "-c", code, url], stderr=subprocess.PIPE, env=cli_env(), cwd=ROOT)
        for _ in range(PROCESSES)
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
    got = snapshot(url)
    assert got["ok"] and got["counts"]["sources"] == 0
