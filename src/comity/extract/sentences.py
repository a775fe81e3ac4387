"""Stage 2, ``sentences``: tokenise the paragraphs that may state a change, with spaCy.

Only the paragraphs around the pre-filter's relation words are tokenised (spaCy's blank English
tokenizer, its sentencizer, and a line break ends a sentence). A paragraph longer than
``max_paragraph`` characters (an endless sentence, a table flattened into text) is cut to a
window around each hit, at whitespace, so the work per article stays bounded; so does
``max_chars`` in all.
"""

from __future__ import annotations

from .lexicon import Lexicon
from .pipeline import Analysis, component


def _snap_left(text: str, pos: int, floor: int) -> int:
    i = text.rfind(" ", floor, pos)
    return i + 1 if i >= 0 else pos


def _snap_right(text: str, pos: int, ceil: int) -> int:
    i = text.find(" ", pos, ceil)
    return i if i >= 0 else pos


def windows(an: Analysis, *, max_paragraph: int, reach: int, max_chars: int) -> list[tuple[int, int]]:
    text = an.norm
    n = len(text)
    spans: list[tuple[int, int]] = []
    for s, e, cats in an.hits:
        if "rel" not in cats and "weak" not in cats:
            continue
        if spans and spans[-1][0] <= s < spans[-1][1]:
            continue
        p0 = text.rfind("\n", 0, s) + 1
        p1 = text.find("\n", e)
        p1 = n if p1 < 0 else p1 + 1  # with its line break: the end of a headline is a token
        if p1 - p0 > max_paragraph:
            lo = max(p0, s - reach)
            hi = min(p1, e + reach)
            # Start at a sentence start when there is one near.
            dot = text.rfind(". ", lo, s)
            lo = dot + 2 if dot >= 0 and s - dot < reach else _snap_left(text, lo, max(p0, lo - 50))
            dot = text.find(". ", e, hi)
            hi = dot + 1 if dot >= 0 else _snap_right(text, hi, min(p1, hi + 50))
            p0, p1 = lo, hi
        spans.append((p0, p1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    total = 0
    for s, e in spans:
        if merged and s <= merged[-1][1] + 1:
            total += max(0, e - merged[-1][1])
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
            total += e - s
        if total > max_chars:
            an.notes.append(f"sentences: stopped after {max_chars:,} characters of candidate text")
            break
    return merged


@component("sentences")
def make_sentences(lex: Lexicon, max_paragraph: int = 3000, reach: int = 800, max_chars: int = 200_000):
    nlp = lex.nlp

    def sentences(an: Analysis) -> None:
        an.windows = windows(an, max_paragraph=max_paragraph, reach=reach, max_chars=max_chars)
        if not an.windows:
            an.stop("sentences", "no candidate paragraph")
            return
        # One Doc per article: the candidate paragraphs in place, the text between them blanked out
        # (a line break where a gap starts), so offsets carry over and spaCy runs once.
        first, _last = an.windows[0][0], an.windows[-1][1]
        parts = []
        pos = first
        for s, e in an.windows:
            if s > pos:
                gap = s - pos
                parts.append("\n" + " " * (gap - 1) if gap > 1 else "\n")
            parts.append(an.norm[s:e])
            pos = e
        joined = "".join(parts)
        doc = nlp(joined)
        doc._.offset = first
        doc.user_data["comity_chars"] = len(joined)  # spaCy keeps the text as given
        an.docs = [doc]

    return sentences
