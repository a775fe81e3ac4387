"""The extractor's language resources, loaded once: spaCy's blank English pipeline, the trigger
rules compiled to Matcher patterns, the modality cues, the pre-filter keywords and the gazetteer of
state names (from :mod:`comity.states` plus ``data/extract/references.json``).

Everything here is data from ``comity/data/extract/``; the stages only use it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import ahocorasick
import spacy
from spacy.attrs import ORTH, SENT_START
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Token

from ..vocab import EventType

DATA = ("data", "extract")

#: The entity label of a state mention (one token each) in the tokenised text.
STATE_LABEL = "STATE"

#: Tokens a gap ("_") never crosses.
#: Day and month names, lower case (the stages skip or read through them).
WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
MONTHS = frozenset(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october"]
    + ["november", "december"]
)
BOUNDARY = [".", ";", ":", "!", "?", "—", "–", "\n", "\n\n", '"', "“", "”"]


def _read(name: str) -> str:
    return resources.files("comity").joinpath(*DATA, name).read_text(encoding="utf-8")


# -- text normalisation ---------------------------------------------------------------------------

_NORM = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "`": "'",
        "´": "'",
        "ʼ": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "‐": "-",
        "‑": "-",
        "\u00ad": "-",
    }
)
_NORM_CHARS = tuple(chr(k) for k in _NORM)


def normalize_text(text: str) -> str:
    """Same length as ``text``: typographic quotes and hyphens to ASCII and hard-wrapped lines joined
    (see :func:`unwrap`), so offsets carry over."""
    if "\n" in text:
        text = unwrap(text)
    # str.translate is slow; most texts hold none of the characters it maps (and when a text is
    # ASCII, the backtick is the only one it can hold).
    if text.isascii():
        return text.translate(_NORM) if "`" in text else text
    for ch in _NORM_CHARS:
        if ch in text:
            return text.translate(_NORM)
    return text


#: Hard-wrapped text (wire copy, e-mail, plain-text archives) breaks its lines near one width.
_WRAP_MIN_WIDTH, _WRAP_MAX_WIDTH, _WRAP_MIN_LINES = 40, 120, 3
_ENDS = (".", "!", "?", ":", '"', "\u201d")
_LIST_START = re.compile(r"[ \t]*(?:[-*•–—]|\d+[.)])\s")


def unwrap(text: str) -> str:
    """``text`` with the line breaks of hard wrapping turned into spaces (same length).

    A text is hard-wrapped when at least three of its lines fill most of one width (the 90th percentile
    of its line lengths, between 40 and 120 characters). There a line that fills most of that width and is
    followed by a line of text (not a blank line, not a list item) runs on, unless it ends a sentence: the
    sentence goes on over the break. A short line (a headline, a dateline, a paragraph's last line) keeps its break, and so does any
    text whose lines are paragraphs of their own.
    """
    lines = text.split("\n")
    if len(lines) < _WRAP_MIN_LINES + 1:
        return text
    lengths = sorted(len(x.rstrip()) for x in lines if x.strip())
    if len(lengths) < _WRAP_MIN_LINES:
        return text
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not _WRAP_MIN_WIDTH <= width <= _WRAP_MAX_WIDTH:
        return text
    full = int(0.7 * width)
    if sum(1 for n in lengths if full <= n <= width) < _WRAP_MIN_LINES:
        return text
    out = list(text)
    pos = 0
    for i, line in enumerate(lines[:-1]):
        pos += len(line)  # pos: the index of this line's "\n"
        nxt = lines[i + 1]
        body = line.rstrip()
        if len(body) >= full and not body.endswith(_ENDS) and nxt.strip() and not _LIST_START.match(nxt):
            out[pos] = " "
        pos += 1
    return "".join(out)


# -- spaCy ------------------------------------------------------------------------------------------

if not Token.has_extension("actor"):
    Token.set_extension("actor", default=None)
if not Token.has_extension("is_actor"):
    Token.set_extension("is_actor", default=False)
if not Doc.has_extension("offset"):
    Doc.set_extension("offset", default=0)


#: A sentence longer than this (tokens) is cut at its next comma, semicolon or "and"; one of twice
#: this length anywhere: an endless sentence must not make the later stages quadratic.
MAX_SENTENCE = 80


@Language.component("comity_newlines")
def newline_sentences(doc: Doc) -> Doc:
    """A line break ends a sentence (headlines, captions and list items have no full stop), and so
    does the length limit."""
    n = len(doc)
    if n < 2:
        return doc
    # Over arrays (a Token object per read is slow); the starts it sets are written back at the end.
    arr = doc.to_array([ORTH, SENT_START])
    orths = arr[:, 0].tolist()
    starts = arr[:, 1].tolist()
    strings = doc.vocab.strings
    new: list[int] = []
    run = 0
    for i in range(n - 1):
        text = strings[orths[i]]
        if "\n" in text and starts[i + 1] != 1:
            starts[i + 1] = 1
            new.append(i + 1)
        run = 0 if starts[i + 1] == 1 else run + 1
        if run >= MAX_SENTENCE and (text in (",", ";", "and") or run >= 2 * MAX_SENTENCE):
            if starts[i + 1] != 1:
                starts[i + 1] = 1
                new.append(i + 1)
            run = 0
    for j in new:
        doc[j].is_sent_start = True
    return doc


def make_nlp() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("comity_newlines")
    nlp.max_length = 3_000_000
    return nlp


# -- the trigger DSL --------------------------------------------------------------------------------


@dataclass
class Rule:
    key: str  # unique matcher key
    type: str  # an EventType value, "block", or "same" (the change named just before, by another state)
    flags: frozenset[str]
    confidence: float
    source: str
    pattern: list[dict]
    marks: dict[int, str]  # pattern index -> "verb" | "head"
    left: tuple[frozenset[str], ...] = ()  # words looked for to the left of a match ("A ... B")
    left_head: int = -1  # which of them is the head

    @property
    def gate(self) -> frozenset[str]:
        """Words one of which must be in a text for the rule to match there: the head's (or the verb's,
        or the first required word's) alternatives. Rules are only run where their gate is open."""
        order = [i for i, m in self.marks.items() if m == "head"] + [
            i for i, m in self.marks.items() if m == "verb"
        ]
        order += [
            i
            for i, tok in enumerate(self.pattern)
            if tok.get("OP") not in ("?", "*") and not str(tok.get("OP", "")).startswith("{0")
        ]
        for i in order:
            tok = self.pattern[i]
            if tok.get("OP") in ("?", "*") or str(tok.get("OP", "")).startswith("{0"):
                continue
            low = tok.get("LOWER")
            if isinstance(low, str):
                return frozenset([low])
            if isinstance(low, dict) and "IN" in low:
                return frozenset(low["IN"])
        return frozenset()

    @property
    def requires(self) -> tuple[frozenset[str], ...]:
        """For each token the pattern cannot do without, the words one of which it must be (``ACTOR``
        for a state mention). A stretch of text that lacks all the words of one of them holds no match
        of the rule, so the Matcher need not run there."""
        out = []
        for tok in self.pattern:
            op = str(tok.get("OP", ""))
            if op in ("?", "*", "!") or op.startswith(("{0", "{,")):
                continue
            low = tok.get("LOWER")
            if isinstance(low, str):
                out.append(frozenset([low]))
            elif isinstance(low, dict) and set(low) == {"IN"}:
                out.append(frozenset(low["IN"]))
            elif tok.get("ENT_TYPE") == STATE_LABEL:
                out.append(frozenset(["ACTOR"]))
        return tuple(out)


_QUANT = re.compile(r"^(.*?)(\?|\*|\+|\{\d*,\d*\})?$")


def compile_pattern(text: str, macros: dict[str, list[str]]) -> tuple[list[dict], dict[int, str]]:
    """One rule's pattern text to a spaCy Matcher pattern, and which positions are verb and head."""
    out: list[dict] = []
    marks: dict[int, str] = {}
    for raw in text.split():
        mark = None
        if raw.startswith("^"):
            mark, raw = "verb", raw[1:]
        elif raw.startswith("#"):
            mark, raw = "head", raw[1:]
        m = _QUANT.match(raw)
        assert m is not None
        atom, quant = m.group(1), m.group(2)
        if atom == "ACTOR":
            tok: dict = {"ENT_TYPE": STATE_LABEL}
        elif atom == "EOL":
            tok = {"IS_SPACE": True}
        elif atom == "NUM":
            tok = {"LIKE_NUM": True}
        elif atom == "Title":
            tok = {"IS_TITLE": True, "ENT_TYPE": {"NOT_IN": [STATE_LABEL]}}
        elif atom == "_":
            tok = {"ORTH": {"NOT_IN": BOUNDARY}}
        elif atom.startswith("!"):
            words = _words(atom[1:], macros)
            tok = {"LOWER": {"NOT_IN": words + BOUNDARY}}
        else:
            words = _words(atom, macros)
            tok = {"LOWER": words[0]} if len(words) == 1 else {"LOWER": {"IN": words}}
        if quant:
            tok["OP"] = quant
        if mark:
            marks[len(out)] = mark
        out.append(tok)
    return out, marks


def _words(atom: str, macros: dict[str, list[str]]) -> list[str]:
    words: list[str] = []
    for part in atom.split("|"):
        if part.startswith("@"):
            if part[1:] not in macros:
                raise ValueError(f"triggers.txt: unknown macro {part}")
            words += macros[part[1:]]
        elif part:
            words.append(part.lower())
    return list(dict.fromkeys(words))


def parse_rules(text: str) -> list[Rule]:
    macros: dict[str, list[str]] = {}
    rules: list[Rule] = []
    known = {t.value for t in EventType} | {"block", "same"}
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            name, _, words = line.partition("=")
            macros[name.strip()[1:]] = [w.lower() for w in words.split()]
            continue
        parts = [p.strip() for p in line.split("|", 2)]
        if len(parts) != 3 or parts[0] not in known:
            raise ValueError(f"triggers.txt line {lineno}: not 'type | flags | pattern': {line!r}")
        etype, flag_text, pattern_text = parts
        flags: set[str] = set()
        conf = 0.9
        for f in (x.strip() for x in flag_text.split(",") if x.strip()):
            if f.startswith("conf="):
                conf = float(f[5:])
            else:
                flags.add(f)
        left: tuple[frozenset[str], ...] = ()
        left_head = -1
        right_text = pattern_text
        if " ... " in pattern_text:
            left_text, right_text = pattern_text.split(" ... ", 1)
            specs = []
            for i, atom in enumerate(left_text.split()):
                if atom.startswith("#"):
                    left_head, atom = i, atom[1:]
                specs.append(frozenset(_words(atom, macros)))
            left = tuple(specs)
        pattern, marks = compile_pattern(right_text, macros)
        rules.append(
            Rule(
                f"{etype}#{lineno}",
                etype,
                frozenset(flags),
                conf,
                pattern_text,
                pattern,
                marks,
                left,
                left_head,
            )
        )
    return rules


# -- modality cues ----------------------------------------------------------------------------------


@dataclass
class Cues:
    left: dict[tuple[str, ...], str] = field(default_factory=dict)
    right: dict[tuple[str, ...], str] = field(default_factory=dict)
    max_len: int = 1
    # phrases with "~" (any one token), by their first word: "agreed with ~ ~ to"
    wild_left: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    wild_right: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)


def parse_cues(text: str) -> Cues:
    cues = Cues()
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        modality, side, phrase = (p.strip() for p in line.split("|", 2))
        toks = tuple(phrase.lower().split())
        if "~" in toks[1:]:
            wild = cues.wild_left if side == "left" else cues.wild_right
            wild.setdefault(toks[0], []).append((toks, modality))
            wild[toks[0]].sort(key=lambda x: -len(x[0]))
        else:
            (cues.left if side == "left" else cues.right)[toks] = modality
        cues.max_len = max(cues.max_len, len(toks))
    return cues


# -- prefilter keywords -----------------------------------------------------------------------------


def parse_prefilter(text: str) -> list[tuple[str, str, bool]]:
    """(category, keyword, whole_word) triples."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        cat, word = (p.strip() for p in line.split("|", 1))
        whole = word.endswith("$")
        out.append((cat, word.rstrip("$").lower(), whole))
    return out


# -- gazetteer --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    surface: str
    codes: tuple[str, ...]  # empty for a blocker
    kind: str  # name | abbreviation | capital | demonym | government | former_name | block | ref
    ref: str | None = None  # pair | pronoun | desc | fixed_pair
    ref_codes: tuple[str, ...] = ()
    requires_any: tuple[str, ...] = ()
    case_sensitive: bool = False


#: Parties in the output: entities with an ISO 3166 code, and these (others, such as Somaliland or the
#: Donetsk "republic", are named in the news but are not labelled as parties).
OTHER_PARTIES = frozenset({"XKX", "TWN", "PSE", "VAT", "ESH"})


@dataclass
class Gazetteer:
    automaton: ahocorasick.Automaton
    entries: dict[str, list[Entry]]
    missing_aliases: list[tuple[str, str, str]]
    names: dict[str, str]


def build_gazetteer(refs: dict) -> Gazetteer:
    from ..states import registry

    reg = registry()
    allowed = {s.code for s in reg if s.iso or s.code in OTHER_PARTIES}
    table: dict[str, list[Entry]] = {}

    def add(e: Entry) -> None:
        key = e.surface.lower()
        if not key.strip():
            return
        lst = table.setdefault(key, [])
        if e not in lst:
            lst.append(e)

    known = set()
    for surface, code, kind in reg.alias_table():
        surface = normalize_text(surface.strip())
        if not surface or len(surface) < 2:
            continue
        known.add((surface.lower(), code))
        if code not in allowed:
            add(Entry(surface, (), "block"))
            continue
        cs = kind == "abbreviation" or (surface.isupper() and len(surface) <= 5)
        add(Entry(surface, (code,), kind, case_sensitive=cs))
    missing = []
    for surface, code, kind in refs.get("aliases", []):
        if (surface.lower(), code) in known or code not in reg:
            continue
        missing.append((surface, code, kind))
        cs = kind == "abbreviation" or (surface.isupper() and len(surface) <= 5)
        add(Entry(surface, (code,), kind, case_sensitive=cs))
    for surface in refs.get("blockers", []):
        if not any(e.codes for e in table.get(surface.lower(), [])):
            add(Entry(surface, (), "block"))
    for d in refs.get("descriptors", []):
        for phrase in d["phrases"]:
            add(
                Entry(
                    phrase,
                    (),
                    "ref",
                    ref="desc",
                    ref_codes=tuple(d["codes"]),
                    requires_any=tuple(d.get("requires_any", ())),
                )
            )
    regions = refs.get("regions", {})
    for region, codes in regions.get("codes", {}).items():
        for noun in regions.get("nouns", []):
            add(Entry(f"the {region} {noun}", (), "ref", ref="desc", ref_codes=tuple(codes)))
    for phrase, codes in refs.get("fixed_pairs", {}).items():
        add(Entry(phrase, (), "ref", ref="fixed_pair", ref_codes=tuple(codes)))
    for phrase in refs.get("pairs", []):
        add(Entry(phrase, (), "ref", ref="pair"))
    for phrase in refs.get("pronouns", []):
        add(Entry(phrase, (), "ref", ref="pronoun"))
    # Merge entries of one surface: several codes of one kind make an ambiguous name ("Congo").
    entries: dict[str, list[Entry]] = {}
    for key, lst in table.items():
        states = [e for e in lst if e.kind not in ("block", "ref")]
        if states:
            by_kind: dict[str, set[str]] = {}
            for e in states:
                by_kind.setdefault(e.kind, set()).update(e.codes)
            # A name beats a weaker kind of the same surface ("Georgia" the name, not a capital).
            order = ("name", "abbreviation", "former_name", "government", "capital", "demonym", "ambiguous")
            kind = min(by_kind, key=lambda k: order.index(k) if k in order else 99)
            codes = tuple(sorted(by_kind[kind]))
            cs = any(e.case_sensitive for e in states if e.kind == kind)
            entries[key] = [Entry(states[0].surface, codes, kind, case_sensitive=cs)]
        else:
            entries[key] = [lst[0]]
    auto = ahocorasick.Automaton()
    for key, lst in entries.items():
        auto.add_word(key, (key, lst[0]))
    auto.make_automaton()
    names = {s.code: s.name for s in reg}
    return Gazetteer(auto, entries, missing, names)


# -- everything together ----------------------------------------------------------------------------


@dataclass
class Lexicon:
    nlp: Language
    rules: dict[str, Rule]
    matcher: Matcher
    gated: list[tuple[frozenset[str], Matcher]]
    cues: Cues
    prefilter: ahocorasick.Automaton
    prefilter_words: list[tuple[str, str, bool]]
    gazetteer: Gazetteer
    references: dict


@cache
def lexicon() -> Lexicon:
    nlp = make_nlp()
    rules = {r.key: r for r in parse_rules(_read("triggers.txt"))}
    matcher = Matcher(nlp.vocab, validate=True)
    groups: dict[frozenset[str], Matcher] = {}
    for r in rules.values():
        matcher.add(r.key, [r.pattern], greedy="LONGEST")
        gate = r.gate
        if gate not in groups:
            groups[gate] = Matcher(nlp.vocab)
        groups[gate].add(r.key, [r.pattern], greedy="LONGEST")
    gated = sorted(groups.items(), key=lambda kv: -len(kv[0]))
    cues = parse_cues(_read("cues.txt"))
    words = parse_prefilter(_read("prefilter.txt"))
    auto = ahocorasick.Automaton()
    grouped: dict[str, list[tuple[str, bool]]] = {}
    for cat, word, whole in words:
        grouped.setdefault(word, []).append((cat, whole))
    for word, cats in grouped.items():
        # (length, (category, whole word)..., categories at a word end, categories inside a word)
        at_end = tuple(c for c, _whole in cats)
        inside = tuple(c for c, whole in cats if not whole)
        auto.add_word(word, (len(word), tuple(cats), at_end, inside))
    auto.make_automaton()
    refs = json.loads(_read("references.json"))
    return Lexicon(nlp, rules, matcher, gated, cues, auto, words, build_gazetteer(refs), refs)


def missing_aliases() -> list[tuple[str, str, str]]:
    """Names the extractor needed that ``data/aliases.csv`` does not have (taken from references.json)."""
    return lexicon().gazetteer.missing_aliases
