"""Throughput of the news extractor, per core, against its ceiling and a naive peer.

    python benchmarks/bench_extract.py [--articles 3000] [--relevant-share 0.1] [--seed 7] [--json out.json]

One command, one process (so the figures are per core). It generates articles from its own
templates (news of all kinds, most about sport, business, weather, science, culture; a share about
diplomatic relations; and near misses that name embassies and states without any change) and
measures, in the same run:

1. ``mixed``: ``comity.extract.extract`` over the mixed stream, articles/s;
2. ``relevant``: the same over the articles about relations only;
3. ``ceiling``: one pass of the pre-filter's Aho-Corasick automaton over the same bytes (lower-cased,
   every hit consumed), the least any extractor built on that pre-filter must do per article;
4. ``peer``: a naive extractor: spaCy's blank English pipeline with an EntityRuler holding every state
   name, run over every article (no pre-filter, no triggers even);

and prints the ratios (ceiling/mixed: how far from the ceiling; mixed/peer: how much faster than the
naive peer). With the Wikipedia corpus at ../shared/data (or $COMITY_SHARED_DATA) its prose is read
at run time as a third stream ("encyclopedic": paragraphs that are nearly all about relations).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from comity.extract import default_pipeline, extract
from comity.extract.lexicon import lexicon
from comity.extract.prefilter import lower_same_length
from comity.states import registry

# -- article templates -------------------------------------------------------------------------------------

FIRST = [
    "Anna",
    "Carlos",
    "Mei",
    "Tomas",
    "Fatima",
    "John",
    "Olga",
    "Ravi",
    "Lena",
    "Kwame",
    "Sofia",
    "Yusuf",
]
LAST = ["Moreno", "Chen", "Okafor", "Novak", "Haddad", "Smith", "Ivanova", "Patel", "Berg", "Mensah", "Rossi"]
CITIES = ["Lyon", "Osaka", "Cordoba", "Leeds", "Porto", "Graz", "Mumbai", "Curitiba", "Busan", "Toulouse"]
TEAMS = ["United", "Rovers", "City", "Athletic", "Wanderers", "Rangers", "Olympic", "Dynamo"]
COMPANIES = ["Northwind", "Helios Energy", "Bluefin Foods", "Arcturus Labs", "Meridian Bank", "Quanta Motors"]

SPORT = [
    "{city} {team} beat {city2} {team2} {n}-{m} on {wd} in front of a crowd of {big}.",
    "{first} {last} scored twice in the second half as {country} eased past {country2} in the qualifier.",
    "The coach said the squad would travel to {city} for a training camp before the tournament.",
    "{first} {last} has signed a three-year contract, the club said in a statement on its website.",
    "Tickets for the final sold out within an hour, organisers said, with prices starting at {n}0 euros.",
    "The injury will keep the midfielder out for at least {n} weeks, according to the medical staff.",
    "Fans gathered outside the stadium hours before kick-off, singing and waving scarves.",
    "The league table is tight at the top, with three points separating the first four sides.",
]
BUSINESS = [
    "Shares in {company} rose {n}.{m} percent on {wd} after the company raised its annual forecast.",
    "{company} said quarterly revenue grew to {big} million dollars, beating analysts' estimates.",
    "The central bank left interest rates unchanged, citing easing inflation and a cooling labour market.",
    "Analysts expect demand for electric vehicles in {country} to grow strongly over the next decade.",
    "The merger, announced in {month}, still needs approval from competition regulators.",
    "{first} {last}, the chief executive, told investors the company would cut costs by {n} percent.",
    "Oil prices slipped as traders weighed rising inventories against supply risks.",
    "The retailer plans to open {n}0 new stores next year, mostly in suburban shopping centres.",
]
WEATHER = [
    "Heavy rain is expected across the north of {country} on {wd}, with up to {n}0 millimetres in places.",
    "Temperatures will climb to {n}{m} degrees by the weekend, forecasters said.",
    "Residents of {city} were advised to stay indoors as strong winds brought down trees and power lines.",
    "The drought has left reservoirs at their lowest level in {n}0 years, the water authority said.",
    "Snow closed several mountain roads overnight and schools in the valley opened two hours late.",
]
SCIENCE = [
    "Researchers at the University of {city} have identified a protein that helps cells repair damaged DNA.",
    "The telescope captured images of a galaxy more than {n} billion light years away.",
    "The study, published in a peer-reviewed journal, followed {big} patients over {n} years.",
    "Engineers said the prototype battery could be charged in under {n}0 minutes.",
    "{first} {last}, who led the team, said the results needed to be confirmed by further trials.",
]
CULTURE = [
    "The festival in {city} will screen {n}0 films from {country}, {country2} and elsewhere this year.",
    "{first} {last}'s new novel follows three generations of a family of fishermen.",
    "The museum reopened its modern art wing after a two-year renovation.",
    "Critics praised the production's staging, though some found the second act too long.",
    "The band announced a world tour that will open in {city} in {month}.",
]
NEAR_MISS = [
    "The {dem} embassy's visa section will close for the holiday on {wd}, the mission said on its website.",
    "{first} {last}, a former ambassador to {country}, has written a memoir about her years in {city}.",
    "Public relations firms in {city} reported strong demand from technology companies.",
    "The two clubs have close ties, and several players have moved between them.",
    "Students from {country} can apply for the scholarship at the embassy until the end of {month}.",
    "The company has built strong relations with suppliers in {country} over the past decade.",
]
TOPICS = [SPORT, BUSINESS, WEATHER, SCIENCE, CULTURE]

RELEVANT_LEAD = [
    "{A} and {B} established diplomatic relations on {wd}, the two governments said in a joint statement.",
    "{A} has cut diplomatic ties with {B}, accusing its neighbour of interfering in its internal affairs.",
    "{A} on {wd} recalled its ambassador to {B} for consultations after a row over remarks by {B}'s president.",
    "{A} expelled {n} {Bdem} diplomats on {wd}, giving them 72 hours to leave the country.",
    "{A} will reopen its embassy in {Bcap} next month, {n} years after it was closed.",
    "{A} and {B} agreed to restore diplomatic relations and to reopen embassies within two months.",
    "{A}'s foreign ministry said it had recognised the State of Palestine.",
    "{A} downgraded its diplomatic relations with {B} to the level of chargé d'affaires.",
    "{A} closed its embassy in {Bcap} on {wd}, citing the deteriorating security situation.",
    "{A} is considering breaking off diplomatic relations with {B}, the prime minister said.",
    "{A} has no plans to expel the {Bdem} ambassador, its foreign minister told parliament.",
    "{A} switched diplomatic recognition from Taipei to Beijing, becoming the latest country to do so.",
]
RELEVANT_BODY = [
    "The two countries first established diplomatic relations in {year}.",
    "Relations between {A} and {B} had been tense for months over a disputed border crossing.",
    "Officials in {Acap} said the decision had been taken after careful consideration.",
    "{B}'s foreign ministry called the move regrettable and said it would respond in due course.",
    "Trade between the two neighbours was worth about {big} million dollars last year.",
    "Analysts said the step could affect regional cooperation on migration and security.",
    "The foreign minister, {first} {last}, is expected to visit {Bcap} later this year.",
    "{A} had last cut ties with {B} in {year}, restoring them a decade later.",
]


def _fill(tpl: str, rnd: random.Random, states: list) -> str:
    a, b = rnd.sample(states, 2)
    c1, c2 = rnd.sample(states, 2)
    return tpl.format(
        A=a.name,
        B=b.name,
        Acap=a.capital or a.name,
        Bcap=b.capital or b.name,
        Bdem=(b.demonym or b.name),
        city=rnd.choice(CITIES),
        city2=rnd.choice(CITIES),
        team=rnd.choice(TEAMS),
        team2=rnd.choice(TEAMS),
        first=rnd.choice(FIRST),
        last=rnd.choice(LAST),
        company=rnd.choice(COMPANIES),
        country=c1.name,
        country2=c2.name,
        dem=c1.demonym or c1.name,
        n=rnd.randint(2, 9),
        m=rnd.randint(0, 9),
        big=rnd.randint(1000, 90000),
        wd=rnd.choice(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]),
        month=rnd.choice(["March", "June", "September", "November"]),
        year=rnd.randint(1950, 2015),
    )


def make_articles(n: int, share: float, seed: int) -> tuple[list[tuple[str, date]], list[tuple[str, date]]]:
    rnd = random.Random(seed)
    states = [s for s in registry() if s.kind == "un_member" and s.capital and s.demonym]
    base = date(2024, 2, 15)
    mixed, relevant = [], []
    for _i in range(n):
        pub = base - timedelta(days=rnd.randint(0, 700))
        if rnd.random() < share:
            paras = [_fill(rnd.choice(RELEVANT_LEAD), rnd, states)]
            paras += [_fill(rnd.choice(RELEVANT_BODY), rnd, states) for _ in range(rnd.randint(4, 8))]
            paras += [_fill(rnd.choice(rnd.choice(TOPICS)), rnd, states) for _ in range(rnd.randint(8, 20))]
            text = "\n\n".join(paras)
            relevant.append((text, pub))
        else:
            topic = rnd.choice(TOPICS)
            paras = [_fill(rnd.choice(topic), rnd, states) for _ in range(rnd.randint(20, 40))]
            if rnd.random() < 0.15:
                paras.insert(rnd.randint(0, len(paras)), _fill(rnd.choice(NEAR_MISS), rnd, states))
            text = "\n\n".join(" ".join(paras[k : k + 3]) for k in range(0, len(paras), 3))
        mixed.append((text, pub))
    return mixed, relevant


def wikipedia_prose(limit: int) -> list[tuple[str, date]]:
    root = Path(
        os.environ.get("COMITY_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    folder = root / "wikipedia" / "foreign-relations"
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.wikitext")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        for para in re.split(r"\n\s*\n", raw):
            if para.startswith(("{", "|", "!", "=", "[[File", "[[Image", "*", "#", "<")) or len(para) < 300:
                continue
            text = re.sub(r"<ref[^>]*/>|<ref[^>]*>.*?</ref>|\{\{[^{}]*\}\}|'''?", "", para, flags=re.S)
            text = re.sub(r"\[\[(?:[^|\]]*\|)?([^\]]*)\]\]", r"\1", text)
            out.append((text, date(2025, 11, 1)))
            if len(out) >= limit:
                return out
    return out


# -- measurements -------------------------------------------------------------------------------------------


def rate(fn, items, min_seconds: float = 1.5) -> float:
    """Items per second of fn over items, repeated until min_seconds have passed (best of the rounds)."""
    best = 0.0
    spent = 0.0
    rounds = 0
    while spent < min_seconds or rounds < 2:
        t0 = time.perf_counter()
        for it in items:
            fn(it)
        dt = time.perf_counter() - t0
        spent += dt
        rounds += 1
        best = max(best, len(items) / dt)
        if rounds >= 20:
            break
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--relevant-share", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()

    lex = lexicon()
    default_pipeline()  # load once, outside the timings
    mixed, relevant = make_articles(args.articles, args.relevant_share, args.seed)
    wiki = wikipedia_prose(1500)
    size = statistics.mean(len(t) for t, _ in mixed)
    print(f"{len(mixed)} mixed articles ({len(relevant)} about relations), mean {size:,.0f} characters")

    def run(item):
        return extract(item[0], published=item[1])

    auto = lex.prefilter

    def ceiling(item):
        for _ in auto.iter(lower_same_length(item[0])):
            pass

    passed = sum(1 for t, p in mixed if default_pipeline().analyse(t, published=p).stopped != "prefilter")
    found = sum(len(run(x)) for x in relevant)

    import spacy

    peer = spacy.blank("en")
    ruler = peer.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    names = sorted({s for s, code, kind in registry().alias_table() if len(s) > 2})
    ruler.add_patterns([{"label": "GPE", "pattern": s} for s in names])

    def naive(item):
        return peer(item[0]).ents

    figures = {
        "mixed": rate(run, mixed),
        "relevant": rate(run, relevant),
        "ceiling": rate(ceiling, mixed),
        "peer": rate(naive, mixed[: max(200, len(mixed) // 5)], min_seconds=1.0),
    }
    if wiki:
        figures["encyclopedic"] = rate(run, wiki, min_seconds=1.0)
    print(
        f"pre-filter passed {passed} of {len(mixed)} mixed articles; {found} events from {len(relevant)} relevant ones"
    )
    print()
    print(f"{'stream':<34}{'articles/s/core':>18}")
    print(f"{'extract, mixed stream':<34}{figures['mixed']:>18,.0f}")
    print(f"{'extract, relevant articles only':<34}{figures['relevant']:>18,.0f}")
    if wiki:
        print(f"{'extract, Wikipedia paragraphs':<34}{figures['encyclopedic']:>18,.0f}")
    print(f"{'ceiling: one automaton pass':<34}{figures['ceiling']:>18,.0f}")
    print(f"{'peer: spaCy blank + EntityRuler':<34}{figures['peer']:>18,.0f}")
    print()
    ratios = {
        "ceiling_over_mixed": figures["ceiling"] / figures["mixed"],
        "mixed_over_peer": figures["mixed"] / figures["peer"],
        "relevant_over_peer": figures["relevant"] / figures["peer"],
    }
    print(f"mixed stream is {ratios['ceiling_over_mixed']:.1f}x below the ceiling (aim: within 4x)")
    print(
        f"mixed stream is {ratios['mixed_over_peer']:.1f}x the naive peer; relevant-only {ratios['relevant_over_peer']:.1f}x"
    )
    print(f"aim 2,000 mixed articles/s/core: {'met' if figures['mixed'] >= 2000 else 'not met'}")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"figures": figures, "ratios": ratios, "args": vars(args)}, indent=2)
        )


if __name__ == "__main__":
    sys.exit(main())
