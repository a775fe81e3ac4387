"""Stage 6, ``modality``: did it happen, is it planned, denied or only possible? And in what tense?

The cue nearest to the trigger in its clause decides (cues are data: ``data/extract/cues.txt``):
"will", "agreed to", "plans to" make it planned; "could", "is expected to", "considering" make it
speculative; "not", "never", "no plans to", "refused to" make it negated; no cue leaves it asserted.
"decided to" is planned for changes that need both sides (establishing or restoring relations,
opening an embassy) and asserted for one-sided acts (cutting ties, expelling, recalling). A
standing state ("the only state to recognise X", "has no diplomatic relations") is not an event.

The tense of the verb ("has cut", "is expelling", "expels" vs "cut", "had cut") says whether an
undated act is news (it takes the publication date) or background (its date stays unknown);
"previously", "once" and relative clauses ("which have recognised") mark background.
"""

from __future__ import annotations

from spacy.tokens import Doc

from .lexicon import WEEKDAYS, Lexicon
from .pipeline import Analysis, Candidate, Trigger, component, is_actor, sentence_of
from .roles import STRONG

BILATERAL = frozenset({"establish", "restore", "embassy_open"})
STATIVE = frozenset({"recognize", "withdraw_recognition"})
LEFT_STOP = (
    frozenset({"but", "while", "whereas", "although", "though", "however", "which", "who", "whom", "where"})
    | STRONG
)
BACKGROUND = frozenset(
    {"previously", "once", "formerly", "originally", "initially", "first", "ago", "historically"}
)
REPORTING = frozenset(
    [
        "announced",
        "announces",
        "announce",
        "announcing",
        "confirmed",
        "confirms",
        "hailed",
        "hails",
        "welcomed",
        "welcomes",
        "ordered",
        "orders",
        "approved",
        "approves",
        "declared",
        "declares",
        "marked",
        "marks",
        "celebrated",
        "completed",
    ]
)
IRREGULAR_PAST = frozenset(
    [
        "broke",
        "cut",
        "shut",
        "withdrew",
        "froze",
        "threw",
        "told",
        "gave",
        "brought",
        "set",
        "forged",
        "ended",
        "drew",
        "rose",
        "met",
        "took",
        "began",
        "sent",
        "made",
    ]
)
#: Past forms that are also base forms ("will cut", "would set up"): a modal may govern them.
_BASE_TOO = frozenset({"cut", "shut", "set", "put", "quit"})
_PERFECT_OR_PASSIVE = frozenset({"have", "be", "been", "not", "never", "also", "then", "soon", "immediately"})
_MODAL_AUX = frozenset({"will", "would", "could", "may", "might", "shall", "should", "can", "must"})
WINDOW = 12
#: A decision reported in the simple past without a date is the news of the day.
DECISION_PAST = frozenset({"decided", "announced", "ordered", "approved", "confirmed", "declared"})


#: Words a cue is read through ("voted yesterday to", "agreed on Monday to").
TRANSPARENT = (
    frozenset(
        [
            "yesterday",
            "today",
            "tonight",
            "unanimously",
            "overwhelmingly",
            "narrowly",
            "formally",
            "officially",
            "jointly",
        ]
    )
    | WEEKDAYS
)


def _words(doc: Doc, lo: int, hi: int) -> list[str]:
    """The words of [lo, hi) as cues see them: day words, numbers and short asides left out
    ("voted 27-0, with six abstentions, to establish" reads "voted to establish")."""
    out: list[str] = []
    dated = _date_tokens(doc, lo)
    for k in range(lo, hi):
        tok = doc[k]
        w = tok.lower_
        if k in dated and w not in ("to", "that"):
            continue
        if w in TRANSPARENT or (tok.like_num and not is_actor(tok)):
            if out and out[-1] in ("on", "last", "this", "early", "late"):
                out.pop()
            continue
        if w == "-" and (not out or out[-1] in ("-",)):
            continue
        out.append("ACTOR" if is_actor(tok) else w)
    # drop ", aside ," of up to six words
    i = 0
    while i < len(out):
        if out[i] == ",":
            j = i + 1
            while j < len(out) and j - i <= 7 and out[j] != ",":
                j += 1
            if j < len(out) and out[j] == "," and j - i <= 7 and "ACTOR" not in out[i:j]:
                del out[i : j + 1]
                continue
        i += 1
    return [w for w in out if w != "-"]


def _date_tokens(doc: Doc, k: int) -> set[int]:
    """Tokens of date phrases in the sentence of token k ("threatened last year to" reads "threatened to")."""
    sent = sentence_of(doc, k)
    cache = doc.user_data.setdefault("comity_date_tokens", {})
    got = cache.get(sent.start)
    if got is None:
        from .dates import find_dates

        got = set()
        for dm in find_dates(sent.text, memo=doc.user_data.setdefault("comity_dates", {})):
            span = sent.char_span(dm.start, dm.end, alignment_mode="expand")
            if span is not None:
                got.update(range(span.start, span.end))
        cache[sent.start] = got
    return got


def clause_start(doc: Doc, verb: int, limit: int = WINDOW) -> int:
    lo = sentence_of(doc, verb).start
    k = verb - 1
    while k >= lo and verb - k <= limit:
        if doc[k].lower_ in LEFT_STOP or doc[k].text in STRONG:
            return k + 1
        if (
            doc[k].lower_ == "and"
            and k - 1 >= lo
            and doc[k - 1].text in (",", '"', "”", "'")
            and k + 1 < verb
            and (doc[k + 1]._.is_actor or (doc[k + 1].lower_ == "the" and doc[k + 2]._.is_actor))
        ):
            return k + 1  # '... "no war, no peace", and Eritrea and Somalia established': a new clause
        k -= 1
    return max(lo, k + 1)


def find_cues(
    words: list[str],
    table: dict[tuple[str, ...], str],
    max_len: int,
    wild: dict[str, list[tuple[tuple[str, ...], str]]] | None = None,
) -> list[tuple[int, int, str]]:
    found = []
    for p in range(len(words)):
        got = None
        for n in range(min(max_len, len(words) - p), 0, -1):
            m = table.get(tuple(words[p : p + n]))
            if m is not None:
                got = (p, p + n, m)
                break
        if wild and words[p] in wild:
            # "agreed with the new authorities to": "~" stands for any one word
            for pat, m in wild[words[p]]:
                n = len(pat)
                if (
                    (got is None or n > got[1] - got[0])
                    and p + n <= len(words)
                    and all(x == "~" or x == w for x, w in zip(pat, words[p : p + n], strict=True))
                ):
                    got = (p, p + n, m)
                    break
        if got is not None:
            found.append(got)
    # drop cues inside longer ones
    return [
        c
        for c in found
        if not any(
            o is not c and o[0] <= c[0] and c[1] <= o[1] and (o[1] - o[0]) > (c[1] - c[0]) for o in found
        )
    ]


#: Verbs of attitude before a gerund: "Iran welcomes restoring ties" is a wish, not a change.
ATTITUDE = frozenset(["welcome", "welcomes", "welcomed", "welcoming", "favour", "favours", "favor", "favors",
                      "support", "supports", "backs", "eyes", "eyeing", "mulls", "weighs", "proposes"])  # fmt: skip
MODALS = frozenset(["would", "could", "might", "may", "will", "can"])
#: "pledged to cut ties if elected": a condition on the speaker's coming to power.
_IF_ELECTED = (("if", "elected"), ("if", "re", "-", "elected"), ("if", "he", "wins"), ("if", "she", "wins"),
               ("if", "they", "win"), ("if", "it", "wins"), ("should", "he", "win"), ("should", "she", "win"))  # fmt: skip


def hypothetical(t: Trigger) -> str | None:
    """Cues a clause gives outside the left window: a gerund taken as a wish or a subject ("welcomes
    restoring ties", "closing the embassy would ..."), an election condition after it."""
    doc = t.doc
    sent = sentence_of(doc, t.verb)
    v = doc[t.verb]
    if v.lower_.endswith("ing") and t.verb > sent.start:
        prev = doc[t.verb - 1].lower_
        if prev in ATTITUDE:
            return "speculative"
        if prev not in _AUX_WORDS and prev not in ("and", ",") and not is_actor(doc[t.verb - 1]):
            k = t.end
            while k < min(sent.end, t.end + 3) and not doc[k].is_punct:
                if doc[k].lower_ in MODALS:
                    return "speculative"  # "closing the embassy would remove ...": a hypothesis
                k += 1
    words = [doc[k].lower_ for k in range(t.end, min(sent.end, t.end + 14))]
    if "if" not in words and "should" not in words:
        return None  # every condition starts with one of them
    for cond in _IF_ELECTED:
        n = len(cond)
        if any(tuple(words[i : i + n]) == cond for i in range(len(words) - n + 1)):
            return "speculative"
    return None


def not_until(t: Trigger) -> bool:
    """ "ties were not restored until 1988": done, at that date."""
    doc = t.doc
    sent = sentence_of(doc, t.verb)
    return any(
        doc[k].lower_ == "until" and k + 1 < sent.end and (doc[k + 1].like_num or doc[k + 1].is_title)
        for k in range(t.end, min(sent.end, t.end + 4))
    )


def left_modality(lex: Lexicon, t: Trigger, typ: str) -> tuple[str, str | None]:
    mod, cue = _left_modality(lex, t, typ)
    if mod == "asserted" and cue is None and "to" in _aux(t):
        # "for relations with Israel to be suspended": the cue that governs an infinitive is further away
        mod, cue = _left_modality(lex, t, typ, limit=30)
        if mod in ("standing", "question"):
            return "asserted", None
    return mod, cue


def _left_modality(lex: Lexicon, t: Trigger, typ: str, limit: int = WINDOW) -> tuple[str, str | None]:
    doc = t.doc
    verb = t.verb
    lo = clause_start(doc, verb, limit)
    # For head-first phrases ("the embassy ... will close") the words up to the verb count too.
    words = _words(doc, lo, verb)
    if t.start < verb:
        inside = set(range(t.start, verb))
        words = ["ACTOR" if (lo + i) in inside and w == "ACTOR" else w for i, w in enumerate(words)]
    cues = find_cues(words, lex.cues.left, lex.cues.max_len, lex.cues.wild_left)
    cues.sort(key=lambda c: (c[1], c[1] - c[0]))
    for s, e, m in cues:
        if m == "question":
            return "speculative", " ".join(words[s:e])
    v = doc[verb].lower_
    past = _past_form(v)
    for s, e, m in reversed(cues):
        if m == "ignore":
            continue
        if (
            past
            and " ".join(words[s:e]) in _MODAL_AUX
            and (e >= len(words) or words[e] not in _PERFECT_OR_PASSIVE)
        ):
            continue  # "would downgrade relations and told the envoy to leave": no modal governs "told"
        if m == "standing":
            if (typ in STATIVE or words[s:e] == ["yet", "to"]) and len(words) - e <= 6:
                return "standing", " ".join(words[s:e])
            continue
        if m == "decided":
            return ("planned" if typ in BILATERAL else "asserted"), " ".join(words[s:e])
        return m, " ".join(words[s:e])
    # "Maldives to resume ties with Iran" (a headline): planned
    if verb - 2 >= sentence_of(doc, verb).start and doc[verb - 1].lower_ == "to" and is_actor(doc[verb - 2]):
        return "planned", "to"
    return "asserted", None


def right_modality(lex: Lexicon, t: Trigger) -> str | None:
    doc = t.doc
    hi = min(sentence_of(doc, t.start).end, t.end + 10)
    words = []
    for k in range(t.end, hi):
        if doc[k].text in STRONG or doc[k].lower_ in (".", "but", "which", "while"):
            break
        words.append("ACTOR" if is_actor(doc[k]) else doc[k].lower_)
    cues = find_cues(words, lex.cues.right, lex.cues.max_len, lex.cues.wild_right)
    return cues[0][2] if cues else None


def _gerund_subject(t: Trigger) -> bool:
    """Is the trigger a gerund that opens its clause ("... that cutting off relations with Israel was not
    possible")? What is said of it comes after it, as for a noun."""
    doc = t.doc
    v = t.verb
    if not doc[v].lower_.endswith("ing") or v != t.start:
        return False
    lo = sentence_of(doc, v).start
    return v == lo or doc[v - 1].lower_ in ("that", ",", '"', "“", ":")


def tense_of(t: Trigger) -> str:
    doc = t.doc
    if "noun" in t.flags:
        k = t.start - 1
        lo = sentence_of(doc, t.start).start
        while k >= lo and doc[k].lower_ in (
            "the",
            "a",
            "an",
            "its",
            "their",
            "his",
            "her",
            "formal",
            "official",
        ):
            k -= 1
        w = doc[k].lower_ if k >= lo else ""
        if w in REPORTING:
            aux = set()
            j = k - 1
            while j >= lo and k - j <= 3 and doc[j].lower_ in _AUX_WORDS:
                aux.add(doc[j].lower_)
                j -= 1
            if {"has", "have"} & aux:
                return "perfect"
            if "had" in aux:
                return "pluperfect"
            if {"will", "would", "to"} & aux:
                return "modal"
            if w in DECISION_PAST:
                return "present"
            return "past" if w.endswith("ed") else "present"
        return "noun"
    v = doc[t.verb].lower_
    aux = []
    k = t.verb - 1
    lo = sentence_of(doc, t.verb).start
    while k >= lo and t.verb - k <= 4 and doc[k].lower_ in _AUX_WORDS:
        aux.append(doc[k].lower_)
        k -= 1
    if "had" in aux and not ({"has", "have"} & set(aux)):
        return "pluperfect"
    if {"has", "have", "'ve"} & set(aux):
        return "perfect"
    if {"is", "are", "am", "'re", "'s", "must"} & set(aux):
        return "present"
    if {"was", "were"} & set(aux):
        if v.endswith("ing") and _reported(doc, k):
            return "present"  # "said it was expelling": reported speech, happening now
        return "past"
    if {"will", "would", "shall", "could", "may", "might", "must", "to"} & set(aux):
        return "modal"
    if v.endswith("ing"):
        return "participle"
    if v.endswith("ed") or v in IRREGULAR_PAST:
        return "past"
    if v.endswith("s") and not v.endswith("ss"):
        return "present"
    return "base"


_AUX_WORDS = frozenset(
    [
        "has",
        "have",
        "had",
        "is",
        "are",
        "am",
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
        "'s",
        "'re",
        "'ve",
        "to",
        "also",
        "now",
        "just",
        "already",
        "formally",
        "officially",
        "previously",
        "reportedly",
        "finally",
        "abruptly",
        "effectively",
        "unilaterally",
        "again",
        "once",
        "first",
        "not",
        "n't",
        "never",
        "still",
        "recently",
        "jointly",
    ]
)


def _became(t: Trigger) -> bool:
    doc = t.doc
    lo = max(sentence_of(doc, t.verb).start, t.verb - 8)
    return any(doc[k].lower_ in ("became", "becomes", "become") for k in range(lo, t.verb))


def _reported(doc: Doc, k: int) -> bool:
    """Is token k inside the complement of a reporting verb ("said [that] it ...")?"""
    lo = sentence_of(doc, k).start
    for j in range(k, max(lo, k - 6) - 1, -1):
        if doc[j].lower_ in ("said", "says", "announced", "stated", "told", "added", "confirmed"):
            return True
    return False


def _aux(t: Trigger) -> list[str]:
    doc = t.doc
    out = []
    k = t.verb - 1
    lo = sentence_of(doc, t.verb).start
    while k >= lo and t.verb - k <= 3 and doc[k].lower_ in _AUX_WORDS:
        out.append(doc[k].lower_)
        k -= 1
    return out


def is_background(t: Trigger) -> bool:
    doc = t.doc
    lo = max(sentence_of(doc, t.verb).start, t.verb - 6)
    words = {doc[k].lower_ for k in range(lo, t.verb)}
    if words & BACKGROUND:
        return True
    # a relative clause: "Malta and Cyprus, which have recognised ..."
    k = t.verb - 1
    while k >= lo and doc[k].lower_ in _AUX_WORDS:
        k -= 1
    return (
        k >= lo
        and doc[k].lower_ in ("which", "who", "that")
        and k > sentence_of(doc, t.verb).start
        and not is_actor(doc[k - 1])
        and doc[k - 1].lower_ not in ("said", "says", "announced", "stated", "added")
    )


def judge(lex: Lexicon, t: Trigger, typ: str, parent: tuple[Trigger, tuple] | None) -> tuple:
    """(modality, cue, tense, background) of one trigger. ``parent`` is the verb it is coordinated
    with ("shut its embassy, severed relations and ..."), with that verb's judgement."""
    mod, cue = left_modality(lex, t, typ)
    if mod == "negated" and cue in ("not", "n't", "never") and not_until(t):
        mod, cue = "asserted", "not until"
    if mod in ("asserted", "planned", "negated"):
        h = hypothetical(t)
        if h:
            mod, cue = h, "(hypothetical)"
    if parent is not None:
        # a coordinated verb shares its parent's modality (and, without its own auxiliary, tense)
        p, (pmod, pcue, ptense, pbg) = parent
        words = _words(t.doc, p.end, t.verb)
        own = [
            x
            for x in find_cues(words, lex.cues.left, lex.cues.max_len, lex.cues.wild_left)
            if x[2] not in ("ignore", "standing")
        ]
        v = t.doc[t.verb].lower_
        finite_past = _past_form(v)
        # "would downgrade its relations ... and told the ambassador to leave", "agreed to restore ties and
        # restored them in 1988": no modal or "to" governs a past form, so it is a clause of its own
        if finite_past and (pcue in _MODAL_AUX or (pcue or "").endswith(" to")) and not own:
            mod, cue = "asserted", None  # (the modal it saw to its left is the other verb's)
        else:
            if not own:
                mod, cue = pmod, pcue
            if not _aux(t):
                return mod, cue, ptense, pbg
    if ("noun" in t.flags or "intrans" in t.flags or _gerund_subject(t)) and mod == "asserted":
        rm = right_modality(lex, t)
        if rm:
            mod, cue = rm, "(after)"
    tense = tense_of(t)
    background = is_background(t)
    if "speculative" in t.flags and mod in ("asserted", "planned", "standing"):
        mod, cue = "speculative", t.doc[t.verb].lower_  # "is still weighing recognition"
    q = _question(t)
    if q and mod in ("asserted", "planned"):
        mod, cue = q, "(question)"
    if "standing" in t.flags:
        mod, cue = ("negated", "never (refusal)") if _refusal(t) else ("standing", cue)
    elif mod == "negated" and cue == "never" and _past_form(t.doc[t.verb].lower_) and not _refusal(t):
        mod = "standing"  # "its embassies in Kabul never closed": no change, a state of things
    elif typ in STATIVE and mod == "asserted" and background and tense in ("present", "base"):
        mod = "standing"  # "countries that recognise Palestine": a standing state
    if mod != "asserted":
        return mod, cue, tense, background
    if tense == "noun" and cue in ("ceremony", "occasion of", "marking"):
        tense = "present"  # "on the occasion of the opening of the embassy"
    elif tense == "modal" and _became(t):
        tense = "present"  # "X became the latest country to recognise Y"
    if tense in ("modal", "past") and (
        (cue and cue.split()[0] in DECISION_PAST) or t.doc[t.verb].lower_ in DECISION_PAST
    ):
        tense = "present"  # "X decided to cut ties", "X announced the expulsion of": the news itself
    return mod, cue, tense, background


def _past_form(v: str) -> bool:
    return (v.endswith("ed") or v in IRREGULAR_PAST) and v not in _BASE_TOO


def _refusal(t: Trigger) -> bool:
    """ "would never recognise Kosovo", "will not establish relations": a refusal, not a standing state."""
    doc = t.doc
    lo = t.sent.start
    k = t.verb
    while k >= lo and doc[k].lower_ in ("not", "never", "n't", "no", "longer", "ever"):
        k -= 1
    return k >= lo and doc[k].lower_ in ("will", "would", "shall", "wo", "won't")


_YES_NO = frozenset(
    [
        "will",
        "would",
        "could",
        "can",
        "should",
        "shall",
        "may",
        "might",
        "is",
        "are",
        "was",
        "does",
        "do",
        "did",
    ]
    + ["has", "have", "had"]
)


def _question(t: Trigger) -> str | None:
    """A change asked about: "Will Turkey cut ties?" is speculative; in "Who has recalled envoys?" no one
    acts (None when the sentence asks nothing)."""
    doc, sent = t.doc, t.sent
    last = sent.end - 1
    while last > sent.start and doc[last].is_space:
        last -= 1
    if doc[last].text != "?":
        return None
    k = t.verb - 1
    while k >= sent.start and doc[k].lower_ in _YES_NO | {
        "not",
        "n't",
        "already",
        "also",
        "now",
        "ever",
        "yet",
    }:
        k -= 1
    if k >= sent.start and doc[k].lower_ in ("who", "which", "what"):
        return "unknown"
    first = sent.start
    while first < last and not doc[first].is_alpha:
        first += 1
    return "speculative" if doc[first].lower_ in _YES_NO else None


@component("modality")
def make_modality(lex: Lexicon):
    def modality(an: Analysis) -> None:
        keep: list[Candidate] = []
        judged: dict[int, tuple] = {}
        last_tense: dict[tuple[int, int], str] = {}
        parents = an.coord_parent
        for c in an.candidates:
            t = c.trigger
            if id(t) not in judged:
                p = parents.get(id(t))
                parent = (p, judged[id(p)]) if p is not None and id(p) in judged else None
                mod, cue, tense, background = judge(lex, t, c.type, parent)
                sent = (id(t.doc), t.sent.start)
                if tense == "participle" and sent in last_tense:
                    tense = last_tense[sent]  # "is expelling X and recalling Y"
                last_tense[sent] = tense
                judged[id(t)] = (mod, cue, tense, background)
            mod, cue, tense, background = judged[id(t)]
            if mod == "unknown":
                continue  # "Who has recalled envoys?": a question names no one
            if mod == "standing":
                if not an.options.get("include_standing"):
                    continue
                c.notes.append("standing")
                mod = "negated"
            c.modality, c.tense, c.background = mod, tense, background
            if cue:
                c.notes.append(f"cue:{cue}")
            if cue == "not until":
                c.notes.append("not_until")
            keep.append(c)
        an.candidates = keep

    return modality
