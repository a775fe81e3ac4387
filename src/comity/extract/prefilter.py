"""Stage 1, ``prefilter``: drop articles with nothing about relations before any heavier work.

One pass of an Aho-Corasick automaton over the lower-cased text finds relation words ("embassy",
"ties", "ambassador", "recognis...") and change words ("cut", "expel", "reopen", ...). The article
goes on only when a relation word has a change word within ``window`` characters; the hits are kept
for the next stage, which tokenises only the paragraphs around them.
"""

from __future__ import annotations

from .lexicon import Lexicon
from .pipeline import Analysis, component

_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789àáâäçèéêëìíîïñòóôöùúûüß")


def lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def keyword_hits(lex: Lexicon, low: str) -> list[tuple[int, int, tuple]]:
    """(start, end, categories) of every keyword at a word start (whole words where asked)."""
    out = []
    n = len(low)
    word = _WORD
    # The automaton's value has the categories precomputed for both cases: the keyword ends at a word
    # end (all its categories) or inside a word (only those that are prefixes).
    for end, (length, _cats, at_end, inside) in lex.prefilter.iter(low):
        start = end - length + 1
        if start > 0 and low[start - 1] in word:
            continue
        keep = inside if end + 1 < n and low[end + 1] in word else at_end
        if keep:
            out.append((start, end + 1, keep))
    return out


def relevant(hits: list[tuple[int, int, tuple]], window: int) -> bool:
    """A diplomat/embassy word near any verb of change, or a relations/recognition word near a
    specific one."""
    verbs = [s for s, _, cats in hits if "verb" in cats]
    changes = [s for s, _, cats in hits if "change" in cats]
    for s, _, cats in hits:
        near = verbs if "rel" in cats else changes if "weak" in cats else None
        if near and _within(near, s, window):
            return True
    return False


def _within(sorted_positions: list[int], pos: int, window: int) -> bool:
    import bisect

    k = bisect.bisect_left(sorted_positions, pos - window)
    return k < len(sorted_positions) and sorted_positions[k] <= pos + window


@component("prefilter")
def make_prefilter(lex: Lexicon, window: int = 120):
    def prefilter(an: Analysis) -> None:
        low = lower_same_length(an.norm)
        an.hits = keyword_hits(lex, low)
        an.low = low
        if not relevant(an.hits, window):
            an.stop("prefilter", "no relation word near a change word")

    return prefilter
