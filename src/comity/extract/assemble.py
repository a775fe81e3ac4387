"""Stage 8, ``assemble``: one assertion per change, with its evidence.

- The evidence is the stretch of the sentence from the first to the last word that took part
  (the parties, the trigger, the date), with character offsets into the input text.
- One label per change: the same change stated twice (a headline and its lead) is kept once, with
  the most precise date; when a text says a change has happened, earlier stages of it (it was
  planned, considered, hailed) are not kept. Dated background facts of the same type and pair
  ("cut ties in 2009", now cut again) stay separate.
- An undated report of today's change takes the day the article gives for the same pair ("on
  Tuesday" in the body, "Somalia severs ties with Kenya" in the headline).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from ..records import Assertion
from ..vocab import SYMMETRIC, PartialDate, order_pair
from .lexicon import Lexicon
from .pipeline import EXTRACTOR, VERSION, Analysis, Candidate, component, doc_offset

_MOD_RANK = {"planned": 3, "negated": 2, "speculative": 1}


def evidence_span(an: Analysis, c: Candidate) -> tuple[int, int]:
    t = c.trigger
    doc = t.doc
    off = doc_offset(doc)
    sent = t.sent
    toks = [k for k in c.tokens if sent.start <= k < sent.end] or list(range(t.start, t.end))
    s = min(doc[k].idx for k in toks) + off
    e = max(doc[k].idx + len(doc[k].text) for k in toks) + off
    ds = c.date_span
    s0, s1 = sent.start_char + off, sent.end_char + off
    if ds and s0 <= ds[0] and ds[1] <= s1 and (ds[0] - e < 80 and s - ds[1] < 80):
        s, e = min(s, ds[0]), max(e, ds[1])
    # strip a dangling "'s" or punctuation
    while e > s and an.text[e - 1] in " ,;:":
        e -= 1
    return s, e


def _precision_rank(c: Candidate) -> tuple:
    d = c.date
    return (
        {"explicit": 2, "published": 1, "none": 0}[c.date_source],
        0 if d is None else {"year": 1, "month": 2, "day": 3}[d.precision.value],
        c.confidence,
    )


def _compatible(x: PartialDate, y: PartialDate) -> bool:
    p = x.precision if _rank(x) <= _rank(y) else y.precision
    return x.truncate(p) == y.truncate(p)


def _rank(d: PartialDate) -> int:
    return {"year": 1, "month": 2, "day": 3}[d.precision.value]


def same_sentence(cands: list[Candidate]) -> list[Candidate]:
    """One sentence states one change once: of a verb and a noun for it ("will open an embassy ...,
    marking the opening of the first embassy"), the verb says what happened."""
    groups: dict[tuple, list[Candidate]] = defaultdict(list)
    for c in cands:
        t = c.trigger
        a, b = order_pair(c.type, c.a, c.b)
        groups[(id(t.doc), t.sent.start, c.type, a, b)].append(c)
    out = []
    for members in groups.values():
        verbal = [c for c in members if "noun" not in c.trigger.flags]
        if verbal and len(verbal) < len(members):
            members = verbal
        out.extend(members)
    return out


def dedupe(cands: list[Candidate]) -> list[Candidate]:
    cands = same_sentence(cands)
    groups: dict[tuple, list[Candidate]] = defaultdict(list)
    for c in cands:
        a, b = order_pair(c.type, c.a, c.b)
        groups[(c.type, a, b)].append(c)
    out: list[Candidate] = []
    for _key, members in groups.items():
        asserted = [c for c in members if c.modality == "asserted"]
        dated = [c for c in asserted if c.date_source == "explicit"]
        today = [
            c for c in asserted if c.date_source == "published" or (c.date is None and c.epoch == "current")
        ]
        unknown = [c for c in asserted if c.date is None and c.epoch != "current"]
        # the same change with dates that agree (2016 and January 2016); different dates, different changes
        clusters: list[list[Candidate]] = []
        for c in sorted(dated, key=lambda c: -_rank(c.date)):  # type: ignore[arg-type]
            for cl in clusters:
                if all(_compatible(x.date, c.date) for x in cl):  # type: ignore[arg-type]
                    cl.append(c)
                    break
            else:
                clusters.append([c])
        current = [cl for cl in clusters if any(x.epoch == "current" for x in cl)]
        current.sort(key=lambda cl: max(x.date.latest() for x in cl if x.date), reverse=True)  # type: ignore[union-attr]
        if today:
            if current:
                current[0].extend(today)
            else:
                clusters.append(today)
                current = [today]
        if unknown:
            if current:
                current[0].extend(unknown)
            elif len(clusters) == 1:
                clusters[0].extend(unknown)
            elif not clusters:
                clusters.append(unknown)
        for cl in clusters:
            best = max(cl, key=_precision_rank)
            best.confidence = min(0.99, max(c.confidence for c in cl) + 0.03 * (len(cl) - 1))
            out.append(best)
        if current or unknown:
            continue  # the change happened: its plans and prospects are not labelled again
        others = [c for c in members if c.modality != "asserted"]
        by_mod: dict[str, list[Candidate]] = defaultdict(list)
        for c in others:
            by_mod[c.modality].append(c)
        if "planned" in by_mod or "negated" in by_mod:
            by_mod.pop("speculative", None)
        for _mod, cl in by_mod.items():
            out.append(max(cl, key=_precision_rank))
    return out


def adopt_day(an: Analysis, cands: list[Candidate]) -> None:
    """An undated report of today's change takes the day the text gives today's changes of that pair."""
    days: dict[tuple, Counter] = defaultdict(Counter)
    for c in cands:
        if (
            c.modality == "asserted"
            and c.date_source == "explicit"
            and c.epoch == "current"
            and c.date
            and c.date.day
        ):
            for key in _day_keys(c, lookup=False):
                days[key][c.date] += 1
    for c in cands:
        if c.date_source == "published" and c.epoch == "current":
            # a one-sided act takes the day of an act of the same side or of a change of relations of the
            # pair, not that of the other side's act ("Germany expels Chad's ambassador" after Chad
            # expelled Germany's); a change of relations takes the day of any act of the pair
            got = None
            for key in _day_keys(c, lookup=True):
                got = days.get(key)
                if got:
                    break
            if got:
                d, _ = got.most_common(1)[0]
                c.date = d
                c.date_source = "explicit"
                c.notes.append("day from the same pair's report")


def _day_keys(c: Candidate, lookup: bool) -> list[tuple]:
    """Where a dated change is filed (``lookup=False``) and where an undated one looks for its day."""
    pair = frozenset((c.a, c.b))
    if c.type in SYMMETRIC:
        return [("relations", pair), ("any", pair)]
    return [("act", c.a, c.b), ("relations", pair)] if lookup else [("act", c.a, c.b), ("any", pair)]


_NORMALIZE = frozenset(
    ["normalize", "normalizes", "normalized", "normalizing", "normalise", "normalises", "normalised",
     "normalising", "normalization", "normalisation"]
)  # fmt: skip


def first_normalization(cands: list[Candidate], published: date | None = None) -> None:
    """ "Israel normalised ties with the UAE" where the text never speaks of a break of the pair (no
    cut, no suspension, no "restored"; no "rupture" in the sentence) and the bundled record knows of no
    relations between them before: relations for the first time, ``establish``."""
    norm = [c for c in cands if c.type == "restore" and _normalizes(c)]
    if not norm:
        return
    # a break told, or relations "restored" (not normalised): there was a break
    broken = {frozenset((c.a, c.b)) for c in cands if c.type in ("sever", "suspend")}
    broken |= {frozenset((c.a, c.b)) for c in cands if c.type == "restore" and not _normalizes(c)}
    for c in norm:
        sent = c.trigger.sent
        if frozenset((c.a, c.b)) not in broken and not any(k.lower_ in _BREAK_WORDS for k in sent):
            from ..baseline import first_relations

            first = first_relations().get(frozenset((c.a, c.b)))
            when = c.date.year if c.date is not None else published.year if published else None
            if first is not None and when is not None and first < when:
                # "Qatar would not normalise its relations with Syria": the record knows relations before
                c.notes.append("normalised: relations held before, by the bundled record")
                continue
            c.type = "establish"
            c.notes.append("normalised: first relations")


#: A break told with the normalisation ("normalised relations after a six-year rupture").
_BREAK_WORDS = frozenset(
    ["rupture", "rift", "break", "breach", "broke", "broken", "breakdown", "severed", "severance", "cut",
     "suspended", "suspension", "estrangement", "hiatus", "downgraded", "freeze", "frozen", "again",
     "resumed", "restored"]
)  # fmt: skip


def _normalizes(c: Candidate) -> bool:
    t = c.trigger
    return any(t.doc[k].lower_ in _NORMALIZE for k in range(t.start, t.end))


@component("assemble")
def make_assemble(lex: Lexicon, min_confidence: float = 0.0):
    def assemble(an: Analysis) -> None:
        cands = [c for c in an.candidates if c.confidence >= min_confidence]
        first_normalization(cands, an.published)
        adopt_day(an, cands)
        kept = dedupe(cands)
        kept.sort(key=lambda c: (c.trigger.char_start, c.type))
        out = []
        for c in kept:
            s, e = evidence_span(an, c)
            detail: dict = {}
            span: tuple[int, int] | None = (s - an.body_offset, e - an.body_offset)
            if s < an.body_offset:
                detail["title_span"] = [s, min(e, an.body_offset - 2)]
                span = None
            if an.published_inferred:
                detail["published_inferred"] = an.published.isoformat() if an.published else None
            if c.notes:
                detail["notes"] = list(dict.fromkeys(c.notes))
            detail["rule"] = c.trigger.rule.key
            if c.tense:
                detail["tense"] = c.tense
            try:
                a = Assertion(
                    type=c.type,
                    a=c.a,
                    b=c.b,
                    date=c.date,
                    modality=c.modality,
                    evidence=an.text[s:e],
                    span=span,
                    date_text=c.date_text,
                    extractor=EXTRACTOR,
                    extractor_version=VERSION,
                    confidence=round(c.confidence, 3),
                    detail=detail,
                )
            except ValueError:
                continue
            out.append(a)
        an.assertions = out

    return assemble


__all__ = ["SYMMETRIC", "dedupe", "evidence_span"]
