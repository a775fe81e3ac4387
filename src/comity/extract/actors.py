"""Stage 3, ``actors``: find the states an article names and resolve references to them.

- States by name, alias, abbreviation, demonym, capital and government seat ("Seoul", "Havana",
  "the Kremlin", "Iranian") come from one pass of the gazetteer (pyahocorasick) over the whole
  article, longest match first, with word boundaries and case checks ("US" but not "us",
  "Turkey" but not "turkey"), and place names that only contain a state's name blocked
  ("South China Sea", "Latin American").
- Names that mean several states ("Congo", "Korea") take the one the article names otherwise.
- References are resolved from context: pronouns and bodies ("it", "its", "his government",
  "the foreign ministry") to the state acting in the clause; "the two countries" / "both nations"
  to the two states the passage is about; descriptions ("the island", "the kingdom", "the North")
  to the most recent state they fit.

In the tokenised paragraphs each mention becomes one token (``token._.actor`` is the
:class:`~comity.extract.pipeline.Mention`), so trigger patterns can say ACTOR.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

from spacy.tokens import Span

from .lexicon import STATE_LABEL, WEEKDAYS, Entry, Lexicon
from .pipeline import (
    Analysis,
    Mention,
    component,
    doc_chars,
    doc_offset,
    mention_of,
    sentence_ranges,
    set_actor,
)

_WORDCH = re.compile(r"\w")

#: Words after which a name is not the subject of what follows.
PREPS = frozenset(
    [
        "in",
        "on",
        "at",
        "from",
        "to",
        "with",
        "of",
        "by",
        "for",
        "against",
        "between",
        "over",
        "into",
        "towards",
        "toward",
        "about",
        "across",
        "via",
        "within",
        "near",
        "under",
        "after",
        "before",
        "since",
        "than",
        "like",
        "including",
        "among",
        "amid",
        "despite",
        "during",
        "through",
        "throughout",
        "upon",
        "onto",
        "inside",
        "outside",
        "around",
        "behind",
        "beyond",
        "besides",
        "except",
        "per",
        "versus",
        "vs",
        "without",
        "unlike",
        "alongside",
    ]
)
#: Words after which a name may start a clause (and so be its subject).
OPENERS = frozenset(
    [
        "that",
        "and",
        "but",
        "while",
        "as",
        "when",
        "after",
        "because",
        "since",
        "said",
        "says",
        "say",
        "announced",
        "announces",
        "told",
        "tells",
        "stated",
        "added",
        "noted",
        "reported",
        "reports",
        "confirmed",
        "declared",
        "insisted",
        "warned",
        "meanwhile",
        "however",
        "so",
        "then",
        "also",
        "which",
        "where",
        "though",
        "although",
        "whereas",
        "if",
        "unless",
        "once",
        "yet",
        "earlier",
        "later",
        "today",
        "yesterday",
        "now",
    ]
) | {".", ",", ";", ":", "—", "–", "-", "(", '"', "'", "\n", "?", "!"}
#: Words skipped when looking at what precedes a name.
SKIP = (
    frozenset(
        [
            "the",
            "a",
            "an",
            "on",
            "last",
            "this",
            "early",
            "late",
            "also",
            "now",
            "then",
            "then-",
            "neighbouring",
            "neighboring",
            "fellow",
        ]
    )
    | WEEKDAYS
)
#: Nouns after a possessive name that make it the agent of a following "to ...".
AGENT_NOUNS = frozenset(
    [
        "decision",
        "plan",
        "plans",
        "move",
        "intention",
        "bid",
        "announcement",
        "call",
        "offer",
        "agreement",
        "readiness",
        "willingness",
        "pledge",
        "promise",
        "threat",
        "attempt",
        "request",
        "proposal",
        "vote",
        "choice",
        "order",
        "law",
        "bill",
        "parliament",
        "lawmakers",
        "legislators",
        "government",
        "cabinet",
        "ministry",
        "move",
    ]
)
#: Government nouns: "the Government of X", "the Ministry of Foreign Affairs of X" name X as actor.
GOV_NOUNS = frozenset(
    [
        "government",
        "ministry",
        "minister",
        "president",
        "prime",
        "cabinet",
        "parliament",
        "king",
        "queen",
        "emir",
        "authorities",
        "administration",
        "affairs",
        "republic",
        "kingdom",
        "people",
        "foreign",
        "office",
        "presidency",
        "leader",
        "leadership",
        "council",
        "assembly",
        "state",
        "chancellor",
        "premier",
        "junta",
    ]
)

_TOKEN_RE = re.compile(r"[\w']+|\n|[^\w\s]")

#: "Russian-backed", "Saudi-led", "U.S.-brokered": the name qualifies something else, no party.
_QUALIFIER = re.compile(
    r"-(?:backed|led|controlled|sponsored|allied|aligned|funded|brokered|mediated|based|born|made|run"
    r"|occupied|annexed|held|installed|supported|owned|built|trained|armed|friendly|leaning|style)\b",
    re.I,
)
_GROUP_NUMBERS = {
    "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12,
}  # fmt: skip
#: "the three countries", "seven Latin American nations", "all four governments": a named group.
_GROUP = re.compile(
    r"\b(?:(?:the|these|those|all|all\s+the)\s+)?(?P<n>three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|[3-9]|1[0-2])\s+(?:[A-Z][\w-]*\s+){0,3}(?:countries|nations|states|governments|capitals)\b",
    re.I,
)


_GROUP_NOUNS = ("countries", "nations", "states", "governments", "capitals")
#: Characters that match an ASCII letter under ``re.I`` without being one (İ, ı, ſ, the Kelvin sign).
_FOLDS = ("\u0130", "\u0131", "\u017f", "\u212a")
_RUN = re.compile(r"\S+")
_WORD_START = re.compile(r"(?<!\w)\w")
#: Whitespace-separated runs a match of ``_GROUP`` holds before its noun, at most ("all the seven
#: Latin American Caribbean nations": 6), with a margin.
_GROUP_RUNS = 8


def group_phrases(text: str, low: str) -> list[re.Match]:
    """``list(_GROUP.finditer(text))``, without running the pattern at every position of a long text:
    a match ends with one of its nouns, so it is only tried at the word starts of the few runs before
    each noun. ``low`` is ``text`` in lower case, of the same length."""
    if any(ch in text for ch in _FOLDS):
        return list(_GROUP.finditer(text))  # re.I would match these where str.lower does not
    out: list[re.Match] = []
    pos = 0
    n = len(text)
    while pos < n:
        q = min((k for k in (low.find(w, pos) for w in _GROUP_NOUNS) if k >= 0), default=-1)
        if q < 0:
            break
        # No match starts in [pos, lo): one would have to end at this noun or run over it, and both
        # put its start within _GROUP_RUNS runs of it.
        cs = max(pos, q - 600)
        runs = [m.start() for m in _RUN.finditer(text, cs, q + 1)]
        lo = runs[-1 - _GROUP_RUNS] if len(runs) > _GROUP_RUNS else pos
        got = None
        for w in _WORD_START.finditer(text, lo, q + 1):
            got = _GROUP.match(text, w.start())
            if got is not None:
                break
        if got is None:
            pos = q + 1  # no match starts at or before this noun
            continue
        out.append(got)
        pos = got.end()
    return out


def _tokens_before(text: str, pos: int, n: int = 6) -> list[str]:
    chunk = text[max(0, pos - 80) : pos]
    toks = _TOKEN_RE.findall(chunk)
    if pos - 80 <= 0:
        toks = ["\n", *toks]
    return [t.lower() for t in toks[-n:]]


def context_before(text: str, pos: int) -> tuple[str | None, list[str]]:
    """The first word before ``pos`` that is not an article or a date word, and the words skipped."""
    toks = _tokens_before(text, pos, 8)
    skipped = []
    while toks:
        t = toks.pop()
        if t in SKIP:
            skipped.append(t)
            continue
        return t, skipped
    return "\n", skipped


def _ends(an: Analysis) -> list[int]:
    if len(an.mention_ends) != len(an.mentions):
        an.mention_ends = [m.end for m in an.mentions]
    return an.mention_ends


def mention_before(an: Analysis, pos: int) -> Mention | None:
    """The last mention ending at or before ``pos``."""
    ends = _ends(an)
    k = bisect.bisect_right(ends, pos) - 1
    return an.mentions[k] if k >= 0 else None


def mentions_before(an: Analysis, pos: int, reach: int) -> list[Mention]:
    """Mentions ending at or before ``pos`` and starting after ``pos - reach``, in text order."""
    ends = _ends(an)
    hi = bisect.bisect_right(ends, pos)
    lo = bisect.bisect_left(ends, pos - reach)
    return [m for m in an.mentions[lo:hi] if m.start >= pos - reach]


def after_prep(an: Analysis, m: Mention, depth: int = 0, prev: str | None = None) -> bool:
    """Does a preposition govern the mention? ``prev``: the word before it, when already known."""
    if prev is None:
        prev, _ = context_before(an.norm, m.start)
    if prev in ("and", ",", "or", "&") and depth < 3:
        # "between X and Y": Y shares X's preposition
        x = mention_before(an, m.start)
        if x is not None and m.start - x.end < 8:
            return after_prep(an, x, depth + 1)
        return False
    if prev == "of":
        # "the Government of X", "Ministry of Foreign Affairs of X" stand for X
        toks = _tokens_before(an.norm, m.start, 3)
        head = toks[-2] if len(toks) >= 2 else ""
        return head not in GOV_NOUNS
    return prev in PREPS


def subjectish(an: Analysis, m: Mention) -> bool:
    """May the mention be the subject of a clause (or the agent of "X's decision to ...")?"""
    # The answer depends on the text and the mentions' places only: it is worked out once a mention
    # (the stages ask again and again, for each reference and each trigger near it).
    memo = an.memo.get("subjectish")
    if memo is None or memo[0] is not an.mentions or memo[1] != len(an.mentions):
        memo = an.memo["subjectish"] = (an.mentions, len(an.mentions), {})
    got = memo[2].get(id(m))
    if got is None or got[0] is not m:
        got = memo[2][id(m)] = (m, _subjectish(an, m))
    return got[1]


def _subjectish(an: Analysis, m: Mention) -> bool:
    if m.possessive or m.kind == "demonym":
        # "X's decision to open", "Iranian law to expel": X is the agent of what follows
        after = an.norm[m.end : m.end + 40].lower()
        w = re.match(r"(?:'s?)?\s+(?:[a-z-]+\s+){0,2}?([a-z]+)\s+to\s+[a-z]", after)
        if w and w.group(1) in AGENT_NOUNS:
            return True
        # "Israel's foreign ministry said it ...": the state speaks through its government
        w = re.match(
            r"(?:'s?)?\s+([a-z]+)\s+(?:[a-z-]+\s+){0,2}?(?:said|says|announced|stated|confirmed|added)\b",
            after,
        )
        if w and (w.group(1) in GOV_NOUNS or w.group(1) in ("spokesman", "spokeswoman", "spokesperson")):
            return True
    prev, _ = context_before(an.norm, m.start)
    if prev in ("after", "before", "since", "as", "until", "while", "when", "because", "once"):
        # a subordinate clause starts: "after the island nation said it would ..."; but "before French
        # colonisation" has no clause, unless the people who speak for the state follow
        if m.kind != "demonym":
            return True
        nxt = re.match(r"\s+([a-z]+)", an.norm[m.end : m.end + 30])
        return nxt is not None and (nxt.group(1) in GOV_NOUNS or nxt.group(1) in _SPEAKERS)
    if prev in OPENERS:
        return not after_prep(an, m, prev=prev)
    if prev == "of":
        return not after_prep(an, m, prev=prev)
    # "Earlier this week Managua told ...", "On Monday Seoul said ...", "asked whether Seoul would ..."
    return prev in _TIME_WORDS | {"whether", "that", "if"} and _ACTS.match(an.norm, m.end) is not None


_TIME_WORDS = (
    frozenset(
        [
            "week",
            "month",
            "year",
            "day",
            "today",
            "yesterday",
            "then",
            "later",
            "also",
            "now",
            "meanwhile",
            "time",
            "subsequently",
            "afterwards",
            "eventually",
        ]
    )
    | WEEKDAYS
)


_SPEAKERS = frozenset(["officials", "authorities", "leaders", "president", "prime", "foreign", "diplomats"])


def _boundary_ok(text: str, s: int, e: int) -> bool:
    if s > 0 and (text[s - 1].isalnum() or text[s - 1] in "_@#"):
        return False
    return not (e < len(text) and text[e].isalnum())


def _case_ok(orig: str, surface: str, case_sensitive: bool) -> bool:
    if case_sensitive:
        return orig == surface
    if surface == surface.lower():
        return True
    # The surface has capitals: the text must have some too (not "turkey", "china").
    if orig == orig.lower():
        return False
    # Each capitalised word of the surface is capitalised in the text ("Chad", not "chad").
    for o, s in zip(orig.split(), surface.split(), strict=False):
        if s[:1].isupper() and not o[:1].isupper():
            return False
    return True


_TWO_ACT = re.compile(
    r"\s+(?:have|has|had|are|were|will|would|could|also|then|later|first|last|finally|formally|agreed|"
    r"signed|[a-z]+ed)\b"
)


def scan(lex: Lexicon, an: Analysis) -> list[Mention]:
    low = an.low or an.norm.lower()
    if len(low) != len(an.norm):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in an.norm)
    found = []
    norm = an.norm
    n = len(low)
    for end, (key, entry) in lex.gazetteer.automaton.iter(low):
        s = end - len(key) + 1
        e = end + 1
        # _boundary_ok, inline: most hits are inside words ("it" in "with")
        if s > 0:
            before = low[s - 1]
            if before.isalnum() or before in "_@#":
                continue
        if e < n and low[e].isalnum():
            continue
        orig = norm[s:e]
        kind = entry.kind
        if kind == "ref":
            if entry.ref == "desc" and entry.surface[4:5].isupper() and not orig[4:5].isupper():
                continue  # "the North" is a reference; "the north" of a country is not
        elif kind != "block" and not _case_ok(orig, entry.surface, entry.case_sensitive):
            continue
        if entry.ref == "pronoun" and key in ("it", "its") and s > 0 and orig.isupper():
            continue  # "IT" as in information technology, inside a sentence
        if key == "the two" and not _TWO_ACT.match(norm, e):
            continue  # "The two established ties in 1968", but not "the two embassies"
        if kind != "block" and kind != "ref" and _QUALIFIER.match(norm, e):
            entry = Entry(orig, (), "block")  # "the Russian-backed republics"
        found.append((s, e, orig, entry))
    if "countries" in low or "nations" in low or "states" in low or "governments" in low or "capitals" in low:
        for g in group_phrases(an.norm, low):
            n = g.group("n").lower()
            count = int(n) if n.isdigit() else _GROUP_NUMBERS[n]
            found.append(
                (g.start(), g.end(), g.group(0), Entry(g.group(0), (), "ref", "group", (str(count),)))
            )
    found.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    # "the Central African Republic" is the name, not a description ("the Central African republic"); "the
    # North Korean ambassador" names North Korea's, it does not say "the North"
    named = {(s, e) for s, e, _o, entry in found if entry.kind not in ("ref", "block")}
    if named:
        found = [
            x
            for x in found
            if not (x[3].kind == "ref" and x[3].ref == "desc" and any(x[0] < s < x[1] <= e for s, e in named))
        ]
    out: list[Mention] = []
    last_end = -1
    for s, e, orig, entry in found:
        if s < last_end:
            continue
        last_end = e
        if entry.kind == "block":
            continue
        m = Mention(s, e, orig, entry, codes=entry.codes if entry.kind != "ref" else ())
        tail = an.norm[e : e + 2]
        m.possessive = tail[:2] in ("'s", "'S") or (tail[:1] == "'" and orig.endswith("s"))
        out.append(m)
    return out


def disambiguate(mentions: list[Mention], current: frozenset[str] = frozenset()) -> None:
    """A name of several states takes the one the article also names unambiguously; else the one
    that still exists when the others are historical ("Moscow": Russia, not the Soviet Union);
    else none ("Congo" alone)."""
    sure = Counter(m.codes[0] for m in mentions if len(m.codes) == 1)
    for m in mentions:
        if len(m.codes) > 1:
            named = [c for c in m.codes if c in sure]
            if named:
                m.codes = (max(named, key=lambda c: sure[c]),)
                continue
            living = [c for c in m.codes if c in current]
            m.codes = (living[0],) if len(living) == 1 else ()


def salience(mentions: list[Mention]) -> dict[str, int]:
    c: Counter[str] = Counter()
    for m in mentions:
        if m.kind != "ref" and len(m.codes) == 1:
            c[m.codes[0]] += 1
    return dict(c)


def _sentence_start(an: Analysis, pos: int) -> int:
    for doc in an.docs:
        off = doc_offset(doc)
        if off <= pos < off + doc_chars(doc):
            starts = doc.user_data.get("comity_sent_chars")
            if starts is None:
                starts = doc.user_data["comity_sent_chars"] = [doc[a].idx for a, _ in sentence_ranges(doc)]
            k = bisect.bisect_right(starts, pos - off) - 1
            return (starts[k] if k >= 0 else 0) + off
    i = max(an.norm.rfind(". ", 0, pos), an.norm.rfind("\n", 0, pos))
    return i + 1 if i >= 0 else 0


def resolve_references(an: Analysis) -> None:
    states = [m for m in an.mentions if m.kind != "ref"]
    for m in an.mentions:
        if m.kind != "ref" or m.codes:
            continue
        ref = m.ref
        if ref == "fixed_pair":
            m.codes = m.entry.ref_codes
        elif ref == "desc":
            m.codes = _resolve_desc(an, m, states)
        elif ref == "pair":
            m.codes = _resolve_pair(an, m, states)
        elif ref == "pronoun":
            m.codes = _resolve_pronoun(an, m)
        elif ref == "group":
            m.codes = _resolve_group(an, m, states)


def _resolve_desc(an: Analysis, m: Mention, states: list[Mention]) -> tuple[str, ...]:
    codes = m.entry.ref_codes
    if m.entry.requires_any:
        if any(an.salience.get(c) for c in m.entry.requires_any):
            return (codes[0],)
        return ()
    if len(codes) == 1:
        return codes
    for s in reversed(mentions_before(an, m.start, 5000)):
        if s.kind != "ref" and s.codes and s.codes[0] in codes:
            return (s.codes[0],)
    return ()


def _resolve_pair(an: Analysis, m: Mention, states: list[Mention]) -> tuple[str, ...]:
    sal = an.salience
    sent0 = _sentence_start(an, m.start)

    def top2(cands: list[Mention]) -> list[str]:
        order: dict[str, int] = {}
        for i, s in enumerate(cands):
            if len(s.codes) == 1:
                order[s.codes[0]] = i
        ranked = sorted(order, key=lambda c: (-sal.get(c, 0), -order[c]))
        return ranked[:2]

    near_all = [s for s in mentions_before(an, m.start, 700) if s.kind != "ref"]
    here = [s for s in near_all if sent0 <= s.start < m.start]
    got = top2(here)
    if len(got) < 2:
        # "South Korea and Cuba established relations ... the two sides agreed": the pair last named
        # together, however often a third state is named in between
        paired = _last_named_pair(an, [s for s in mentions_before(an, sent0, 1500) if s.kind != "ref"])
        if paired:
            got = list(paired)
    if len(got) < 2:
        near = near_all
        got = top2(near) if len(top2(near)) >= 2 else got
    if len(got) < 2:
        ranked = sorted(sal, key=lambda c: -sal[c])
        for c in ranked:
            if c not in got:
                got.append(c)
            if len(got) == 2:
                break
    return tuple(got) if len(got) == 2 else ()


_PAIR_JOIN = re.compile(r"\s*(?:and|&|-|–|/)\s*(?:the\s+)?", re.I)


def _last_named_pair(an: Analysis, states: list[Mention]) -> tuple[str, str] | None:
    """The last two states named as a pair ("South Korea and Cuba", "Cuba-South Korea"), not in a longer list."""
    sal = an.salience
    most = max(sal.values(), default=0)
    top = {c for c, n in sal.items() if n >= 2 or 3 * n >= most}
    for x, y in reversed(list(zip(states, states[1:], strict=False))):
        if len(x.codes) != 1 or len(y.codes) != 1 or x.codes == y.codes or x.possessive:
            continue
        if x.codes[0] not in top or y.codes[0] not in top:
            continue  # "... conflicts in Libya and Sudan": a pair named in passing
        if not _PAIR_JOIN.fullmatch(an.norm[x.end : y.start]):
            continue
        if re.search(r",\s*(?:the\s+)?$", an.norm[max(0, x.start - 12) : x.start]):
            continue  # "Argentina, Chile and Peru"
        return (x.codes[0], y.codes[0])
    return None


def _lists(an: Analysis, states: list[Mention]) -> list[tuple[int, int, tuple[str, ...]]]:
    """Coordinated lists of named states ("Argentina, Chile, Peru and Uruguay"): (start, end, codes)."""
    out: list[tuple[int, int, tuple[str, ...]]] = []
    run: list[Mention] = []
    for m in states:
        if len(m.codes) != 1:
            run = []
            continue
        if run and re.fullmatch(r"\s*(?:,|,?\s*and|&)\s*(?:the\s+)?", an.norm[run[-1].end : m.start], re.I):
            run.append(m)
        else:
            run = [m]
        if len(run) >= 3:
            codes = tuple(dict.fromkeys(x.codes[0] for x in run))
            out.append((run[0].start, m.end, codes))
    return out


def _resolve_group(an: Analysis, m: Mention, states: list[Mention]) -> tuple[str, ...]:
    """ "the three countries": the last list of three states named before it (or the first one right
    after it: "seven countries ... Argentina, Chile, ... and Uruguay")."""
    count = int(m.entry.ref_codes[0])
    fits = [x for x in _lists(an, states) if len(x[2]) == count]
    before = [x for x in fits if x[1] <= m.start and m.start - x[1] < 1500]
    if before:
        return max(before, key=lambda x: (x[1], x[1] - x[0]))[2]
    after = [x for x in fits if x[0] >= m.end and x[0] - m.end < 700]
    if after:
        return min(after, key=lambda x: (x[0], -(x[1] - x[0])))[2]
    return ()


def _resolve_pronoun(an: Analysis, m: Mention) -> tuple[str, ...]:
    text = an.norm
    low = m.surface.lower()
    # "the government of X": X is named right after; this is no reference.
    if re.match(r"\s+of\s+[A-Z]", text[m.end : m.end + 12]) and not low.startswith(("it", "th")):
        return ()
    if low in (
        "the government",
        "the ministry",
        "the foreign ministry",
        "the cabinet",
        "the administration",
        "the regime",
        "the junta",
        "the authorities",
        "the military government",
        "the military regime",
        "the military authorities",
    ) and re.match(r"\s+of\b", text[m.end : m.end + 5]):
        return ()
    plural = low in ("they", "their")
    sent0 = _sentence_start(an, m.start)
    before = [x for x in mentions_before(an, m.start, 1600) if x is not m and x.codes]
    if plural:
        # "Norway, Ireland and Spain said on Wednesday they would ...": the list named in the sentence
        lists = [
            x
            for x in _lists(an, [s for s in an.mentions if s.kind != "ref"])
            if sent0 <= x[0] and x[1] <= m.start
        ]
        if lists:
            return max(lists, key=lambda x: x[1])[2]
        # "X and Y ... their": the pair
        for x in reversed(before):
            if x.start < sent0 - 400:
                break
            if len(x.codes) == 2:
                return x.codes
            y = mention_before(an, x.start)
            prev = [y] if y is not None and y.codes and x.start - y.end <= 6 else []
            if (
                prev
                and re.fullmatch(r"\s*(?:and|&)\s*", text[prev[-1].end : x.start])
                and len(prev[-1].codes) == 1
            ) and prev[-1].codes[0] != x.codes[0]:
                return (prev[-1].codes[0], x.codes[0])
    if low in ("it", "its"):
        # "It is the kingdom's toughest step since 2015, when it recalled ...": the state whose act the
        # sentence speaks of, when it has no subject of its own
        poss = [x for x in before if sent0 <= x.start and x.possessive and len(x.codes) == 1]
        if poss and not any(sent0 <= x.start and x.ref != "pronoun" and subjectish(an, x) for x in before):
            return poss[-1].codes
    for scope in ("sentence", "before"):
        for x in reversed(before):
            if scope == "sentence" and x.start < sent0:
                break
            if scope == "before" and (x.start >= sent0 or m.start - x.start > 1500):
                continue
            if len(x.codes) != 1 and not plural:
                continue
            if x.kind == "capital" and scope == "before" and not _capital_subject(an, x):
                continue
            if subjectish(an, x):
                return x.codes
    return ()


def _capital_subject(an: Analysis, x: Mention) -> bool:
    """ "Managua told the ambassador to leave": a capital that acts, standing for its government."""
    return _ACTS.match(an.norm, x.end) is not None


_ACTS = re.compile(
    r"\s+(?!(?:and|or|but|in|on|at|of|for|to|with|from|by|as|into|than|the|a|an|which|who|that)\b)[a-z]+\b"
)


@component("actors")
def make_actors(lex: Lexicon):
    from ..states import registry

    current = frozenset(s.code for s in registry() if s.kind != "historical")

    def actors(an: Analysis) -> None:
        an.mentions = scan(lex, an)
        disambiguate(an.mentions, current)
        an.mentions = [m for m in an.mentions if m.codes or m.kind == "ref"]
        an.salience = salience(an.mentions)
        if not an.salience:
            an.stop("actors", "no state named")
            return
        # Put mentions into the tokenised paragraphs, one token each.
        placed = []
        for doc in an.docs:
            toks = []
            placed.append((doc, toks))
            off = doc_offset(doc)
            lo, hi = off, off + doc_chars(doc)
            spans = []
            last = -1
            for m in an.mentions:
                if m.start < lo or m.end > hi:
                    continue
                span = doc.char_span(m.start - off, m.end - off, alignment_mode="expand")
                if span is None or span.start < last or not len(span):
                    continue
                spans.append((span, m))
                last = span.end
            with doc.retokenize() as rt:
                for span, _ in spans:
                    if len(span) > 1:
                        rt.merge(span)
            for _, m in spans:
                merged = doc.char_span(m.start - off, m.end - off, alignment_mode="expand")
                if merged is None or not len(merged):
                    continue
                tok = merged[0]
                set_actor(tok, m, True)
                toks.append(tok)
        resolve_references(an)
        # A reference that resolved to nothing is no actor; the others are entities for the Matcher.
        for doc, toks in placed:
            ents = []
            for tok in toks:
                if mention_of(tok).codes:
                    ents.append(Span(doc, tok.i, tok.i + 1, label=STATE_LABEL))
                else:
                    set_actor(tok, None, False)
            doc.ents = ents

    return actors
