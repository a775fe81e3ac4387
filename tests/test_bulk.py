"""Bulk ingestion (:mod:`comity.bulk`): archives cut into chunks, read and extracted in this process or on a
real Dask LocalCluster (two worker processes), written to SQLite or a real PostgreSQL; a worker killed
mid-run and a run stopped part-way both end, after a rerun, in the record an uninterrupted run gives.

The archives (JSONL, JSONL.gz, WARC.gz) are generated here from the templates below.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import signal
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

pytest.importorskip("warcio", reason="the 'bulk' extra is not installed")

from comity.bulk import Chunk, find_archives, ingest_bulk, plan_chunks, read_chunk
from comity.ingest import ingest
from comity.reader import read_articles, read_text
from comity.records import Document, Source, content_hash
from comity.store import Store
from comity.store.models import AssertionRow, BulkChunkRow, EventRow, SourceRow

# -- archives from templates ------------------------------------------------------------------------------

#: Events told by several outlets in several wordings (so merged events have several sources).
EVENTS = [
    ("Chile", "Estonia", "{A} and {B} established diplomatic relations on {d}, the foreign ministries said."),
    (
        "Peru",
        "Norway",
        "{A} broke off diplomatic relations with {B} on {d} after a dispute over fishing rights.",
    ),
    ("Kenya", "Finland", "{A} expelled two {Bdem} diplomats on {d}, giving them three days to leave."),
    ("Mongolia", "Uruguay", "{A} and {B} restored diplomatic ties on {d}, ending a long break."),
    ("Nepal", "Austria", "{A} recalled its ambassador to {B} on {d} for consultations."),
    ("Fiji", "Kosovo", "{A} recognised {B} on {d}, the government in Suva announced."),
    ("Ghana", "Vietnam", "{A} and {B} established diplomatic relations on {d} at a ceremony in Hanoi."),
    ("Bolivia", "Israel", "{A} cut diplomatic ties with {B} on {d}, its deputy foreign minister said."),
]
DEMONYMS = {"Finland": "Finnish"}
FILLER = [
    "The city council approved a new budget for road repairs on {wd}, with most of the money for the north.",
    "Shares in Northwind rose {n} percent after the company raised its forecast for the year.",
    "Heavy rain is expected across the coast this week, with up to {n}0 millimetres in places.",
    "The home side won {n}-1 in front of a crowd of {big}, their third win in a row.",
    "Researchers said the new battery could be charged in under {n}0 minutes.",
    "The festival will screen {n}0 films this year, many of them first features.",
    "The museum reopened its modern art wing after a two-year renovation.",
    "Students can apply for the scholarship until the end of the month, the university said.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def make_articles(n: int, seed: int = 3, share: float = 0.25) -> list[dict]:
    """n articles, a ``share`` of them telling one of EVENTS (dated), the rest filler."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        pub = date(2024, 1, 1) + timedelta(days=rnd.randint(0, 300))
        paras = [
            rnd.choice(FILLER).format(
                wd=rnd.choice(WEEKDAYS), n=rnd.randint(2, 9), big=rnd.randint(900, 9000)
            )
            for _ in range(rnd.randint(3, 6))
        ]
        title = f"Local news {i}"
        if rnd.random() < share:
            k = rnd.randrange(len(EVENTS))
            a, b, tpl = EVENTS[k]
            day = date(2023, 1 + k, 10 + rnd.randint(0, 2))  # a few readings of one day: still one event
            lead = tpl.format(A=a, B=b, Bdem=DEMONYMS.get(b, b), d=f"{day.day} {day:%B %Y}")
            paras.insert(0, lead)
            title = f"{a} and {b}: report {i}"
        out.append(
            {
                "id": f"a{i}",
                "title": title,
                "text": "\n\n".join(paras),
                "published": pub.isoformat(),
                "outlet": rnd.choice(["Example Wire", "Daily Sample", "The Template"]),
                "url": f"https://news.example/{pub:%Y/%m/%d}/story-{i}",
            }
        )
    return out


BAD_LINES = [b"this is not json\n", b'{"id": "empty", "text": ""}\n', b"[1, 2, 3]\n"]


def write_jsonl(path: Path, articles: list[dict], *, bad: bool = True) -> Path:
    lines = [json.dumps(a).encode() + b"\n" for a in articles]
    if bad:
        for j, line in enumerate(BAD_LINES):
            lines.insert(min(len(lines), 7 + 11 * j), line)
    data = b"".join(lines)
    if path.name.endswith(".gz"):
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


def page_html(a: dict) -> str:
    paras = "".join(f"<p>{p}</p>\n" for p in a["text"].split("\n\n"))
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<title>{a['title']}</title>"
        f"<meta property='article:published_time' content='{a['published']}'>"
        "</head><body><header><nav><a href='/'>Home</a> <a href='/world'>World</a></nav></header>"
        f"<main><article><h1>{a['title']}</h1>\n{paras}</article></main>"
        "<footer>Copyright Example Wire</footer></body></html>"
    )


def write_warc(path: Path, articles: list[dict]) -> Path:
    """A WARC(.gz) of news pages, with the records a crawl also holds (warcinfo, requests, images, 404s)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=path.name.endswith(".gz"))

        def response(url: str, status: str, content_type: str, body: bytes) -> None:
            http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))

        w.write_record(w.create_warcinfo_record(path.name, {"software": "comity tests"}))
        for i, a in enumerate(articles):
            req = StatusAndHeaders(
                f"GET /story-{i} HTTP/1.1", [("Host", "news.example")], is_http_request=True
            )
            w.write_record(w.create_warc_record(a["url"], "request", http_headers=req))
            response(a["url"], "200 OK", "text/html; charset=utf-8", page_html(a).encode("utf-8"))
            if i % 5 == 0:
                response(a["url"] + ".png", "200 OK", "image/png", b"\x89PNG\r\n" + bytes(300))
            if i % 7 == 0:
                response(a["url"] + "-old", "404 Not Found", "text/html", page_html(a).encode())
    return path


@pytest.fixture(scope="module")
def archives(tmp_path_factory) -> dict:
    """Three small archives and what is in them."""
    folder = tmp_path_factory.mktemp("bulk")
    jsonl = make_articles(160, seed=1)
    jsonl_gz = make_articles(120, seed=2)
    warc = make_articles(40, seed=3)
    for x in jsonl_gz + warc:  # other ids, other texts: other articles
        x["text"] += f"\n\nFiled by correspondent {x['id']}{x['url'][-3:]}."
    return {
        "folder": folder,
        "paths": [
            write_jsonl(folder / "wire.jsonl", jsonl),
            write_jsonl(folder / "daily.jsonl.gz", jsonl_gz),
            write_warc(folder / "crawl.warc.gz", warc),
        ],
        "articles": {"wire.jsonl": jsonl, "daily.jsonl.gz": jsonl_gz, "crawl.warc.gz": warc},
    }


CHUNK = 6000  # bytes: a few dozen chunks over the three archives


def signature(store: Store) -> dict:
    """What must be equal between two runs: counts, and the events' content (not their ids)."""
    with store.connect() as conn:
        count = {
            t.__tablename__: conn.execute(select(func.count()).select_from(t)).scalar()
            for t in (SourceRow, AssertionRow, EventRow)
        }
        columns = (
            EventRow.type,
            EventRow.a,
            EventRow.b,
            EventRow.date,
            EventRow.modality,
            EventRow.n_sources,
        )
        events = sorted((tuple(r) for r in conn.execute(select(*columns))), key=repr)
    return {"counts": count, "events": events}


def read_document(title: str, published: str) -> Document:
    return Document(Source("news", title, content_hash(title), published=date.fromisoformat(published)))


def open_store(url) -> Store:  # type: ignore[no-untyped-def]
    return Store.open(url, seed=False)


@pytest.fixture(scope="module")
def reference(archives, tmp_path_factory) -> dict:
    """The record of an uninterrupted run in this process, on SQLite."""
    db = tmp_path_factory.mktemp("ref") / "ref.db"
    report = ingest_bulk(archives["paths"], db=str(db), workers=0, quiet=True, seed=False, chunk_bytes=CHUNK)
    with open_store(db) as store:
        return {"report": report, "signature": signature(store)}


# -- chunks: every item read once ------------------------------------------------------------------------


@pytest.mark.parametrize("step", [700, 4096, 50_000, 10_000_000])
def test_chunks_cover_every_item_exactly_once(archives, step):
    for archive in find_archives(archives["paths"]):
        plan = f"{archive.kind}:{step}"
        got = []
        chunks = list(plan_chunks(archive, plan))
        assert [c.index for c, _ in chunks] == list(range(len(chunks)))
        assert sum(c.weight for c, _ in chunks) == archive.size
        for chunk, data in chunks:
            got += [x.url if hasattr(x, "url") else x.where() for x in read_chunk(chunk, data)]
        name = Path(archive.path).name
        urls = [x for x in got if x.startswith("https://")]
        assert urls == [a["url"] for a in archives["articles"][name]], name
        if name != "crawl.warc.gz":
            assert len(got) - len(urls) == len(BAD_LINES), got


def test_plain_warc_byte_ranges(tmp_path):
    arts = make_articles(25, seed=9)
    warc = find_archives([write_warc(tmp_path / "plain.warc", arts)])[0]
    for step in (300, 2000, 9000):
        chunks = list(plan_chunks(warc, f"warc:{step}"))
        urls = [x.url for c, d in chunks for x in read_chunk(c, d)]
        assert urls == [a["url"] for a in arts]


def test_a_jsonl_line_belongs_to_the_chunk_its_first_byte_is_in(tmp_path):
    path = write_jsonl(tmp_path / "x.jsonl", make_articles(5), bad=False)
    lines = path.read_bytes().splitlines(keepends=True)
    boundary = len(lines[0]) + 1  # one byte into the second line
    first = Chunk("x", "jsonl:0", 0, str(path), "jsonl", 0, boundary, boundary)
    rest = Chunk("x", "jsonl:0", 1, str(path), "jsonl", boundary, path.stat().st_size, 0)
    assert [a.id for a in read_chunk(first)] == ["a0", "a1"]
    assert [a.id for a in read_chunk(rest)] == ["a2", "a3", "a4"]


# -- in this process, on SQLite -----------------------------------------------------------------------------


def test_bulk_in_process_gives_what_plain_ingest_gives(archives, reference, tmp_path):
    report = reference["report"]
    n_articles = sum(len(v) for v in archives["articles"].values())
    assert report["complete"] and report["failed"] == 0
    assert report["read"] == n_articles
    assert report["errors"] == 2 * len(BAD_LINES)  # the bad lines of the two JSONL archives
    assert report["chunks"] == report["processed"] > 10
    # The same articles through the one-by-one path: the same assertions and events.
    with open_store(tmp_path / "plain.db") as plain:
        items = [x for p in archives["paths"][:2] for x in read_articles(p)]
        items += [
            read_text(page_html(a), id=a["id"], url=a["url"]) for a in archives["articles"]["crawl.warc.gz"]
        ]
        ingest(plain, items)
        want = signature(plain)
    got = reference["signature"]
    assert got["events"] == want["events"]
    assert got["counts"]["assertions"] == want["counts"]["assertions"] > 20
    # Only articles that assert something are stored as sources.
    assert got["counts"]["sources"] == report["with_assertions"] == report["added"] < n_articles
    assert want["counts"]["sources"] == n_articles
    assert any(e[-1] > 3 for e in got["events"])  # one event, many outlets


def test_rerun_skips_done_chunks_and_adds_nothing(archives, reference, tmp_path):
    db = str(tmp_path / "r.db")
    first = ingest_bulk(archives["paths"], db=db, workers=0, quiet=True, seed=False, chunk_bytes=CHUNK)
    again = ingest_bulk(archives["paths"], db=db, workers=0, quiet=True, seed=False, chunk_bytes=99_999)
    assert again["skipped"] == again["chunks"] == first["chunks"]  # the archive keeps its first plan
    assert again["processed"] == again["read"] == again["added"] == 0
    # Reading everything again (no resume) stores nothing new either: sources dedupe by content.
    forced = ingest_bulk(
        archives["paths"], db=db, workers=0, quiet=True, seed=False, resume=False, chunk_bytes=CHUNK
    )
    assert forced["processed"] == first["chunks"] and forced["added"] == 0
    assert forced["duplicates"] == first["with_assertions"]
    with open_store(db) as store:
        assert signature(store) == reference["signature"]
        with store.connect() as conn:
            assert conn.execute(select(func.count()).select_from(BulkChunkRow)).scalar() == first["chunks"]


def test_a_moved_archive_is_still_known(archives, tmp_path):
    db = str(tmp_path / "m.db")
    src = archives["paths"][0]
    ingest_bulk([src], db=db, workers=0, quiet=True, seed=False, chunk_bytes=CHUNK)
    moved = tmp_path / "elsewhere" / "renamed.jsonl"
    moved.parent.mkdir()
    moved.write_bytes(src.read_bytes())
    again = ingest_bulk([str(tmp_path / "elsewhere" / "*.jsonl")], db=db, workers=0, quiet=True, seed=False)
    assert again["processed"] == 0 and again["skipped"] > 1


def interrupt_and_resume(archives, reference, db: str, stop_at: int, **where) -> None:  # type: ignore[no-untyped-def]
    """Ctrl-C after ``stop_at`` chunks, then a rerun: it skips the chunks done and ends at the reference."""
    seen = []

    def ctrl_c(counts):  # type: ignore[no-untyped-def]
        seen.append(counts)
        if len(seen) == stop_at:
            raise KeyboardInterrupt

    common = {"db": db, "quiet": True, "seed": False, "chunk_bytes": CHUNK, **where}
    with pytest.raises(KeyboardInterrupt):
        ingest_bulk(archives["paths"], batch=1, progress=ctrl_c, **common)
    with open_store(db) as store, store.connect() as conn:
        done = conn.execute(select(func.count()).select_from(BulkChunkRow)).scalar()
    assert 1 <= done <= stop_at  # the batch being written when Ctrl-C came was finished; queued ones dropped
    rerun = ingest_bulk(archives["paths"], **common)
    assert rerun["complete"] and rerun["skipped"] == done
    assert rerun["skipped"] + rerun["processed"] == reference["report"]["chunks"]
    with open_store(db) as store:
        assert signature(store) == reference["signature"]


def test_interrupted_in_process_run_resumes_to_the_same_record(archives, reference, tmp_path):
    interrupt_and_resume(archives, reference, str(tmp_path / "i.db"), 5, workers=0)


def test_unknown_paths_and_dates_are_errors_not_tracebacks(tmp_path):
    from comity.bulk import BulkError

    with pytest.raises(BulkError, match="no file or folder matches"):
        ingest_bulk([str(tmp_path / "nothing-*.jsonl")], db=str(tmp_path / "x.db"), workers=0, seed=False)
    with pytest.raises(BulkError, match="--published"):
        ingest_bulk([str(tmp_path)], db=str(tmp_path / "x.db"), workers=0, published="last week")


def test_cli_bulk_in_process(archives, reference, tmp_path):
    from typer.testing import CliRunner

    from comity.cli import app

    db = str(tmp_path / "cli.db")
    with open_store(db) as store:  # a record that is not empty is not seeded with the bundled baseline
        store.add(read_document("Seed note", "2020-01-01"))
    args = ["ingest", "--bulk", *map(str, archives["paths"]), "--workers", "0", "--db", db, "-q"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["complete"] and report["read"] == reference["report"]["read"]
    again = json.loads(CliRunner().invoke(app, args).stdout)
    assert again["processed"] == 0 and again["added"] == 0
    forced = json.loads(CliRunner().invoke(app, [*args, "--no-resume", "--batch", "7"]).stdout)
    assert forced["processed"] == report["chunks"] and forced["added"] == 0


# -- on a Dask LocalCluster, on PostgreSQL ------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    """A real LocalCluster: two worker processes (under nannies), one thread each."""
    if not os.environ.get("COMITY_TEST_PG_URL"):
        pytest.skip("COMITY_TEST_PG_URL is not set (no PostgreSQL server)")
    distributed = pytest.importorskip("distributed")
    import logging

    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.CRITICAL,
        ) as lc,
        distributed.Client(lc) as client,
    ):
        yield client


def _two_workers(client) -> dict:  # type: ignore[no-untyped-def]
    client.wait_for_workers(2, timeout=60)
    deadline = time.monotonic() + 60
    while True:
        pids = client.run(os.getpid)
        if len(pids) == 2 or time.monotonic() > deadline:
            return pids
        time.sleep(0.2)


@pytest.mark.postgres
def test_dask_run_on_postgresql_gives_the_reference_record(archives, reference, cluster, pg_url):
    _two_workers(cluster)
    report = ingest_bulk(
        archives["paths"], db=pg_url, client=cluster, quiet=True, seed=False, chunk_bytes=CHUNK, batch=50
    )
    assert report["complete"] and report["processed"] == reference["report"]["chunks"]
    assert report["read"] == reference["report"]["read"]
    assert len(report["workers"]) == 2  # both workers did chunks
    with open_store(pg_url) as store:
        assert signature(store) == reference["signature"]
        from comity.verify import verify

        assert verify(store).ok


@pytest.mark.postgres
def test_a_worker_killed_mid_run_changes_nothing(archives, reference, cluster, pg_url):
    before = _two_workers(cluster)
    killed = []

    def kill_one_worker(counts):  # type: ignore[no-untyped-def]
        if killed:
            return
        # At the first finished chunk: kill (SIGKILL, as the OOM killer would) a worker with chunks in hand.
        busy = {addr: keys for addr, keys in cluster.processing().items() if keys}
        if not busy:
            return
        addr, keys = sorted(busy.items())[0]
        os.kill(before[addr], signal.SIGKILL)
        killed.append((counts["chunks"], before[addr], len(keys)))

    report = ingest_bulk(
        archives["paths"],
        db=pg_url,
        client=cluster,
        quiet=True,
        seed=False,
        chunk_bytes=CHUNK,
        batch=20,
        progress=kill_one_worker,
    )
    assert killed and killed[0][0] < report["chunks"] / 2 and killed[0][2] >= 1
    after = _two_workers(cluster)
    assert killed[0][1] not in after.values()  # the nanny started a new worker process
    # Dask ran the lost worker's chunks again; a chunk it could not finish three times would be reported
    # as failed and left to the rerun.
    rerun = ingest_bulk(
        archives["paths"], db=pg_url, client=cluster, quiet=True, seed=False, chunk_bytes=CHUNK
    )
    assert rerun["processed"] == report["failed"]
    assert rerun["complete"] and rerun["skipped"] + rerun["processed"] == reference["report"]["chunks"]
    with open_store(pg_url) as store:
        assert signature(store) == reference["signature"]


@pytest.mark.postgres
def test_a_run_stopped_part_way_on_dask_resumes_to_the_same_record(archives, reference, cluster, pg_url):
    _two_workers(cluster)
    interrupt_and_resume(archives, reference, pg_url, 8, client=cluster)


@pytest.mark.postgres
def test_cli_bulk_on_a_running_scheduler(archives, cluster, pg_url):
    from typer.testing import CliRunner

    from comity.cli import app

    _two_workers(cluster)
    with open_store(pg_url) as store:  # not empty: not seeded with the bundled baseline
        store.add(read_document("Seed note", "2020-01-01"))
    address = cluster.scheduler.address
    args = [
        "ingest",
        "--bulk",
        str(archives["folder"] / "*.jsonl*"),
        "--scheduler",
        address,
        "--db",
        pg_url,
        "-q",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["complete"] and report["archives"] == 2 and report["added"] > 0


@pytest.mark.postgres
def test_two_bulk_clients_at_once_on_one_postgresql_record(archives, reference, pg_url):
    """Two users ingest the same archives into one record at the same time: the record is the same."""
    import threading

    reports: list = []
    errors: list = []

    def run() -> None:
        try:
            reports.append(
                ingest_bulk(
                    archives["paths"],
                    db=pg_url,
                    workers=0,
                    quiet=True,
                    seed=False,
                    chunk_bytes=CHUNK,
                    batch=5,
                )
            )
        except BaseException as exc:  # handed to the test below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors and len(reports) == 2
    assert sum(r["added"] for r in reports) == reference["report"]["added"]
    with open_store(pg_url) as store:
        assert signature(store) == reference["signature"]
        from comity.verify import verify

        assert verify(store).ok


def test_a_warc_gz_that_is_one_gzip_stream_is_reported_with_the_fix(tmp_path):
    plain = write_warc(tmp_path / "p.warc", make_articles(4))
    single = tmp_path / "single.warc.gz"
    single.write_bytes(gzip.compress(plain.read_bytes()))
    report = ingest_bulk([single], db=str(tmp_path / "s.db"), workers=0, quiet=True, seed=False)
    assert report["read"] == 0 and report["errors"] == 1
    assert "warcio recompress" in report["error_samples"][0]["error"]
