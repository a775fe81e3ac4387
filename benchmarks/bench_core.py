"""Core speed: import of the whole Wikipedia corpus, and as-of queries.

    python benchmarks/bench_core.py [--corpus PATH] [--queries N]

Baselines measured in the same run:
- import: parsing every page with mwparserfromhell alone (what any importer pays to read wikitext);
- queries: one indexed SELECT of a state's timeline rows (the floor under any answer).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import or_, select

from comity.importers.wikipedia import read_files
from comity.query import Record
from comity.store import Store
from comity.store.models import PeriodRow

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "wikipedia" / "foreign-relations"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--queries", type=int, default=10_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.db", seed=False)
        if args.corpus.exists():
            import mwparserfromhell

            files = sorted(args.corpus.glob("*.wikitext"))
            t0 = time.perf_counter()
            for f in files:
                mwparserfromhell.parse(f.read_text(encoding="utf-8"))
            naive = time.perf_counter() - t0
            t0 = time.perf_counter()
            docs = list(read_files(files))
            parse = time.perf_counter() - t0
            t0 = time.perf_counter()
            store.add_many(docs)
            load = time.perf_counter() - t0
            n = sum(len(d.assertions) for d in docs)
            print(f"corpus: {len(files)} pages, {n} assertions")
            print(f"  parse            {parse:7.2f} s")
            print(f"  store + derive   {load:7.2f} s")
            print(f"  import total     {parse + load:7.2f} s   (aim: < 10 s)")
            print(
                f"  baseline: mwparserfromhell.parse of every page {naive:.2f} s -> import/baseline = "
                f"{(parse + load) / naive:.2f}x"
            )
        else:
            print(f"corpus not found at {args.corpus}: loading the bundled baseline instead")
            from comity.baseline import load_baseline

            t0 = time.perf_counter()
            load_baseline(store)
            print(f"  baseline load {time.perf_counter() - t0:.2f} s")
        record = Record(store)
        rng = random.Random(7)
        codes = sorted({p for (p,) in store.execute(select(PeriodRow.a).distinct())})
        days = [
            f"{rng.randint(1950, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            for _ in range(args.queries)
        ]
        states = [rng.choice(codes) for _ in range(args.queries)]
        others = [rng.choice([c for c in codes[:60] if c != s]) for s in states]
        other_of = dict(zip(zip(states, days, strict=True), others, strict=True))

        def timed(label: str, fn) -> float:  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            for s, d in zip(states, days, strict=True):
                fn(s, d)
            dt = time.perf_counter() - t0
            print(f"  {label:38s} {args.queries / dt:9.0f} q/s  {dt / args.queries * 1000:6.3f} ms/q")
            return dt

        print(f"{args.queries} queries over {len(codes)} states, random days 1950-2025")

        def floor(s: str, _d: str) -> None:
            with store.connect() as conn:
                conn.execute(select(PeriodRow).where(or_(PeriodRow.a == s, PeriodRow.b == s))).all()

        base = timed("baseline: indexed SELECT of periods", floor)
        record._cache.clear()
        cold = timed("partners(A, as_of) first touch + warm", lambda s, d: record.partners(s, d))
        warm = timed("partners(A, as_of) warm (aim < 2 ms)", lambda s, d: record.partners(s, d))
        stat = timed("status(A, B, as_of)", lambda s, d: record.status(s, other_of[(s, d)], d))
        print(
            f"  ratios vs baseline: partners warm {warm / base:.2f}x, partners cold {cold / base:.2f}x, "
            f"status {stat / base:.2f}x"
        )
        store.close()


if __name__ == "__main__":
    main()
