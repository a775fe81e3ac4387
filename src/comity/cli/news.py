"""`comity extract` and `comity evaluate`: what news articles state, and how well that is read."""

from __future__ import annotations

import json
import sys
from datetime import date

import typer
from rich.console import Console
from rich.table import Table

from .app import QuietOption, app, err, fail

FormatChoice = typer.Option(
    "json", "--format", "-f", help="Output: json (JSON Lines for several articles) or table."
)


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"not a day: {value!r} (use YYYY-MM-DD)") from None


def _event(a) -> dict:  # type: ignore[no-untyped-def]
    out = {
        "type": a.type.value,
        "a": a.a,
        "b": a.b,
        "date": str(a.date) if a.date else None,
        "precision": a.precision,
        "modality": a.modality.value,
        "evidence": a.evidence,
        "span": list(a.span) if a.span else None,
        "confidence": round(a.confidence, 3),
        "date_text": a.date_text,
    }
    if a.detail and a.detail.get("title_span"):
        out["title_span"] = a.detail["title_span"]
    return out


@app.command()
def extract(
    path: str = typer.Argument(..., help="A text, HTML or JSONL(.gz) file, a folder, or '-' for stdin."),
    published: str | None = typer.Option(
        None,
        "--published",
        help="Publication day (YYYY-MM-DD) for articles that carry none: resolves 'on Wednesday'.",
    ),
    fmt: str = FormatChoice,
    quiet: bool = QuietOption,
) -> None:
    """Print the relation changes each article states, with the quote that proves it. Stores nothing.

    One JSON object per article: {"id", "source", "events": [{"type", "a", "b", "date", "precision",
    "modality", "evidence", "span", "confidence"}]}; JSON Lines when the input holds several
    articles (JSONL, a folder). "span" is the evidence's character offsets in the article text.
    Items that cannot be read are reported on stderr and skipped; the exit code is 1 only when
    nothing could be read.

    Example: comity extract story.txt --published 2024-02-15
    """
    from ..extract import extract as run_extract
    from ..reader import ReadError, article_source, read_articles

    fmt = fmt.lower()
    if fmt not in ("json", "table"):
        raise fail(f"unknown format {fmt!r}: use json or table")
    default = _day(published)
    items = (
        list(read_articles(path, published=default))
        if fmt == "table"
        else read_articles(path, published=default)
    )
    several = path == "-" or not path.lower().endswith((".txt", ".html", ".htm", ".md")) or fmt == "table"
    read = bad = 0
    console = Console()
    buffered: list[dict] = []
    for item in items:
        if isinstance(item, ReadError):
            bad += 1
            err.print(f"[yellow]skipped[/] {item}", highlight=False)
            continue
        read += 1
        try:
            events = run_extract(item.text, published=item.published, title=item.title)
        except Exception as exc:  # one article must not stop the others
            bad += 1
            err.print(
                f"[yellow]skipped[/] {item.id}: extraction failed ({type(exc).__name__}: {exc})",
                highlight=False,
            )
            continue
        record = {
            "id": item.id,
            "source": article_source(item).to_dict(),
            "events": [_event(a) for a in events],
        }
        if fmt == "table":
            _table(console, record)
        else:
            buffered.append(record)
            if len(buffered) > 1 or several:
                for r in buffered:
                    sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
                buffered.clear()
                several = True
    for r in buffered:
        sys.stdout.write(json.dumps(r, ensure_ascii=False, indent=2) + "\n")
    if not quiet and (bad or read > 1):
        err.print(f"{read} article(s) read, {bad} skipped", highlight=False)
    if read == 0:
        raise typer.Exit(1)


def _table(console: Console, record: dict) -> None:
    src = record["source"]
    title = f"{record['id']}: {src.get('title') or ''}"[:120]
    if src.get("published"):
        title += f" ({src['published']})"
    table = Table(title=title, title_justify="left", show_lines=False)
    for col in ("type", "a", "b", "date", "modality", "conf", "evidence"):
        table.add_column(col, overflow="fold")
    for e in record["events"]:
        table.add_row(
            e["type"],
            e["a"],
            e["b"],
            e["date"] or "",
            e["modality"],
            f"{e['confidence']:.2f}",
            e["evidence"][:160],
        )
    if not record["events"]:
        table.add_row("(no change stated)", "", "", "", "", "", "")
    console.print(table)


@app.command()
def evaluate(
    gold: str | None = typer.Argument(
        None, help="Labelled articles, JSONL: {id, text, published, events: [...]}."
    ),
    fmt: str = typer.Option("table", "--format", "-f", help="Output: table or json."),
    details: bool = typer.Option(True, "--details/--no-details", help="List misses and false alarms."),
    wikipedia: str | None = typer.Option(
        None,
        "--wikipedia",
        help="Instead: a folder of 'Foreign relations of X' .wikitext pages; compare what the extractor "
        "reads in their prose with their tables.",
    ),
    pages: int | None = typer.Option(None, "--pages", help="With --wikipedia: only the first N pages."),
    quiet: bool = QuietOption,
) -> None:
    """Score the extractor against labelled articles: precision, recall and F1 per type and overall.

    A match is the same type, pair, modality and date at the gold's precision (a gold "2018-07" is
    matched by any day of July 2018; a gold null only by no date). Also reported: the score without
    the date, and asserted news events found in articles that report none.

    Example: comity evaluate ../shared/data/news-dev/items.jsonl
             comity evaluate --wikipedia ../shared/data/wikipedia/foreign-relations
    """
    from ..evaluate import evaluate as run_evaluate
    from ..evaluate import load_gold, prose_agreement

    if wikipedia:
        from pathlib import Path

        if not Path(wikipedia).is_dir():
            raise fail(f"not a folder: {wikipedia}")
        agreement = prose_agreement(wikipedia, pages=pages)
        if fmt == "json":
            sys.stdout.write(json.dumps(agreement, ensure_ascii=False, indent=2) + "\n")
            return
        console = Console()
        console.print(
            f"{agreement.get('pages', 0)} pages; {agreement.get('prose_establish_owner', 0)} dated 'establish' events "
            f"read in their prose about the page's state; the pair is in the page's tables for "
            f"{agreement.get('share_pair_in_tables')}; of those, the date agrees for "
            f"{agreement.get('share_date_agrees')} (the year for {agreement.get('share_year_agrees')})"
        )
        if details:
            for e in agreement.get("examples", []):
                console.print(
                    f"  {e['page']}: {e['pair']} {e['date']} (tables: {e['tables']}) {e['evidence']}",
                    highlight=False,
                )
        return
    if gold is None:
        raise fail("give a gold JSONL file (or --wikipedia FOLDER)")
    try:
        items = load_gold(gold)
    except FileNotFoundError:
        raise fail(f"no such file: {gold}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read the gold file: {exc}") from None
    if not items:
        raise fail(f"no labelled articles in {gold}")
    report = run_evaluate(items).to_dict()
    if not details:
        report.pop("misses")
        report.pop("false_alarms")
    if fmt == "json":
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt != "table":
        raise fail(f"unknown format {fmt!r}: use table or json")
    _report_table(report, details)


def _report_table(rep: dict, details: bool) -> None:
    console = Console()
    o, t = rep["overall"], rep["tuple"]
    console.print(
        f"[bold]{rep['items']} articles[/]  precision {o['precision']:.3f}  recall {o['recall']:.3f}  "
        f"F1 {o['f1']:.3f}  (tp {o['tp']}, fp {o['fp']}, fn {o['fn']})"
    )
    to = t["overall"]
    console.print(
        f"without the date: precision {to['precision']:.3f}  recall {to['recall']:.3f}  F1 {to['f1']:.3f}; "
        f"dates agree on {t['date_agreement'] if t['date_agreement'] is not None else '-'} of matched events"
    )
    table = Table(title="by type", title_justify="left")
    for col in ("type", "tp", "fp", "fn", "precision", "recall", "F1", "F1 no date"):
        table.add_column(col, justify="right" if col != "type" else "left")
    for typ, c in rep["by_type"].items():
        tc = t["by_type"].get(typ, {})
        table.add_row(
            typ,
            str(c["tp"]),
            str(c["fp"]),
            str(c["fn"]),
            f"{c['precision']:.2f}",
            f"{c['recall']:.2f}",
            f"{c['f1']:.2f}",
            f"{tc.get('f1', 0):.2f}",
        )
    console.print(table)
    mt = Table(title="by modality", title_justify="left")
    for col in ("modality", "tp", "fp", "fn", "precision", "recall", "F1"):
        mt.add_column(col, justify="right" if col != "modality" else "left")
    for mod, c in rep["by_modality"].items():
        mt.add_row(
            mod,
            str(c["tp"]),
            str(c["fp"]),
            str(c["fn"]),
            f"{c['precision']:.2f}",
            f"{c['recall']:.2f}",
            f"{c['f1']:.2f}",
        )
    console.print(mt)
    nn = rep["no_news_items"]
    console.print(
        f"articles reporting no new change: {nn['count']}; asserted news events found in them: "
        f"{len(nn['with_new_asserted_event'])}; asserted false alarms in them: {len(nn['asserted_false_alarms'])}"
    )
    if rep.get("errors"):
        for e in rep["errors"]:
            err.print(f"[red]error[/] {e['id']}: {e['error']}", highlight=False)
    if not details:
        return
    for title, rows in (("misses", rep.get("misses", [])), ("false alarms", rep.get("false_alarms", []))):
        if not rows:
            continue
        tb = Table(title=title, title_justify="left")
        for col in ("id", "type", "a", "b", "date", "modality", "evidence"):
            tb.add_column(col, overflow="fold")
        for r in rows:
            date_col = r["date"] or ""
            if title == "misses" and r.get("predicted_dates"):
                date_col += f" (found {', '.join(d or 'no date' for d in r['predicted_dates'])})"
            tb.add_row(
                r["id"], r["type"], r["a"], r["b"], date_col, r["modality"], (r.get("evidence") or "")[:120]
            )
        console.print(tb)
