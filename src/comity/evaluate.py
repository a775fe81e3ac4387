"""Measure the news extractor against labelled articles.

Gold: JSONL, one article per line: ``{"id", "text", "published", "events": [{"type", "a", "b",
"date", "modality", "evidence"}]}`` (``url``, ``outlet``, ``title`` and ``kind`` optional).

A predicted event matches a gold one when type, pair (in the vocabulary's order), modality and date
agree, the date at the gold's precision: a gold ``2018-07`` is matched by any day of July 2018, a
gold ``null`` only by no date. Each gold event matches at most one prediction. The report gives
precision, recall and F1 per type and overall, the same without the date ("tuple"), the misses
and false alarms, and an item-level check: articles that report no new change (``kind`` =
``hard_negative``, or no gold event asserted as news) should get no asserted event as news.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from .records import Assertion
from .vocab import EventType, PartialDate, order_pair

#: Days around the publication date within which an asserted event counts as news.
NEWS_DAYS = 45


@dataclass
class GoldEvent:
    type: str
    a: str
    b: str
    date: PartialDate | None
    modality: str
    evidence: str = ""

    @classmethod
    def from_dict(cls, d: dict) -> GoldEvent:
        typ = EventType(d["type"]).value
        a, b = order_pair(typ, d["a"], d["b"])
        return cls(
            typ, a, b, PartialDate.parse(d.get("date")), d.get("modality", "asserted"), d.get("evidence", "")
        )

    def to_dict(self) -> dict:
        return {
            "type": self.type,
            "a": self.a,
            "b": self.b,
            "date": str(self.date) if self.date else None,
            "modality": self.modality,
            "evidence": self.evidence,
        }


@dataclass
class GoldItem:
    id: str
    text: str
    published: date | None
    events: list[GoldEvent]
    title: str | None = None
    url: str | None = None
    kind: str | None = None

    def reports_news(self) -> bool:
        """Does the item report a new change (an asserted event around its publication)?"""
        if self.kind:
            return self.kind not in ("hard_negative", "hard-negative", "negative")
        for e in self.events:
            if e.modality != "asserted":
                continue
            if self.published is None:
                if e.date is None or e.date.precision.value == "day":
                    return True
            elif e.date is not None and abs((self.published - e.date.latest()).days) <= NEWS_DAYS:
                return True
        return False


def load_gold(path: str | Path) -> list[GoldItem]:
    items = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                pub = date.fromisoformat(d["published"]) if d.get("published") else None
                items.append(
                    GoldItem(
                        id=str(d.get("id") or f"line-{lineno}"),
                        text=d["text"],
                        published=pub,
                        events=[GoldEvent.from_dict(e) for e in d.get("events", [])],
                        title=d.get("title"),
                        url=d.get("url"),
                        kind=d.get("kind"),
                    )
                )
            except (KeyError, ValueError, TypeError) as exc:
                raise ValueError(f"{path}: line {lineno}: {exc}") from None
    return items


def date_matches(gold: PartialDate | None, pred: PartialDate | None) -> bool:
    if gold is None:
        return pred is None
    if pred is None:
        return False
    return pred.agrees_at(gold, gold.precision)


def _key(x: GoldEvent | Assertion) -> tuple[str, str, str, str]:
    typ = x.type.value if isinstance(x.type, EventType) else x.type
    mod = x.modality.value if hasattr(x.modality, "value") else x.modality
    return (typ, x.a, x.b, mod)


def match(gold: list[GoldEvent], pred: list[Assertion], *, with_date: bool = True) -> tuple[list, list, list]:
    """(matched pairs, missed gold, false alarms) for one item."""
    used: set[int] = set()
    pairs, missed = [], []
    # Exact matches first so that a near one does not take a prediction an exact one needs.
    order = sorted(range(len(gold)), key=lambda i: gold[i].date is None)
    matched_gold: dict[int, int] = {}
    for i in order:
        g = gold[i]
        for j, p in enumerate(pred):
            if j in used or _key(p) != _key(g):
                continue
            if with_date and not date_matches(g.date, p.date):
                continue
            used.add(j)
            matched_gold[i] = j
            break
    for i, g in enumerate(gold):
        if i in matched_gold:
            pairs.append((g, pred[matched_gold[i]]))
        else:
            missed.append(g)
    alarms = [p for j, p in enumerate(pred) if j not in used]
    return pairs, missed, alarms


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }


@dataclass
class Report:
    overall: Counts = field(default_factory=Counts)
    by_type: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_modality: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    tuple_overall: Counts = field(default_factory=Counts)
    tuple_by_type: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    date_exact: int = 0
    date_total: int = 0
    misses: list[dict] = field(default_factory=list)
    false_alarms: list[dict] = field(default_factory=list)
    items: int = 0
    no_news_items: list[str] = field(default_factory=list)
    no_news_with_new_asserted: list[dict] = field(default_factory=list)
    no_news_asserted_alarms: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "items": self.items,
            "overall": self.overall.to_dict(),
            "by_type": {t: c.to_dict() for t, c in sorted(self.by_type.items())},
            "by_modality": {m: c.to_dict() for m, c in sorted(self.by_modality.items())},
            "tuple": {
                "overall": self.tuple_overall.to_dict(),
                "by_type": {t: c.to_dict() for t, c in sorted(self.tuple_by_type.items())},
                "date_agreement": round(self.date_exact / self.date_total, 3) if self.date_total else None,
            },
            "no_news_items": {
                "count": len(self.no_news_items),
                "with_new_asserted_event": self.no_news_with_new_asserted,
                "asserted_false_alarms": self.no_news_asserted_alarms,
            },
            "misses": self.misses,
            "false_alarms": self.false_alarms,
            "errors": self.errors,
        }


def _pred_dict(p: Assertion) -> dict:
    return {
        "type": p.type.value,
        "a": p.a,
        "b": p.b,
        "date": str(p.date) if p.date else None,
        "modality": p.modality.value,
        "evidence": p.evidence,
        "confidence": round(p.confidence, 3),
    }


def _is_news(p: Assertion, published: date | None) -> bool:
    if p.modality.value != "asserted":
        return False
    if p.date is None:
        return False
    if published is None:
        return False
    return abs((published - p.date.latest()).days) <= NEWS_DAYS or (
        p.date.earliest() - published
    ) > timedelta(0)


def evaluate(
    items: Iterable[GoldItem],
    predict: Callable[[GoldItem], list[Assertion]] | None = None,
) -> Report:
    """Score ``predict`` (default: :func:`comity.extract.extract`) over gold items."""
    if predict is None:
        from .extract import extract

        def predict(item: GoldItem) -> list[Assertion]:
            return extract(item.text, published=item.published, title=item.title)

    rep = Report()
    for item in items:
        rep.items += 1
        try:
            pred = predict(item)
        except Exception as exc:  # one bad item must not stop the evaluation
            rep.errors.append({"id": item.id, "error": f"{type(exc).__name__}: {exc}"})
            pred = []
        pairs, missed, alarms = match(item.events, pred)
        for g, _p in pairs:
            rep.overall.tp += 1
            rep.by_type[g.type].tp += 1
            rep.by_modality[g.modality].tp += 1
        for g in missed:
            rep.overall.fn += 1
            rep.by_type[g.type].fn += 1
            rep.by_modality[g.modality].fn += 1
            near = [p for p in pred if _key(p) == _key(g)]
            rep.misses.append(
                {
                    "id": item.id,
                    **g.to_dict(),
                    "predicted_dates": [str(p.date) if p.date else None for p in near],
                }
            )
        for p in alarms:
            rep.overall.fp += 1
            rep.by_type[p.type.value].fp += 1
            rep.by_modality[p.modality.value].fp += 1
            rep.false_alarms.append({"id": item.id, **_pred_dict(p)})
        # without the date
        tpairs, tmissed, talarms = match(item.events, pred, with_date=False)
        for g, p in tpairs:
            rep.tuple_overall.tp += 1
            rep.tuple_by_type[g.type].tp += 1
            rep.date_total += 1
            rep.date_exact += int(date_matches(g.date, p.date))
        for g in tmissed:
            rep.tuple_overall.fn += 1
            rep.tuple_by_type[g.type].fn += 1
        for p in talarms:
            rep.tuple_overall.fp += 1
            rep.tuple_by_type[p.type.value].fp += 1
        if not item.reports_news():
            rep.no_news_items.append(item.id)
            for p in pred:
                if _is_news(p, item.published):
                    rep.no_news_with_new_asserted.append({"id": item.id, **_pred_dict(p)})
            for p in alarms:
                if p.modality.value == "asserted":
                    rep.no_news_asserted_alarms.append({"id": item.id, **_pred_dict(p)})
    return rep


# -- agreement with the Wikipedia tables -----------------------------------------------------------------


def _prose_sections(text: str) -> list[tuple[str, str]]:
    """(context, readable prose) of a page: each section's paragraphs (context: its heading) and the
    notes of each table row (context: the row's first cell, the partner), without markup or references."""
    import re

    from .importers.wikipedia import clean

    text = re.sub(r"<ref[^>/]*/>", "", text)
    text = re.sub(r"<ref[^>]*>.*?</ref>", "", text, flags=re.S)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    blocks: list[tuple[str, list[str]]] = []
    heading = ""
    buf: list[str] = []
    depth = 0
    row_ctx: str | None = None
    row: list[str] = []

    def flush_row() -> None:
        nonlocal row, row_ctx
        if row_ctx is not None and row:
            blocks.append((row_ctx, row))
        row, row_ctx = [], None

    for line in text.splitlines():
        s = line.lstrip(" :")
        if s.startswith("{|"):
            depth += 1
            continue
        if depth:
            if s.startswith("|}"):
                flush_row()
                depth -= 1
            elif s.startswith("|-"):
                flush_row()
            elif s.startswith(("|", "!")) and row_ctx is None:
                cells = re.split(r"\|\||!!", s[1:])
                row_ctx = clean(cells[0].split("|")[-1] if "{{" not in cells[0] else cells[0]).text
                if len(cells) > 2:
                    row.append(cells[-1])
            elif row_ctx is not None:
                row.append(line)
            continue
        m = re.match(r"^(={2,6})\s*(.+?)\s*\1\s*$", line)
        if m:
            if buf:
                blocks.append((heading, buf))
            heading, buf = clean(m.group(2)).text, []
            continue
        if line.startswith(("[[File:", "[[Image:", "{{", "}}", "|")):
            continue
        buf.append(line)
    if buf:
        blocks.append((heading, buf))
    out = []
    for ctx, lines in blocks:
        prose = clean("\n".join(lines), keep_lines=True).text
        prose = re.sub(r"^See .*$", "", prose, flags=re.M).strip()
        if prose:
            out.append((ctx, prose))
    return out


def prose_agreement(folder: str | Path, *, pages: int | None = None) -> dict:
    """Run the extractor over the prose of Wikipedia "Foreign relations of X" pages and compare its
    ``establish`` events with the same pages' tables (the importer's list and bilateral rows).

    A section headed by a state's name is read with a title "<owner> and <partner>", so "both
    countries" resolves as a reader would. Returns counts: prose events, how many name a pair the
    tables have, and how many of those agree on the date (at the prose's precision and at the year).
    """
    from .extract import extract
    from .importers.wikipedia import parse_page, title_from_path
    from .states import StateError, registry

    reg = registry()
    files = sorted(Path(folder).glob("*.wikitext"))[: pages or None]
    counts = defaultdict(int)
    examples: list[dict] = []
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        title = title_from_path(f)
        try:
            doc = parse_page(title, text)
        except Exception:
            counts["pages_unreadable"] += 1
            continue
        owner = getattr(doc, "subject", None)
        if not owner:
            continue
        counts["pages"] += 1
        table: dict[frozenset, list[PartialDate]] = defaultdict(list)
        for a in doc.assertions:
            if (
                a.type.value == "establish"
                and a.extractor in ("wikipedia-list", "wikipedia-bilateral")
                and a.date
            ):
                table[frozenset((a.a, a.b))].append(a.date)
        owner_name = reg.get(owner).name
        for heading, prose in _prose_sections(text):
            partner = None
            try:
                partner = (
                    reg.resolve(heading.split("–")[-1].split("-")[-1].strip(), weak=False).name
                    if heading
                    else None
                )
            except StateError:
                partner = None
            title_ctx = f"{owner_name} and {partner}" if partner else owner_name
            for ev in extract(prose, title=title_ctx):
                if ev.type.value != "establish" or ev.modality.value != "asserted" or ev.date is None:
                    continue
                counts["prose_establish"] += 1
                if owner not in (ev.a, ev.b):
                    counts["not_about_owner"] += 1
                    continue
                counts["prose_establish_owner"] += 1
                dates = table.get(frozenset((ev.a, ev.b)))
                if not dates:
                    counts["pair_not_in_tables"] += 1
                    if len(examples) < 15:
                        examples.append(
                            {
                                "page": title,
                                "pair": f"{ev.a}-{ev.b}",
                                "date": str(ev.date),
                                "evidence": ev.evidence[:120],
                                "tables": None,
                            }
                        )
                    continue
                counts["pair_in_tables"] += 1
                if any(
                    d.agrees_at(ev.date, min(d.precision, ev.date.precision, key=_prec_rank)) for d in dates
                ):
                    counts["date_agrees"] += 1
                elif any(d.year == ev.date.year for d in dates):
                    counts["year_agrees"] += 1
                else:
                    counts["date_differs"] += 1
                    if len(examples) < 30:
                        examples.append(
                            {
                                "page": title,
                                "pair": f"{ev.a}-{ev.b}",
                                "date": str(ev.date),
                                "evidence": ev.evidence[:120],
                                "tables": [str(d) for d in dates],
                            }
                        )
    c = dict(counts)
    inn = c.get("pair_in_tables", 0)
    c["share_pair_in_tables"] = (
        round(inn / c["prose_establish_owner"], 3) if c.get("prose_establish_owner") else None
    )
    c["share_date_agrees"] = round(c.get("date_agrees", 0) / inn, 3) if inn else None
    c["share_year_agrees"] = (
        round((c.get("date_agrees", 0) + c.get("year_agrees", 0)) / inn, 3) if inn else None
    )
    c["examples"] = examples
    return c


def _prec_rank(p) -> int:  # type: ignore[no-untyped-def]
    return {"year": 1, "month": 2, "day": 3}[p.value if hasattr(p, "value") else p]
