"""Commands over the record: partners, rank, missing, status, timeline, conflicts, states, import."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..query import QueryError, Record
from ..states import registry
from ..store import Store
from .app import DbOption, Format, FormatOption, QuietOption, app, emit, err, fail, state_arg

AsOfOption = typer.Option(
    None, "--as-of", help="Answer as of this day (YYYY, YYYY-MM or YYYY-MM-DD; default today)."
)


RetrievedOption = typer.Option(
    None,
    "--retrieved",
    help="The day the pages were read from Wikipedia (YYYY-MM-DD): undated statements hold by then.",
)


def _day(value: str | None):  # type: ignore[no-untyped-def]
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"not a day: {value!r} (use YYYY-MM-DD)") from None


def open_record(db: str | None) -> Record:
    try:
        return Record(Store.open(db))
    except (FileNotFoundError, ValueError) as exc:
        raise fail(f"cannot open the record: {exc}") from None
    except Exception as exc:  # a database that cannot be reached: say so, not a traceback
        if exc.__class__.__module__.startswith(("sqlalchemy", "psycopg")):
            raise fail(f"cannot open the record at {db}: {exc.__class__.__name__}: {exc}") from None
        raise


def _sources_line(refs) -> str:  # type: ignore[no-untyped-def]
    return "; ".join(r.title for r in refs)


@app.command()
def partners(
    state: str = typer.Argument(..., help="The state (code, name, alias or capital)."),
    as_of: str | None = AsOfOption,
    among: str = typer.Option("all", "--among", help="Count 'all' partners or 'un' members only."),
    fmt: Format = FormatOption,
    db: str | None = DbOption,
) -> None:
    """States with diplomatic relations with STATE on a day, in order of establishment.

    Example: comity partners KOR --as-of 2024-02-15 --among un
    """
    s = state_arg(state)
    try:
        rows = open_record(db).partners(s, as_of, among)  # type: ignore[arg-type]
    except QueryError as exc:
        raise fail(str(exc)) from None
    data = [{"n": i, **p.to_dict()} for i, p in enumerate(rows, 1)]
    if fmt is Format.json:
        emit([p.to_dict() for p in rows], fmt)
        return
    for d in data:
        d["sources"] = "; ".join(x["title"] for x in d["sources"])
    emit(
        data,
        fmt,
        columns=["n", "code", "name", "date", "basis", "un_member", "sources"],
        title=f"Partners of {s.name} ({len(rows)}, among {among}, as of {as_of or 'today'})",
    )


@app.command()
def rank(
    state: str = typer.Argument(..., help="The state whose partners are counted."),
    partner: str = typer.Argument(..., help="The partner whose place is asked."),
    as_of: str | None = AsOfOption,
    fmt: Format = FormatOption,
    db: str | None = DbOption,
) -> None:
    """PARTNER's place among the states that established relations with STATE, counting all partners
    and counting UN members only.

    Example: comity rank KOR CUB   (Cuba: 193rd of all partners, 190th among UN members)
    """
    s, p = state_arg(state), state_arg(partner)
    try:
        r = open_record(db).rank(s, p, as_of)
    except QueryError as exc:
        raise fail(str(exc)) from None
    if fmt is Format.table:
        c = Console()
        if r.rank_all is None:
            c.print(r.note)
        else:
            c.print(
                f"[bold]{p.name}[/] ({r.date}) is {s.name}'s partner no. [bold]{r.rank_all}[/] of {r.total_all} "
                f"counting all partners, and no. [bold]{r.rank_un or '—'}[/] of {r.total_un} counting UN members only."
            )
            if r.note:
                c.print(r.note)
        c.print(f"[dim]sources: {_sources_line(r.sources)}[/]")
        return
    d = r.to_dict()
    if fmt is Format.csv:
        d["sources"] = _sources_line(r.sources)
    emit(d, fmt)


@app.command()
def missing(
    state: str = typer.Argument(..., help="The state."),
    among: str = typer.Option("un", "--among", help="'un' members (default) or 'all' known entities."),
    as_of: str | None = AsOfOption,
    fmt: Format = FormatOption,
    db: str | None = DbOption,
) -> None:
    """States without diplomatic relations with STATE on a day, each with a note (not a foreign state,
    severed, suspended, never established).

    Example: comity missing KOR --among un --as-of 2024-02-15
    """
    s = state_arg(state)
    try:
        rows = open_record(db).missing(s, among, as_of)  # type: ignore[arg-type]
    except QueryError as exc:
        raise fail(str(exc)) from None
    data = [m.to_dict() for m in rows]
    if fmt is not Format.json:
        for d in data:
            d["sources"] = "; ".join(x["title"] for x in d["sources"])
    emit(
        data,
        fmt,
        columns=["code", "name", "status", "since", "note"] + (["sources"] if fmt is Format.csv else []),
        title=f"No relations with {s.name} ({len(rows)}, among {among}, as of {as_of or 'today'})",
    )


@app.command()
def status(
    a: str = typer.Argument(..., help="One state."),
    b: str = typer.Argument(..., help="The other state."),
    as_of: str | None = AsOfOption,
    fmt: Format = FormatOption,
    db: str | None = DbOption,
) -> None:
    """The status of relations between A and B on a day (relations, none, severed, suspended, unknown),
    since when, and the events and sources behind it.

    Example: comity status CUB PRK --as-of 2000-01-01
    """
    sa, sb = state_arg(a), state_arg(b)
    try:
        r = open_record(db).status(sa, sb, as_of)
    except QueryError as exc:
        raise fail(str(exc)) from None
    if fmt is Format.table:
        c = Console()
        c.print(
            f"[bold]{sa.name} – {sb.name}[/] as of {r.as_of}: [bold]{r.status}[/]"
            + (f" since {r.since}" if r.since else "")
        )
        if r.note:
            c.print(f"note: {r.note}")
        for e in r.events:
            c.print(
                f"  {e['date'] or ('by ' + (e['happened_by'] or '?'))}  {e['type']}  "
                f"({e['n_sources']} source{'s' if e['n_sources'] != 1 else ''})",
                highlight=False,
            )
        for d in r.disagreements:
            c.print(
                f"  [yellow]sources disagree on the {d['event']} date:[/] "
                + ", ".join(f"{x['date']} ({x['claims']})" for x in d["dates"])
            )
        c.print(f"[dim]sources: {_sources_line(r.sources)}[/]")
        return
    d = r.to_dict()
    if fmt is Format.csv:
        d = {k: d[k] for k in ("a", "b", "as_of", "status", "since", "note")} | {
            "sources": _sources_line(r.sources)
        }
    emit(d, fmt)


@app.command()
def timeline(
    a: str = typer.Argument(..., help="One state."),
    b: str = typer.Argument(..., help="The other state."),
    fmt: Format = FormatOption,
    db: str | None = DbOption,
) -> None:
    """The whole story of a pair: every event with its date, modality, sources and quotes.

    Example: comity timeline CUB KOR
    """
    sa, sb = state_arg(a), state_arg(b)
    try:
        t = open_record(db).timeline(sa, sb)
    except QueryError as exc:
        raise fail(str(exc)) from None
    if fmt is Format.json:
        emit(t, fmt)
        return
    rows = [
        {
            "date": e["date"] or (f"by {e['happened_by']}" if e["happened_by"] else "undated"),
            "type": e["type"],
            "a": e["a"],
            "b": e["b"],
            "modality": e["modality"],
            "sources": "; ".join(s["title"] for s in e["sources"]),
            "evidence": " | ".join(x["quote"] for x in e["evidence"][:2] if x["quote"]),
        }
        for e in t["events"]
    ]
    emit(
        rows,
        fmt,
        columns=["date", "type", "a", "b", "modality", "sources", "evidence"],
        title=f"{t['a_name']} – {t['b_name']}",
    )


@app.command()
def conflicts(
    state: str | None = typer.Argument(None, help="Only conflicts involving this state."),
    fmt: Format = FormatOption,
    db: str | None = DbOption,
) -> None:
    """Where sources disagree: the dates of one event, or a pair listed on one side's page only."""
    code = state_arg(state).code if state else None
    rows = open_record(db).conflicts(code)
    if fmt is Format.json:
        emit(rows, fmt)
        return
    data = [
        {
            **r,
            "readings": "; ".join(f"{x['date']} ({x['claims']})" for x in (r["readings"] or [])),
            "sources": "; ".join(f"{s['source']}: {s['date']}" for s in r["sources"]),
        }
        for r in rows
    ]
    emit(
        data,
        fmt,
        columns=["kind", "type", "a", "b", "date", "readings", "sources"],
        title=f"Conflicts ({len(rows)})",
    )


@app.command()
def states(
    query: str | None = typer.Argument(
        None, help="Part of a code, name or alias (all entities when absent)."
    ),
    fmt: Format = FormatOption,
) -> None:
    """Known states and entities: codes, names, kinds, UN admission, capitals.

    Example: comity states korea
    """
    rows = [s.to_dict() for s in registry().search(query)]
    if not rows and query:
        raise fail(f"no state matches {query!r}")
    emit(
        rows,
        fmt,
        columns=["code", "name", "kind", "un_admission", "capital", "official_name"],
        title=f"States ({len(rows)})",
    )


import_app = typer.Typer(help="Import sources into the record.", no_args_is_help=True)
app.add_typer(import_app, name="import")


def _progress(quiet: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=quiet or not sys.stderr.isatty(),
    )


@import_app.command("wikipedia")
def import_wikipedia(
    paths: list[Path] = typer.Argument(None, help="*.wikitext files or folders of them."),
    live: list[str] = typer.Option(None, "--live", help="Fetch these page titles from Wikipedia instead."),
    retrieved: str | None = RetrievedOption,
    fmt: Format = FormatOption,
    db: str | None = DbOption,
    quiet: bool = QuietOption,
) -> None:
    """Read "Foreign relations of X" pages (files or, with --live, the MediaWiki API) into the record.

    Every list row, bilateral-table date and note on severed or restored relations becomes an assertion
    sourced to its page. Rows that cannot be read are reported, never dropped. Importing a page twice
    changes nothing; a newer revision of a page replaces the older one.

    Example: comity import wikipedia ../shared/data/wikipedia/foreign-relations
    """
    from ..importers.wikipedia import WikitextError, fetch_live, read_files

    if not paths and not live:
        raise fail("give *.wikitext paths or --live TITLE")
    for p in paths or []:
        if not p.exists():
            raise fail(f"no such file or folder: {p}")
    record = open_record(db)
    store = record.store
    docs = fetch_live(live) if live else read_files(paths, retrieved=_day(retrieved))
    files = [p for p in paths or []]
    total = len(live) if live else sum(len(list(p.glob("*.wikitext"))) if p.is_dir() else 1 for p in files)
    report = []
    errors = []
    with _progress(quiet) as bar:
        task = bar.add_task("importing", total=total)

        def safe(docs):  # type: ignore[no-untyped-def]
            it = iter(docs)
            while True:
                try:
                    yield next(it)
                except StopIteration:
                    return
                except WikitextError as exc:
                    errors.append(str(exc))
                    bar.advance(task)

        def step(doc, result) -> None:  # type: ignore[no-untyped-def]
            bar.advance(task)
            report.append(
                {
                    "title": doc.source.title,
                    "added": result.added,
                    "assertions": result.assertions,
                    "problems": len(doc.problems),
                    "replaced": result.replaced,
                }
            )

        store.add_many(safe(docs), progress=step)
    for e in errors:
        err.print(f"[red]skipped:[/] {e}", highlight=False)
    if not quiet:
        n_new = sum(1 for r in report if r["added"])
        n_prob = sum(r["problems"] for r in report)
        err.print(
            f"{len(report)} pages read, {n_new} new, {sum(r['assertions'] for r in report)} assertions, "
            f"{n_prob} rows reported as problems (see `comity problems`)",
            highlight=False,
        )
    if fmt is not Format.table:
        emit(report, fmt)
    if errors and not report:
        raise typer.Exit(1)


@app.command()
def problems(
    source: str | None = typer.Argument(None, help="Only problems of sources whose title contains this."),
    fmt: Format = FormatOption,
    db: str | None = DbOption,
    limit: int = typer.Option(200, "--limit", help="At most this many rows (0: all)."),
) -> None:
    """What the sources held that could not be read, with the raw text."""
    from sqlalchemy import select

    from ..store.models import ProblemRow, SourceRow

    record = open_record(db)
    q = select(SourceRow.title, ProblemRow.kind, ProblemRow.message, ProblemRow.section, ProblemRow.raw).join(
        SourceRow, SourceRow.id == ProblemRow.source_id
    )
    if source:
        q = q.where(SourceRow.title.contains(source))
    if limit:
        q = q.limit(limit)
    rows = [dict(r._mapping) for r in record.store.execute(q)]
    emit(rows, fmt, columns=["title", "kind", "message", "section", "raw"], title=f"Problems ({len(rows)})")


baseline_app = typer.Typer(help="The record that ships with comity.", no_args_is_help=True)
app.add_typer(baseline_app, name="baseline")


@baseline_app.command("build")
def baseline_build(
    paths: list[Path] = typer.Argument(..., help="The folder of *.wikitext pages."),
    out: Path | None = typer.Option(None, "--out", help="Where to write (default: the package's data file)."),
    retrieved: str | None = RetrievedOption,
) -> None:
    """Rebuild the shipped baseline from the Wikipedia pages.

    Example: comity baseline build ../shared/data/wikipedia/foreign-relations --retrieved 2025-11-01
    """
    from ..baseline import baseline_path, build_baseline

    for p in paths:
        if not p.exists():
            raise fail(f"no such file or folder: {p}")
    n = build_baseline(paths, out, _day(retrieved))
    err.print(f"wrote {n} pages to {out or baseline_path()}")


@app.command()
def verify(
    fmt: Format = FormatOption,
    db: str | None = DbOption,
) -> None:
    """Check the record's invariants (every event backed by an assertion, every assertion by a source,
    timelines consistent with events); exits 1 with a report when one fails."""
    from ..verify import verify as run_verify

    report = run_verify(open_record(db).store)
    if fmt is Format.json:
        emit(report.to_dict(), fmt)
    else:
        c = Console()
        c.print(", ".join(f"{k}: {v}" for k, v in report.counts.items()))
        c.print(f"events checksum: {report.checksum}")
        for f in report.failures:
            c.print(f"[red]FAIL[/] {f}", highlight=False)
        c.print("[green]ok[/]" if report.ok else f"[red]{len(report.failures)} invariant(s) failed[/]")
    if not report.ok:
        raise typer.Exit(1)
