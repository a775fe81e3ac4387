"""Fetching an article's page from its ``url``: off unless the server is started with --allow-fetch, and
then only from public addresses. No test here touches the network: refused URLs are refused before any
connection (a local server counts the requests that reach it), and the fetching itself runs against a
real HTTP server on 127.0.0.1, reached with a Fetcher built with the test-only ``allow_loopback=True``."""

from __future__ import annotations

import gzip
import http.server
import socket
import threading
import time
from collections.abc import Iterator

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

from comity.web.app import available, create_app  # noqa: E402
from comity.web.fetch import MAX_REDIRECTS, Fetcher, FetchError, FetchRefused  # noqa: E402
from test_web_api import TOKEN, make_record, running  # noqa: E402

ARTICLE = """<!doctype html>
<html><head><title>Bhutan and Germany open relations</title>
<meta property="og:site_name" content="Example Wire">
<meta name="date" content="2020-11-26"></head>
<body><article>
<h1>Bhutan and Germany open relations</h1>
<p>Bhutan and Germany established diplomatic relations on 25 November 2020, the two foreign ministries
said in a joint statement on Thursday.</p>
<p>The agreement was signed in New Delhi by the two countries' ambassadors to India, officials said,
and the two governments plan to deepen cooperation in education and renewable energy.</p>
</article></body></html>
"""


class Pages(http.server.BaseHTTPRequestHandler):
    """A small site: an article, redirects (to itself, to a private address, in a loop), a big page, a
    compressed bomb, a slow page, a PDF and a missing page. Every request is counted."""

    hits: list[str] = []
    protocol_version = "HTTP/1.1"

    def log_message(self, *_: object) -> None:  # quiet
        pass

    def send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", **headers: str):  # type: ignore[no-untyped-def]
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        if "Content_Length" not in headers and "Transfer_Encoding" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        port = self.server.server_address[1]
        path = self.path
        if path == "/article.html":
            self.send(200, ARTICLE.encode())
        elif path == "/to-article":
            self.send(302, Location="/article.html")
        elif path.startswith("/chain/"):  # /chain/N redirects to /chain/N+1, for ever
            self.send(302, Location=f"/chain/{int(path.rsplit('/', 1)[1]) + 1}")
        elif path == "/to-private":
            self.send(302, Location="http://10.0.0.1/admin")
        elif path == "/to-metadata":
            self.send(301, Location="http://169.254.169.254/latest/meta-data/")
        elif path == "/to-file":
            self.send(302, Location="file:///etc/passwd")
        elif path == "/to-credentials":
            self.send(307, Location=f"http://user:pw@127.0.0.1:{port}/article.html")
        elif path == "/big":
            self.send(200, b"<p>" + b"x" * 50_000 + b"</p>")
        elif path == "/big-unannounced":  # no Content-Length: the cap holds while reading
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(20):
                self.wfile.write(b"<p>" + b"y" * 5_000 + b"</p>")
        elif path == "/bomb":  # 10 MB of zeros in about 10 KB
            self.send(200, gzip.compress(b"0" * 10_000_000), Content_Encoding="gzip")
        elif path == "/slow":
            time.sleep(3)
            self.send(200, ARTICLE.encode())
        elif path == "/paper.pdf":
            self.send(200, b"%PDF-1.4 ...", ctype="application/pdf")
        else:
            self.send(404, b"<p>not here</p>")


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1, in a thread; its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def _clear_hits() -> None:
    Pages.hits.clear()


@pytest.fixture(scope="module")
def record(tmp_path_factory):  # type: ignore[no-untyped-def]
    rec = make_record(tmp_path_factory.mktemp("fetch"))
    yield rec
    rec.store.close()


def local() -> Fetcher:
    """A fetcher that may reach 127.0.0.1 (and nothing else that is not public): for these tests only."""
    return Fetcher(allow_loopback=True, timeout=5)


# -- off by default ---------------------------------------------------------------------------------
def test_fetching_is_off_by_default(record, site, monkeypatch):
    monkeypatch.delenv("COMITY_TOKEN", raising=False)
    with running(create_app(record, token=TOKEN)) as base:
        assert httpx.get(f"{base}/api/health").json()["fetch"] is False
        url = f"{site}/article.html"
        for path in ("/api/extract", "/api/check"):
            r = httpx.post(f"{base}{path}", json={"url": url})
            assert r.status_code == 403, r.text
            assert "fetching pages is off" in r.json()["detail"] and "--allow-fetch" in r.json()["detail"]
        r = httpx.post(
            f"{base}/api/ingest",
            json={"article": {"url": url}},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert r.status_code == 403 and "fetching pages is off" in r.json()["detail"]
        # A url next to the text is the article's address, as before: nothing is fetched.
        r = httpx.post(f"{base}/api/extract", json={"text": "Bhutan and Germany met.", "url": url})
        assert r.status_code in (200, 501)
        assert httpx.post(f"{base}/api/extract", json={"title": "no text, no url"}).status_code == 422
    assert Pages.hits == []


# -- refused before any connection ---------------------------------------------------------------------
REFUSED = [
    ("http://127.0.0.1/", "loopback"),
    ("http://localhost/", "loopback"),
    ("http://169.254.169.254/", "link-local"),
    ("http://[::1]/", "loopback"),
    ("http://10.0.0.1/", "private"),
    ("file:///etc/passwd", "only http and https"),
    ("http://user:pw@example.com/", "credentials"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://192.168.1.1/", "private"),
    ("http://100.64.0.1/", "not a public address"),  # shared address space (carrier-grade NAT)
    ("http://224.0.0.1/", "multicast"),
    ("http://240.0.0.1/", "reserved"),
    ("http://[fe80::1]/", "link-local"),
    ("http://[fd00::1]/", "private"),
    ("http://2130706433/", "loopback"),  # 127.0.0.1 as one number
    ("http://0x7f.1/", "loopback"),
    ("ftp://example.com/file", "only http and https"),
    ("gopher://example.com/", "only http and https"),
    ("http://@example.com/", "credentials"),
    ("http:///nohost", "no host"),
    ("http://example.com:99999/", "Port out of range"),
    ("http://example.com:0/", "port 0"),
]


@pytest.mark.parametrize(("url", "reason"), REFUSED)
def test_refused_urls_are_refused_before_connecting(url, reason):
    fetcher = Fetcher()
    started = time.monotonic()
    with pytest.raises(FetchRefused) as err:
        fetcher(url)
    assert reason in str(err.value)
    assert time.monotonic() - started < 2  # 10.0.0.1 or 169.254.169.254 would hang, had they been tried


def test_the_api_refuses_them_with_4xx_and_connects_to_nothing(record, site):
    port = site.rsplit(":", 1)[1]
    urls = [u for u, _ in REFUSED] + [
        f"http://127.0.0.1:{port}/article.html",  # the local server is up: it must not be reached
        f"http://localhost:{port}/article.html",
        f"http://[::1]:{port}/article.html",
        f"http://user:pw@127.0.0.1:{port}/article.html",
    ]
    with running(create_app(record, token=TOKEN, allow_fetch=True)) as base:
        assert httpx.get(f"{base}/api/health").json()["fetch"] is True
        for url in urls:
            for path in ("/api/extract", "/api/check"):
                r = httpx.post(f"{base}{path}", json={"url": url}, timeout=10)
                assert r.status_code == 400, (url, r.text)
                assert r.json()["detail"].startswith("refused to fetch"), r.text
            r = httpx.post(
                f"{base}/api/ingest",
                json={"article": {"url": url}},
                headers={"Authorization": f"Bearer {TOKEN}"},
                timeout=10,
            )
            assert r.status_code == 400, (url, r.text)
    assert Pages.hits == []


def test_loopback_allowance_allows_loopback_and_nothing_else():
    fetcher = local()
    fetcher.check("http://127.0.0.1:8080/x")
    fetcher.check("http://[::1]/")
    for url in ("http://10.0.0.1/", "http://169.254.169.254/", "http://0.0.0.0/", "http://[fe80::1]/"):
        with pytest.raises(FetchRefused):
            fetcher.check(url)


def test_a_name_with_any_private_address_is_refused():
    """One public and one private address for the same name: refused (the connection could go to either)."""
    both = Fetcher(resolver=lambda host, port: ["93.184.215.14", "10.1.2.3"])
    with pytest.raises(FetchRefused, match=r"10\.1\.2\.3 \(private\)"):
        both.check("http://news.example/story")
    public = Fetcher(resolver=lambda host, port: ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])
    assert public.check("https://news.example/story?id=1")[1:4] == ("news.example", 443, "/story?id=1")


# -- fetching, against a real local server -------------------------------------------------------------
def test_a_page_is_fetched_and_read_as_html(site):
    page = local()(f"{site}/article.html")
    assert page.content_type == "text/html" and b"Bhutan" in page.body
    assert Pages.hits == ["/article.html"]


def test_extract_and_check_read_a_fetched_page(record, site):
    with running(create_app(record, fetcher=local())) as base:
        r = httpx.post(f"{base}/api/extract", json={"url": f"{site}/to-article"}, timeout=30)
        if not available("comity.extract", "extract"):
            assert r.status_code == 501
            return
        assert r.status_code == 200, r.text
        d = r.json()
        assert d["title"] == "Bhutan and Germany open relations"  # the page's <title>: read as HTML
        est = [a for a in d["assertions"] if a["type"] == "establish"]
        assert est and {est[0]["a"], est[0]["b"]} == {"BTN", "DEU"} and est[0]["date"] == "2020-11-25"
        assert "<p>" not in est[0]["evidence"]
        r = httpx.post(f"{base}/api/check", json={"url": f"{site}/article.html"}, timeout=30)
        assert r.status_code in (200, 501), r.text
    assert Pages.hits[:2] == ["/to-article", "/article.html"]


def test_ingest_stores_a_fetched_article_with_its_final_url(tmp_path, site):
    if not available("comity.extract", "extract"):
        pytest.skip("the extractor is not installed")
    rec = make_record(tmp_path)
    try:
        with running(create_app(rec, token=TOKEN, fetcher=local())) as base:
            auth = {"Authorization": f"Bearer {TOKEN}"}
            r = httpx.post(
                f"{base}/api/ingest",
                json={"article": {"url": f"{site}/to-article"}},
                headers=auth,
                timeout=30,
            )
            assert r.status_code == 200, r.text
            assert r.json()["results"][0]["added"] is True
            s = httpx.get(f"{base}/api/pairs/Bhutan/Germany", params={"as_of": "2021-01-01"}).json()
            assert s["status"] == "relations"
            assert [x["url"] for x in s["sources"]] == [f"{site}/article.html"]
    finally:
        rec.store.close()


def test_redirects_are_rechecked_at_every_hop(site):
    fetcher = local()
    for path, reason in [
        ("/to-private", "10.0.0.1 (private)"),
        ("/to-metadata", "169.254.169.254 (link-local)"),
        ("/to-file", "only http and https"),
        ("/to-credentials", "credentials"),
    ]:
        Pages.hits.clear()
        with pytest.raises(FetchRefused, match=reason.replace("(", r"\(").replace(")", r"\)")):
            fetcher(f"{site}{path}")
        assert Pages.hits == [path]  # the redirect's target was never asked


def test_at_most_three_redirects(site):
    with pytest.raises(FetchError, match="too many redirects"):
        local()(f"{site}/chain/0")
    assert Pages.hits == [f"/chain/{i}" for i in range(MAX_REDIRECTS + 1)]


def test_size_cap_timeout_and_content_type(site):
    small = Fetcher(allow_loopback=True, max_bytes=20_000, timeout=5)
    for path in ("/big", "/big-unannounced", "/bomb"):
        with pytest.raises(FetchError, match="too large"):
            small(f"{site}{path}")
    with pytest.raises(FetchError, match="too large"):
        local()(f"{site}/bomb")  # 10 MB unpacked: over the default cap too
    assert small(f"{site}/article.html").body == ARTICLE.encode()
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        Fetcher(allow_loopback=True, timeout=0.5)(f"{site}/slow")
    assert time.monotonic() - started < 2
    with pytest.raises(FetchError, match="not an HTML page"):
        local()(f"{site}/paper.pdf")
    with pytest.raises(FetchError, match="HTTP 404"):
        local()(f"{site}/missing")


def test_failures_reach_the_client_as_4xx(record, site):
    with running(create_app(record, fetcher=Fetcher(allow_loopback=True, max_bytes=20_000))) as base:
        for path, words in [("/big", "too large"), ("/missing", "HTTP 404"), ("/to-private", "private")]:
            r = httpx.post(f"{base}/api/extract", json={"url": f"{site}{path}"}, timeout=30)
            assert r.status_code == 400 and words in r.json()["detail"], r.text
        with socket.socket() as s:  # a port nobody listens on
            s.bind(("127.0.0.1", 0))
            closed = s.getsockname()[1]
        r = httpx.post(f"{base}/api/extract", json={"url": f"http://127.0.0.1:{closed}/"}, timeout=30)
        assert r.status_code == 400 and "cannot connect" in r.json()["detail"]


def test_comity_serve_has_allow_fetch():
    from typer.testing import CliRunner

    from comity.cli import app

    out = CliRunner().invoke(app, ["serve", "--help"], terminal_width=200).output
    assert "--allow-fetch" in out
