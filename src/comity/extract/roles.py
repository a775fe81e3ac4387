"""Stage 5, ``roles``: who did what to whom.

Clause-aware assignment of the two parties of each trigger, over the tokenised sentence (each
state mention is one token):

- the subject side: a name right before the verb ("Cuba and South Korea established", "it has
  cut"), the subject of a coordinated verb ("shut its embassy, severed relations and expelled"),
  else the nearest name in the clause that no preposition governs ("Iranian lawmakers voted to");
- the other side from the complements: "with X", "between X and Y", "X-Y relations", "X's
  relations with Y", "to/from/in X" after an ambassador, an embassy's owner ("X's embassy",
  "the Iranian embassy", "its embassy") and host ("in Y", "to Y", "in <capital>"), the
  nationality of expelled diplomats ("expelled 18 Russian diplomats");
- "the two countries" gives both sides; "recalled its ambassadors to X and Y" gives two events;
- a side the sentence does not name comes from context (the most salient other state), with a
  lower confidence.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from ..states import registry
from ..vocab import SYMMETRIC, EventType
from .actors import GOV_NOUNS, PREPS
from .lexicon import MONTHS, WEEKDAYS, Lexicon
from .pipeline import (
    Analysis,
    Candidate,
    Mention,
    Trigger,
    actor_of,
    component,
    is_actor,
    mention_of,
    sentence_of,
)

STRONG = frozenset({";", ":", "—", "–", "(", ")", "\n", "\n\n"})
#: Words that may stand between a subject and its verb.
AUX_ADV = frozenset(
    [
        "has",
        "have",
        "had",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "will",
        "would",
        "shall",
        "could",
        "may",
        "might",
        "must",
        "can",
        "also",
        "formally",
        "officially",
        "previously",
        "now",
        "just",
        "already",
        "then",
        "later",
        "subsequently",
        "immediately",
        "reportedly",
        "finally",
        "abruptly",
        "today",
        "yesterday",
        "on",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "last",
        "week",
        "night",
        "morning",
        "earlier",
        "effectively",
        "unilaterally",
        "swiftly",
        "again",
        "once",
        "first",
        "never",
        "not",
        "n't",
        "'s",
        "'ve",
        "'d",
        "'ll",
        "recently",
        "jointly",
        "both",
        "all",
        "each",
        "quickly",
        "itself",
        "themselves",
    ]
)
#: Words that may join a verb to an earlier coordinated one ("shut its embassy, severed relations").
COORD = (
    frozenset(
        [
            "and",
            ",",
            "but",
            "also",
            "then",
            "later",
            "subsequently",
            "immediately",
            "as",
            "well",
            "not",
            "only",
            "while",
            "has",
            "have",
            "had",
            "is",
            "was",
            "were",
            "are",
            "has",
            "already",
            "simultaneously",
        ]
    )
    | AUX_ADV
)
#: Words that end the complements of a trigger (a new clause begins).
CLAUSE_END = (
    frozenset(
        [
            "after",
            "because",
            "as",
            "while",
            "which",
            "who",
            "whom",
            "when",
            "but",
            "following",
            "although",
            "though",
            "since",
            "before",
            "amid",
            "whereas",
            "where",
            "despite",
            "unless",
            "if",
            "until",
        ]
    )
    | STRONG
    | {"."}
)
#: A name right before a verb is its subject unless a preposition governs it (these start clauses).
SUBJECT_GOVERNORS = frozenset({None, "after", "before", "since", "as", "while", "when", "because", "until"})
DET = frozenset(["the", "a", "an", "its", "their", "his", "her", "our", "all", "both"])
HEAD_MODS = frozenset(
    [
        "the",
        "a",
        "an",
        "its",
        "their",
        "his",
        "her",
        "our",
        "own",
        "new",
        "first",
        "top",
        "senior",
        "chief",
        "acting",
        "resident",
        "country's",
        "nation's",
        "high",
        "all",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "dozen",
        "dozens",
        "several",
        "some",
        "junior",
        "more",
        "other",
        "embassy",
        "military",
        "naval",
        "defence",
        "defense",
        "intelligence",
        "accredited",
        "another",
        "remaining",
        "entire",
        "whole",
        "number",
        "of",
        "permanent",
        "full-fledged",
        "fledged",
        "full",
        "former",
    ]
)
BILATERAL_HEADS = frozenset({"embassies"})
#: Partners that are no state: "cut ties with its kit supplier", "broke with the club".
NONSTATE_PARTNERS = frozenset(
    ["supplier", "suppliers", "sponsor", "sponsors", "sponsorship", "manufacturer", "club", "clubs", "company",
     "companies", "firm", "firms", "brand", "brands", "bank", "banks", "federation", "league", "team",
     "coach", "player", "players", "church", "university", "universities", "charity", "broadcaster",
     "network", "airline", "contractor", "contractors", "lobbyist", "lobbyists", "agency", "label", "band",
     "singer", "artist", "streamer", "retailer", "insurer", "outfitter", "kit"]
)  # fmt: skip
#: Plural nouns for unnamed states: "Several Arab states have restored relations", "140 countries recognise".
GENERIC_AGENTS = frozenset(
    ["states", "countries", "nations", "governments", "members", "capitals", "powers", "others", "allies"]
)
#: Words that open a subordinate clause whose subject follows ("after the atoll nation decided to ...").
SUBORDINATORS = frozenset(["after", "before", "because", "when", "while", "once", "until", "since", "as"])
REPORTING_VERBS = frozenset(
    ["says", "said", "say", "reports", "reported", "announces", "announced", "claims", "claimed", "confirms"]
)


def _actor(tok: Token) -> Mention | None:
    return actor_of(tok)


def _prev_word(doc: Doc, i: int, lo: int) -> tuple[int, str]:
    """Index and lower text of the first token before i (from lo) that is no article/date word."""
    j = i - 1
    while j >= lo and doc[j].lower_ in ("the", "a", "an", "neighbouring", "neighboring", "fellow"):
        j -= 1
    return (j, doc[j].lower_) if j >= lo else (lo - 1, "")


def _governed(doc: Doc, i: int, lo: int) -> str | None:
    """The preposition governing the actor token at i ("with", "in", ...), or None."""
    j, w = _prev_word(doc, i, lo)
    if w in ("and", ",", "&", "or") and j - 1 >= lo:
        k = j - 1
        if doc[k].lower_ == "," and k - 1 >= lo:
            k -= 1
        if _actor(doc[k]) is not None:
            return _governed(doc, k, lo)
        return None
    if w == "of":
        # a blank token (a form feed, a run of spaces) has no last word
        head = (doc[j - 1].lower_.split() or [""])[-1] if j - 1 >= lo else ""
        return None if head in GOV_NOUNS else "of"
    if w in ("leave", "quit", "depart", "departs", "leaving"):
        return "leave"
    if w in PREPS:
        return w
    return None


def _generic_agent(doc: Doc, i: int, lo: int) -> str:
    """Is the subject right before token i a plural noun for unnamed states ("140 countries now recognise",
    "European governments")?"""
    k = i - 1
    while k >= lo and (doc[k].lower_ in AUX_ADV or doc[k].is_digit) and _actor(doc[k]) is None:
        k -= 1
    if k > lo and doc[k].lower_ in ("that", "which", "who"):
        k -= 1  # "many countries that broke with Israel"
    if not (k >= lo and doc[k].lower_ in GENERIC_AGENTS and _actor(doc[k]) is None):
        return ""
    # "more than 110 countries recognise it" names none ("alone"); "the UAE and other Gulf states closed"
    # names one, with others
    j = k - 1
    while j >= lo and k - j <= 6 and _actor(doc[j]) is None and doc[j].lower_ not in ("and", ",", "&"):
        j -= 1
    named = j - 1 >= lo and doc[j].lower_ in ("and", ",", "&") and _actor(doc[j - 1]) is not None
    return "with named" if named else "alone"


#: Words of a date phrase between two coordinated verbs ("broke off relations in May 1995 and recognised").
_DATE_WORDS = (
    frozenset(
        [
            "in",
            "on",
            "early",
            "late",
            "mid",
            "last",
            "this",
            "year",
            "month",
            "week",
            "the",
            "same",
            "day",
        ]
    )
    | MONTHS
    | WEEKDAYS
)
_CONTESTED = frozenset(
    s.code for s in registry() if s.kind not in ("un_member", "historical") and s.code != "VAT"
)


def _most_about(sal: dict[str, int], exclude: set[str], prefer: frozenset[str] = frozenset()) -> str | None:
    """The state the article is most about, leaving out ``exclude``: named more often than any other, or
    the only one of ``prefer`` named; None when no state stands out."""
    ranked = sorted((c for c in sal if c not in exclude), key=lambda c: (c not in prefer, -sal[c]))
    if not ranked:
        return None
    clear = len(ranked) == 1 or sal[ranked[0]] > sal[ranked[1]]
    lone = ranked[0] in prefer and (len(ranked) == 1 or ranked[1] not in prefer)
    return ranked[0] if clear or lone else None


_CO_ACTOR = frozenset(["followed", "following", "joined", "joining", "like", "unlike", "alongside"])
_AS_STATES = frozenset(
    ["as", "a", "an", "sovereign", "independent", "and", "states", "state", "country", "countries", "nation"]
    + ["nations", "separate", "fully", ","]
)


def _verbish(tok: Token) -> bool:
    """A word of a verb group ("decided to", "agreed to", "voted to")."""
    w = tok.lower_
    return w == "to" or (
        tok.is_lower and tok.is_alpha and (w.endswith("ed") or w in ("says", "said", "wants"))
    )


_URGE = frozenset(
    [
        "persuade",
        "persuades",
        "persuaded",
        "persuading",
        "urge",
        "urges",
        "urged",
        "urging",
        "convince",
        "convinces",
        "convinced",
        "convincing",
        "encourage",
        "encourages",
        "encouraged",
        "encouraging",
        "lobby",
        "lobbies",
        "lobbied",
        "lobbying",
        "press",
        "presses",
        "pressed",
        "pressing",
        "push",
        "pushes",
        "pushed",
        "pushing",
        "ask",
        "asks",
        "asked",
        "asking",
    ]
)


_AROUND = frozenset(
    ["around", "across", "in", "of", "the", "world", "region", "globe", "continent", "west", "africa"]
)


def _urged_generic(doc: Doc, i: int, lo: int) -> bool:
    """ "campaigned to persuade states to withdraw their recognition": unnamed states would act."""
    k = i - 1
    if k - 2 < lo or doc[k].lower_ != "to":
        return False
    g = k - 1
    while g > lo and k - g <= 4 and doc[g].lower_ not in GENERIC_AGENTS and doc[g].lower_ in _AROUND:
        g -= 1  # "urging governments around the world to downgrade"
    if doc[g].lower_ not in GENERIC_AGENTS or _actor(doc[g]):
        return False
    j = g - 1
    while j > lo and doc[j].lower_ in ("other", "more", "many", "all", "the", "those", "fellow"):
        j -= 1
    return doc[j].lower_ in _URGE


def _coordinated_left(doc: Doc, i: int, lo: int) -> list[int]:
    """[i] plus the actor tokens joined to it on the left ("X and Y", "X, Y and Z", "X-Y")."""
    out = [i]
    j = i
    while j - 2 >= lo:
        if doc[j - 1].lower_ == "the" and j - 3 >= lo:
            j -= 1  # ", the UAE"
        w = doc[j - 1].lower_
        if w == "-" and (doc[j - 1].whitespace_ or doc[j - 2].whitespace_):
            break  # "BELGRADE - Sierra Leone has ...": a dateline, not "Cuba-Korea"
        if w in ("and", ",", "&", "-"):
            k = j - 2
            if doc[k].lower_ == "," and k - 1 >= lo:
                k -= 1
            if _actor(doc[k]) is not None:
                out.insert(0, k)
                j = k
                continue
        break
    return out


def _coordinated_right(doc: Doc, i: int, hi: int) -> list[int]:
    out = [i]
    j = i
    while j + 2 < hi:
        w = doc[j + 1].lower_
        k = j + 2
        if w == "," and k < hi and doc[k].lower_ in ("and", "&"):
            k += 1
        if w in ("and", ",", "&", "or", "nor") and k < hi:
            while k < hi and doc[k].lower_ in ("the", "to", "from", "in", "with"):
                k += 1
            if w == "," and (
                doc[k + 1 : k + 2].text in ("'s", "'")
                or any(x.lower_ in REPORTING_VERBS for x in doc[k + 1 : min(hi, k + 7)])
                or (k < hi and _actor(doc[k]) is not None and _actor(doc[k]).kind == "demonym")  # type: ignore[union-attr]
            ):
                break  # "withdraws recognition of Kosovo, Belgrade says", "Kosovo, Serbia's minister said",
                # "Kosovo, Serbian Foreign Minister Ivica Dacic announced"
            if k < hi and _actor(doc[k]) is not None:
                out.append(k)
                j = k
                continue
        break
    return out


NONDIP = frozenset(
    [
        "consular",
        "trade",
        "economic",
        "commercial",
        "business",
        "military",
        "security",
        "cultural",
        "defence",
        "defense",
        "energy",
        "investment",
        "financial",
        "sporting",
        "academic",
        "scientific",
        "parliamentary",
        "church",
        "religious",
        "party",
    ]
)
DIP = frozenset(["diplomatic", "political", "formal", "official", "full", "ambassadorial", "interstate"])


def _diplomatic(t: Trigger) -> bool:
    """Is the object of a relations trigger diplomatic relations (not "consular" or "trade" ties alone)?"""
    doc = t.doc
    lo, hi = min(t.verb, t.head), max(t.verb, t.head)
    words = {doc[k].lower_ for k in range(max(t.sent.start, lo - 2), hi + 1)}
    return not (words & NONDIP) or bool(words & DIP)


_PARTIES: list = [None, frozenset()]


def _parties(reg) -> frozenset[str]:  # type: ignore[no-untyped-def]
    """The codes of the registry's states, worked out once a registry (it is loaded once a process)."""
    if _PARTIES[0] is not reg:
        _PARTIES[:] = [reg, frozenset(s.code for s in reg)]
    return _PARTIES[1]


class Roles:
    def __init__(self, an: Analysis) -> None:
        self.an = an
        self.subjects: dict[int, list[int]] = {}  # id(trigger) -> subject token indices
        self.targets: dict[int, list[str]] = {}  # id(trigger) -> the states its changes concern
        self.comp_end: dict[int, int] = {}
        self.last_embassy: tuple[str, str] | None = None
        self.last_embassies: list[tuple[str, str, float, list[int]]] = []
        self.last_pair: tuple[str, str, int] | None = None  # the last relations change: its pair and place
        self.last_recognised: str | None = None  # the state the last recognition was of
        self.parties = _parties(registry())

    # -- pieces -------------------------------------------------------------------------------
    def subject(self, t: Trigger, before: int | None = None) -> list[int]:
        doc = t.doc
        sent = t.sent
        lo = sent.start
        i = (before if before is not None else t.start) - 1
        # 1. a name right before the verb (over auxiliaries, adverbs, day words)
        j = i
        while j >= lo and (doc[j].lower_ in AUX_ADV or doc[j].is_digit) and _actor(doc[j]) is None:
            j -= 1
        if (
            j >= lo
            and _actor(doc[j]) is not None
            and not doc[j + 1 : j + 2].text.startswith("'")
            and _governed(doc, j, lo) in SUBJECT_GOVERNORS
        ):
            return _coordinated_left(doc, j, lo)
        # "The Government of Panama, in the exercise of its sovereignty, has decided to suspend ...": the
        # subject stands before a parenthesis set off by commas
        c = i
        while (
            c >= lo
            and i - c < 5
            and _actor(doc[c]) is None
            and (doc[c].lower_ in AUX_ADV or _verbish(doc[c]))
        ):
            c -= 1
        if c >= lo and doc[c].text == ",":
            j = c
            k = j - 1
            while k >= lo and j - k <= 40 and doc[k].text != "," and doc[k].text not in STRONG:
                k -= 1
            if (
                k - 1 >= lo
                and doc[k].text == ","
                and _actor(doc[k - 1]) is not None
                and _governed(doc, k - 1, lo) is None
                and all(_actor(doc[x]) is None for x in range(k + 1, j))
            ):
                return _coordinated_left(doc, k - 1, lo)
        # "Since establishing diplomatic relations in 1992, China and Kazakhstan have ...": the subject of
        # the main clause, after the comma
        if (
            i >= lo
            and doc[t.verb].lower_.endswith("ing")
            and doc[i].lower_ in ("since", "after", "before", "upon", "on")
            and i - 1 < lo + 1
        ):
            k = t.end
            while k < sent.end and k - t.end < 20:
                if doc[k].text == ",":
                    n = k + 1
                    while n < sent.end and doc[n].lower_ == "the":
                        n += 1
                    if n < sent.end and _actor(doc[n]) is not None:
                        return _coordinated_right(doc, n, sent.end)
                k += 1
        # "pave the way for the Holy See to establish ties": the subject of the infinitive
        if (
            i - 1 >= lo
            and doc[i].lower_ == "to"
            and _actor(doc[i - 1]) is not None
            and _governed(doc, i - 1, lo) == "for"
        ):
            return _coordinated_left(doc, i - 1, lo)
        # 2. the subject of an earlier coordinated trigger
        for prev in self.an.triggers:
            if prev.doc is not doc or prev.start >= t.start or id(prev) not in self.subjects:
                continue
            if "intrans" in prev.flags:
                continue  # "ordered the Qatari embassy closed and gave its diplomats ...": the embassy acts not
            end = max(self.comp_end.get(id(prev), prev.end), prev.end)
            if end < t.start and doc[end].lower_ == "as":
                # "recognised X and Y as sovereign and independent states and established relations"
                while end < t.start and doc[end].lower_ in _AS_STATES:
                    end += 1
                while end > 0 and doc[end - 1].lower_ in COORD and doc[end - 1].lower_ not in _AS_STATES:
                    end -= 1
            if end <= t.start and all(
                doc[k].lower_ in COORD
                or doc[k].is_digit
                or doc[k].lower_ in _DATE_WORDS
                or (doc[k].is_title and _actor(doc[k]) is None)  # ", Dennis Horak, and recalled"
                for k in range(end, t.start)
            ):
                self.an.coord_parent[id(t)] = prev
                return self.subjects[id(prev)]
        # 3. the nearest name in the clause no preposition governs (a subject-like one first)
        found = []
        k = i
        while k >= lo:
            tok = doc[k]
            if tok.text in STRONG:
                break
            # a relative or complement clause has its own subject, unless it has none ("which have recognised")
            if (
                tok.lower_ in ("which", "who", "whom", "where", "that")
                and not found
                and any(doc[x].lower_ not in AUX_ADV for x in range(k + 1, i + 1))
            ):
                break
            if tok.lower_ in ("which", "who") and not found and k - 1 >= lo:
                # "after Egypt and Jordan, which established relations": the antecedent acts
                j = k - 1 if doc[k - 1].text != "," else k - 2
                if j >= lo and _actor(doc[j]) is not None:
                    return _coordinated_left(doc, j, lo)
            m = _actor(tok)
            if m is not None and len(m.codes) >= 1:
                g = _governed(doc, k, lo)
                if g is None:
                    found.append(k)
                elif (
                    g in SUBORDINATORS
                    and not found
                    and k + 1 < len(doc)
                    and (doc[k + 1].lower_ in AUX_ADV or doc[k + 1].lower_.endswith("ed"))
                ):
                    return _coordinated_left(doc, k, lo)  # "after the atoll nation decided to switch"
            k -= 1
        if found:
            from .actors import subjectish

            if "noun" in t.flags:
                return _coordinated_left(doc, found[0], lo)  # "Iranian bill demanding the expulsion of"
            for k in found:
                if subjectish(self.an, mention_of(doc[k])):
                    return _coordinated_left(doc, k, lo)
            # "Sudan shut Iran's cultural centres and expelled its attache": no possessor acts
            plain = [k for k in found if doc[k + 1 : k + 2].text not in ("'s", "'")]
            return _coordinated_left(doc, (plain or found)[0], lo)
        return []

    def complements(
        self, t: Trigger, start: int | None = None, limit: int = 16
    ) -> list[tuple[str | None, int]]:
        """(governing word, token) for the names after the trigger's verb, in its clause."""
        doc = t.doc
        sent = t.sent
        lo = sent.start
        hi = min(sent.end, t.end + limit)
        for other in self.an.triggers:  # the next change in the sentence has its own complements
            if other.doc is doc and t.end <= other.start < hi:
                hi = other.start
        out: list[tuple[str | None, int]] = []
        k = start if start is not None else t.verb + 1
        end = t.end
        while k < hi:
            tok = doc[k]
            if k >= t.end and (tok.lower_ in CLAUSE_END or tok.text in STRONG or tok.text == '"'):
                break
            m = _actor(tok)
            if m is not None:
                out.append((_governed(doc, k, lo), k))
                end = k + 1
            k += 1
        self.comp_end[id(t)] = end
        return out

    def modifier(self, doc: Doc, head: int, lo: int) -> int | None:
        """The name modifying a head noun: "X's embassy", "the Iranian ambassador", "its envoy"."""
        k = head - 1
        while k >= lo and (
            doc[k].lower_ in HEAD_MODS or doc[k].is_digit or doc[k].lower_ in ("'s", "'", "-")
        ):
            if _actor(doc[k]) is not None:
                return k
            k -= 1
        if k >= lo and _actor(doc[k]) is not None:
            return k
        return None

    def after_head(self, doc: Doc, head: int, hi: int, preps: tuple[str, ...]) -> list[int]:
        """Names in the phrase right after a head noun that starts with one of ``preps``: "to X",
        "in X", "of X", "in the city of X", "in X's capital" (and names coordinated with it)."""
        k = head + 1
        if k < hi and doc[k].lower_ in ("'s", "'"):
            k += 1
        if k >= hi or doc[k].lower_ not in preps:
            return []
        k += 1
        seen = 0
        while k < hi and seen < 5:
            tok = doc[k]
            if (
                tok.lower_ in CLAUSE_END
                or tok.text in STRONG
                or tok.lower_ in ("to", "from", "with", "for", "over", "by")
            ):
                break
            if _actor(tok) is not None:
                return _coordinated_right(doc, k, hi)
            k += 1
            seen += 1
        return []

    def other_party(self, t: Trigger, exclude: set[str]) -> tuple[str | None, float]:
        doc = t.doc
        sent = t.sent
        best = None
        for k in range(sent.start, sent.end):
            m = _actor(doc[k])
            if m is None or len(m.codes) != 1 or m.codes[0] in exclude:
                continue
            if m.ref == "pronoun" and m.surface.lower() in ("its", "their", "its own"):
                continue  # "... and Kuwait recalled its ambassador": Kuwait's, no partner of this change
            if self.acts_elsewhere(t, k):
                continue  # "X and Y recalled their ambassadors, the same day Z severed relations": Z acts
            if k - 1 >= sent.start and doc[k - 1].lower_ in _CO_ACTOR:
                exclude = exclude | {m.codes[0]}
                continue  # "Bahrain, which followed Riyadh in cutting relations": Riyadh did the same
            d = abs(k - t.start)
            if best is None or d < best[0]:
                best = (d, m.codes[0])
        if best:
            return best[1], 0.85
        sal = self.an.salience
        ranked = sorted((c for c in sal if c not in exclude and c in self.parties), key=lambda c: -sal[c])
        if len(ranked) == 1:
            return ranked[0], 0.7
        if ranked and sal[ranked[0]] >= 2 and sal[ranked[0]] > sal[ranked[1]]:
            return ranked[0], 0.7
        return None, 0.0

    def acts_elsewhere(self, t: Trigger, k: int) -> bool:
        """Is the name at token k the subject right before another trigger of the sentence that names no
        partner itself ("..., the same day Bolivia severed diplomatic relations": with the same state)?"""
        doc = t.doc
        for other in self.an.triggers:
            if other is t or other.doc is not doc or not (k < other.start < t.sent.end):
                continue
            if other.start < t.sent.start or "passive" in other.flags or "intrans" in other.flags:
                continue
            if k < t.start < other.start:
                return False  # the trigger itself comes first: k is its complement
            j = k + 1
            while j < other.start and (
                doc[j].lower_ in AUX_ADV or doc[j].lower_ in ("and", ",") or _actor(doc[j]) is not None
            ):
                j += 1
            if j != other.start:
                continue
            hi = min(t.sent.end, other.end + 6)
            # (up to the next change's subject: "... downgraded relations and Kuwait recalled its ambassador")
            later = [o.start for o in self.an.triggers if o.doc is doc and other.start < o.start < hi]
            if later:
                hi = min(later)
                while hi > other.end and (doc[hi - 1].lower_ in AUX_ADV or _actor(doc[hi - 1]) is not None):
                    hi -= 1
            named = [
                x
                for x in range(other.start, hi)
                if _actor(doc[x]) is not None and doc[x]._.actor.ref != "pronoun"  # not "their ambassadors"
            ]
            if not named:
                return True
        return False

    def embassy_before(self, t: Trigger) -> tuple[str, str] | None:
        """(owner, host) of the last embassy named with both before the trigger ("the Mexican embassy
        in Quito ... the embassy would be closed")."""
        doc = t.doc
        best = None
        for k in range(0, t.head):
            if doc[k].lower_ != "embassy":
                continue
            sent = sentence_of(doc, k)
            mk = self.modifier(doc, k, sent.start)
            hk = self.after_head(doc, k, sent.end, ("in", "to", "at"))
            if mk is None or not hk:
                continue
            owner = self.codes(doc, [mk])
            host = self.codes(doc, hk[:1])
            if owner and host and owner[0] != host[0] and mention_of(doc[mk]).kind != "capital":
                best = (owner[0], host[0])
        return best

    def named_nonstate(self, t: Trigger) -> bool:
        """Does the clause name a partner that is no state ("with the African Union", "and Congo")?"""
        doc = t.doc
        hi = min(t.sent.end, t.end + 6)
        for k in range(t.start, hi):
            if doc[k].lower_ in ("with", "between", "and") and k + 1 < hi:
                j = k + 1
                while j < hi and doc[j].lower_ in ("the", "a", "an"):
                    j += 1
                if j < hi and doc[j].is_title and not is_actor(doc[j]):
                    return True
            if doc[k].lower_ == "with":
                # "cut ties with its long-time kit supplier": a company, a club, a person
                for j in range(k + 1, min(t.sent.end, k + 6)):
                    if doc[j].text in STRONG or doc[j].lower_ in CLAUSE_END:
                        break
                    if doc[j]._.is_actor and doc[j]._.actor.ref != "pronoun":
                        break
                    if doc[j].lower_ in NONSTATE_PARTNERS:
                        return True
        k = t.start - 1
        lo = t.sent.start
        while k > lo and (doc[k].lower_ in AUX_ADV or doc[k].is_digit):
            k -= 1
        return bool(k > lo and doc[k].is_title and not is_actor(doc[k]) and doc[k - 1].lower_ in ("and", "&"))

    def context_pair(self, t: Trigger) -> tuple[str, str] | None:
        """The two states of the passage: a pair reference or "X and Y" nearby, else the two named in
        the previous sentence, when it names exactly two."""
        from .actors import mentions_before

        pos = t.char_start
        if self.last_pair is not None and 0 <= pos - self.last_pair[2] < 600:
            return self.last_pair[0], self.last_pair[
                1
            ]  # "... cut relations with Israel in 2009. Ties were restored"
        near = [m for m in mentions_before(self.an, pos, 400) if m.codes]
        for m in reversed(near):
            if len(m.codes) == 2:
                return m.codes[0], m.codes[1]
        codes: list[str] = []
        for m in reversed(near):
            if len(m.codes) == 1 and m.codes[0] not in codes:
                codes.append(m.codes[0])
        if len(codes) == 2:
            return codes[1], codes[0]
        return None

    def context_subject(self, t: Trigger, exclude: set[str]) -> tuple[str | None, float]:
        """The state acting in the passage when the clause names none."""
        from .actors import mentions_before, subjectish

        pos = t.char_start
        for m in reversed(mentions_before(self.an, pos, 1500)):
            if not m.codes or len(m.codes) != 1 or m.codes[0] in exclude:
                continue
            if subjectish(self.an, m):
                return m.codes[0], 0.75
        return None, 0.0

    # -- per type ------------------------------------------------------------------------------
    def codes(self, doc: Doc, idxs: list[int]) -> list[str]:
        out: list[str] = []
        for i in idxs:
            for c in mention_of(doc[i]).codes:
                if c not in out:
                    out.append(c)
        return out

    def assign(self, t: Trigger) -> list[Candidate]:
        doc = t.doc
        flags = t.flags
        typ = t.type
        if "ellipsis" in flags:
            # "the closure of A's embassy and that of B's": the same change for B
            prev = [
                p
                for p in self.an.triggers
                if p.doc is doc
                and p.sent.start == t.sent.start
                and p.start < t.start
                and p.type.startswith("embassy")
            ]
            if not prev:
                return []
            typ = prev[-1].type
            self.an.coord_parent[id(t)] = prev[-1]
        subj: list[int] = []
        if (
            "passive" not in flags and "intrans" not in flags and not ("leave" in flags and t.head <= t.verb)
        ) or "told" in flags:
            subj = self.subject(t)
            generic = _generic_agent(doc, t.start, t.sent.start)
            if (generic and (not subj or generic == "alone")) or _urged_generic(doc, t.start, t.sent.start):
                return []  # "Several Arab states have restored relations": no state named
        self.subjects[id(t)] = subj
        head_first = t.head < t.verb
        comps = self.complements(t, start=t.head + 1 if head_first else None)
        used = list(subj)
        out: list[tuple[str, str, float, list[int]]] = []

        def emit(a: str | None, b: str | None, conf: float, toks: list[int]) -> None:
            if a and b and a != b:
                out.append((a, b, conf, toks))

        if typ in SYMMETRIC or (typ == "establish"):
            if not _diplomatic(t):
                return []  # "consular relations", "trade ties": not diplomatic relations
            out += self._symmetric(t, subj, comps)
        elif typ in ("embassy_open", "embassy_close"):
            out += self._embassy(t, subj, comps)
        elif typ == "recall_ambassador":
            out += self._recall(t, subj, comps)
        elif typ == "expel_diplomats":
            out += self._expel(t, subj, comps)
        elif typ in ("recognize", "withdraw_recognition"):
            out += self._recognition(t, subj, comps)
        cands = []
        for a, b, conf, toks in out:
            if a == b or a not in self.parties or b not in self.parties:
                continue
            if registry().not_foreign(a, b):
                continue
            c = Candidate(trigger=t, type=typ, a=a, b=b)
            c.confidence = t.rule.confidence * conf
            c.tokens = sorted(set(toks + used + list(range(t.start, t.end))))
            cands.append(c)
        self.targets[id(t)] = [c.b for c in cands]
        if cands and typ == "recognize":
            self.last_recognised = cands[-1].b
        # "Mali and Burkina Faso expelled ... in 2022 and 2023": which acting state is which (for dates)
        if cands and typ in SYMMETRIC:
            self.last_pair = (cands[0].a, cands[0].b, t.char_start)
        actors_in_order = list(dict.fromkeys(c.a for c in cands))
        if len(actors_in_order) > 1 and (t.type not in SYMMETRIC or len({c.b for c in cands}) == 1):
            for c in cands:
                c.subject_index = (actors_in_order.index(c.a), len(actors_in_order))
        return cands

    def _symmetric(self, t: Trigger, subj: list[int], comps: list[tuple[str | None, int]]) -> list:
        doc = t.doc
        lo = t.sent.start
        out = []
        flags = t.flags
        # between X and Y
        btw = [k for g, k in comps if g == "between"]
        if btw:
            ks = _coordinated_right(doc, btw[0], t.sent.end)
            cs = self.codes(doc, ks)
            if len(cs) == 1 and len(mention_of(doc[btw[0]]).codes) == 2:
                cs = list(mention_of(doc[btw[0]]).codes)
            if len(cs) >= 2:
                return [(cs[0], cs[1], 1.0, ks)]
        if "anaphor" in flags:
            # "broke them off in 2002": the relations the passage last named
            a_codes = self.codes(doc, subj)
            if self.last_pair is not None and not a_codes and t.char_start - self.last_pair[2] < 600:
                # "Castillo's government re-established them": the pair itself, when no state is named
                return [(self.last_pair[0], self.last_pair[1], 0.8, [])]
            if self.last_pair is None or not a_codes or a_codes[0] not in self.last_pair[:2]:
                return []
            other = self.last_pair[1] if a_codes[0] == self.last_pair[0] else self.last_pair[0]
            return [(a_codes[0], other, 0.9, list(subj))]
        # a side
        a_toks = list(subj)
        if "passive" in flags or "noun" in flags or not a_toks:
            # "X and Y diplomatic relations", "X-Y relations", "X's relations" right before the head
            k = t.start - 1
            while k >= lo and doc[k].lower_ in (
                "diplomatic",
                "bilateral",
                "political",
                "the",
                "'s",
                "'",
                "formal",
                "official",
                "full",
            ):
                k -= 1
            if k >= lo and _actor(doc[k]) is not None:
                a_toks = _coordinated_left(doc, k, lo)
        inner_poss = [
            k for g, k in comps if k < t.end and g is None and doc[k + 1 : k + 2].text in ("'s", "'")
        ]
        if inner_poss and not a_toks:
            a_toks = inner_poss[:1]
        elif inner_poss and self.codes(doc, inner_poss) != self.codes(doc, a_toks):
            a_toks = inner_poss[:1] if not subj else a_toks
        partners = [k for g, k in comps if g == "with"]
        if not partners and t.type in ("upgrade", "downgrade"):
            # "sent their ambassadors back to Tehran", "its representation in Doha"
            partners = [k for g, k in comps if g in ("to", "in") and k > t.head][:1]
        if partners:
            partners = _coordinated_right(doc, partners[0], t.sent.end)
        a_codes = self.codes(doc, a_toks)
        p_codes = [c for c in self.codes(doc, partners) if c not in a_codes]
        parent = self.an.coord_parent.get(id(t))
        if a_codes and not p_codes and parent is not None:
            # "recognised X and Y as independent states and established relations (with both)", "sent their
            # ambassadors back to Tehran, raising their representation": with the states the verb before names
            targets = [b for b in dict.fromkeys(self.targets.get(id(parent), [])) if b not in a_codes]
            if targets:
                return [(a, b, 0.9, a_toks) for a in a_codes for b in targets]
        if len(a_codes) >= 2 and not p_codes:
            also = any(doc[k].lower_ in ("also", "too") for k in range(max(a_toks) + 1, t.start))
            if (len(a_codes) >= 3 or also) and a_toks == list(subj):
                # "Bahrain, the UAE and Egypt also cut ties": each with the state the passage is about
                # (the partner of the change just told, when these states take its actor's part)
                last = self.last_pair
                if last is not None and last[1] not in a_codes and last[0] not in a_codes:
                    p, conf = last[1], 0.9
                else:
                    p, conf = self.other_party(t, set(a_codes))
                if p:
                    return [(a, p, conf * 0.9, a_toks) for a in a_codes]
            return [(a_codes[0], a_codes[1], 1.0, a_toks)]
        if a_codes and p_codes:
            return [(a, p, 1.0, a_toks + partners) for a in a_codes for p in p_codes]
        if p_codes and not a_codes:
            a, conf = self.context_subject(t, set(p_codes))
            return [(a, p, conf, partners) for p in p_codes] if a else []
        if not a_codes and not p_codes and ("passive" in flags or "intrans" in flags):
            # "Diplomatic contact was cut in 1959": between the two states the passage is about
            pair = self.context_pair(t)
            return [(pair[0], pair[1], 0.7, [])] if pair else []
        if len(a_codes) == 1 and not p_codes:
            if self.named_nonstate(t):
                return []  # "with the African Union": a partner that is no state
            # "X severed diplomatic relations" (with whom the passage says)
            p, conf = self.other_party(t, set(a_codes))
            return [(a_codes[0], p, conf * 0.9, a_toks)] if p else []
        return out

    def _embassy(self, t: Trigger, subj: list[int], comps: list) -> list:
        doc = t.doc
        lo = t.sent.start
        hi = t.sent.end
        head = t.head
        owner_k = self.modifier(doc, head, lo)
        owners = self.codes(doc, [owner_k]) if owner_k is not None else []
        cap_host: list[str] = []
        if (
            owner_k is not None
            and mention_of(doc[owner_k]).kind == "capital"
            and doc[owner_k + 1].lower_ not in ("'s", "'")
        ):
            cap_host, owners, owner_k = owners, [], None  # "the Tehran embassy": the embassy in Tehran
        if not owners:
            of = self.after_head(doc, head, hi, ("of",))
            owners = self.codes(doc, of)
        hosts_k = self.after_head(doc, head, hi, ("in", "to", "at"))
        # "in the city of X", "in X's capital"
        if not hosts_k:
            for preps in (("in", "to", "at"), ("of",)):
                for g, k in comps:
                    if k > head and g in preps and k - head <= 7 and self.codes(doc, [k]) != owners:
                        hosts_k = [k]
                        break
                if hosts_k:
                    break
        hosts = self.codes(doc, hosts_k) or cap_host
        if not hosts_k and doc[head].lower_ == "embassies":
            # "embassies to be opened in both Manama and Jerusalem"
            k = head + 1
            while k < hi and doc[k].lower_ in (
                "to",
                "be",
                "will",
                "would",
                "opened",
                "reopened",
                "closed",
                "shut",
            ):
                k += 1
            if (
                k + 1 < hi
                and doc[k].lower_ in ("in", "at")
                and doc[k + 1].lower_ == "both"
                and _actor(doc[k + 2])
            ):
                hosts_k = _coordinated_right(doc, k + 2, hi)
                hosts = self.codes(doc, hosts_k)
        if len(hosts) == 2 and doc[head].lower_ == "embassies" and not owners and not self.codes(doc, subj):
            # each in the other's capital: the embassy in Manama is Israel's, the one in Jerusalem Bahrain's
            a, b = hosts
            return [(b, a, 1.0, hosts_k), (a, b, 1.0, hosts_k)]
        if "anaphor" in t.flags and not any(
            doc[k].lower_ in ("embassy", "embassies") for k in range(t.sent.start, t.start)
        ):
            return []  # "the mission" stands for an embassy only where one was just named
        if "anaphor" in t.flags and not owners and not hosts:
            last = self.embassy_before(t) or self.last_embassy
            return [(last[0], last[1], 0.8, [])] if last else []
        toks = ([owner_k] if owner_k is not None else []) + hosts_k
        conf = 1.0
        subj_codes = self.codes(doc, subj)
        plural = doc[head].lower_ in BILATERAL_HEADS
        if (
            len(subj_codes) >= 2
            and not hosts
            and subj
            and any(doc[k].lower_ in GENERIC_AGENTS for k in range(max(subj) + 1, t.start))
        ):
            # "Britain, Italy and several other countries reopened their embassies": each its own, in the
            # state the passage is about
            last = self.embassy_before(t) or self.last_embassy
            h, c = (
                (last[1], 0.8) if last and last[1] not in subj_codes else self.other_party(t, set(subj_codes))
            )
            return [(o, h, c, toks + subj) for o in subj_codes if h and o != h]
        if len(owners) == 2 and plural and not hosts:
            a, b = owners
            return [(a, b, 1.0, toks), (b, a, 1.0, toks)]
        if not owners and subj_codes:
            if len(subj_codes) == 2 and plural and not hosts:
                a, b = subj_codes
                return [(a, b, 1.0, toks + subj), (b, a, 1.0, toks + subj)]
            owners = subj_codes[:1]
        elif owners and subj_codes and not hosts and subj_codes[0] not in owners:
            hosts = subj_codes[:1]  # "Nicaragua closed the Taiwanese embassy"
        if (
            not owners
            and not hosts
            and doc[head].lower_ == "embassies"
            and doc[head - 1].lower_ in ("two", "both", "the", "these", "those")
            and self.last_embassies
        ):
            return list(self.last_embassies)  # "the two embassies will close": the ones just named
        definite = head > 0 and doc[head - 1].lower_ in ("the", "this", "that")
        if not owners and not hosts and (doc[head].lower_ == "embassy" or "anaphor" in t.flags) and definite:
            # "the embassy": the one last named with its owner and host
            last = self.embassy_before(t) or self.last_embassy
            if last:
                owners, hosts = [last[0]], [last[1]]
                conf = 0.8
        if owners and not hosts:
            h, c = self.other_party(t, set(owners))
            hosts = [h] if h else []
            conf *= c
        if hosts and not owners:
            o, c = self.context_subject(t, set(hosts))
            owners = [o] if o else []
            conf *= c * 0.9
        out = []
        for o in owners[:1]:
            for h in hosts:
                if o != h:
                    out.append((o, h, conf, toks))
        if out:
            self.last_embassy = (out[0][0], out[0][1])
            self.last_embassies = list(out)
        return out

    def _recall(self, t: Trigger, subj: list[int], comps: list) -> list:
        doc = t.doc
        lo = t.sent.start
        hi = t.sent.end
        head = t.head
        mod = self.modifier(doc, head, lo)
        senders = self.codes(doc, [mod]) if mod is not None else []
        subj_codes = self.codes(doc, subj)
        possessive = mod is not None and mention_of(doc[mod]).ref == "pronoun"
        if not senders or (possessive and subj_codes):
            # "Riyadh, Abu Dhabi and Manama summoned back their ambassadors", "the kingdom expelled Canada's
            # ambassador and recalled its own envoy": "its", "their" are the subject's
            senders = subj_codes or senders
        posts_k = self.after_head(doc, head, hi, ("to", "from", "in", "at", "of"))
        if not posts_k and doc[t.end - 1].lower_ == "out":
            posts_k = self.after_head(doc, t.end - 1, hi, ("of", "from"))  # "pulled its ambassador out of X"
        if not posts_k:
            posts_k = [k for g, k in comps if g in ("from", "to") and k > head][:1]
        posts = [c for c in self.codes(doc, posts_k) if c not in senders]
        conf = 1.0
        if not senders:
            s, c = self.context_subject(t, set(posts))
            senders = [s] if s else []
            conf *= c
        toks = ([mod] if mod is not None else []) + posts_k
        if (
            len(senders) == 2
            and not posts
            and doc[head].lower_ in ("ambassadors", "envoys")
            and len(subj) == 1
            and len(mention_of(doc[subj[0]]).codes) == 2
        ):
            # "In 2009 they recalled their ambassadors", "the two neighbours recalled ...": each from the other
            # (while "Chile and Colombia recalled their ambassadors" both from a third state)
            a, b = senders
            return [(a, b, conf, toks), (b, a, conf, toks)]
        if senders and not posts:
            p, c = self.other_party(t, set(senders))
            posts = [p] if p else []
            conf *= c
        return [(s, p, conf, toks) for s in senders for p in posts if p != s]

    def _expel(self, t: Trigger, subj: list[int], comps: list) -> list:
        doc = t.doc
        lo = t.sent.start
        hi = t.sent.end
        head = t.head
        flags = t.flags
        conf = 1.0
        if "told" in flags:
            told = self.codes(doc, subj)
            by_k = self.after_head(doc, head, hi, ("to", "in"))
            by = self.codes(doc, by_k)
            if not told:
                return []
            if not by:
                b, c = self.other_party(t, set(told))
                by, conf = ([b] if b else []), c
            return [(by[0], told[0], conf, by_k)] if by else []
        mod = self.modifier(doc, head, lo)
        targets_k = [mod] if mod is not None else []
        head_first = head <= t.verb and "leave" in flags
        if head_first:
            # "Iranian diplomats in Canada have been given five days to leave": expelled by where they are
            where = self.after_head(doc, head, hi, ("in", "at"))
            left = [k for g, k in comps if g == "leave"]
            expellers = self.codes(doc, (left or where)[:1])
            targets = [c for c in self.codes(doc, targets_k) if c not in expellers]
            if not expellers:
                e, conf = self.context_subject(t, set(targets))
                expellers = [e] if e else []
            if expellers and not targets:
                tg, conf = self.other_party(t, set(expellers))
                targets = [tg] if tg else []
            return (
                [(expellers[0], tg, conf, targets_k + (left or where)[:1]) for tg in targets[:1]]
                if expellers
                else []
            )
        if not targets_k:
            targets_k = self.after_head(doc, head, hi, ("of",))
        if not targets_k:
            targets_k = [k for g, k in comps if g == "from" and k > head and "passive" not in flags][:1]
        targets = self.codes(doc, targets_k)
        expellers: list[str] = []
        left = [k for g, k in comps if g == "leave"]
        if left and "leave" in flags:
            expellers = self.codes(doc, left[:1])
        if not expellers and "passive" in flags:
            by_k = [k for g, k in comps if g in ("from", "by") and k > head]
            by_w = [k for k in range(t.end, min(hi, t.end + 2)) if doc[k].lower_ == "by"]
            if not by_k and by_w:
                after_by = doc[by_w[0] + 1 : min(hi, by_w[0] + 5)]
                if any(x.lower_ in GENERIC_AGENTS for x in after_by):
                    return []  # "expelled by European governments": no state named
            expellers = self.codes(doc, by_k[:1])
            if not expellers and not targets:
                # "... if its ambassador is expelled": the passage's state is the one expelled
                tg, c = self.context_subject(t, set())
                targets, conf = ([tg] if tg else []), c
        if not expellers:
            expellers = self.codes(doc, subj)
        targets = [c for c in targets if c not in expellers]
        if not expellers:
            e, c = self.context_subject(t, set(targets))
            if not e:
                e, c = self.other_party(t, set(targets))
            expellers, conf = ([e] if e else []), c
        if expellers and not targets:
            tg, c = self.other_party(t, set(expellers))
            targets, conf = ([tg] if tg else []), conf * c
        if not expellers or not targets:
            return []
        if len(targets) > 1 and len(targets_k) == 1 and mention_of(doc[targets_k[0]]).ref != "group":
            targets = targets[:1]
        return [(e, tg, conf, targets_k + left) for e in expellers for tg in targets if tg != e]

    def _recognition(self, t: Trigger, subj: list[int], comps: list) -> list:
        doc = t.doc
        hi = t.sent.end
        flags = t.flags
        actors_in = [k for k in range(t.start, t.end) if _actor(doc[k]) is not None]
        if "by" in flags:
            # "recognition by Spain, Ireland and Norway": of the state last recognised in the passage
            by = _coordinated_right(doc, t.end - 1, hi)
            self.subjects[id(t)] = by
            by_codes = self.codes(doc, by)
            obj = self.last_recognised
            if obj is None:
                obj = _most_about(self.an.salience, set(by_codes))
            return [(a, obj, 0.9, by) for a in by_codes if obj and a != obj]
        if "which" in flags:
            # "Kosovo, which Israel agreed in September to recognise": the antecedent is recognised
            after = [k for k in actors_in if k > t.head]
            subj, actors_in = after[:1], [t.head]
        subj_codes = self.codes(doc, subj)
        conf = 1.0
        if not subj_codes:
            s, c = self.context_subject(t, set(self.codes(doc, actors_in)))
            subj_codes, conf = ([s] if s else []), c
        if not subj_codes:
            return []
        if "switch" in flags:
            frm = [k for k in actors_in if _governed(doc, k, t.sent.start) == "from"]
            to = [k for k in actors_in if k not in frm]
            to_c = self.codes(doc, to[-1:])
            frm_c = self.codes(doc, frm[:1])
            if not frm_c and to_c:
                frm_c = {"CHN": ["TWN"], "TWN": ["CHN"]}.get(to_c[0], [])
            out = []
            a = subj_codes[0]
            if to_c:
                out.append(("recognize", a, to_c[0]))
            if frm_c:
                out.append(("withdraw_recognition", a, frm_c[0]))
            self.an.switches.append((t, out))
            return []
        objs = [k for k in actors_in if k >= t.head]  # not "its" in "revoke its recognition"
        if objs:
            objs = _coordinated_right(doc, objs[-1], hi)
        obj_codes = [c for c in self.codes(doc, objs) if c not in subj_codes]
        pronoun = len(objs) == 1 and mention_of(doc[objs[0]]).ref == "pronoun"
        if pronoun and self.last_recognised and self.last_recognised not in subj_codes:
            obj_codes = [self.last_recognised]  # "among the first to recognise it": the state recognised
        if not obj_codes and len(objs) == 1 and mention_of(doc[objs[0]]).ref == "pronoun":
            # "recognising it in 2008": the state named last before, not the one recognising
            from .actors import mentions_before

            m = mention_of(doc[objs[0]])
            for x in reversed(mentions_before(self.an, m.start, 300)):
                if x.kind != "ref" and len(x.codes) == 1 and x.codes[0] not in subj_codes:
                    obj_codes, conf = [x.codes[0]], conf * 0.9
                    break
        if (
            not objs
            and doc[t.head].lower_ == "recognition"
            and doc[t.head + 1 : t.head + 2].text in ("of", "to")
        ):
            return []  # "announced its recognition of the two entities": of no state
        if not objs and doc[t.head].lower_ == "recognition":
            # "Suriname could revoke its recognition": of the state last recognised in the passage, else of
            # the state the article is most about
            obj = self.last_recognised
            if obj is None or obj in subj_codes:
                # a state whose recognition is in question (Palestine, Kosovo, ...) before any other
                obj = _most_about(self.an.salience, set(subj_codes), prefer=_CONTESTED)
            obj_codes, conf = ([obj] if obj else []), conf * 0.8
        if "newstate" in flags and not obj_codes and "independen" in self.an.low:
            # "recognised the new state": the state whose independence the article is about
            obj = _most_about(self.an.salience, set(subj_codes))
            if obj:
                obj_codes, conf = [obj], conf * 0.8
        out = []
        for a in subj_codes:
            for b in obj_codes:
                out.append((a, b, conf, subj + objs))
        return out


@component("roles")
def make_roles(lex: Lexicon):
    def roles(an: Analysis) -> None:
        r = Roles(an)
        cands: list[Candidate] = []
        for t in an.triggers:
            if t.type == "same":
                cands.extend(_same(r, t, cands))
                continue
            got = r.assign(t)
            if t.type == "establish" and "switch" in t.flags:
                # "switch ties from Taipei to Beijing": established with the one, severed with the other
                got = _switch_ties(r, t, got)
            cands.extend(got)
        for t, pairs in an.switches:
            for typ, a, b in pairs:
                if a != b and a in r.parties and b in r.parties:
                    c = Candidate(trigger=t, type=typ, a=a, b=b, confidence=t.rule.confidence)
                    c.tokens = sorted(set(r.subjects.get(id(t), []) + list(range(t.start, t.end))))
                    cands.append(c)
        an.candidates = cands
        if not cands:
            an.stop("roles", "no trigger with two parties")

    return roles


def _switch_ties(r: Roles, t: Trigger, got: list[Candidate]) -> list[Candidate]:
    doc = t.doc
    subj = r.codes(doc, r.subjects.get(id(t), []))
    actors_in = [k for k in range(t.start, t.end) if _actor(doc[k]) is not None]
    frm = [k for k in actors_in if _governed(doc, k, t.sent.start) == "from"]
    to = [k for k in actors_in if k not in frm]
    to_c = r.codes(doc, to[-1:])
    frm_c = r.codes(doc, frm[:1]) or ({"CHN": ["TWN"], "TWN": ["CHN"]}.get(to_c[0], []) if to_c else [])
    out = []
    if subj and to_c and subj[0] != to_c[0]:
        c = Candidate(
            trigger=t, type=EventType.ESTABLISH.value, a=subj[0], b=to_c[0], confidence=t.rule.confidence
        )
        c.tokens = sorted(set(r.subjects.get(id(t), []) + list(range(t.start, t.end))))
        out.append(c)
    if subj and frm_c and subj[0] != frm_c[0]:
        c = Candidate(
            trigger=t, type=EventType.SEVER.value, a=subj[0], b=frm_c[0], confidence=t.rule.confidence
        )
        c.tokens = sorted(set(r.subjects.get(id(t), []) + list(range(t.start, t.end))))
        out.append(c)
    return out


#: How many words after an elliptical change may hold the change it stands for ("Kuwait did the same the
#: following day, recalling its ambassador": the recall is told, not the change before).
SAME_SPELLED_OUT = 12


SPELLED_OUT_STEMS = (
    "revok", "withdr", "rescind", "recall", "expel", "sever", "cutting", "break", "broke", "suspend",
    "clos", "shut", "open", "reopen", "recogni", "derecogni", "establish", "restor", "downgrad", "upgrad",
    "ordering", "asking", "giving", "declaring",
)  # fmt: skip


def _adjacent(between: str) -> bool:
    """Does the text between two phrases hold no whole sentence (they are in one sentence or in two
    sentences in a row)?"""
    pieces = re.split(r"[.!?][\"”’')]*\s+|\s*\n+\s*", between)
    return not any(p.strip(" -•*") for p in pieces[1:-1])


def _quoted(text: str, pos: int) -> bool:
    """Is ``pos`` inside a quotation of its paragraph?"""
    para = text.rfind("\n", 0, pos) + 1
    return text.count('"', para, pos) % 2 == 1


def _same(r: Roles, t: Trigger, before: list[Candidate]) -> list[Candidate]:
    """An elliptical change: "Bahrain followed suit", "Bulgaria and Slovenia did the same in March",
    "Jordan followed in 1994", "recognition by A last month and by B on June 4". The type and the other
    party are those of the change named just before (in this sentence or the one before it); the acting
    states are this phrase's own (a state that underwent that change and now does the same acts on the
    one that made it: retaliation)."""
    doc = t.doc
    if "by" in t.flags or "after" in t.flags:
        subj = _coordinated_right(doc, t.end - 1, t.sent.end)
    else:
        subj = r.subject(t)
        r.an.coord_parent.pop(id(t), None)  # the modality is this phrase's own
    r.subjects[id(t)] = subj
    actors = r.codes(doc, subj)
    if not actors:
        return []
    # the change it stands for may be spelled out right after it ("took the same step, becoming the first
    # to revoke its recognition"): then that is the change told, not the one before
    for k in range(t.end, min(t.sent.end, t.end + SAME_SPELLED_OUT)):
        if doc[k].lower_.startswith(SPELLED_OUT_STEMS):
            return []
    prev = [c for c in before if c.trigger.doc is doc and c.trigger.end <= t.start]
    if not _quoted(r.an.norm, t.char_start):
        # "'Sierra Leone recognised Kosovo in 2008,' Dacic said. Ghana and Nauru took the same step": the
        # step is the news told, not what a speaker recalls
        told = [c for c in prev if not _quoted(r.an.norm, c.trigger.char_start)]
        prev = told or prev
    if not prev:
        return []
    pt = prev[-1].trigger
    if "by" in t.flags and not ("by" in pt.flags and pt.sent.start == t.sent.start):
        return []
    if t.char_start - pt.char_end > 600 or not _adjacent(r.an.norm[pt.char_end : t.char_start]):
        return []
    out: list[Candidate] = []
    seen: set[tuple[str, str, str]] = set()
    for p in prev:
        if p.trigger is not pt:
            continue
        for a in actors:
            if a == p.a:
                continue
            b = p.a if a == p.b else p.b
            if a == b or (p.type, a, b) in seen or registry().not_foreign(a, b):
                continue
            seen.add((p.type, a, b))
            c = Candidate(trigger=t, type=p.type, a=a, b=b, confidence=t.rule.confidence * 0.95)
            c.tokens = sorted(set(subj + list(range(t.start, t.end))))
            c.notes.append("same as the change before")
            c.antecedent = p
            out.append(c)
    actors_in_order = list(dict.fromkeys(c.a for c in out))
    if len(actors_in_order) > 1:
        for c in out:
            c.subject_index = (actors_in_order.index(c.a), len(actors_in_order))
    return out
