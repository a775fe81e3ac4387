"""Scoring (comity evaluate), the command line (comity extract), and the development data when present."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from comity.cli import app
from comity.evaluate import GoldEvent, GoldItem, date_matches, evaluate, load_gold, prose_agreement
from comity.records import Assertion
from comity.vocab import PartialDate

FIXTURES = Path(__file__).parent / "fixtures" / "news"
runner = CliRunner()


def gold(typ, a, b, d=None, mod="asserted"):
    return GoldEvent.from_dict({"type": typ, "a": a, "b": b, "date": d, "modality": mod})


def pred(typ, a, b, d=None, mod="asserted"):
    return Assertion(type=typ, a=a, b=b, date=PartialDate.parse(d), modality=mod, evidence="x")


def test_dates_match_at_the_gold_precision():
    assert date_matches(PartialDate.parse("2018-07"), PartialDate.parse("2018-07-16"))
    assert not date_matches(PartialDate.parse("2018-07-16"), PartialDate.parse("2018-07"))
    assert date_matches(None, None) and not date_matches(None, PartialDate.parse("2018"))
    assert not date_matches(PartialDate.parse("2018"), None)


def test_scores_per_type_tuple_and_no_news_items():
    items = [
        GoldItem(
            "n1",
            "t",
            date(2024, 2, 15),
            [gold("sever", "PER", "CHL", "2024-02"), gold("recall_ambassador", "PER", "CHL")],
        ),
        GoldItem("n2", "t", date(2024, 2, 15), [gold("establish", "CHN", "KOR", "1992", "asserted")]),
        GoldItem("n3", "t", date(2024, 2, 15), [], kind="hard_negative"),
    ]
    preds = {
        # sever right (symmetric order does not matter), recall with a date the gold does not give
        "n1": [
            pred("sever", "CHL", "PER", "2024-02-12"),
            pred("recall_ambassador", "PER", "CHL", "2024-02-12"),
        ],
        # the background fact right; a made-up change today
        "n2": [pred("establish", "CHN", "KOR", "1992-08-24"), pred("sever", "CHN", "KOR", "2024-02-15")],
        "n3": [pred("expel_diplomats", "PER", "CHL", None, "speculative")],
    }
    rep = evaluate(items, lambda it: preds[it.id])
    d = rep.to_dict()
    assert d["overall"]["tp"] == 2 and d["overall"]["fp"] == 3 and d["overall"]["fn"] == 1
    assert d["by_type"]["recall_ambassador"] == {
        "tp": 0,
        "fp": 1,
        "fn": 1,
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
    }
    assert d["tuple"]["overall"]["tp"] == 3  # the recall matches without its date
    assert d["no_news_items"]["count"] == 2  # n2 (a background fact only) and n3
    assert [x["id"] for x in d["no_news_items"]["with_new_asserted_event"]] == ["n2"]
    assert [m["type"] for m in d["misses"]] == ["recall_ambassador"]
    assert {f["type"] for f in d["false_alarms"]} == {"recall_ambassador", "sever", "expel_diplomats"}


def test_a_crashing_extractor_is_reported_not_fatal():
    def boom(item):
        raise RuntimeError("bad")

    rep = evaluate([GoldItem("x", "t", None, [gold("sever", "PER", "CHL")])], boom)
    assert rep.errors == [{"id": "x", "error": "RuntimeError: bad"}] and rep.overall.fn == 1


def test_cli_extract_json_and_jsonl(tmp_path):
    r = runner.invoke(app, ["extract", str(FIXTURES / "cuba-korea.txt"), "--published", "2024-02-15"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["id"] == "cuba-korea" and out["source"]["kind"] == "news"
    assert {(e["type"], e["a"], e["b"], e["date"]) for e in out["events"]} >= {
        ("establish", "CUB", "KOR", "2024-02-14")
    }
    assert set(out["events"][0]) >= {
        "type",
        "a",
        "b",
        "date",
        "precision",
        "modality",
        "evidence",
        "span",
        "confidence",
    }

    p = tmp_path / "in.jsonl"
    p.write_text(
        json.dumps(
            {"id": "j1", "text": "Chile cut diplomatic ties with Peru on Monday.", "published": "2024-02-15"}
        )
        + "\nnot json\n"
        + json.dumps({"id": "j2", "text": "The match ended in a draw."})
        + "\n",
        encoding="utf-8",
    )
    r = runner.invoke(app, ["extract", str(p)])
    assert r.exit_code == 0
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["j1", "j2"]
    assert lines[0]["events"][0]["date"] == "2024-02-12" and lines[1]["events"] == []
    assert "line 2" in r.stderr


def test_cli_extract_table_and_failures(tmp_path):
    r = runner.invoke(
        app, ["extract", str(FIXTURES / "cuba-korea.txt"), "--published", "2024-02-15", "-f", "table"]
    )
    assert r.exit_code == 0 and "establish" in r.stdout
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    r = runner.invoke(app, ["extract", str(empty)])
    assert r.exit_code == 1 and "empty" in r.stderr
    r = runner.invoke(app, ["extract", str(empty), "--published", "Wednesday"])
    assert r.exit_code == 2
    r = runner.invoke(app, ["extract", "-"], input="Peru recalled its ambassador from Chile on Tuesday.")
    assert r.exit_code == 0 and json.loads(r.stdout.splitlines()[0])["events"][0]["date"] is None


def test_cli_evaluate(tmp_path):
    p = tmp_path / "gold.jsonl"
    items = [
        {"id": "g1", "text": "Chile cut diplomatic ties with Peru on Monday.", "published": "2024-02-15",
         "events": [{"type": "sever", "a": "CHL", "b": "PER", "date": "2024-02-12", "modality": "asserted"}]},
        {"id": "g2", "text": "Peru will open an embassy in Bogotá.", "published": "2024-02-15",
         "events": [{"type": "embassy_open", "a": "PER", "b": "COL", "date": None, "modality": "planned"}]},
    ]  # fmt: skip
    p.write_text("\n".join(json.dumps(x) for x in items), encoding="utf-8")
    assert [i.id for i in load_gold(p)] == ["g1", "g2"]
    r = runner.invoke(app, ["evaluate", str(p), "-f", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["overall"]["f1"] == 1.0 and d["by_type"]["embassy_open"]["tp"] == 1
    r = runner.invoke(app, ["evaluate", str(p)])
    assert r.exit_code == 0 and "F1 1.000" in r.stdout
    r = runner.invoke(app, ["evaluate", str(tmp_path / "missing.jsonl")])
    assert r.exit_code == 2


# -- the development data, when it is there ---------------------------------------------------------


@pytest.mark.shared
def test_news_dev_quality(shared_data):
    items = load_gold(shared_data / "news-dev" / "items.jsonl")
    d = evaluate(items).to_dict()
    assert d["overall"]["precision"] >= 0.9 and d["overall"]["f1"] >= 0.85, d["overall"]
    assert d["no_news_items"]["with_new_asserted_event"] == []
    assert not d["errors"]


@pytest.mark.shared
def test_wikipedia_prose_agrees_with_the_tables(shared_data):
    r = prose_agreement(shared_data / "wikipedia" / "foreign-relations", pages=12)
    assert r["prose_establish_owner"] >= 100
    assert r["share_pair_in_tables"] >= 0.95 and r["share_date_agrees"] >= 0.85, r


def test_our_own_stories_score_fully():
    d = evaluate(load_gold(FIXTURES / "stories.jsonl")).to_dict()
    assert d["overall"]["f1"] == 1.0, (d["misses"], d["false_alarms"])
    assert d["no_news_items"]["count"] == 2 and d["no_news_items"]["with_new_asserted_event"] == []
