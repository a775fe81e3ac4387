"""The HTTP API through HTTP: a real uvicorn server on 127.0.0.1 over a small hand-made record (SQLite),
asked with httpx. The browser tests (tests/test_web_browser.py) use the same record and server."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

from comity.query import Record  # noqa: E402
from comity.records import Assertion, Document, Source, content_hash  # noqa: E402
from comity.store import Store  # noqa: E402
from comity.vocab import PartialDate  # noqa: E402
from comity.web.app import available, create_app  # noqa: E402

RETRIEVED = date(2025, 11, 1)
TOKEN = "s3cret-token-for-tests"
SCRIPT = "<script>alert(1)</script>"

#: The story, in this project's own words: what a newsroom would paste into the page.
STORY = (
    "Seoul and Havana establish diplomatic relations\n\n"
    "SEOUL, Feb. 15 (Example Wire) - South Korea and Cuba established diplomatic relations on Wednesday, "
    "the South Korean foreign ministry said, ending decades in which Havana dealt only with Pyongyang on the "
    "Korean peninsula. The two governments exchanged notes at their missions to the United Nations in New York "
    "on February 14, 2024.\n\n"
    "Cuba is the 193rd country with which South Korea has established diplomatic relations. Officials said "
    "the two countries plan to open embassies in each other's capitals.\n"
)


def page(subject: str, name: str, rows: list[tuple[str, str]]) -> Document:
    """A 'Foreign relations of X' page: rows are (partner, date) in list order."""
    title = f"Foreign relations of {name}"
    assertions = [
        Assertion(
            "establish",
            subject,
            partner,
            PartialDate.parse(d),
            evidence=f"{pos} | {partner} | {d}",
            extractor="wikipedia-list",
            detail={"table": "list", "position": pos},
        )
        for pos, (partner, d) in enumerate(rows, 1)
    ]
    src = Source(
        "wikipedia",
        title,
        content_hash(repr(rows)),
        url=f"https://en.wikipedia.org/wiki/{title.replace(' ', '_')}",
        retrieved=RETRIEVED,
        licence="CC BY-SA 4.0",
    )
    return Document(src, assertions, [], subject)


def news(title: str, published: str, url: str, *assertions: Assertion) -> Document:
    src = Source(
        "news",
        title,
        content_hash(title + published),
        url=url,
        outlet="Example Wire",
        published=date.fromisoformat(published),
    )
    return Document(src, list(assertions))


def documents() -> list[Document]:
    return [
        page(
            "KOR",
            "South Korea",
            [
                ("GBR", "1949-01-18"),
                ("USA", "1949-03-25"),
                ("VAT", "1963-12-11"),
                ("CUB", "2024-02-14"),
                ("SYR", "2025-04-10"),
            ],
        ),
        page("CUB", "Cuba", [("PRK", "1960-08-29"), ("KOR", "2024-02-14"), ("CAN", "1945-03-16")]),
        news(
            "Washington recognizes the new government in Seoul",
            "1949-01-02",
            "https://news.example/1949/recognition",
            Assertion(
                "recognize",
                "USA",
                "KOR",
                PartialDate.parse("1949-01-01"),
                evidence="The United States extended full recognition to the Government of the Republic "
                "of Korea on January 1, 1949.",
                extractor="hand",
            ),
        ),
        news(
            "Seoul and Havana open ties",
            "2024-02-15",
            "javascript:alert(2)",
            Assertion(
                "establish",
                "KOR",
                "CUB",
                PartialDate.parse("2024-02-14"),
                evidence=f"South Korea and Cuba agreed to establish relations {SCRIPT} in New York.",
                extractor="hand",
            ),
            Assertion(
                "embassy_open",
                "KOR",
                "CUB",
                None,
                modality="planned",
                evidence="The two countries plan to open embassies.",
                extractor="hand",
            ),
        ),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(app, port: int | None = None) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Run ``app`` under uvicorn on 127.0.0.1 in a thread; yield its base URL; stop it after."""
    import uvicorn

    port = port or free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def make_record(folder: Path) -> Record:
    store = Store.open(folder / "web.db", seed=False)
    store.add_many(documents())
    return Record(store)


@contextmanager
def serving(folder: Path, **options) -> Iterator[tuple[str, Record]]:  # type: ignore[no-untyped-def]
    """The app over a record of :func:`documents` in ``folder``, writes on with :data:`TOKEN`."""
    rec = make_record(folder)
    try:
        with running(create_app(rec, token=TOKEN, **options)) as base:
            yield base, rec
    finally:
        rec.store.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Record]]:
    with serving(tmp_path_factory.mktemp("web")) as served:
        yield served


@pytest.fixture(scope="module")
def client(server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server[0], timeout=30) as c:
        yield c


# -- reading ----------------------------------------------------------------------------------------
def test_health_and_openapi(client):
    h = client.get("/api/health").json()
    assert h["ok"] is True and h["database"] == "sqlite" and h["writes"] is True
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for p in (
        "/api/states",
        "/api/states/{state}/partners",
        "/api/pairs/{a}/{b}",
        "/api/pairs/{a}/{b}/timeline",
        "/api/states/{state}/missing",
        "/api/states/{state}/rank/{partner}",
        "/api/events",
        "/api/conflicts",
        "/api/extract",
        "/api/check",
        "/api/ingest",
    ):
        assert p in paths, p
    assert "PartnersOut" in spec["components"]["schemas"]
    assert "requestBody" in paths["/api/ingest"]["post"]


def test_answers_have_the_shapes_the_spec_promises(client):
    """The big answers skip pydantic on the way out (for speed): check them against their models here."""
    from comity.web import models as m

    checks = [
        (m.PartnersOut, "/api/states/KOR/partners?as_of=2024-02-15"),
        (m.MissingOut, "/api/states/KOR/missing?as_of=2024-02-15&among=all"),
        (m.MapOut, "/api/states/KOR/map?as_of=2024-02-15"),
        (m.StatusOut, "/api/pairs/KOR/CUB?as_of=2024-02-15"),
        (m.StatusOut, "/api/pairs/KOR/PRK"),
        (m.TimelineOut, "/api/pairs/KOR/CUB/timeline"),
        (m.HistoryOut, "/api/states/KOR/history"),
        (m.RankOut, "/api/states/KOR/rank/CUB"),
    ]
    for model, url in checks:
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.headers["content-type"].startswith("application/json")
        model.model_validate(r.json(), strict=False)
        assert set(r.json()) == set(model.model_fields), url
    assert client.get("/docs").status_code == 404  # FastAPI's docs page would load a CDN


def test_partners_as_of_a_day_among_all_and_un(client):
    before = client.get("/api/states/KOR/partners", params={"as_of": "2024-02-13"}).json()
    after = client.get("/api/states/South Korea/partners", params={"as_of": "2024-02-15"}).json()
    assert [p["code"] for p in before["partners"]] == ["GBR", "USA", "VAT"]
    assert [p["code"] for p in after["partners"]] == ["GBR", "USA", "VAT", "CUB"]
    assert after["state"] == "KOR" and after["as_of"] == "2024-02-15" and after["count"] == 4
    cuba = after["partners"][-1]
    assert cuba["date"] == "2024-02-14" and cuba["basis"] == "own"
    assert {"Foreign relations of South Korea", "Seoul and Havana open ties"} <= {
        s["title"] for s in cuba["sources"]
    }
    un = client.get("/api/states/Seoul/partners", params={"as_of": "2024-02-15", "among": "un"}).json()
    assert [p["code"] for p in un["partners"]] == ["GBR", "USA", "CUB"]


def test_unknown_state_is_404_with_suggestions(client):
    r = client.get("/api/states/Cubaa/partners")
    assert r.status_code == 404
    body = r.json()
    assert "Cubaa" in body["detail"]
    assert "CUB" in [s["code"] for s in body["suggestions"]]
    assert client.get("/api/pairs/KOR/Narnia").status_code == 404


def test_bad_dates_and_options_are_400_or_422(client):
    r = client.get("/api/states/KOR/partners", params={"as_of": "14 February"})
    assert r.status_code == 400 and "not a date" in r.json()["detail"]
    assert client.get("/api/states/KOR/partners", params={"among": "nato"}).status_code == 422
    assert client.get("/api/events", params={"type": "marriage"}).status_code == 422
    assert client.get("/api/events", params={"since": "yesterday"}).status_code == 400
    assert client.get("/api/events", params={"limit": 0}).status_code == 422
    r = client.get("/api/pairs/KOR/ROK")
    assert r.status_code == 400 and "two different states" in r.json()["detail"]


def test_pair_status_changes_on_the_day_with_sources_and_evidence(client):
    before = client.get("/api/pairs/KOR/CUB", params={"as_of": "2024-02-13"}).json()
    after = client.get("/api/pairs/KOR/CUB", params={"as_of": "2024-02-15"}).json()
    assert before["status"] == "none"
    assert after["status"] == "relations" and after["since"] == "2024-02-14"
    assert after["a_name"] == "South Korea" and after["b_name"] == "Cuba"
    establish = next(e for e in after["events"] if e["type"] == "establish")
    quotes = [x["quote"] for x in establish["evidence"]]
    assert any(SCRIPT in q for q in quotes)  # the API returns the quote as it is: escaping is the page's job
    assert {s["title"] for s in after["sources"]} >= {
        "Foreign relations of South Korea",
        "Foreign relations of Cuba",
    }


def test_timeline_has_every_event_with_quotes(client):
    t = client.get("/api/pairs/Havana/Seoul/timeline").json()
    assert (t["a"], t["b"]) == ("CUB", "KOR")
    types = {(e["type"], e["modality"]) for e in t["events"]}
    assert ("establish", "asserted") in types and ("embassy_open", "planned") in types
    assert t["periods"][0]["status"] == "relations"
    us = client.get("/api/pairs/KOR/USA/timeline").json()
    rec = next(e for e in us["events"] if e["type"] == "recognize")
    assert rec["date"] == "1949-01-01" and "full recognition" in rec["evidence"][0]["quote"]


def test_missing_rank_conflicts(client):
    miss = client.get("/api/states/KOR/missing", params={"as_of": "2024-02-15"}).json()
    codes = {m["code"]: m for m in miss["missing"]}
    assert "CUB" not in codes and "SYR" in codes and "PRK" in codes
    assert codes["SYR"]["note"] == "no relations recorded"
    r = client.get("/api/states/KOR/rank/CUB", params={"as_of": "2024-02-15"}).json()
    assert (r["rank_all"], r["rank_un"]) == (4, 3)  # the Holy See is not a UN member
    assert isinstance(client.get("/api/conflicts", params={"state": "KOR"}).json(), list)


def test_events_filtered_by_state_type_and_date_range(client):
    rows = client.get("/api/events", params={"state": "CUB", "type": "establish"}).json()
    assert {(r["a"], r["b"]) for r in rows} == {("CAN", "CUB"), ("CUB", "KOR"), ("CUB", "PRK")}
    assert all(r["type"] == "establish" for r in rows)
    ranged = client.get("/api/events", params={"since": "2024", "until": "2024-12"}).json()
    assert [(r["a"], r["b"], r["date"]) for r in ranged] == [("CUB", "KOR", "2024-02-14")]
    assert ranged[0]["a_name"] == "Cuba"
    planned = client.get("/api/events", params={"modality": "planned"}).json()
    assert [r["type"] for r in planned] == ["embassy_open"]
    newest_first = client.get("/api/events", params={"state": "KOR"}).json()
    assert newest_first[0]["date"] == "2025-04-10"


def test_map_statuses_and_history(client):
    before = client.get("/api/states/KOR/map", params={"as_of": "2024-02-13"}).json()
    after = client.get("/api/states/KOR/map", params={"as_of": "2024-02-15"}).json()
    assert before["status"]["CUB"] == "none" and after["status"]["CUB"] == "relations"
    assert after["status"]["KOR"] == "self" and after["status"]["PRK"] == "not_foreign"
    assert after["counts"]["relations"] == 4
    h = client.get("/api/states/KOR/history").json()
    points = {p["date"]: p for p in h["points"]}
    assert points["1948-12-31"]["all"] == 0 and points["1949-12-31"]["all"] == 2
    assert points["2023-12-31"]["all"] == 3 and points["2024-12-31"]["all"] == 4
    assert points["2024-12-31"]["un"] == 3


def test_states(client):
    rows = client.get("/api/states", params={"q": "korea"}).json()
    assert {"KOR", "PRK"} <= {r["code"] for r in rows}
    assert client.get("/api/states/ROK").json()["code"] == "KOR"


def test_the_page_and_its_assets_are_local(client):
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert "script-src 'self'" in r.headers["content-security-policy"]
    html = r.text
    assert "https://" not in html.split("<footer>")[0] and "//cdn" not in html
    for asset in ("/static/app.js", "/static/app.css", "/static/world.json"):
        a = client.get(asset)
        assert a.status_code == 200, asset
        assert "http://" not in a.text.replace("http://www.w3.org/2000/svg", "") or asset.endswith(".json")
    world = client.get("/static/world.json").json()
    codes = {c["id"] for c in world["countries"]}
    assert {"KOR", "CUB", "PRK", "USA", "GBR"} <= codes
    assert len(client.get("/static/world.json").content) < 1_000_000


# -- articles ------------------------------------------------------------------------------------------
def test_extract_reads_the_story_or_says_it_cannot(client):
    r = client.post(
        "/api/extract", json={"text": STORY, "published": "2024-02-15", "title": "Seoul and Havana"}
    )
    if not available("comity.extract", "extract"):
        assert r.status_code == 501 and "comity.extract" in r.json()["detail"]
        return
    assert r.status_code == 200, r.text
    found = r.json()["assertions"]
    est = [a for a in found if a["type"] == "establish" and {a["a"], a["b"]} == {"KOR", "CUB"}]
    assert est and est[0]["modality"] == "asserted" and est[0]["date"] == "2024-02-14"
    assert est[0]["evidence"] in STORY.replace("\n", " ") or est[0]["evidence"] in STORY


def test_check_gives_verdicts_or_says_it_cannot(client):
    r = client.post("/api/check", json={"text": STORY, "published": "2024-02-15"})
    if not available("comity.check", "check_article"):
        assert r.status_code == 501 and "comity.check" in r.json()["detail"]
        return
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["as_of"] == "2024-02-15" and d["count"] == len(d["claims"]) >= 2
    by_kind = {c["kind"]: c for c in d["claims"]}
    # The article's own news is in the record; "the 193rd country" is not what this small record says.
    assert by_kind["news"]["verdict"] == "supported" and set(by_kind["news"]["states"]) == {"KOR", "CUB"}
    assert by_kind["ordinal"]["verdict"] == "contradicted" and "4th" in by_kind["ordinal"]["explanation"]
    assert d["summary"]["supported"] >= 1


def test_article_bodies_are_validated(client):
    assert client.post("/api/extract", json={"text": ""}).status_code == 422
    assert client.post("/api/extract", json={"txt": "x"}).status_code == 422
    r = client.post("/api/extract", json={"text": STORY, "published": "Feb 15"})
    assert r.status_code in (400, 501)


def test_bodies_over_the_cap_are_413(client):
    big = "x" * (2 * 1024 * 1024 + 10)
    r = client.post("/api/extract", json={"text": big})
    assert r.status_code == 413 and "too large" in r.json()["detail"]

    def chunks():  # no Content-Length: the cap still holds while the body streams in
        for _ in range(40):
            yield b"x" * 65536

    r = client.post("/api/extract", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


# -- writing -------------------------------------------------------------------------------------------
def _doc() -> dict:
    return news(
        "Syria and Cuba establish links",
        "2025-06-02",
        "https://news.example/2025/syr",
        Assertion(
            "establish",
            "SYR",
            "CUB",
            PartialDate.parse("2025-06-01"),
            evidence="established ties",
            extractor="hand",
        ),
    ).to_dict()


def test_ingest_needs_the_token(client):
    body = {"documents": [_doc()]}
    assert client.post("/api/ingest", json=body).status_code == 401
    r = client.post("/api/ingest", json=body, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert client.post("/api/ingest", json=body, headers={"Authorization": TOKEN}).status_code == 401
    # not even a body that is not JSON gets past the token check
    assert (
        client.post("/api/ingest", content=b"{oops", headers={"content-type": "application/json"}).status_code
        == 401
    )


def test_ingest_stores_documents_and_the_answers_change(client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert client.get("/api/pairs/SYR/CUB", params={"as_of": "2025-07-01"}).json()["status"] != "relations"
    partners = client.get("/api/states/CUB/partners", params={"as_of": "2025-07-01"}).json()["partners"]
    assert "SYR" not in [p["code"] for p in partners]
    r = client.post("/api/ingest", json={"documents": [_doc()]}, headers=auth)
    assert r.status_code == 200, r.text
    (res,) = r.json()["results"]
    assert res["added"] is True and res["assertions"] == 1
    assert client.get("/api/pairs/SYR/CUB", params={"as_of": "2025-07-01"}).json()["status"] == "relations"
    partners = client.get("/api/states/CUB/partners", params={"as_of": "2025-07-01"}).json()["partners"]
    syria = next(p for p in partners if p["code"] == "SYR")
    assert [s["title"] for s in syria["sources"]] == ["Syria and Cuba establish links"]
    again = client.post("/api/ingest", json={"documents": [_doc()]}, headers=auth).json()["results"][0]
    assert again["added"] is False
    bad = client.post("/api/ingest", json={"documents": [{"source": {"kind": "news"}}]}, headers=auth)
    assert bad.status_code == 422 and "not a document" in json.dumps(bad.json())
    assert client.post("/api/ingest", json={}, headers=auth).status_code == 400
    assert (
        client.post(
            "/api/ingest", content=b"{oops", headers={**auth, "content-type": "application/json"}
        ).status_code
        == 422
    )


def test_write_endpoints_are_off_without_a_token(server, monkeypatch):
    monkeypatch.delenv("COMITY_TOKEN", raising=False)
    with running(create_app(server[1], token=None)) as base:
        r = httpx.post(
            f"{base}/api/ingest", json={"documents": [_doc()]}, headers={"Authorization": "Bearer x"}
        )
        assert r.status_code == 403 and "write endpoints are off" in r.json()["detail"]
        assert httpx.get(f"{base}/api/health").json()["writes"] is False


def test_the_token_can_come_from_the_environment(server, monkeypatch):
    monkeypatch.setenv("COMITY_TOKEN", "from-env")
    with running(create_app(server[1])) as base:
        r = httpx.post(f"{base}/api/ingest", json={}, headers={"Authorization": "Bearer from-env"})
        assert r.status_code == 400  # past the token: nothing to ingest


def test_comity_serve_runs_the_app(tmp_path):
    """The CLI command, as a user starts it: a subprocess serving a record file."""
    import subprocess
    import sys

    make_record(tmp_path).store.close()
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from comity.cli import main; main()",
            "serve",
            "--port",
            str(port),
            "--db",
            str(tmp_path / "web.db"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**__import__("os").environ, "COMITY_TOKEN": ""},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(
                    f"http://127.0.0.1:{port}/api/states/KOR/partners", params={"as_of": "2024-02-15"}
                )
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        proc.stderr.read().decode() if proc.stderr else "serve did not start"
                    ) from None
                time.sleep(0.1)
        assert r.json()["count"] == 4
        assert httpx.get(f"http://127.0.0.1:{port}/api/health").json()["writes"] is False
    finally:
        proc.terminate()
        proc.wait(10)


def test_ingest_an_article_runs_the_extractor_and_stores_its_events(client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    article = {
        "text": "Bhutan and Germany established diplomatic relations on 25 November 2020, the two "
        "foreign ministries said in a joint statement.",
        "title": "Bhutan and Germany open relations",
        "published": "2020-11-26",
        "url": "https://news.example/2020/btn-deu",
        "outlet": "Example Wire",
    }
    r = client.post("/api/ingest", json={"article": article}, headers=auth)
    if not available("comity.extract", "extract"):
        assert r.status_code == 501
        return
    assert r.status_code == 200, r.text
    (res,) = r.json()["results"]
    assert res["added"] is True and res["assertions"] >= 1 and res["title"] == article["title"]
    s = client.get("/api/pairs/Bhutan/Germany", params={"as_of": "2021-01-01"}).json()
    assert s["status"] == "relations" and s["since"] == "2020-11-25"
    assert [x["outlet"] for x in s["sources"]] == ["Example Wire"]


# -- hardening: what schemathesis and hand probes found (each was a 500 before) -------------------------
def test_documents_are_validated_before_they_reach_the_database(client):
    auth = {"Authorization": f"Bearer {TOKEN}"}

    def source(**fields: object) -> dict:
        return {"kind": "news", "title": "A title", "content_hash": "c0ffee", **fields}

    def one(**fields: object) -> dict:
        return {"type": "establish", "a": "KOR", "b": "USA", "date": "2024-01-01", **fields}

    bad = [
        ({"source": source(title=None)}, "title"),  # was a NOT NULL IntegrityError
        ({"source": source(kind=None)}, "kind"),
        ({"source": source(content_hash=None)}, "content_hash"),
        ({"source": source(title=5)}, "title"),
        ({"source": source(outlet=["x"])}, "outlet"),
        ({"source": source(url=5)}, "url"),  # was stored as it came
        ({"source": source(title="nul \x00 inside")}, "NUL"),  # PostgreSQL refuses what SQLite took
        ({"source": source(kind="k" * 33)}, "kind"),
        ({"source": source(published="2024-02-30")}, "not a date"),
        ({"source": source(), "assertions": [one(confidence=10**400)]}, "confidence"),  # OverflowError
        ({"source": source(), "assertions": [one(confidence=2)]}, "confidence"),
        ({"source": source(), "assertions": [one(a="ZZZ")]}, "not a state code"),
        ({"source": source(), "assertions": [one(a=5)]}, "a"),
        ({"source": source(), "assertions": [one(span=[5, 1])]}, "span"),
        ({"source": source(), "assertions": [one(span=[0, 10**30])]}, "span"),
        ({"source": source(), "assertions": [one(date="99999")]}, "not a date"),
        ({"source": source(), "assertions": [one(b="KOR")]}, "two different parties"),
        ({"source": source(), "subject": ["x"]}, "subject"),
        ({"source": source(), "problems": "abc"}, "problems"),
        ({"source": source(), "extra": 1}, "extra"),
    ]
    for doc, words in bad:
        r = client.post("/api/ingest", json={"documents": [doc]}, headers=auth)
        assert r.status_code == 422, (doc, r.text)
        assert "not a document" in r.text and words in r.text, (doc, r.text)
    # not UTF-8 at all: the error echoes the body back, which must not break the error itself
    r = client.post(
        "/api/ingest", content=b"^9)\xcf\x0e", headers={**auth, "content-type": "application/json"}
    )
    assert r.status_code == 422 and "Invalid JSON" in r.text


def test_lone_surrogates_are_refused_with_422(client):
    for body in (
        b'{"text": "Cuba and Korea \\ud800 established relations."}',
        b'{"text": "Cuba and Korea established relations.", "title": "\\udfff"}',
    ):
        for path in ("/api/extract", "/api/check"):
            r = client.post(path, content=body, headers={"content-type": "application/json"})
            assert r.status_code == 422 and "lone surrogate" in r.text, (path, body, r.text)


def test_the_token_is_compared_in_constant_time(client, monkeypatch):
    import hmac

    seen: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a, b):  # type: ignore[no-untyped-def]
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    for header in ("Bearer wrong", f"Bearer {TOKEN}x", "Bearer é-not-ascii"):
        r = client.post("/api/ingest", json={}, headers={"Authorization": header.encode()})
        assert r.status_code == 401
    assert len(seen) == 3 and all(b == TOKEN.encode() for _, b in seen)


def test_the_body_cap_holds_before_the_token_check(client):
    r = client.post("/api/ingest", content=b"x" * (2 * 1024 * 1024 + 1))
    assert r.status_code == 413
