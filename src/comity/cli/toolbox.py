"""The analyst's toolbox: ``comity export``, ``comity plot partners|pairs`` and ``comity import gdelt``.

pandas, pyarrow, networkx and matplotlib (the ``analysis`` extra) are imported only by the commands that
need them, so the rest of the CLI starts fast and works without them.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer
from rich.markup import escape

from ..frames import MissingExtra
from ..query import QueryError
from .app import DbOption, Format, FormatOption, QuietOption, app, emit, err, fail, state_arg
from .core import _progress, import_app, open_record

AsOfOption = typer.Option(
    None, "--as-of", help="As of this day (YYYY, YYYY-MM or YYYY-MM-DD; default today)."
)


class ExportFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"
    graphml = "graphml"
    record = "record"


class Table(StrEnum):
    events = "events"
    pairyears = "pairyears"
    network = "network"
    nodes = "nodes"
    edges = "edges"


@app.command("export")
def export_cmd(
    fmt: ExportFormat = typer.Option(ExportFormat.csv, "--format", "-f", help="File format."),
    out: str = typer.Option(
        "comity-export",
        "--out",
        "-o",
        help="Folder to write into (created), or '-' for one csv/jsonl table on stdout.",
    ),
    tables: list[Table] = typer.Option(
        None,
        "--table",
        "-t",
        help="events, pairyears, network (= nodes + edges); default: all (network for graphml).",
    ),
    as_of: str | None = AsOfOption,
    start: int | None = typer.Option(
        None, "--from", help="First year of the pair-years (default: each pair's first event)."
    ),
    db: str | None = DbOption,
    quiet: bool = QuietOption,
) -> None:
    """Export the record for pandas, R, networkx or Gephi: events with their sources and CAMEO/PLOVER codes,
    pair-years (the dyad-year layout) and the relations network as of a day.

    Writes events.csv, pairyears.csv, nodes.csv and edges.csv (or .jsonl, .parquet), or network.graphml.
    --as-of keeps the events dated by that day and dates the network and the last pair-year.

    --format record writes the whole record (every source with its assertions) to the file --out names,
    as `comity backup` does; `comity import record FILE` reads it back, on SQLite or PostgreSQL.

    Example: comity export --format parquet --out data/ --as-of 2024-02-15
    """
    if fmt is ExportFormat.record:
        from .backup import backup

        if tables or as_of or start is not None:
            raise fail("--format record is the whole record: no --table, --as-of or --from")
        backup(Path("comity-record.jsonl.gz" if out == "comity-export" else out), db=db, quiet=quiet)
        return
    from ..export import ExportError, export, resolve_tables

    try:
        names = resolve_tables([t.value for t in tables or []] or None, fmt.value)
    except ExportError as exc:
        raise fail(str(exc)) from None
    if start is not None and not 1 <= start <= 9999:
        raise fail(f"--from must be a year, not {start}")
    record = open_record(db)
    to_stdout = out == "-"
    tasks: dict[str, int] = {}
    with _progress(quiet) as bar:

        def progress(table: str, done: int, total: int | None) -> None:
            if table not in tasks:
                tasks[table] = bar.add_task(f"exporting {table}", total=total)
            elif total is not None:
                bar.update(tasks[table], total=total)
            bar.update(tasks[table], completed=done)

        try:
            results = export(
                record,
                sys.stdout if to_stdout else Path(out),
                fmt.value,
                names,
                as_of,
                start=start,
                progress=progress,
            )
        except (ExportError, QueryError) as exc:
            raise fail(str(exc)) from None
        except MissingExtra as exc:
            raise fail(str(exc), code=1) from None
        except OSError as exc:
            raise fail(f"cannot write {out}: {exc}", code=1) from None
    if not quiet and not to_stdout:
        for r in results:
            err.print(
                f"wrote {r.rows} {'edges' if r.table == 'network' else 'rows'} to {escape(r.path)}",
                highlight=False,
            )


plot_app = typer.Typer(
    help="Charts of the record, as PNG or SVG (by the file's extension).", no_args_is_help=True
)
app.add_typer(plot_app, name="plot")


@plot_app.command("partners")
def plot_partners(
    state: str = typer.Argument(..., help="The state (code, name, alias or capital)."),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="The .png or .svg file (default partners-CODE.png)."
    ),
    among: str = typer.Option("all", "--among", help="Count 'all' partners or 'un' members only."),
    start: str | None = typer.Option(None, "--from", help="First day shown (YYYY, YYYY-MM or YYYY-MM-DD)."),
    end: str | None = typer.Option(None, "--to", help="Last day shown (default today)."),
    width: int = typer.Option(1200, "--width", help="Width in pixels."),
    height: int = typer.Option(600, "--height", help="Height in pixels."),
    db: str | None = DbOption,
    quiet: bool = QuietOption,
) -> None:
    """The number of STATE's partners over time, with the events that changed it marked.

    Example: comity plot partners KOR --out korea.svg --from 1945
    """
    from ..plot import PlotError, partners_chart

    s = state_arg(state)
    if among not in ("all", "un"):
        raise fail(f"--among must be 'all' or 'un', not {among!r}")
    path = out or Path(f"partners-{s.code}.png")
    record = open_record(db)
    with _progress(quiet) as bar:
        task = bar.add_task(f"counting {s.code}'s partners", total=None)

        def step(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            chart = partners_chart(
                record, s, path, among=among, start=start, end=end, width=width, height=height, progress=step
            )
        except (PlotError, QueryError) as exc:
            raise fail(str(exc)) from None
        except MissingExtra as exc:
            raise fail(str(exc), code=1) from None
    if not quiet:
        last = chart.data[-1]["partners"] if chart.data else 0
        err.print(
            f"wrote {escape(str(chart.path))} ({chart.width}x{chart.height}): {last} partners, "
            f"{len(chart.changes)} changes marked",
            highlight=False,
        )


@plot_app.command("pairs")
def plot_pairs(
    states: list[str] = typer.Argument(..., help="Two or more states."),
    out: Path | None = typer.Option(None, "--out", "-o", help="The .png or .svg file (default pairs.png)."),
    as_of: str | None = AsOfOption,
    size: int | None = typer.Option(
        None, "--size", help="Width and height in pixels (default from the number of states)."
    ),
    db: str | None = DbOption,
    quiet: bool = QuietOption,
) -> None:
    """A matrix of the relations among a group of states on a day.

    Example: comity plot pairs KOR PRK CUB USA CHN --as-of 2024-02-15 --out pairs.svg
    """
    from ..plot import PlotError, pairs_chart

    chosen = [state_arg(s) for s in states]
    path = out or Path("pairs.png")
    record = open_record(db)
    with _progress(quiet) as bar:
        bar.add_task("reading pairs", total=None)
        try:
            chart = pairs_chart(record, chosen, path, as_of=as_of, size=size)
        except (PlotError, QueryError) as exc:
            raise fail(str(exc)) from None
        except MissingExtra as exc:
            raise fail(str(exc), code=1) from None
    if not quiet:
        err.print(
            f"wrote {escape(str(chart.path))} ({chart.width}x{chart.height}): {len(chart.data)} pairs",
            highlight=False,
        )


@import_app.command("gdelt")
def import_gdelt(
    paths: list[Path] = typer.Argument(
        ..., help="GDELT 2.0 events export files (.CSV or .zip) or folders of them."
    ),
    fmt: Format = FormatOption,
    db: str | None = DbOption,
    quiet: bool = QuietOption,
) -> None:
    """Read GDELT 2.0 event export files as sources, beside comity's own.

    Rows coded 054 (grant diplomatic recognition) or 161 (reduce or break diplomatic relations) become assertions sourced to the row's article URL, to set GDELT's view beside
    comity's (comity timeline, comity export). They are read as 'recognize' and 'downgrade', which never make
    or break a pair's relations. Rows about relations that name no state are kept as problems.

    Example: comity import gdelt 20240214153000.export.CSV.zip
    """
    from ..importers.gdelt import GdeltError, GdeltReport, files_in, read_files

    try:
        files = files_in(paths)
    except GdeltError as exc:
        raise fail(str(exc)) from None
    if not files:
        raise fail("no GDELT files (*.CSV, *.zip) in the paths given")
    record = open_record(db)
    report = GdeltReport()
    errors: list[str] = []
    added = [0, 0]  # new sources, sources read
    with _progress(quiet) as bar:
        task = bar.add_task("importing GDELT", total=len(files))

        def docs():  # type: ignore[no-untyped-def]
            for f in files:
                try:
                    yield from read_files([f], report=report)
                except (GdeltError, OSError, UnicodeError) as exc:
                    errors.append(str(exc))
                bar.advance(task)

        def step(doc, result) -> None:  # type: ignore[no-untyped-def]
            added[0] += 1 if result.added else 0
            added[1] += 1

        record.store.add_many(docs(), progress=step)
    for e in errors:
        err.print(f"[red]skipped:[/] {escape(e)}", highlight=False)
    summary = {**report.to_dict(), "sources": added[1], "sources_added": added[0], "errors": errors}
    if not quiet:
        err.print(
            f"{report.files} files, {report.rows} rows, {report.relations_rows} about relations: "
            f"{report.assertions} assertions from {added[1]} articles ({added[0]} new); {report.problems} rows "
            "kept as problems (see `comity problems GDELT`)",
            highlight=False,
            soft_wrap=True,
        )
    if fmt is not Format.table:
        emit(summary, fmt)
    if errors and report.files == 0:
        raise typer.Exit(1)
