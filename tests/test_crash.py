"""Crash safety: ``comity import wikipedia`` and ``comity ingest`` killed with SIGKILL at random points,
then run again, reach exactly the record of an uninterrupted run, and the record verifies.

Each command runs as a real process (``python -m comity``) on a real database, SQLite or PostgreSQL, and
is killed after a random delay or once the record holds a random number of sources: before it has opened
the record, in the middle of its sources (a page replacing its older revision, an article and the rebuild
of its pairs), in its closing rebuild, or while it seeds a new record with the bundled baseline; one to
three kills in a row, then a run to the end. The record is compared with an uninterrupted run's: counts
of every table, the events checksum, a digest of every source, assertion and problem, and ``verify``.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from conftest import SHARED_DATA
from hardening_helpers import (
    Databases,
    articles,
    cli,
    pages,
    run_cli,
    seeded_sqlite,
    small_record,
    snapshot,
    sources_count,
    write_jsonl,
)

pytestmark = pytest.mark.hardening


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def dbs(request, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Fresh databases of one kind, and a small record to start from (copied for each run)."""
    if request.param == "postgresql" and not os.environ.get("COMITY_TEST_PG_URL"):
        pytest.skip("COMITY_TEST_PG_URL is not set (no PostgreSQL server)")
    folder = tmp_path_factory.mktemp("crash")
    made = Databases(request.param, folder)
    made.start = small_record(made.new(), folder)  # type: ignore[attr-defined]
    yield made
    made.close()


def _kill_at_random(args: list[str], url: str, rnd: random.Random, span: float, lo: int, hi: int) -> str:
    """Start the command and SIGKILL it at a random point: after a delay, or at a number of sources."""
    proc = cli(*args, "--db", url)
    if rnd.random() < 0.35:  # (the first second or so is Python starting)
        point = rnd.uniform(0.2, span)
        time.sleep(point)
        label = f"{point:.2f} s"
    else:
        point = rnd.randint(lo, hi)
        deadline = time.monotonic() + 120
        while proc.poll() is None and sources_count(url) < point and time.monotonic() < deadline:
            time.sleep(0.01)
        label = f"{point} sources"
    finished = proc.poll() is not None
    proc.kill()
    proc.communicate()
    return label + (" (it had finished)" if finished else "")


def _crash_and_rerun(dbs, args: list[str], *, start: str, kills: int, seed: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Kill ``args`` at random points, ``kills`` times over (each time on a new copy of ``start``), run it
    to the end, and compare with an uninterrupted run's record. Returns the kill points."""
    reference = dbs.new(copy_of=start)
    t0 = time.monotonic()
    done = run_cli(*args, "--db", reference)
    span = time.monotonic() - t0
    assert done.returncode == 0, done.stderr
    want = snapshot(reference)
    assert want["ok"], want["failures"]
    lo = sources_count(start) + 1
    rnd = random.Random(seed)
    points: list[str] = []
    for _ in range(kills):
        url = dbs.new(copy_of=start)
        for _ in range(rnd.randint(1, 3)):
            points.append(_kill_at_random(args, url, rnd, span, lo, want["counts"]["sources"]))
        again = run_cli(*args, "--db", url)
        assert again.returncode == 0, (points, again.stderr)
        got = snapshot(url)
        assert got["ok"], (points, got["failures"])
        assert got == want, points
    print(f"{args[0]} on {dbs.kind}: killed at {', '.join(points)}; rerun to the same record")  # with -s
    return points


def _folder(tmp_path: Path) -> Path:
    folder = pages(tmp_path / "pages", 12, seed=3)  # new revisions of the record's 8 pages, and 4 new pages
    corpus = SHARED_DATA / "wikipedia" / "foreign-relations"
    for f in sorted(corpus.glob("*.wikitext"), key=lambda f: f.stat().st_size)[
        40:43
    ]:  # real pages, when there
        (folder / f.name).write_bytes(f.read_bytes())
    return folder


def test_a_killed_wikipedia_import_reruns_to_the_same_record(dbs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _crash_and_rerun(
        dbs,
        ["import", "wikipedia", str(_folder(tmp_path)), "--quiet"],
        start=dbs.start,
        kills=4 if dbs.kind == "sqlite" else 3,
        seed=11,
    )


def test_a_killed_news_ingest_reruns_to_the_same_record(dbs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    jsonl = write_jsonl(tmp_path / "news.jsonl", articles(60, seed=2))
    _crash_and_rerun(
        dbs,
        ["ingest", str(jsonl), "--quiet"],
        start=dbs.start,
        kills=4 if dbs.kind == "sqlite" else 3,
        seed=12,
    )


def test_a_command_killed_while_it_seeds_a_new_record_finishes_the_seeding(tmp_path: Path) -> None:
    """A new record is seeded with the bundled baseline (some 200 pages) on first use. Killed part-way,
    the record used to keep the part it had for good: it was no longer empty, and only an empty record
    was seeded. Now the rerun finishes the seeding. (On SQLite: the seeding is the same on PostgreSQL.)"""
    dbs = Databases("sqlite", tmp_path)
    dbs.seeded = seeded_sqlite(tmp_path)  # type: ignore[attr-defined]
    folder = pages(tmp_path / "pages", 4, seed=3)
    rnd = random.Random(13)
    url = dbs.new()
    point = rnd.randint(20, 180)
    proc = cli("import", "wikipedia", str(folder), "--db", url, "--quiet")
    while proc.poll() is None and sources_count(url) < point:
        time.sleep(0.01)
    proc.kill()
    proc.communicate()
    assert 0 < sources_count(url) < 205
    again = run_cli("import", "wikipedia", str(folder), "--db", url, "--quiet")
    assert again.returncode == 0, again.stderr
    reference = dbs.new(copy_of=dbs.seeded)  # type: ignore[attr-defined]
    assert run_cli("import", "wikipedia", str(folder), "--db", reference, "--quiet").returncode == 0
    got, want = snapshot(url), snapshot(reference)
    assert got["ok"], got["failures"]
    assert got == want, point


def test_a_rebuild_of_other_pairs_keeps_the_mark_of_the_pairs_still_waiting(any_store) -> None:  # type: ignore[no-untyped-def]
    """The mark that makes an open repair the derived tables used to be cleared by any rebuild: a source
    stored without its rebuild (``add_many`` killed before its closing rebuild, or ``rebuild=False``) was
    then left without events for good once another source had been added."""
    from comity.records import Assertion, Document, Source, content_hash
    from comity.store import Store
    from comity.verify import verify

    waiting = Document(Source("news", "one", content_hash("one")), [Assertion("establish", "CHL", "PER")])
    other = Document(Source("news", "two", content_hash("two")), [Assertion("sever", "KEN", "GHA")])
    any_store.add(waiting, rebuild=False)
    any_store.add(other)
    assert any_store.meta("dirty")
    assert not verify(any_store).ok
    reopened = Store.open(str(any_store.url.render_as_string(hide_password=False)), seed=False)
    try:
        assert verify(reopened).ok and not reopened.meta("dirty")
    finally:
        reopened.close()
