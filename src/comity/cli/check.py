"""`comity check`: find an article's claims about relations and check each against the record."""

from __future__ import annotations

from datetime import date

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .app import DbOption, Format, FormatOption, app, emit, err, fail
from .core import open_record

_COLOURS = {"supported": "green", "contradicted": "red", "depends": "yellow", "unverifiable": "dim"}
_AS_OF = {
    "article": "the article's date",
    "published": "--published",
    "text": "the dateline in the text",
    "today": "today: the article gives no date (use --published)",
}


@app.command()
def check(
    source: str = typer.Argument(
        ..., help="The article: a text or HTML file, a folder, JSONL(.gz), or '-' for stdin."
    ),
    published: str | None = typer.Option(
        None,
        "--published",
        help="The article's date (YYYY-MM-DD) when it carries none; the record is read as of it.",
    ),
    fmt: Format = FormatOption,
    db: str | None = DbOption,
) -> None:
    """Find the claims an article makes about diplomatic relations ("the 193rd country", "the only UN member
    without ties", "relations with 191 countries", "since 1960", its own news) and check each against the
    record as of the article's date: supported, contradicted, depends (true under one counting convention,
    false under another) or unverifiable, with the evidence.

    Example: comity check story.txt --published 2024-02-15
    """
    from ..check import check_article
    from ..reader import ReadError, read_articles

    default: date | None = None
    if published is not None:
        try:
            default = date.fromisoformat(published)
        except ValueError:
            raise fail(f"--published must be a day (YYYY-MM-DD), not {published!r}") from None
    record = open_record(db)
    results = []
    errors = 0
    for item in read_articles(source):
        if isinstance(item, ReadError):
            errors += 1
            err.print(f"[red]skipped[/] {escape(str(item))}", highlight=False)
            continue
        day, origin = item.published, "article"
        if day is None and default is not None:
            day, origin = default, "published"
        result = check_article(record, item.text, published=day, title=item.title)
        if day is not None:
            result.as_of_from = origin
        results.append((item, result))
    if not results:
        raise fail(
            "no article to check" if errors == 0 else "no article could be read", code=2 if errors else 1
        )
    if fmt is Format.json:
        data = [_json(article, result) for article, result in results]
        emit(data[0] if len(data) == 1 else data, fmt)
        return
    if fmt is Format.csv:
        rows = [
            {
                "article": article.id,
                "as_of": result.as_of,
                "kind": c.kind,
                "verdict": c.verdict,
                "claim": c.phrase,
                "sentence": c.text,
                "span": f"{c.span[0]}-{c.span[1]}" if c.span else "title",
                "explanation": c.explanation,
            }
            for article, result in results
            for c in result.claims
        ]
        emit(
            rows,
            fmt,
            columns=["article", "as_of", "kind", "verdict", "claim", "sentence", "span", "explanation"],
        )
        return
    for article, result in results:
        _table(article, result)


def _json(article, result) -> dict:  # type: ignore[no-untyped-def]
    return {
        "article": {
            "id": article.id,
            "title": article.title,
            "url": article.url,
            "published": article.published.isoformat() if article.published else None,
        },
        **result.to_dict(),
    }


def _table(article, result) -> None:  # type: ignore[no-untyped-def]
    c = Console()
    name = article.title or (article.source_path if article.source_path not in (None, "-") else article.id)
    c.print(
        f"[bold]{escape(str(name))}[/]: checked against the record as of [bold]{result.as_of}[/] "
        f"({_AS_OF.get(result.as_of_from, result.as_of_from)})",
        highlight=False,
    )
    if not result.claims:
        c.print("no claims about diplomatic relations found")
    else:
        table = Table(show_lines=True)
        for col in ("#", "kind", "verdict", "claim", "explanation"):
            table.add_column(col, overflow="fold")
        for i, claim in enumerate(result.claims, 1):
            colour = _COLOURS.get(claim.verdict, "")
            where = " (title)" if claim.where == "title" else ""
            table.add_row(
                str(i),
                claim.kind,
                f"[{colour}]{claim.verdict}[/]",
                escape(claim.phrase) + where,
                escape(claim.explanation),
            )
        c.print(table)
        summary = ", ".join(f"{n} {v}" for v, n in result.summary().items() if n)
        c.print(f"[dim]{summary}[/]", highlight=False)
    for note in result.notes:
        c.print(f"[yellow]note:[/] {escape(note)}", highlight=False)
