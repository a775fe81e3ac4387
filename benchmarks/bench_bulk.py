"""Bulk ingestion on Dask: throughput with 1 and 2 workers against the one-by-one ``comity ingest`` loop.

    python benchmarks/bench_bulk.py [--articles 20000] [--warc-share 0.05] [--db URL] [--json out.json]

One command. It generates a large mixed news archive in a temporary folder (a JSONL file and a WARC.gz
of HTML pages, from its own templates: sport, markets, weather, science, culture, domestic politics,
near misses that name embassies and states, and a share of articles about changes in diplomatic
relations; with the Wikipedia corpus at ../shared/data (or $COMITY_SHARED_DATA), paragraphs of its
prose, read at run time, serve as background in some articles), and measures, in the same run:

1. ``baseline``: the single-process loop of ``comity ingest`` (:func:`comity.ingest.ingest`: read,
   extract, store every article in its own transaction) over ``--baseline-articles`` of the same
   archive, in its mix of JSONL lines and WARC pages;
2. ``bulk, 1 worker`` and ``bulk, 2 workers``: :func:`comity.bulk.ingest_bulk` over the whole archive
   on a LocalCluster of that many worker processes (started and warmed before the clock starts; the
   start-up time is printed apart), each into a fresh record;

and prints articles/s, the ratio to the baseline, the scaling efficiency (rate with 2 workers / twice
the rate with 1), the peak memory (RSS) of each worker, and the time 1,000,000 articles would take at
each measured rate. The records are fresh SQLite files, or fresh databases on the PostgreSQL server
of ``--db`` / $COMITY_TEST_PG_URL (created and dropped here; ``--db ''`` for SQLite). The runs'
events are compared: they must be equal. Also printed, to read the scaling figure: the workers' CPU
time per article and the client's CPU time (on a machine with fewer free cores than workers + 1, the
workers, the client and the database share cores).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import logging
import os
import random
import re
import resource
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from comity.bulk import ingest_bulk
from comity.ingest import ingest
from comity.reader import read_articles, read_text
from comity.states import registry
from comity.store import Store, resolve_url

# -- the archive -----------------------------------------------------------------------------------------

PEOPLE = [
    "Amara Diallo",
    "Bruno Keller",
    "Chiara Conti",
    "Dmitri Orlov",
    "Elif Demir",
    "Farah Nasser",
    "Goran Petrovic",
    "Hana Sato",
    "Ines Duarte",
    "Jonas Lind",
    "Kofi Boateng",
    "Lucia Vega",
]
TOWNS = ["Ashford", "Bergamo", "Coimbra", "Dundee", "Eindhoven", "Fresno", "Gdansk", "Hobart", "Izmir"]
CLUBS = ["Harbour FC", "Northern Stars", "Red Valley", "Old Bridge", "Lakeside", "Iron Town"]
FIRMS = ["Corvid Systems", "Palm & Reed", "Silverline Rail", "Tundra Foods", "Vantage Pharma", "Orbit Mobile"]

TOPICS = {
    "sport": [
        "{club} came from behind to beat {club2} {n}-{m} on {wd}, with {person} scoring the winner.",
        "The coach said the squad was tired after three matches in eight days but would not make excuses.",
        "{person} will miss the rest of the season after surgery on a knee injury, the club confirmed.",
        "Ticket prices for the cup final have risen by {n}0 percent since last year, fans' groups said.",
        "The team flew to {town} on {wd} for a week of training before the play-offs.",
        "Attendance at league matches reached {big} a game on average, the highest in a decade.",
    ],
    "markets": [
        "Shares in {firm} fell {n}.{m} percent on {wd} after the company cut its outlook for the year.",
        "{firm} reported a quarterly profit of {big} million dollars, ahead of what analysts had expected.",
        "Bond yields edged higher as investors weighed the prospect of another rate rise.",
        "The regulator opened an inquiry into pricing at {firm}, which said it would cooperate fully.",
        "Copper prices hit a two-month high on hopes of stronger demand from builders.",
        "{person}, chief executive of {firm}, said the company would hire {n}00 engineers next year.",
    ],
    "weather": [
        "Forecasters warned of gusts of up to {n}0 kilometres an hour along the coast on {wd}.",
        "The heatwave is expected to last until the weekend, with highs of {n}{m} degrees in {town}.",
        "Flooding closed the main road into {town} overnight and several homes were evacuated.",
        "Farmers say the dry spring has cut the wheat harvest by as much as a fifth.",
    ],
    "science": [
        "A team led by {person} found that the enzyme breaks down plastic at room temperature.",
        "The probe sent back images of a crater {n}0 kilometres wide near the moon's south pole.",
        "The trial enrolled {big} volunteers and will report its first results next spring.",
        "Engineers in {town} tested a bridge sensor that warns of cracks before they can be seen.",
    ],
    "culture": [
        "{person}'s first novel, a story of two sisters running a bakery, has been shortlisted for a prize.",
        "The orchestra will tour {n} cities this autumn, ending with a concert in {town}.",
        "The gallery's new exhibition brings together {n}0 works that have never been shown in public.",
        "Critics were divided over the film, which runs to almost three hours.",
    ],
    "politics": [
        "The {town} council voted {n}-{m} to raise parking charges, despite protests from shop owners.",
        "The opposition leader, {person}, called for an inquiry into the delays at the new hospital.",
        "Parliament passed the housing bill on {wd} after a late amendment on rents.",
        "Turnout in the local elections was {n}{m} percent, slightly down on four years ago.",
    ],
}
NEAR_MISSES = [
    "The {Adem} embassy in {town} will be closed on {wd} for a public holiday, it said on its website.",
    "{person}, a former ambassador to {A}, spoke about her years abroad at the book festival.",
    "The two clubs have strong ties, and several players have moved between them in recent years.",
    "Visa applications for {A} can be made online, the consulate in {town} said.",
]
CHANGES = [
    "{A} and {B} established diplomatic relations on {day}, according to a joint communique.",
    "{A} severed diplomatic relations with {B} on {day}, citing repeated interference in its affairs.",
    "{A} announced on {day} that it had suspended diplomatic relations with {B}.",
    "{A} and {B} agreed on {day} to restore full diplomatic relations and reopen their embassies.",
    "{A} expelled {n} {Bdem} diplomats on {day} over activities incompatible with their status.",
    "{A} recalled its ambassador from {B} on {day} in protest at remarks by {B}'s leader.",
    "{A} reopened its embassy in {Bcap} on {day}, {n} years after it was closed.",
    "{A} closed its embassy in {Bcap} on {day}, citing the security situation.",
    "{A} formally recognised {B} as an independent state on {day}.",
    "{A} is considering cutting ties with {B}, a government spokesperson said on {day}.",
    "{A} plans to open an embassy in {Bcap} next year, its foreign minister said on {day}.",
]
FOLLOW_UPS = [
    "Officials in {Acap} said the decision had not been taken lightly.",
    "{B}'s foreign ministry called the step regrettable and said it reserved the right to respond.",
    "Trade between the two countries was worth about {big} million dollars last year.",
    "Analysts said the move could complicate talks on a regional trade agreement.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def wikipedia_paragraphs(limit: int = 3000) -> list[str]:
    """Prose paragraphs of the shared Wikipedia corpus (read here, never stored in the project)."""
    root = Path(
        os.environ.get("COMITY_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    folder = root / "wikipedia" / "foreign-relations"
    out: list[str] = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.wikitext")):
        for para in re.split(r"\n\s*\n", path.read_text(encoding="utf-8", errors="replace")):
            para = para.strip()
            if len(para) < 400 or para[0] in "{|!=*#<[:;":
                continue
            text = re.sub(r"<ref[^>]*/>|<ref[^>]*>.*?</ref>|<[^>]+>", "", para, flags=re.S)
            text = re.sub(r"\{\{[^{}]*\}\}", "", text)
            text = re.sub(r"\[\[(?:[^|\]]*\|)?([^\]]*)\]\]", r"\1", text).replace("'''", "").replace("''", "")
            if "{{" not in text and "|" not in text:
                out.append(text)
            if len(out) >= limit:
                return out
    return out


def make_archive(folder: Path, n: int, share: float, warc_share: float, seed: int) -> dict:
    """``n`` articles: a JSONL file and (``warc_share`` of them) a WARC.gz of HTML pages."""
    rnd = random.Random(seed)
    states = [s for s in registry() if s.kind == "un_member" and s.capital and s.demonym]
    wiki = wikipedia_paragraphs()

    def fill(tpl: str) -> str:
        a, b = rnd.sample(states, 2)
        day = date(2015, 1, 1) + timedelta(days=rnd.randrange(3650))
        return tpl.format(
            A=a.name,
            B=b.name,
            Adem=a.demonym,
            Bdem=b.demonym,
            Acap=a.capital,
            Bcap=b.capital,
            day=f"{day.day} {day:%B %Y}",
            person=rnd.choice(PEOPLE),
            town=rnd.choice(TOWNS),
            club=rnd.choice(CLUBS),
            club2=rnd.choice(CLUBS),
            firm=rnd.choice(FIRMS),
            wd=rnd.choice(WEEKDAYS),
            n=rnd.randint(2, 9),
            m=rnd.randint(0, 9),
            big=rnd.randint(1_000, 90_000),
        )

    def article(i: int) -> dict:
        topic = rnd.choice(list(TOPICS))
        paras = [
            " ".join(fill(rnd.choice(TOPICS[topic])) for _ in range(3)) for _ in range(rnd.randint(4, 9))
        ]
        if rnd.random() < 0.1:
            paras.insert(rnd.randrange(len(paras) + 1), fill(rnd.choice(NEAR_MISSES)))
        if rnd.random() < share:
            counts["relevant"] += 1
            lead = [fill(rnd.choice(CHANGES))] + [
                fill(rnd.choice(FOLLOW_UPS)) for _ in range(rnd.randint(1, 3))
            ]
            paras = lead + paras[:3]
            if wiki and rnd.random() < 0.5:
                paras.append(rnd.choice(wiki))  # background: encyclopaedic prose about relations
        elif wiki and rnd.random() < 0.03:
            paras.append(rnd.choice(wiki))
        pub = date(2015, 1, 1) + timedelta(days=rnd.randrange(3650))
        text = "\n\n".join(paras)
        counts["chars"] += len(text)
        return {
            "id": f"n{i}",
            "title": f"{topic.title()} report {i}",
            "text": text,
            "published": pub.isoformat(),
            "outlet": rnd.choice(["Wire One", "Evening Sample"]),
            "url": f"https://bench.example/{pub:%Y/%m/%d}/{topic}-{i}",
        }

    # Written as generated, so that a million articles need no more memory than a thousand.
    counts = {"relevant": 0, "chars": 0}
    n_warc = int(n * warc_share)
    warc = folder / "pages.warc.gz"
    if n_warc:
        from warcio.statusandheaders import StatusAndHeaders
        from warcio.warcwriter import WARCWriter

        with open(warc, "wb") as fh:
            w = WARCWriter(fh, gzip=True)
            for i in range(n_warc):
                a = article(i)
                body = "".join(f"<p>{p}</p>\n" for p in a["text"].split("\n\n"))
                html = (
                    f"<html><head><title>{a['title']}</title><meta property='article:published_time' "
                    f"content='{a['published']}'></head><body><article><h1>{a['title']}</h1>{body}</article>"
                    "</body></html>"
                ).encode()
                http = StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
                )
                w.write_record(
                    w.create_warc_record(a["url"], "response", payload=io.BytesIO(html), http_headers=http)
                )
    jsonl = folder / "news.jsonl"
    with open(jsonl, "wb") as fh:
        for i in range(n_warc, n):
            fh.write(json.dumps(article(i)).encode() + b"\n")
    paths = [jsonl] + ([warc] if n_warc else [])
    return {
        "paths": paths,
        "articles": n,
        "relevant": counts["relevant"],
        "warc": n_warc,
        "wiki_paragraphs": len(wiki),
        "bytes": sum(p.stat().st_size for p in paths),
        "mean_chars": counts["chars"] / max(1, n),
    }


def baseline_items(archive: dict, limit: int):  # type: ignore[no-untyped-def]
    """``limit`` articles of the archive in its mix of WARC pages and JSONL lines, read the way
    ``comity ingest`` reads them (an HTML page through :func:`comity.reader.read_text`)."""
    from itertools import islice

    from warcio.archiveiterator import ArchiveIterator

    n_warc = round(limit * archive["warc"] / archive["articles"])
    if n_warc:
        with open(archive["paths"][1], "rb") as fh:
            for rec in islice(ArchiveIterator(fh), n_warc):
                html = rec.content_stream().read().decode("utf-8")
                yield read_text(html, url=rec.rec_headers.get_header("WARC-Target-URI"))
    yield from islice(read_articles(archive["paths"][0]), limit - n_warc)


# -- records ---------------------------------------------------------------------------------------------


@contextmanager
def fresh_record(server: str | None, folder: Path, name: str):  # type: ignore[no-untyped-def]
    """A fresh, empty record: a SQLite file, or a new database on the PostgreSQL server."""
    if not server:
        yield str(folder / f"{name}.db")
        return
    from sqlalchemy import create_engine, text

    db = f"comity_bulk_bench_{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(resolve_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{db}"'))
    try:
        yield server.rsplit("/", 1)[0] + "/" + db
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        admin.dispose()


def events_digest(url: str) -> str:
    from sqlalchemy import select

    from comity.store.models import EventRow as E

    with Store.open(url, seed=False) as store:
        rows = store.execute(select(E.type, E.a, E.b, E.date, E.modality, E.n_sources))
    return hashlib.sha256(repr(sorted((tuple(r) for r in rows), key=repr)).encode()).hexdigest()[:16]


def bulk_run(archive: dict, url: str, workers: int, chunk_bytes: int) -> dict:
    import distributed

    t0 = time.perf_counter()
    with (
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        from comity.bulk import _warm

        client.run(_warm)
        startup = time.perf_counter() - t0
        load = os.getloadavg()[0]
        t1, c1 = time.perf_counter(), time.process_time()
        report = ingest_bulk(
            archive["paths"], db=url, client=client, quiet=True, seed=False, chunk_bytes=chunk_bytes
        )
        seconds = time.perf_counter() - t1
        report["client_cpu"] = time.process_time() - c1
    report["load_before"] = load
    report["startup"] = startup
    report["rate"] = report["read"] / seconds
    report["wall"] = seconds
    return report


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--relevant-share", type=float, default=0.05)
    ap.add_argument(
        "--warc-share", type=float, default=0.05, help="share of the articles as WARC.gz HTML pages"
    )
    ap.add_argument("--baseline-articles", type=int, default=3000)
    ap.add_argument("--chunk-mb", type=float, default=1.0)
    ap.add_argument(
        "--db",
        default=os.environ.get("COMITY_TEST_PG_URL"),
        help="PostgreSQL server for fresh databases (default $COMITY_TEST_PG_URL); '' for SQLite",
    )
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()
    chunk_bytes = int(args.chunk_mb * (1 << 20))

    with tempfile.TemporaryDirectory(prefix="comity-bench-bulk-") as tmp:
        folder = Path(tmp)
        archive = make_archive(folder, args.articles, args.relevant_share, args.warc_share, args.seed)
        backend = "PostgreSQL" if args.db else "SQLite"
        print(
            f"archive: {archive['articles']:,} articles ({archive['relevant']:,} about relations, "
            f"{archive['warc']:,} as WARC.gz pages), {archive['bytes'] / 1e6:.1f} MB, "
            f"mean {archive['mean_chars']:,.0f} characters; "
            f"{archive['wiki_paragraphs']:,} Wikipedia paragraphs "
            f"as filler; record: {backend}; {os.cpu_count()} CPUs"
        )

        # 1. baseline: the one-by-one loop, in this process
        with fresh_record(args.db, folder, "baseline") as url:
            store = Store.open(url, seed=False)
            items = list(baseline_items(archive, args.baseline_articles))
            from comity.extract import default_pipeline

            default_pipeline()
            t0 = time.perf_counter()
            base = ingest(store, items)
            base_seconds = time.perf_counter() - t0
            store.close()
        base_rate = base.read / base_seconds

        # 2. bulk with 1 and 2 workers
        runs = {}
        digests = {}
        for workers in (1, 2):
            with fresh_record(args.db, folder, f"w{workers}") as url:
                runs[workers] = bulk_run(archive, url, workers, chunk_bytes)
                digests[workers] = events_digest(url)

    one, two = runs[1], runs[2]
    efficiency = two["rate"] / (2 * one["rate"])
    million = {
        k: 1_000_000 / r
        for k, r in (("baseline", base_rate), ("1 worker", one["rate"]), ("2 workers", two["rate"]))
    }
    print()
    print(
        f"{'run':<30}{'articles':>10}{'seconds':>10}{'articles/s':>12}{'x baseline':>12}{'1M articles':>14}"
    )
    rows = [
        ("baseline: comity ingest loop", base.read, base_seconds, base_rate),
        ("bulk, 1 worker", one["read"], one["wall"], one["rate"]),
        ("bulk, 2 workers", two["read"], two["wall"], two["rate"]),
    ]
    for name, n, secs, rate in rows:
        print(
            f"{name:<30}{n:>10,}{secs:>10.1f}{rate:>12,.0f}{rate / base_rate:>11.1f}x"
            f"{_hours(1_000_000 / rate):>14}"
        )
    print()
    print(f"scaling efficiency, 2 workers over 1: {efficiency:.0%} (rate with 2 / twice the rate with 1)")
    for w, r in runs.items():
        mem = ", ".join(f"{v['peak_rss_mb']:.0f} MB" for v in r["workers"].values())
        print(
            f"{w} worker(s): peak RSS per worker {mem}; cluster start-up {r['startup']:.1f} s (not timed); "
            f"{r['chunks']} chunks; {r['added']:,} sources stored"
        )
        print(
            f"    workers busy {r['work_seconds']:.1f} s ({r['work_cpu_seconds']:.1f} s on a CPU: "
            f"{1000 * r['work_cpu_seconds'] / r['read']:.2f} ms per article); "
            f"client CPU {r['client_cpu']:.1f} s, "
            f"its writing thread {r['write_seconds']:.1f} s; load average before {r['load_before']:.1f}"
        )
    print(
        "    (with fewer free cores than workers + 1, the workers share cores with the client and"
        " the database: CPU ms per article stays, wall time grows)"
    )
    client_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"client peak RSS (baseline included): {client_peak:.0f} MB")
    print(
        f"1,000,000 articles at the 2-worker rate: {_hours(million['2 workers'])}; "
        f"one-by-one: {_hours(million['baseline'])}"
    )
    same = digests[1] == digests[2]
    print(f"events of the 1- and 2-worker runs equal: {'yes' if same else 'NO'} ({digests[1]})")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "archive": {k: v for k, v in archive.items() if k != "paths"},
                    "backend": backend,
                    "baseline": {"articles": base.read, "seconds": base_seconds, "rate": base_rate},
                    "bulk": {
                        str(k): {x: y for x, y in v.items() if x not in ("error_samples", "failed_chunks")}
                        for k, v in runs.items()
                    },
                    "scaling_efficiency": efficiency,
                    "seconds_per_million": million,
                },
                indent=2,
            )
        )
    return 0 if same else 1


def _hours(seconds: float) -> str:
    h, rest = divmod(int(seconds), 3600)
    return f"{h}h{rest // 60:02d}m" if h else f"{rest // 60}m{rest % 60:02d}s"


if __name__ == "__main__":
    sys.exit(main())
