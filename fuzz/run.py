"""Run the coverage-guided fuzzers (atheris, libFuzzer) for a while; not part of the test suite.

    python fuzz/run.py --seconds 60                       # each target for 60 s, one after the other
    python fuzz/run.py --seconds 300 --target extract     # one target
    python fuzz/run.py --seconds 120 --parallel           # all targets at once

Targets: ``wikitext`` (``parse_page``), ``reader`` (``read_articles`` on text, HTML, JSONL bytes) and
``extract`` (the news extractor). Each keeps a growing corpus in ``fuzz/corpus/<target>/`` (seeded from
the test fixtures, and from ../shared/data when present) and writes what it finds to
``fuzz/artifacts/<target>/``: ``crash-*`` (an undocumented exception or a broken invariant),
``timeout-*`` (one input over ``--timeout`` seconds), ``slow-*`` (over 2 s). Reproduce one with
``python fuzz/fuzz_<target>.py fuzz/artifacts/<target>/crash-...``; keep the nasty ones as regression
cases in ``tests/fixtures/hostile/`` (see tests/test_hostile.py). Needs ``pip install atheris``.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared" / "data"
TARGETS = {"wikitext": 131072, "reader": 65536, "extract": 16384}  # target -> largest input (bytes)


def seeds(target: str) -> dict[str, bytes]:
    """Starting inputs: real pages and articles, in the byte layout each harness reads."""
    out: dict[str, bytes] = {}
    if target == "wikitext":
        from _common import TITLES

        pages = sorted((FIXTURES / "wikitext").glob("*.wiki"))
        pages += sorted(
            (SHARED / "wikipedia" / "foreign-relations").glob("Foreign relations of [PKT]*.wikitext")
        )[:6]
        for p in pages:
            title = p.name.rsplit(".", 1)[0]
            index = TITLES.index(title) if title in TITLES else 0
            out[p.stem] = bytes([index]) + p.read_bytes()[:60000]
    elif target == "reader":
        html = (FIXTURES / "news" / "cuba-korea.txt").read_text(encoding="utf-8")
        out["text"] = b"\x00" + html.encode()
        out["html"] = (
            b"\x01<html><head><title>Ties</title></head><body><article><p>"
            + html.encode()
            + b"</p></article></body></html>"
        )
        lines = (FIXTURES / "news" / "stories.jsonl").read_bytes().splitlines()[:3]
        out["jsonl"] = b"\x02" + b"\n".join(lines)
        out["jsonl-gz"] = b"\x03" + b"\n".join(lines[:1])
        out["bom"] = b"\x00\xef\xbb\xbf" + html.encode()[:2000]
    elif target == "extract":
        for i, line in enumerate(
            (FIXTURES / "news" / "stories.jsonl").read_text(encoding="utf-8").splitlines()
        ):
            out[f"story{i}"] = bytes([i % 4, 200, 0]) + json.loads(line)["text"].encode()[:8000]
        out["cuba-korea"] = b"\x00\xd2\x00" + (FIXTURES / "news" / "cuba-korea.txt").read_bytes()[:8000]
        dev = SHARED / "news-dev" / "items.jsonl"
        if dev.exists():
            for i, line in enumerate(dev.read_text(encoding="utf-8").splitlines()[:20]):
                out[f"dev{i}"] = bytes([i % 4, 150, 0]) + (json.loads(line).get("text") or "").encode()[:8000]
    return out


def run(target: str, seconds: int, timeout: int, extra: list[str]) -> subprocess.Popen:
    corpus = HERE / "corpus" / target
    corpus.mkdir(parents=True, exist_ok=True)
    for name, data in seeds(target).items():
        path = corpus / f"seed-{re.sub(r'[^A-Za-z0-9]+', '-', name)}"
        if not path.exists():
            path.write_bytes(data)
    art = HERE / "artifacts" / target
    art.mkdir(parents=True, exist_ok=True)
    log = open(HERE / "artifacts" / f"{target}.log", "w")  # noqa: SIM115
    cmd = [
        sys.executable, str(HERE / f"fuzz_{target}.py"), str(corpus),
        f"-max_total_time={seconds}", f"-timeout={timeout}", f"-max_len={TARGETS[target]}",
        "-rss_limit_mb=6144", "-print_final_stats=1", f"-artifact_prefix={art}/", *extra,
    ]  # fmt: skip
    print(f"{target}: {seconds} s, corpus {corpus}, log {log.name}", flush=True)
    return subprocess.Popen(cmd, cwd=HERE, stdout=log, stderr=subprocess.STDOUT)


def summary(target: str) -> dict:
    text = (HERE / "artifacts" / f"{target}.log").read_text(errors="replace")
    runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", text) or re.findall(
        r"Done (\d+) runs", text
    )
    found = sorted(p.name for p in (HERE / "artifacts" / target).iterdir())
    return {"target": target, "executions": int(runs[-1]) if runs else None,
            "corpus": len(list((HERE / "corpus" / target).iterdir())), "artifacts": found}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=int, default=60, help="How long each target runs.")
    ap.add_argument(
        "--target", action="append", choices=sorted(TARGETS), help="Only this target (repeatable)."
    )
    ap.add_argument("--timeout", type=int, default=20, help="Seconds one input may take before it is a hang.")
    ap.add_argument("--parallel", action="store_true", help="Run the targets at once, not one after another.")
    ap.add_argument("libfuzzer", nargs="*", help="Extra libFuzzer flags (after --).")
    args = ap.parse_args()
    sys.path.insert(0, str(HERE))
    targets = args.target or list(TARGETS)
    if args.parallel:
        procs = [run(t, args.seconds, args.timeout, args.libfuzzer) for t in targets]
        codes = [p.wait() for p in procs]
    else:
        codes = [run(t, args.seconds, args.timeout, args.libfuzzer).wait() for t in targets]
    bad = False
    for t, code in zip(targets, codes, strict=True):
        s = summary(t)
        bad |= code != 0 or any(not a.startswith("slow-") for a in s["artifacts"])
        print(json.dumps({**s, "exit": code}))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
