"""Latency and throughput of the HTTP API's partners and pair endpoints, on loopback.

    python benchmarks/bench_web.py [--db URL] [--rate 200] [--seconds 10] [--json out.json]

One command: it builds a record (the one at --db, or a synthetic one the size of the real thing: every UN
member's own list of partners, ~37,000 list rows), starts ``comity serve``'s app under uvicorn in a
subprocess on 127.0.0.1, and drives it from this process (a second process) with httpx:

1. open loop at --rate requests/s for --seconds per endpoint, latency counted from each request's
   scheduled time (so a stall is not hidden by the client waiting), p50/p99;
2. closed loop with 8 connections as fast as they go for --seconds: requests/s;
3. a baseline in the same run: the same queries called in-process on a Record over the same database,
   without HTTP (including the JSON encoding the API does), p50/p99 and calls/s; the HTTP/in-process
   ratio is printed.

Every loop is bounded in count and time, and the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx

from comity.query import Record
from comity.records import Assertion, Document, Source, content_hash
from comity.states import registry
from comity.store import Store
from comity.vocab import PartialDate

STATES = ["KOR", "USA", "CUB", "FRA", "BRA", "IND", "NGA", "JPN"]
FIRST_DAY = date(1950, 1, 1).toordinal()


def random_day(rnd: random.Random) -> str | None:
    """A day between 1950 and today, or (one time in ten) none: today."""
    if rnd.random() < 0.1:
        return None
    return date.fromordinal(rnd.randint(FIRST_DAY, date.today().toordinal())).isoformat()


# -- a record the size of the real one ------------------------------------------------------------------
def synthetic(path: Path) -> str:
    reg = registry()
    members = sorted(s.code for s in reg.un_members(date(2025, 1, 1)))
    rnd = random.Random(7)
    dates: dict[frozenset, str] = {}
    docs = []
    for subject in members:
        rows = []
        for other in members:
            if other == subject or reg.not_foreign(subject, other):
                continue
            key = frozenset((subject, other))
            if key not in dates:
                dates[key] = f"{rnd.randint(1945, 2024)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            if {subject, other} == {"KOR", "CUB"}:
                dates[key] = "2024-02-14"
            rows.append((other, dates[key]))
        rows.sort(key=lambda r: r[1])
        assertions = [
            Assertion(
                "establish",
                subject,
                other,
                PartialDate.parse(d),
                evidence=f"{pos} | {other} | {d}",
                extractor="wikipedia-list",
                detail={"table": "list", "position": pos},
            )
            for pos, (other, d) in enumerate(rows, 1)
        ]
        title = f"Foreign relations of {reg.get(subject).name}"
        src = Source(
            "wikipedia",
            title,
            content_hash(title + repr(rows)),
            url=f"https://example.org/{subject}",
            retrieved=date(2025, 11, 1),
        )
        docs.append(Document(src, assertions, [], subject))
    store = Store.open(path, seed=False)
    store.add_many(docs)
    n = store.counts()
    store.close()
    print(
        f"synthetic record: {len(members)} states, {n['assertions']} list rows, {n['events']} events",
        file=sys.stderr,
    )
    return str(path)


# -- the server, in its own process ------------------------------------------------------------------------
SERVER = """
import sys, uvicorn
from comity.web import create_app
uvicorn.run(create_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning",
            access_log=False)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "COMITY_TOKEN"}
    proc = subprocess.Popen([sys.executable, "-c", SERVER, db, str(port)], env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                return proc, base
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


# -- the questions -------------------------------------------------------------------------------------------
def partner_urls(n: int) -> list[str]:
    rnd = random.Random(1)
    out = []
    for _ in range(n):
        s, d = rnd.choice(STATES), random_day(rnd)
        among = rnd.choice(["all", "un"])
        out.append(f"/api/states/{s}/partners?among={among}" + (f"&as_of={d}" if d else ""))
    return out


def pair_urls(n: int) -> list[str]:
    rnd = random.Random(2)
    out = []
    for _ in range(n):
        a, b = rnd.sample(STATES, 2)
        d = random_day(rnd)
        out.append(f"/api/pairs/{a}/{b}" + (f"?as_of={d}" if d else ""))
    return out


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * len(s)) - 1))]


async def open_loop(base: str, urls: list[str], rate: float, seconds: float) -> dict:
    """``rate`` requests/s on a fixed schedule; latency from each request's scheduled time."""
    n = min(len(urls), int(rate * seconds))
    lat: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:
        # warm up the connections and the record's per-state cache
        await asyncio.gather(*(client.get(f"/api/states/{s}/partners") for s in STATES))
        lag: list[float] = []

        async def one(at: float, url: str) -> None:
            nonlocal errors
            lag.append((time.perf_counter() - at) * 1000)
            try:
                r = await client.get(url)
                if r.status_code != 200:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            lat.append((time.perf_counter() - at) * 1000)

        # Requests start on a fixed schedule, whether or not earlier ones are answered.
        tasks = []
        t0 = time.perf_counter()
        hard_stop = t0 + seconds * 2 + 10
        for i, url in enumerate(urls[:n]):
            at = t0 + i / rate
            delay = at - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(at, url)))
            if time.perf_counter() > hard_stop:
                break
        await asyncio.wait_for(asyncio.gather(*tasks), seconds * 2 + 30)
        elapsed = time.perf_counter() - t0
        n = len(tasks)
    return {
        "requests": n,
        "errors": errors,
        "p50_ms": pct(lat, 50),
        "p99_ms": pct(lat, 99),
        "max_ms": max(lat),
        "achieved_rps": n / elapsed,
        "client_start_lag_p99_ms": pct(lag, 99),
    }


async def closed_loop(base: str, urls: list[str], seconds: float, concurrency: int = 8) -> dict:
    """``concurrency`` connections, each sending its next request when the last one is answered."""
    done = 0
    errors = 0
    lat: list[float] = []
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:

        async def worker(k: int) -> None:
            nonlocal done, errors
            i = k
            while time.perf_counter() < deadline and i < len(urls):
                t = time.perf_counter()
                r = await client.get(urls[i])
                lat.append((time.perf_counter() - t) * 1000)
                errors += r.status_code != 200
                done += 1
                i += concurrency

        t0 = time.perf_counter()
        await asyncio.gather(*(worker(k) for k in range(concurrency)))
        elapsed = time.perf_counter() - t0
    return {
        "requests": done,
        "errors": errors,
        "rps": done / elapsed,
        "p50_ms": pct(lat, 50),
        "p99_ms": pct(lat, 99),
    }


def in_process(db: str, urls: list[str], seconds: float) -> dict:
    """The same questions asked of a Record directly, with the same conversion to JSON the API does."""
    from urllib.parse import parse_qs, urlsplit

    from comity.web.app import PartnerJson, _status

    partner_json = PartnerJson()

    rec = Record(Store.open(db, seed=False))
    calls = []
    for u in urls:
        parts = urlsplit(u)
        q = {k: v[0] for k, v in parse_qs(parts.query).items()}
        seg = parts.path.split("/")
        if seg[2] == "states":
            calls.append(
                lambda s=seg[3], q=q: ",".join(
                    partner_json(p) for p in rec.partners(s, q.get("as_of"), q["among"])
                )
            )
        else:
            calls.append(lambda a=seg[3], b=seg[4], q=q: _status(rec.status(a, b, q.get("as_of"))))
    for s in STATES:
        rec.partners(s)
    lat = []
    deadline = time.perf_counter() + seconds
    t0 = time.perf_counter()
    for c in calls:
        t = time.perf_counter()
        out = c()
        if not isinstance(out, str):
            json.dumps(out, ensure_ascii=False, separators=(",", ":"), default=str)
        lat.append((time.perf_counter() - t) * 1000)
        if t > deadline:
            break
    elapsed = time.perf_counter() - t0
    rec.store.close()
    return {
        "calls": len(lat),
        "p50_ms": pct(lat, 50),
        "p99_ms": pct(lat, 99),
        "calls_per_s": len(lat) / elapsed,
    }


def _jiffies_busy() -> int | None:
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return None
    return sum(fields) - fields[3] - fields[4]  # all but idle and iowait


def _jiffies_of(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


class CpuWatch:
    """How much of the machine's CPU other processes used while the benchmark ran (Linux /proc)."""

    def __init__(self, server_pid: int) -> None:
        self.pids = [os.getpid(), server_pid]
        self.t0 = time.monotonic()
        self.busy0 = _jiffies_busy()
        self.own0 = sum(_jiffies_of(p) for p in self.pids)

    def others_share(self) -> float | None:
        busy = _jiffies_busy()
        if busy is None or self.busy0 is None:
            return None
        own = sum(_jiffies_of(p) for p in self.pids) - self.own0
        hz = os.sysconf("SC_CLK_TCK")
        capacity = (time.monotonic() - self.t0) * hz * (os.cpu_count() or 1)
        return max(0.0, (busy - self.busy0 - own) / capacity)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="An existing record (default: a synthetic one in a temporary folder)")
    ap.add_argument("--rate", type=float, default=200.0, help="Open-loop requests per second")
    ap.add_argument("--seconds", type=float, default=10.0, help="Duration of each phase")
    ap.add_argument("--json", type=Path, help="Also write the figures here")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="comity-bench-")
    db = args.db or synthetic(Path(tmp.name) / "bench.db")
    n = int(args.rate * args.seconds) + 64
    endpoints = {"partners": partner_urls(max(n, 4000)), "pair": pair_urls(max(n, 4000))}
    proc, base = start_server(db)
    watch = CpuWatch(proc.pid)
    results: dict = {"rate": args.rate, "seconds": args.seconds, "cpus": os.cpu_count()}
    try:
        for name, urls in endpoints.items():
            results[name] = {
                "open_loop": asyncio.run(open_loop(base, urls, args.rate, args.seconds)),
                "closed_loop": asyncio.run(closed_loop(base, urls, args.seconds)),
                "in_process": in_process(db, urls, args.seconds),
            }
        others = watch.others_share()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        tmp.cleanup()
    print(
        f"\nHTTP API on loopback, {args.rate:.0f} req/s open loop for {args.seconds:.0f} s per endpoint "
        f"({results['cpus']} CPUs, server and load in separate processes)\n"
    )
    print(
        f"{'endpoint':10} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7} {'max req/s':>10} "
        f"{'in-proc p50':>12} {'in-proc/s':>10} {'p50 ratio':>10} {'req/s ratio':>12}"
    )
    ok = True
    for name in endpoints:
        o, c, b = results[name]["open_loop"], results[name]["closed_loop"], results[name]["in_process"]
        ratio = o["p50_ms"] / b["p50_ms"] if b["p50_ms"] else float("nan")
        rps_ratio = c["rps"] / b["calls_per_s"] if b["calls_per_s"] else float("nan")
        results[name]["ratio_p50_http_over_in_process"] = ratio
        results[name]["ratio_rps_http_over_in_process"] = rps_ratio
        print(
            f"{name:10} {o['p50_ms']:8.2f} {o['p99_ms']:8.2f} {o['max_ms']:8.2f} {o['errors'] + c['errors']:7d} "
            f"{c['rps']:10.0f} {b['p50_ms']:12.3f} {b['calls_per_s']:10.0f} {ratio:10.1f} {rps_ratio:12.2f}"
        )
        ok &= o["p99_ms"] < 20 and o["errors"] == 0 and o["achieved_rps"] >= 0.95 * args.rate
    results["other_processes_cpu_share"] = others
    print(f"\naim: p99 under 20 ms at {args.rate:.0f} req/s: {'met' if ok else 'NOT met'}")
    if others is not None:
        busy = ": the figures are pessimistic, run again on a quiet machine" if others > 0.1 else ""
        print(f"other processes used {others:.0%} of the machine's CPU during the run{busy}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
