"""Stage 4, ``triggers``: find the phrases that state a change, with spaCy's Matcher.

The phrases are data (``data/extract/triggers.txt``), compiled to token patterns over lower-case
forms, with ACTOR standing for a state mention. "block" phrases (an anniversary of ties,
"recognize the importance of", talks on normalisation) cancel any trigger they overlap (with the flag
``embassy``, only embassy openings and closures: "embassy employees" may still be expelled). Of
overlapping triggers the longest wins ("told to withdraw its ambassador" is an expulsion, not a
recall).

The Matcher is the costly part (a few microseconds per token and rule), so the rules are grouped by
the word they cannot do without (their gate) and each group runs only over the runs of sentences
holding it; within such a run, only the rules whose every required token has one of its words there
(``Rule.requires``) are run, and the group not at all when none are. This only leaves out Matcher
calls that cannot match: the triggers found are the same.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.attrs import ENT_TYPE, LOWER, SENT_START
from spacy.matcher import Matcher

from .lexicon import BOUNDARY, STATE_LABEL, Lexicon
from .pipeline import Analysis, Trigger, component, sentence_of

#: At most this many trigger phrases per article are taken further (a page of a hundred changes is a list).
MAX_TRIGGERS = 300
#: How far to the left of a verb group its head is looked for ("A ... B" rules).
LEFT_REACH = 12
#: Words the left search does not cross: another clause begins there.
LEFT_STOP = frozenset(
    [
        "said",
        "says",
        "told",
        "that",
        "which",
        "who",
        "whom",
        "when",
        "because",
        "while",
        "but",
        "if",
        "although",
        "though",
    ]
)


def _left(doc, start: int, specs: tuple[frozenset[str], ...]) -> int | None:
    """Where the words ``specs`` end nearest to the left of ``start`` in the sentence, or None."""
    lo = max(sentence_of(doc, start).start if start < len(doc) else 0, start - LEFT_REACH)
    n = len(specs)
    k = start - 1
    while k - n + 1 >= lo:
        if doc[k].text in BOUNDARY:
            return None
        if doc[k].lower_ in ("and", "but") and k > lo and doc[k - 1].text == ",":
            return None  # ", and Israel plans to open one": a new clause with its own subject
        if doc[k].lower_ in LEFT_STOP:
            # "ties with Qatar that had been severed": a relative clause's head is right before it
            if doc[k].lower_ in ("that", "which"):
                for j in range(k - 1, max(lo, k - 8) - 1, -1):
                    if j - n + 1 >= lo and all(doc[j - n + 1 + x].lower_ in specs[x] for x in range(n)):
                        return j - n + 1
            return None
        if all(doc[k - n + 1 + j].lower_ in specs[j] for j in range(n)):
            return k - n + 1
        k -= 1
    return None


def _compete(t: Trigger, k: Trigger) -> bool:
    if not (t.start < k.end and k.start < t.end):
        return False
    return k.start <= t.verb < k.end or t.start <= k.verb < t.end


class _Range:
    __slots__ = ("start", "end")

    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end


#: Stands for "a state mention" among the words of a stretch of text (no string hashes to it).
_ACTOR_KEY = -1


@component("triggers")
def make_triggers(lex: Lexicon):
    rules = lex.rules
    vocab = lex.nlp.vocab
    state_label = vocab.strings.add(STATE_LABEL)

    def key(w: str) -> int:
        return _ACTOR_KEY if w == "ACTOR" else vocab.strings.add(w)

    by_gate: dict[frozenset[str], list] = {}
    for r in rules.values():
        by_gate.setdefault(r.gate, []).append(r)
    # Per group: its gate, its Matcher, its rules (in the Matcher's order) and for each rule the words
    # (as string hashes) one of which each token it cannot do without must be. A stretch of text that
    # lacks them for a rule holds no match of that rule: the Matcher runs there with only the rules
    # that may match (a Matcher of those rules, in the same order, gives the same matches in the same
    # order, the patterns being matched independently), and not at all when none may.
    # (The gate is one of each rule's needs, and is met wherever the group runs: it is left out.)
    gated = [
        (
            frozenset(vocab.strings.add(w) for w in gate),
            m,
            by_gate.get(gate, []),
            [
                tuple(frozenset(key(w) for w in req) for req in r.requires if not gate or req != gate)
                for r in by_gate.get(gate, [])
            ],
        )
        for gate, m in lex.gated
    ]
    subsets: dict[tuple[int, tuple[int, ...]], Matcher] = {}

    def possible(reqs: list[tuple[frozenset[int], ...]], which: Iterable[int], words: set[int]) -> tuple:
        """The rules (of ``which``) each of whose needs has a word in ``words``."""
        lacks = words.isdisjoint
        return tuple(i for i in which if not any(map(lacks, reqs[i])))

    def matcher_of(g: int, which: tuple[int, ...]) -> Matcher:
        _gate, m, group, _reqs = gated[g]
        if len(which) == len(group):
            return m
        got = subsets.get((g, which))
        if got is None:
            if len(subsets) > 1024:
                subsets.clear()
            got = subsets[(g, which)] = Matcher(vocab)
            for i in which:
                got.add(group[i].key, [group[i].pattern], greedy="LONGEST")
        return got

    def triggers(an: Analysis) -> None:
        found: list[Trigger] = []
        for doc in an.docs:
            blocks: list[tuple[int, int, bool]] = []
            cands: list[Trigger] = []
            # Each group of rules runs only over the sentences that hold its gate word.
            arr = doc.to_array([LOWER, SENT_START, ENT_TYPE])
            lows = arr[:, 0].tolist()
            states = [v == state_label for v in arr[:, 2].tolist()]
            starts = [i for i, v in enumerate(arr[:, 1].tolist()) if v == 1 or i == 0] + [len(doc)]
            sents = []
            for a, b in zip(starts, starts[1:], strict=False):
                sents.append((_Range(a, b), set(lows[a:b])))
            everywhere = set(lows)
            if any(states):
                everywhere.add(_ACTOR_KEY)
            matches = []
            for g, (gate, _m, group, reqs) in enumerate(gated):
                if gate and gate.isdisjoint(everywhere):
                    continue
                live = possible(reqs, range(len(group)), everywhere)
                if not live:
                    continue  # no rule of the group can match anywhere in the doc
                run_start = run_end = -1
                spans = []
                for sent, words in sents:
                    if not gate or gate & words:
                        if sent.start == run_end:
                            run_end = sent.end
                        else:
                            if run_end > run_start >= 0:
                                spans.append((run_start, run_end))
                            run_start, run_end = sent.start, sent.end
                if run_end > run_start >= 0:
                    spans.append((run_start, run_end))
                for s0, s1 in spans:
                    which = live
                    if len(spans) > 1 or s0 > 0 or s1 < len(doc):
                        words = set(lows[s0:s1])
                        if any(states[s0:s1]):
                            words.add(_ACTOR_KEY)
                        which = possible(reqs, live, words)
                        if not which:
                            continue
                    for match_id, start, end, align in matcher_of(g, which)(doc[s0:s1], with_alignments=True):
                        matches.append((match_id, start + s0, end + s0, align))
            for match_id, start, end, align in matches:
                rule = rules[vocab.strings[match_id]]
                if rule.type == "block":
                    blocks.append((start, end, "embassy" in rule.flags))
                    continue
                verb = head = None
                for k, pi in enumerate(align):
                    mark = rule.marks.get(pi)
                    if mark == "verb" and verb is None:
                        verb = start + k
                    elif mark == "head" and head is None:
                        head = start + k
                if rule.left:
                    at = _left(doc, start, rule.left)
                    if at is None:
                        continue
                    start, head = at, at + max(rule.left_head, 0)
                cands.append(
                    Trigger(
                        rule,
                        doc,
                        start,
                        end,
                        verb if verb is not None else start,
                        head if head is not None else end - 1,
                    )
                )
            cands = [
                t
                for t in cands
                if not any(
                    # "the anniversary of relations, which were established in 1992": a verb found to the right
                    # of a blocked noun is a change of its own
                    (t.verb if t.rule.left and not only_embassy else t.start) < be
                    and bs < t.end
                    and (not only_embassy or t.rule.type.startswith("embassy"))
                    for bs, be, only_embassy in blocks
                )
            ]
            # "close its embassy in Yaren and ask Nauru to close its embassy in Taipei": a verb with its
            # own object is not the predicate of a noun found to its left
            verbs = {t.verb for t in cands if not t.rule.left}
            cands = [t for t in cands if not (t.rule.left and t.verb in verbs)]
            # Longest first; then drop any that competes with one kept: they overlap and one's verb
            # lies inside the other ("told to withdraw its ambassador" beats "withdraw its ambassador"),
            # while "restored ties ... that had been severed" keeps both, which share only the noun.
            cands.sort(key=lambda t: (-(t.end - t.start), t.start))
            kept: list[Trigger] = []
            for t in cands:
                if any(_compete(t, k) for k in kept):
                    continue
                kept.append(t)
            kept.sort(key=lambda t: t.start)
            found.extend(kept)
        if len(found) > MAX_TRIGGERS:
            an.notes.append(f"triggers: kept the first {MAX_TRIGGERS} of {len(found)}")
            found = found[:MAX_TRIGGERS]
        an.triggers = found
        if not found:
            an.stop("triggers", "no trigger phrase")

    return triggers
