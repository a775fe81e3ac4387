"""`comity ingest`: news articles into the record."""

from __future__ import annotations

import json
import sys

import typer

from .app import DbOption, QuietOption, app, err, fail
from .core import _progress, open_record


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders, JSONL(.gz) or '-' for stdin."),
    published: str | None = typer.Option(
        None, "--published", help="Publication date for inputs that lack one."
    ),
    db: str | None = DbOption,
    quiet: bool = QuietOption,
    bulk: bool = typer.Option(
        False, "--bulk", help="Large archives (JSONL, JSONL.gz, WARC) on a Dask cluster."
    ),
    workers: int = typer.Option(2, "--workers", help="With --bulk: local Dask workers."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="With --bulk: address of a running Dask scheduler."
    ),
    chunk_mb: int | None = typer.Option(
        None, "--chunk-mb", min=1, help="With --bulk: chunk size in MiB for archives seen for the first time."
    ),
    batch: int = typer.Option(1000, "--batch", min=1, help="With --bulk: articles per database write."),
    resume: bool = typer.Option(
        True, "--resume/--no-resume", help="With --bulk: skip the chunks a previous run finished."
    ),
) -> None:
    """Read articles, extract what they state, and store sources, assertions and merged events.

    The same article twice changes nothing; the same event from several outlets becomes one event with
    several sources. A bad item is reported on stderr and the rest go on.

    Example: comity ingest story.html --published 2024-02-15

    With --bulk, archives are cut into chunks read in parallel on Dask; a rerun skips finished chunks.

    Example: comity ingest --bulk 'news/2015-*.jsonl.gz' --workers 8 --db postgresql://me@dbhost/comity
    """
    from ..ingest import ingest as run_ingest
    from ..reader import read_articles

    if bulk:
        try:
            from ..bulk import ingest_bulk
        except ModuleNotFoundError as exc:
            raise fail(f"--bulk needs the 'bulk' extra (pip install 'comity[bulk]'): {exc}") from None
        report = ingest_bulk(
            paths,
            db=db,
            workers=workers,
            scheduler=scheduler,
            published=published,
            quiet=quiet,
            chunk_bytes=chunk_mb * 1024 * 1024 if chunk_mb else None,
            batch=batch,
            resume=resume,
        )
        sys.stdout.write(json.dumps(report, indent=2, default=str) + "\n")
        return
    record = open_record(db)
    with _progress(quiet) as bar:
        task = bar.add_task("ingesting", total=None)

        def items():  # type: ignore[no-untyped-def]
            for p in paths:
                yield from read_articles(p, published=published)

        report = run_ingest(record.store, items(), progress=lambda _item: bar.advance(task))
    for e in report.errors:
        err.print(
            f"[red]skipped[/] {e.get('source') or ''} {e.get('item') or ''}: {e['error']}", highlight=False
        )
    sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
    if report.read == 0 and report.errors:
        raise typer.Exit(1)
