"""Exports for the analyst's toolbox, written to real files and read back: CSV, JSON lines, Parquet (pyarrow),
GraphML (networkx); pair-years; the network; event codes; the Python API's frames."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date

import pytest
from typer.testing import CliRunner

import comity
from comity.cli import app
from comity.codes import GDELT_READING, cameo_country, event_code, event_codes
from comity.export import COLUMNS, ExportError, events_rows, export, network_tables, pairyears_rows
from comity.frames import MissingExtra, Rows, require
from comity.query import Partner, QueryError, Record
from comity.records import Assertion, Document, Source, content_hash
from comity.store import Store
from comity.vocab import EventType, PartialDate

AS_OF = "2024-02-15"


def page(subject: str, name: str, rows: list[tuple], extra: list[Assertion] | None = None) -> Document:
    """A "Foreign relations of X" page: rows are (partner, date, marker?)."""
    assertions = []
    for pos, (partner, d, *marker) in enumerate(rows, 1):
        assertions.append(
            Assertion(
                "establish",
                subject,
                partner,
                PartialDate.parse(d),
                evidence=f"{pos} | {partner} | {d}",
                extractor="wikipedia-list",
                detail={"table": "list", "position": pos},
            )
        )
        if marker:
            assertions.append(
                Assertion(
                    marker[0],
                    subject,
                    partner,
                    None,
                    evidence=f"{partner} ({marker[0]})",
                    extractor="wikipedia-list",
                    detail={"table": "list", "marker": marker[0]},
                )
            )
    assertions += extra or []
    title = f"Foreign relations of {name}"
    src = Source(
        "wikipedia",
        title,
        content_hash(repr(rows) + repr(extra)),
        url=f"https://en.wikipedia.org/wiki/{title}",
        retrieved=date(2025, 11, 1),
    )
    return Document(src, assertions, [], subject)


def news(title: str, published: str, *assertions: Assertion) -> Document:
    src = Source(
        "news",
        title,
        content_hash(title + published),
        url=f"https://news.example/{len(title)}",
        outlet="Example Wire",
        published=date.fromisoformat(published),
    )
    return Document(src, list(assertions))


DOCS = [
    page(
        "KOR",
        "South Korea",
        [("GBR", "1949-01-18"), ("USA", "1949-03-25"), ("CUB", "2024-02-14"), ("SYR", "2025-04-10")],
    ),
    page("CUB", "Cuba", [("PRK", "1960-08-29"), ("KOR", "2024-02-14"), ("CAN", "1945-03-16")]),
    page("XKX", "Kosovo", [("KOR", "2009-02-20")]),
    page(
        "USA",
        "United States",
        [("IRN", "1883", "sever"), ("KOR", "1949-03-24")],
        extra=[
            Assertion(
                "sever",
                "USA",
                "IRN",
                PartialDate.parse("1980"),
                evidence="Diplomatic relations severed in 1980",
                extractor="wikipedia-bilateral",
                detail={"table": "bilateral"},
            ),
        ],
    ),
    news(
        "Havana and Seoul to open embassies",
        "2024-02-15",
        Assertion("embassy_open", "KOR", "CUB", None, modality="planned", evidence="plan to open embassies"),
    ),
]


@pytest.fixture
def record(any_store):
    any_store.add_many(DOCS)
    return Record(any_store)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "record.db"
    with Store.open(path, seed=False) as store:
        store.add_many(DOCS)
    return str(path)


def by_type(rows, etype, pair=None):
    return [r for r in rows if r["type"] == etype and (pair is None or {r["a"], r["b"]} == set(pair))]


# -- event codes ----------------------------------------------------------------------------------------
def test_every_event_type_has_its_cameo_code_and_plover_category():
    codes = event_codes()
    assert set(codes) == {t.value for t in EventType}
    assert (codes["establish"].cameo, codes["establish"].plover, codes["establish"].cameo_exact) == (
        ("054",),
        "SUPPORT",
        True,
    )
    assert codes["sever"].cameo == ("161",) and codes["sever"].plover == "SANCTION"
    assert codes["expel_diplomats"].plover_mode == "expel" and codes["expel_diplomats"].cameo_exact
    # Where CAMEO has no code of its own, the table says so.
    for etype in ("restore", "suspend", "embassy_open", "embassy_close", "withdraw_recognition"):
        assert not codes[etype].cameo_exact and "No CAMEO" in codes[etype].note
    # Reading CAMEO back gives a type that CAMEO codes with that very code.
    for cameo, etype in GDELT_READING.items():
        assert cameo in event_code(etype).cameo


def test_cameo_country_codes_with_their_exceptions_and_regions():
    assert cameo_country("KOR") == ("KOR", None)
    assert cameo_country("ROM") == ("ROU", None)  # CAMEO keeps the old code for Romania
    assert cameo_country("TMP") == ("TLS", None) and cameo_country("MTN") == ("MNE", None)
    assert cameo_country("EUR")[0] is None and "region" in cameo_country("EUR")[1]
    assert cameo_country("")[1] == "no country code"
    assert "not a state" in cameo_country("ZZZ")[1]


# -- events ------------------------------------------------------------------------------------------------
def test_events_carry_dates_codes_and_every_supporting_source(record):
    rows = list(events_rows(record))
    assert len(rows) == record.store.counts()["events"]
    ties = by_type(rows, "establish", ("KOR", "CUB"))[0]
    assert (ties["a"], ties["b"], ties["date"], ties["precision"], ties["directed"]) == (
        "CUB",
        "KOR",
        "2024-02-14",
        "day",
        False,
    )
    assert (ties["cameo"], ties["cameo_label"], ties["plover"]) == (
        "054",
        "Grant diplomatic recognition",
        "SUPPORT",
    )
    assert sorted(ties["source_titles"]) == ["Foreign relations of Cuba", "Foreign relations of South Korea"]
    assert len(ties["source_urls"]) == len(ties["quotes"]) == ties["n_sources"] == 2
    sever = by_type(rows, "sever", ("USA", "IRN"))[0]
    assert (sever["date"], sever["precision"], sever["earliest"], sever["latest"]) == (
        "1980",
        "year",
        "1980-01-01",
        "1980-12-31",
    )
    assert (sever["cameo"], sever["plover"], sever["plover_mode"], sever["n_sources"]) == (
        "161",
        "SANCTION",
        "sever",
        2,
    )
    plan = by_type(rows, "embassy_open")[0]
    assert (plan["date"], plan["happened_by"], plan["modality"], plan["cameo_exact"]) == (
        None,
        "2024-02-15",
        "planned",
        False,
    )
    # Two pages give the US–Korea establishment different days: both readings travel with the event.
    usa = by_type(rows, "establish", ("USA", "KOR"))[0]
    assert {d["date"] for d in usa["disputed_dates"]} == {"1949-03-24", "1949-03-25"}


def test_events_as_of_a_day_leave_out_what_came_later(record):
    types = {(r["type"], r["a"], r["b"]) for r in events_rows(record, "2000-01-01")}
    assert ("sever", "IRN", "USA") in types and ("establish", "CAN", "CUB") in types
    assert not any(t[0] == "embassy_open" or "XKX" in t or "SYR" in t for t in types)
    assert ("establish", "CUB", "KOR") not in types


def test_csv_jsonl_and_parquet_hold_the_same_events(record, tmp_path):
    pa = pytest.importorskip("pyarrow.parquet")
    written = {}
    for fmt in ("csv", "jsonl", "parquet"):
        out = tmp_path / fmt
        results = export(record, out, fmt, ["events"])
        assert [(r.table, r.path) for r in results] == [("events", str(out / f"events.{fmt}"))]
        written[fmt] = out / f"events.{fmt}"
    n = record.store.counts()["events"]
    with written["csv"].open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(COLUMNS["events"]) and len(rows) == n
    ties = next(r for r in rows if r["type"] == "establish" and r["a"] == "CUB" and r["b"] == "KOR")
    assert ties["directed"] == "false" and ties["cameo"] == "054"
    assert len(json.loads(ties["source_titles"])) == 2  # a list is JSON in CSV
    lines = [json.loads(line) for line in written["jsonl"].read_text(encoding="utf-8").splitlines()]
    assert len(lines) == n and all(isinstance(x["source_urls"], list) for x in lines)
    table = pa.read_table(written["parquet"])
    assert table.num_rows == n
    assert str(table.schema.field("source_titles").type) == "list<element: string>"
    assert (
        str(table.schema.field("n_sources").type) == "int64"
        and str(table.schema.field("directed").type) == "bool"
    )
    got = {(r["type"], r["a"], r["b"], r["date"]) for r in table.to_pylist()}
    assert got == {(r["type"], r["a"], r["b"], r["date"] or None) for r in rows}
    usa = next(
        r for r in table.to_pylist() if r["type"] == "establish" and r["a"] == "KOR" and r["b"] == "USA"
    )
    assert len(json.loads(usa["disputed_dates"])) == 2


# -- pair-years --------------------------------------------------------------------------------------------
def test_pair_years_follow_the_pairs_timelines(record):
    rows = {(r["a"], r["b"], r["year"]): r for r in pairyears_rows(record, "2025-12-31")}
    assert rows[("IRN", "USA", 1883)]["events"] == ["establish 1883"]
    r1979, r1980, r1981 = (rows[("IRN", "USA", y)] for y in (1979, 1980, 1981))
    assert (r1979["status"], r1979["relations"], r1979["established"]) == ("relations", True, 1883)
    assert (r1980["status"], r1980["relations_during"], r1980["events"]) == ("severed", True, ["sever 1980"])
    assert (r1981["status"], r1981["relations_during"], r1981["n_events"]) == ("severed", False, 0)
    assert max(y for (a, b, y) in rows if (a, b) == ("IRN", "USA")) == 2025
    assert ("CUB", "KOR", 2023) not in rows  # a pair starts with its first recorded event
    cuba = rows[("CUB", "KOR", 2024)]
    assert (cuba["status"], cuba["established"], cuba["events"]) == (
        "relations",
        2024,
        ["establish 2024-02-14"],
    )
    assert cuba["a_name"] == "Cuba" and cuba["b_name"] == "South Korea"


def test_pair_years_end_on_the_day_asked_and_start_from_a_year(record):
    rows = {(r["a"], r["b"], r["year"]): r for r in pairyears_rows(record, "2024-02-13", start=2020)}
    assert min(y for (a, b, y) in rows if (a, b) == ("IRN", "USA")) == 2020
    assert max(y for (a, b, y) in rows) == 2024
    assert ("CUB", "KOR", 2024) not in rows  # nothing about the pair yet on 13 February
    assert rows[("IRN", "USA", 2024)]["status"] == "severed"
    on_the_day = {(r["a"], r["b"], r["year"]): r for r in pairyears_rows(record, "2024-02-14")}
    assert on_the_day[("CUB", "KOR", 2024)]["established"] == 2024


# -- the network ----------------------------------------------------------------------------------------------
def test_network_counts_partners_as_comity_partners_does(record):
    nodes, edges = network_tables(record, AS_OF)
    node = {n["code"]: n for n in nodes}
    for code in ("KOR", "CUB", "USA", "XKX", "IRN"):
        assert node[code]["partners"] == len(record.partners(code, AS_OF))
    edge = {(e["a"], e["b"]): e for e in edges}
    assert (edge[("CUB", "KOR")]["since"], edge[("CUB", "KOR")]["counted_by"]) == (
        "2024-02-14",
        ["CUB", "KOR"],
    )
    # Kosovo's page lists South Korea; South Korea's own list does not: only Kosovo counts the pair.
    assert edge[("KOR", "XKX")]["counted_by"] == ["XKX"]
    assert ("IRN", "USA") not in edge and ("KOR", "SYR") not in edge
    earlier = {(e["a"], e["b"]) for e in network_tables(record, "1979-06-01")[1]}
    assert ("IRN", "USA") in earlier and ("CUB", "KOR") not in earlier


def test_graphml_read_back_with_networkx(record, tmp_path):
    nx = pytest.importorskip("networkx")
    [result] = export(record, tmp_path, "graphml", as_of=AS_OF)
    g = nx.read_graphml(result.path)
    assert g.graph["as_of"] == AS_OF
    assert g.nodes["KOR"]["name"] == "South Korea" and g.nodes["KOR"]["partners"] == 3
    assert g.nodes["KOR"]["un_member"] is True
    assert g.edges["CUB", "KOR"]["since"] == "2024-02-14" and g.edges["CUB", "KOR"]["counted_by"] == "CUB;KOR"
    assert not g.has_edge("IRN", "USA")
    assert result.rows == g.number_of_edges() == len(network_tables(record, AS_OF)[1])


def test_a_table_graphml_cannot_hold_is_refused(record, tmp_path):
    with pytest.raises(ExportError, match="GraphML"):
        export(record, tmp_path, "graphml", ["events"])
    with pytest.raises(ExportError, match="unknown table"):
        export(record, tmp_path, "csv", ["treaties"])
    with pytest.raises(QueryError, match="YYYY"):
        export(record, tmp_path, "csv", ["events"], "last week")


# -- the command -----------------------------------------------------------------------------------------------
def test_export_command_writes_every_table(db, tmp_path):
    out = tmp_path / "export"
    result = CliRunner().invoke(app, ["export", "--db", db, "--out", str(out), "--as-of", AS_OF, "--quiet"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["edges.csv", "events.csv", "nodes.csv", "pairyears.csv"]
    with (out / "nodes.csv").open(encoding="utf-8") as fh:
        nodes = {r["code"]: r for r in csv.DictReader(fh)}
    assert nodes["KOR"]["partners"] == "3" and nodes["KOR"]["un_member"] == "true"
    result = CliRunner().invoke(
        app, ["export", "-f", "parquet", "--db", db, "--out", str(tmp_path / "pq"), "-t", "network"]
    )
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stderr
    assert sorted(p.name for p in (tmp_path / "pq").iterdir()) == ["edges.parquet", "nodes.parquet"]


def test_export_one_table_to_stdout_and_clear_errors(db, tmp_path):
    result = CliRunner().invoke(app, ["export", "--db", db, "--out", "-", "-t", "events", "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["type"] for r in rows} >= {"establish", "sever", "embassy_open"}
    result = CliRunner().invoke(app, ["export", "--db", db, "--out", "-"])
    assert result.exit_code == 2 and "one table" in result.stderr
    result = CliRunner().invoke(
        app, ["export", "--db", db, "-f", "graphml", "-t", "pairyears", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2 and "GraphML" in result.stderr
    result = CliRunner().invoke(app, ["export", "--db", db, "-f", "xlsx"])
    assert result.exit_code == 2


# -- the Python API -------------------------------------------------------------------------------------------
@pytest.fixture
def default_record(record, monkeypatch):
    """The module-level API (comity.partners, ...) answering from the test record."""
    monkeypatch.setattr(comity.query, "_default", record)
    return record


def test_python_api_answers_are_dataclasses_with_frames(default_record):
    pd = pytest.importorskip("pandas")
    found = comity.partners("KOR", as_of=AS_OF)
    assert isinstance(found[0], Partner) and [p.code for p in found] == ["GBR", "USA", "CUB"]
    frame = found.to_pandas()
    assert isinstance(frame, pd.DataFrame) and list(frame["code"]) == ["GBR", "USA", "CUB"]
    cuba = frame.loc[frame.code == "CUB"]
    assert set(cuba["sources"].item().split("; ")) == {
        "Foreign relations of Cuba",
        "Foreign relations of South Korea",
    }
    assert "https://en.wikipedia.org/wiki/Foreign relations of Cuba" in cuba["source_urls"].item().split("; ")
    assert found[2].to_pandas().shape[0] == 1
    rank = comity.rank("KOR", "CUB", as_of=AS_OF).to_pandas()
    assert rank.loc[0, "rank_all"] == 3
    missing = comity.missing("KOR", as_of=AS_OF).to_pandas()
    assert "SYR" in set(missing["code"])
    empty = Rows([], Partner).to_pandas()
    assert len(empty) == 0 and "code" in empty.columns and "source_urls" in empty.columns
    events = comity.events(state="KOR").to_pandas()
    assert {"establish", "embassy_open"} <= set(events["type"])
    assert comity.to_pandas(comity.status("USA", "IRN", as_of=AS_OF)).loc[0, "status"] == "severed"


def test_python_api_graph_of_relations(default_record):
    pytest.importorskip("networkx")
    g = comity.network(as_of=AS_OF)
    assert g.has_edge("KOR", "CUB") and not g.has_edge("USA", "IRN")
    assert g.nodes["CUB"]["partners"] == len(comity.partners("CUB", as_of=AS_OF))
    un = comity.network(as_of=AS_OF, among="un")
    assert "XKX" not in un and "KOR" in un


def test_a_missing_extra_is_named():
    with pytest.raises(MissingExtra, match=r"pip install 'comity\[analysis\]'"):
        require("comity_no_such_module", purpose="a test")


def test_the_cli_starts_without_the_analysis_libraries():
    code = (
        "import sys, comity, comity.cli, comity.export, comity.plot, comity.graph, comity.importers.gdelt; "
        "print([m for m in ('pandas', 'pyarrow', 'networkx', 'matplotlib') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
