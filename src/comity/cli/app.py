"""The Typer app and what every command shares: --format, --db, state arguments, errors."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from ..states import AmbiguousState, State, StateError, registry

app = typer.Typer(
    name="comity",
    help=(
        "comity: which states hold diplomatic relations with which, since when, and on whose word.\n\n"
        "States are named by code (KOR), name (South Korea), alias (ROK) or capital (Seoul). "
        "Dates are YYYY, YYYY-MM or YYYY-MM-DD. The record lives in SQLite by default; "
        "--db URL or COMITY_DB points at another file or at PostgreSQL."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

err = Console(stderr=True)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = typer.Option(Format.table, "--format", "-f", help="Output: a readable table, json or csv.")
DbOption = typer.Option(
    None, "--db", envvar="COMITY_DB", help="Database URL or SQLite path (default: user data dir)."
)
QuietOption = typer.Option(False, "--quiet", "-q", help="No progress bars or notes on stderr.")


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def state_arg(text: str) -> State:
    """Resolve a state named on the command line, or exit 2 with suggestions."""
    try:
        return registry().resolve(text)
    except StateError as exc:
        hint = ""
        if exc.suggestions:
            label = "it may mean" if isinstance(exc, AmbiguousState) else "did you mean"
            hint = f"\n  {label}: " + ", ".join(f"{s.code} ({s.name})" for s in exc.suggestions)
        raise fail(f"{exc}{hint}") from None


def emit(
    data: Any,
    fmt: Format,
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    render: Callable[[Any], None] | None = None,
) -> None:
    """Print ``data`` (a dict or a list of dicts) as json, csv or a rich table."""
    if fmt is Format.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    rows = data if isinstance(data, list) else [data]
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt is Format.csv:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _flat(row.get(k)) for k in cols})
        sys.stdout.write(buf.getvalue())
        return
    if render is not None:
        render(data)
        return
    table = Table(title=title, show_lines=False)
    for c in cols:
        table.add_column(c)
    for row in rows:
        table.add_row(*(_flat(row.get(c)) for c in cols))
    Console().print(table)


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_flat(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)
