"""The extractor's shortcuts give what the long way gives: the Matcher skipped where no rule can match,
the quick text normalisation and keyword hits, the group-phrase search, remembered date phrases, the
quick reads of the token attributes, and no reference cycle that would keep a Doc for the collector."""

from __future__ import annotations

import gc
import json
import random
from datetime import date
from pathlib import Path

import pytest
import spacy
from spacy.attrs import SENT_START
from spacy.matcher import Matcher
from spacy.tokens import Doc

from comity.extract import Pipeline, extract
from comity.extract import dates as dates_mod
from comity.extract.actors import _GROUP, group_phrases
from comity.extract.lexicon import MAX_SENTENCE, Rule, lexicon, newline_sentences, normalize_text, unwrap
from comity.extract.pipeline import actor_of, doc_offset, is_actor, mention_of
from comity.extract.prefilter import keyword_hits, lower_same_length

FIXTURES = Path(__file__).parent / "fixtures" / "news"
PUB = date(2024, 2, 15)

RELEVANT = (
    "Maldives restores ties with Iran\n\n"
    "The Maldives and Iran agreed on Tuesday to restore diplomatic relations, seven years after the "
    "island nation cut them. The two countries will reopen their embassies within months, the "
    "foreign ministry in Male said. Iran expelled two Maldivian diplomats in 2016."
)
#: Names a state and an embassy, and has words the rules want, but states no change.
NEAR_MISS = (
    "The Iranian embassy's visa section will close for the holiday on Monday, the mission said.\n\n"
    "Students from Peru can apply for the scholarship at the embassy until the end of March."
)


def _texts() -> list[str]:
    out = [RELEVANT, NEAR_MISS]
    for line in (FIXTURES / "stories.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            out.append(json.loads(line)["text"])
    out.append((FIXTURES / "cuba-korea.txt").read_text(encoding="utf-8"))
    return out


def _rows(assertions) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(a.type.value, a.a, a.b, str(a.date), a.modality.value, a.span, a.confidence) for a in assertions]


# -- the Matcher runs only where a rule can match -------------------------------------------------------


def test_every_rule_needs_its_gate_and_only_words_of_tokens_it_cannot_do_without():
    for rule in lexicon().rules.values():
        if rule.gate:
            assert rule.gate in rule.requires, rule.key
        required = []
        for tok in rule.pattern:
            op = str(tok.get("OP", ""))
            if op in ("?", "*") or op.startswith("{0"):
                continue
            low = tok.get("LOWER")
            if isinstance(low, str):
                required.append(frozenset([low]))
            elif isinstance(low, dict) and "IN" in low:
                required.append(frozenset(low["IN"]))
            elif tok.get("ENT_TYPE") == "STATE":
                required.append(frozenset(["ACTOR"]))
        for need in rule.requires:
            assert need in required, rule.key


def test_skipping_the_matcher_where_no_rule_can_match_changes_nothing(monkeypatch):
    quick = Pipeline()
    # The same pipeline with no needs known: every group's Matcher runs over every run of its gate.
    monkeypatch.setattr(Rule, "requires", property(lambda self: ()))
    slow = Pipeline()
    for text in _texts():
        a = quick.analyse(text, published=PUB)
        b = slow.analyse(text, published=PUB)
        assert [(t.rule.key, t.start, t.end, t.verb, t.head) for t in a.triggers] == [
            (t.rule.key, t.start, t.end, t.verb, t.head) for t in b.triggers
        ]
        assert _rows(a.assertions) == _rows(b.assertions)


def test_an_article_no_rule_can_match_yields_nothing_and_one_that_can_is_processed():
    nlp = Pipeline()
    near = nlp.analyse(NEAR_MISS, published=PUB)
    assert near.stopped == "triggers" and near.assertions == []
    rel = nlp.analyse(RELEVANT, published=PUB)
    assert rel.stopped is None
    assert ("restore", "IRN", "MDV") in {(a.type.value, a.a, a.b) for a in rel.assertions}


def test_a_matcher_of_the_rules_that_may_match_gives_the_group_matchers_matches():
    lex = lexicon()
    groups: dict = {}
    for r in lex.rules.values():
        groups.setdefault(r.gate, []).append(r)
    seen = 0
    for text in _texts():
        for doc in Pipeline().analyse(text, published=PUB).docs:
            for gate, m in lex.gated:
                full = m(doc, with_alignments=True)
                if not full:
                    continue
                hit = {lex.nlp.vocab.strings[k] for k, *_ in full}
                sub = Matcher(lex.nlp.vocab)
                for r in groups[gate]:
                    if r.key in hit:
                        sub.add(r.key, [r.pattern], greedy="LONGEST")
                assert sub(doc, with_alignments=True) == full
                seen += 1
    assert seen > 10


# -- text normalisation and the pre-filter's hits --------------------------------------------------------


def test_normalize_text_maps_only_what_translate_maps():
    from comity.extract.lexicon import _NORM

    assert [chr(k) for k in _NORM if chr(k).isascii()] == ["`"]
    plain = "Cuba and Chile cut ties on Monday."
    assert normalize_text(plain) is plain
    for k in _NORM:
        s = f"Chile{chr(k)}s ties — Perú"
        assert normalize_text(s) == s.translate(_NORM) and chr(k) not in normalize_text(s)
        assert len(normalize_text(s)) == len(s)
    assert normalize_text("Perú cut ties") == "Perú cut ties"


def _hits_reference(low: str) -> list[tuple[int, int, tuple]]:
    words = "abcdefghijklmnopqrstuvwxyz0123456789àáâäçèéêëìíîïñòóôöùúûüß"
    out = []
    for end, value in lexicon().prefilter.iter(low):
        length, cats = value[0], value[1]
        start = end - length + 1
        if start > 0 and low[start - 1] in words:
            continue
        after = low[end + 1] if end + 1 < len(low) else " "
        keep = tuple(c for c, whole in cats if not whole or after not in words)
        if keep:
            out.append((start, end + 1, keep))
    return out


@pytest.mark.parametrize("text", [*_texts(), "no nothing notes no. ties tiesx re-open reopened", "no"])
def test_keyword_hits_are_those_of_the_plain_loop(text):
    low = lower_same_length(normalize_text(text))
    assert keyword_hits(lexicon(), low) == _hits_reference(low)


# -- "the three countries" ---------------------------------------------------------------------------


def test_group_phrases_are_the_patterns_matches():
    rnd = random.Random(3)
    words = ["the", "all the", "these", "three", "Four", "12", "7", "Latin", "American", "Gulf", "countries",
             "Nations", "states", "statesmen", "governments", "capitals", "and", ",", "\n", "(", "x-y", "ſix",
             "countrieſ", "twelve", "eleven", "ten"]  # fmt: skip
    texts = _texts() + [" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 25))) for _ in range(3000)]
    for text in texts:
        low = lower_same_length(text)
        assert [m.span() for m in group_phrases(text, low)] == [m.span() for m in _GROUP.finditer(text)]


# -- dates -------------------------------------------------------------------------------------------


def _date_rows(found) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [
        (d.start, d.end, d.text, d.kind, d.year, d.month, d.day, d.weekday, d.rel, d.n, d.years)
        for d in found
    ]


DATE_TEXTS = [
    "Ties were cut on March 5, 2020 and restored three years AGO.",
    "theMarch 5, 2020 deal",  # a month name that does not start a word
    "in mid-March, 2 days ago, since 1999 and 2001, on Wednesday, the same day",
    "No date here at all.",
    "relations established 14 February 1992, a year later, on Sept. 3rd",
    "cut ties 3 YEARS AGO; ſince 1990; two dayſ ago",
]


@pytest.mark.parametrize("text", DATE_TEXTS + _texts())
def test_find_dates_with_or_without_its_cheap_tests_and_memo(text, monkeypatch):
    plain = _date_rows(dates_mod.find_dates(text, 10))
    memo: dict = {}
    first = dates_mod.find_dates(text, 10, memo=memo)
    assert _date_rows(first) == plain
    if first:
        first[0].start = -5  # a caller's change does not reach the memo
    assert _date_rows(dates_mod.find_dates(text, 10, memo=memo)) == plain
    assert _date_rows(dates_mod.find_dates(text, 0, memo=memo)) == _date_rows(dates_mod.find_dates(text))
    # every pattern tried on every text: the same phrases
    monkeypatch.setattr(dates_mod, "_NEEDS", {kind: () for kind in dates_mod._NEEDS})
    assert _date_rows(dates_mod.find_dates(text, 10)) == plain


# -- sentences ---------------------------------------------------------------------------------------


def _newlines_reference(doc: Doc) -> Doc:
    run = 0
    for i, tok in enumerate(doc[:-1]):
        nxt = doc[i + 1]
        if "\n" in tok.text:
            nxt.is_sent_start = True
        run = 0 if nxt.is_sent_start else run + 1
        if run >= MAX_SENTENCE and (tok.text in (",", ";", "and") or run >= 2 * MAX_SENTENCE):
            nxt.is_sent_start = True
            run = 0
    return doc


def test_line_breaks_and_the_length_limit_end_sentences_as_before():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    rnd = random.Random(7)
    pieces = ["word", "and", ",", ";", "\n", "\n\n", "Title", ".", "  ", "a\nb"]
    texts = _texts() + ["", "a", "\n", "a\n"]
    texts += [" ".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 400))) for _ in range(300)]
    for text in texts:
        for make in (nlp, nlp.make_doc):
            a, b = make(text), make(text)
            assert (
                newline_sentences(a).to_array([SENT_START]).tolist()
                == _newlines_reference(b).to_array([SENT_START]).tolist()
            )


# -- token attributes ----------------------------------------------------------------------------------


def test_quick_reads_of_the_token_attributes_agree_with_spacys():
    an = Pipeline().analyse(RELEVANT, published=PUB)
    doc = an.docs[0]
    assert doc_offset(doc) == doc._.offset
    actors = 0
    for tok in doc:
        assert mention_of(tok) is tok._.actor
        assert is_actor(tok) == tok._.is_actor
        assert actor_of(tok) is (tok._.actor if tok._.is_actor else None)
        actors += bool(is_actor(tok))
    assert actors >= 3


def test_an_analysed_doc_goes_with_its_article_not_with_the_collector():
    extract(RELEVANT, published=PUB)  # warm up
    gc.collect()
    gc.disable()
    try:
        before = sum(isinstance(o, Doc) for o in gc.get_objects())
        for text in _texts():
            extract(text, published=PUB)
        after = sum(isinstance(o, Doc) for o in gc.get_objects())
    finally:
        gc.enable()
    assert after <= before


# -- hard-wrapped text -------------------------------------------------------------------------------------


def test_hard_wrapped_lines_are_joined_keeping_every_offset():
    text = (
        "Ministers sign accord\n\n"
        "The foreign ministers of Chile and Peru said on Monday that the two\n"
        "countries would restore full diplomatic relations, which were cut in\n"
        "2019 after a dispute over fishing rights in the Pacific.\n\n"
        "Officials in both capitals welcomed the step and said embassies would\n"
        "reopen within weeks.\n"
    )
    out = unwrap(text)
    assert len(out) == len(text)
    assert "that the two countries would restore full diplomatic relations, which were cut in 2019" in out
    assert out.startswith("Ministers sign accord\n\n")  # a short line (the headline) keeps its break
    assert "Pacific.\n\nOfficials" in out  # a sentence's end and a paragraph break stay
    assert "would reopen within weeks." in out


def test_text_that_is_not_hard_wrapped_is_left_alone():
    paragraphs = (
        "Chile and Peru agreed on Monday to restore the diplomatic relations that were cut in 2019 over a "
        "long dispute about fishing rights, officials said.\n"
        "Embassies will reopen.\n"
        "- a list item\n- another one\n"
    )
    assert unwrap(paragraphs) == paragraphs
    assert unwrap("one line\nand another") == "one line\nand another"


def test_a_hard_wrapped_article_states_what_it_states_unwrapped():
    import textwrap

    story = (Path(__file__).parent / "fixtures" / "news" / "cuba-korea.txt").read_text(encoding="utf-8")
    wrapped = "\n\n".join(textwrap.fill(p, 66) for p in story.split("\n\n"))

    def events(text: str) -> list[tuple]:
        return sorted(
            (e.type.value, e.a, e.b, str(e.date), e.modality.value) for e in extract(text, published=PUB)
        )

    assert events(wrapped) == events(story)
