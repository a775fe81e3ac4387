"""``comity backup`` and ``comity restore``: the whole record to one file and back, on either database."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from .app import DbOption, QuietOption, app, err, fail
from .core import _progress, import_app


@app.command()
def backup(
    file: Path = typer.Argument(..., help="The backup to write (JSON lines, gzip-compressed)."),
    db: str | None = DbOption,
    quiet: bool = QuietOption,
) -> None:
    """Write every source of the record, with its assertions and problems, to FILE.

    Lossless: a restore gives the same sources, assertions and events, on SQLite or PostgreSQL. The file
    appears only when complete. Prints the counts and the digest of the content.

    Example: comity backup record-2025-11-28.jsonl.gz --db postgresql://me@dbhost/comity
    """
    from ..backup import dump
    from .core import open_record

    if not file.parent.exists():
        raise fail(f"no such folder: {file.parent}")
    store = open_record(db).store
    with _progress(quiet) as bar:
        task = bar.add_task("backing up", total=None)
        report = dump(store, file, progress=lambda _item: bar.advance(task))
    sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")


@app.command()
def restore(
    file: Path = typer.Argument(..., help="A backup written by `comity backup`."),
    db: str | None = DbOption,
    quiet: bool = QuietOption,
) -> None:
    """Restore a backup into an empty record (a new SQLite file or an empty PostgreSQL database).

    The whole file is checked first (a truncated or altered backup is refused, exit 1, nothing written);
    the events and timelines are derived afresh. A restore cut short resumes when run again.

    Example: comity restore record-2025-11-28.jsonl.gz --db new.db
    """
    from ..backup import BackupError, content_digest
    from ..backup import restore as run_restore
    from ..store import Store

    if not file.is_file():
        raise fail(f"no such file: {file}")
    try:
        store = Store.open(db, seed=False)
    except (FileNotFoundError, ValueError) as exc:
        raise fail(f"cannot open the record: {exc}") from None
    try:
        with _progress(quiet) as bar:
            task = bar.add_task("restoring", total=None)
            report = run_restore(store, file, progress=lambda _item: bar.advance(task))
    except BackupError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
        raise typer.Exit(1) from None
    out = report.to_dict()
    out["content_digest"] = content_digest(store)
    sys.stdout.write(json.dumps(out, indent=2) + "\n")


@import_app.command("record")
def import_record(
    file: Path = typer.Argument(..., help="A record written by `comity export --format record`."),
    db: str | None = DbOption,
    quiet: bool = QuietOption,
) -> None:
    """Read a whole record (`comity export --format record`, `comity backup`) into an empty record.

    The same as `comity restore`. Example: comity import record comity-record.jsonl.gz --db new.db
    """
    restore(file, db=db, quiet=quiet)
