"""Helpers for the hardening tests: generated articles and pages, the CLI as a real process, and the
content of a record compared without its ids."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: (code, name as the news writes it): states the extractor and the importer both know.
STATES = [
    ("CHL", "Chile"), ("PER", "Peru"), ("ARG", "Argentina"), ("BOL", "Bolivia"), ("ECU", "Ecuador"),
    ("COL", "Colombia"), ("URY", "Uruguay"), ("PRY", "Paraguay"), ("KEN", "Kenya"), ("GHA", "Ghana"),
    ("NOR", "Norway"), ("FIN", "Finland"), ("NPL", "Nepal"), ("MNG", "Mongolia"), ("FJI", "Fiji"),
    ("SEN", "Senegal"),
]  # fmt: skip
_TEMPLATES = [
    "{A} and {B} established diplomatic relations on {d}, the foreign ministry said.",
    "{A} severed diplomatic ties with {B} on {d}, officials said.",
    "{A} restored diplomatic relations with {B} on {d} after years of tension.",
    "{A} expelled {B}'s ambassador on {d}.",
    "{A} recalled its ambassador to {B} on {d} for consultations.",
]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]


def articles(n: int, seed: int = 0) -> list[dict]:
    """``n`` distinct news articles, each stating one change between two of a few states (so that many
    articles touch the same pairs), in the JSONL shape ``comity ingest`` reads."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        (_, a), (_, b) = rnd.sample(STATES[:8], 2)
        day, month, year = rnd.randint(1, 28), rnd.choice(_MONTHS), rnd.randint(1990, 2023)
        sentence = rnd.choice(_TEMPLATES).format(A=a, B=b, d=f"{day} {month} {year}")
        text = f"{sentence}\n\nThe announcement (item {seed}-{i}) came after weeks of talks in the capital."
        out.append({"id": f"a{seed}-{i}", "text": text, "published": f"{year}-12-31",
                    "url": f"https://news.example.org/{seed}/{i}", "outlet": "Example News"})  # fmt: skip
    return out


def write_jsonl(path: Path, items: list[dict]) -> Path:
    path.write_text("".join(json.dumps(x) + "\n" for x in items), encoding="utf-8")
    return path


def page(code_name: tuple[str, str], partners: list[tuple[str, str, str]]) -> str:
    """The wikitext of a small "Foreign relations of X" page with a list table of ``partners``
    (code, name, date)."""
    rows = "".join(
        f"|-\n| {i} || {{{{flag|{name}}}}} || {d}\n" for i, (_c, name, d) in enumerate(partners, 1)
    )
    return (
        f"'''{code_name[1]}''' maintains diplomatic relations with the following states.\n\n"
        "== Diplomatic relations ==\n"
        '{| class="wikitable sortable"\n! # !! Country !! Date\n' + rows + "|}\n"
    )


def pages(folder: Path, n: int, seed: int = 0) -> Path:
    """``n`` generated pages (one per state of :data:`STATES`) written as ``*.wikitext`` in ``folder``."""
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for code, name in STATES[:n]:
        others = [s for s in STATES if s[0] != code]
        partners = [(c, nm, f"{rnd.randint(1, 28)} {rnd.choice(_MONTHS)} {rnd.randint(1900, 2020)}")
                    for c, nm in rnd.sample(others, 8)]  # fmt: skip
        (folder / f"Foreign relations of {name}.wikitext").write_text(
            page((code, name), partners), encoding="utf-8"
        )
    return folder


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "COMITY_DB"}
    env.update(extra)
    return env


def cli(*args: str, **kwargs) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    """``python -m comity ARGS`` as a real process (stdout and stderr piped)."""
    return subprocess.Popen(
        [sys.executable, "-m", "comity", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=cli_env(), cwd=ROOT, **kwargs,
    )  # fmt: skip


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "comity", *args], capture_output=True, text=True, env=cli_env(), cwd=ROOT,
        timeout=timeout,
    )  # fmt: skip


class Databases:
    """Fresh databases of one kind for a test: SQLite files in ``folder``, or PostgreSQL databases on the
    test server (dropped by :meth:`close`). ``copy_of`` starts a database as a copy of another (a file
    copy; ``CREATE DATABASE ... TEMPLATE``), which is how a test starts from a seeded record quickly."""

    def __init__(self, kind: str, folder: Path) -> None:
        self.kind, self.folder, self.made = kind, folder, []
        self.server = os.environ.get("COMITY_TEST_PG_URL")

    def _admin(self):  # type: ignore[no-untyped-def]
        from sqlalchemy import create_engine

        from comity.store import resolve_url

        return create_engine(resolve_url(self.server), isolation_level="AUTOCOMMIT")

    def new(self, copy_of: str | None = None) -> str:
        import shutil
        import uuid

        name = f"comity_h_{uuid.uuid4().hex[:12]}"
        if self.kind == "sqlite":
            path = self.folder / f"{name}.db"
            if copy_of:
                shutil.copyfile(copy_of, path)
            return str(path)
        from sqlalchemy import text

        engine = self._admin()
        with engine.connect() as conn:
            template = f' TEMPLATE "{copy_of.rsplit("/", 1)[1]}"' if copy_of else ""
            conn.execute(text(f'CREATE DATABASE "{name}"{template}'))
        engine.dispose()
        self.made.append(name)
        return self.server.rsplit("/", 1)[0] + "/" + name  # type: ignore[union-attr]

    def close(self) -> None:
        if not self.made:
            return
        from sqlalchemy import text

        engine = self._admin()
        with engine.connect() as conn:
            for name in self.made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def sources_count(url: str) -> int:
    """How many sources the record holds now (0 while it has no schema), read without comity's Store."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    from comity.store import resolve_url

    engine = create_engine(resolve_url(url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(text("select count(*) from sources")).scalar() or 0
    except Exception:  # no table yet, or the file is being created
        return 0
    finally:
        engine.dispose()


def snapshot(url: str) -> dict:
    """What a record is, for comparing two: counts, the events checksum, the content digest, verify
    (which also fails when the derived tables are still marked out of date)."""
    from sqlalchemy import create_engine

    from comity.backup import content_digest
    from comity.store import Store, resolve_url
    from comity.verify import events_checksum, verify

    store = Store(create_engine(resolve_url(url)))  # as it is: no migration, no repair on open
    try:
        report = verify(store)
        return {"counts": store.counts(), "events": events_checksum(store), "content": content_digest(store),
                "ok": report.ok, "failures": report.failures[:5]}  # fmt: skip
    finally:
        store.close()


_SEEDED: dict[str, str] = {}


def seeded_sqlite(folder: Path) -> str:
    """A SQLite record seeded with the bundled baseline, made once per test session: copy it, do not
    write to it."""
    if "path" not in _SEEDED:
        from comity.store import Store

        path = folder / "seeded.db"
        Store.open(path).close()
        _SEEDED["path"] = str(path)
    return _SEEDED["path"]


def small_record(url: str, folder: Path) -> str:
    """Make ``url`` a small record, not empty (so the CLI does not seed it with the baseline): the first
    revisions of the generated pages and a few news articles."""
    from comity.importers.wikipedia import read_files
    from comity.ingest import ingest
    from comity.reader import read_articles
    from comity.store import Store

    with Store.open(url, seed=False) as store:
        store.add_many(read_files([pages(folder / "first-revisions", 8, seed=1)]))
        ingest(store, read_articles(write_jsonl(folder / "first.jsonl", articles(10, seed=99))))
    return url
