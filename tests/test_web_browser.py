"""The page in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright), against a real
uvicorn server over the hand-made record of tests/test_web_api.py. Screenshots go to test-artifacts/.

Skips cleanly when /usr/bin/chromium is absent (scripts/install-browser.sh installs it)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed (scripts/install-browser.sh)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
pytest.importorskip("uvicorn")

from comity.web.app import available  # noqa: E402
from test_web_api import SCRIPT, STORY, serving  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Iterator[str]:
    with serving(tmp_path_factory.mktemp("browser")) as (url, _record):
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator:  # type: ignore[type-arg]
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, base):  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    pg = context.new_page()
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.errors = []  # type: ignore[attr-defined]
    pg.outside = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    # Console errors too (a Content-Security-Policy refusal shows there), except the browser's note on an
    # API answer that is an error on purpose (404 for an unknown state).
    pg.on(  # type: ignore[attr-defined]
        "console",
        lambda msg: (
            pg.errors.append(msg.text)  # type: ignore[attr-defined]
            if msg.type == "error" and "Failed to load resource" not in msg.text
            else None
        ),
    )
    pg.on("request", lambda r: None if r.url.startswith((base, "data:")) else pg.outside.append(r.url))  # type: ignore[attr-defined]
    yield pg
    context.close()


def shot(pg, name: str) -> None:  # type: ignore[no-untyped-def]
    pg.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=True)


def cuba_status(pg) -> str:  # type: ignore[no-untyped-def]
    return pg.locator('#map path[data-code="CUB"]').first.get_attribute("data-status")


def wait_map(pg, day: str) -> None:  # type: ignore[no-untyped-def]
    # (Waits are on selectors: the page's Content-Security-Policy forbids the eval a waited-for function needs.)
    pg.wait_for_selector(f'#map[data-as-of="{day}"][data-state="KOR"]', timeout=10_000)


def test_pick_south_korea_slide_the_date_and_see_cuba_change(page, base):
    page.goto(f"{base}/#state=CUB&date=2020-01-01")
    page.wait_for_selector("body[data-ready='1']")
    page.wait_for_selector('#map[data-state="CUB"]')
    # Pick South Korea by name, as a user types it.
    page.fill("#state", "South Korea")
    page.press("#state", "Enter")
    # Move the date to 2024-02-13 with the date field.
    page.fill("#date", "2024-02-13")
    page.dispatch_event("#date", "change")
    wait_map(page, "2024-02-13")
    assert cuba_status(page) == "none"
    none_fill = page.eval_on_selector('#map path[data-code="CUB"]', "e => getComputedStyle(e).fill")
    assert "Relations of South Korea as of 2024-02-13" in page.inner_text("#map-title")
    shot(page, "kor-2024-02-13")
    # Then two days on with the slider, by keyboard.
    page.focus("#slider")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    wait_map(page, "2024-02-15")
    assert cuba_status(page) == "relations"
    rel_fill = page.eval_on_selector('#map path[data-code="CUB"]', "e => getComputedStyle(e).fill")
    assert rel_fill != none_fill
    assert page.input_value("#date") == "2024-02-15"
    assert "#state=KOR&date=2024-02-15" in page.url
    assert re.search(r"relations with 4 states on 2024-02-15", page.inner_text("#summary"))
    assert page.locator('#map path[data-code="PRK"]').first.get_attribute("data-status") == "not_foreign"
    # The chart of partners over time and the feed of events are there.
    assert page.locator("#chart path.series.all").count() == 1
    assert "establish: Cuba – South Korea" in page.inner_text("#feed")
    shot(page, "kor-2024-02-15")
    # Counting UN members only: the Holy See (a dot on the map) is no longer counted.
    assert page.locator('#map [data-code="VAT"]').first.get_attribute("data-status") == "relations"
    page.check("input[name='among'][value='un']")
    page.wait_for_selector('#map[data-among="un"][data-as-of="2024-02-15"]')
    assert "relations with 3 UN member states" in page.inner_text("#summary")
    assert page.locator('#map [data-code="VAT"]').first.get_attribute("data-status") == "unknown"
    assert "among=un" in page.url
    assert page.outside == [] and page.errors == []  # type: ignore[attr-defined]


def test_cuba_timeline_shows_sources_and_quotes_as_text(page, base):
    page.goto(f"{base}/#state=KOR&date=2024-02-15")
    page.wait_for_selector("body[data-ready='1']")
    wait_map(page, "2024-02-15")
    # Open the Cuba timeline from the keyboard: focus the country on the map, press Enter.
    page.focus('#map path[data-code="CUB"]')
    page.keyboard.press("Enter")
    page.wait_for_selector('#pair-body[data-pair="KOR-CUB"], #pair-body[data-pair="CUB-KOR"]')
    page.wait_for_selector("#pair-status[data-status='relations']")
    assert "South Korea – Cuba" in page.inner_text("#pair-title")
    body = page.inner_text("#pair-body")
    assert "2024-02-14" in body and "establish" in body and "embassy open" in body and "(planned)" in body
    assert "Foreign relations of South Korea" in body and "Seoul and Havana open ties" in body
    # The evidence holding <script> is shown as text, runs nothing, and makes no element.
    assert SCRIPT in body
    assert page.locator("#pair-body script").count() == 0
    quotes = page.locator("#pair-body blockquote").all_inner_texts()
    assert any(SCRIPT in q for q in quotes)
    # A javascript: source URL is not a link.
    assert page.locator('#pair-body a[href^="javascript"]').count() == 0
    assert (
        page.locator("#pair-body a", has_text="Foreign relations of Cuba")
        .get_attribute("href")
        .startswith("https://")
    )
    shot(page, "kor-cub-timeline")
    page.wait_for_timeout(200)
    assert page.dialogs == [] and page.errors == []  # type: ignore[attr-defined]
    # The status line follows the date.
    page.fill("#date", "2024-02-13")
    page.dispatch_event("#date", "change")
    page.wait_for_selector("#pair-status[data-status='none']")


def test_paste_the_story_and_see_its_events_and_verdicts(page, base):
    page.goto(f"{base}/#state=KOR")
    page.wait_for_selector("body[data-ready='1']")
    page.fill("#article-text", STORY)
    page.fill("#article-date", "2024-02-15")
    page.click("#article-go")
    page.wait_for_selector("#article-out[data-state='done']", timeout=60_000)
    events = page.inner_text("#article-events")
    verdicts = page.inner_text("#article-verdicts")
    if available("comity.extract", "extract"):
        row = page.locator("#article-events tr[data-type='establish']").first
        assert (
            "South Korea" in row.inner_text()
            and "Cuba" in row.inner_text()
            and "2024-02-14" in row.inner_text()
        )
    else:
        assert "not available" in events
    if available("comity.check", "check_article"):
        news = page.locator("#article-verdicts .verdict[data-kind='news']").first
        assert news.get_attribute("data-verdict") == "supported"
        ordinal = page.locator("#article-verdicts .verdict[data-kind='ordinal']").first
        assert ordinal.get_attribute("data-verdict") == "contradicted" and "4th" in ordinal.inner_text()
        assert "193rd country" in ordinal.inner_text()
    else:
        assert "not available" in verdicts and "comity.check" in verdicts
    shot(page, "article")
    assert page.errors == []  # type: ignore[attr-defined]


def test_an_unknown_state_offers_suggestions(page, base):
    page.goto(f"{base}/#state=KOR")
    page.wait_for_selector("body[data-ready='1']")
    page.fill("#state", "Cubaa")
    page.press("#state", "Enter")
    page.wait_for_selector("#state-help button")
    assert "unknown state" in page.inner_text("#state-help")
    page.click("#state-help button:has-text('Cuba')")
    page.wait_for_selector('#map[data-state="CUB"]')
    assert page.errors == []  # type: ignore[attr-defined]


def test_readable_on_a_laptop_screen(browser, base):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    pg.goto(f"{base}/#state=KOR&date=2024-02-15")
    pg.wait_for_selector('#map[data-as-of="2024-02-15"]')
    # Nothing scrolls sideways, the map is big enough to click, the text is not tiny.
    assert pg.evaluate("document.documentElement.scrollWidth") <= 1280
    box = pg.locator("#map").bounding_box()
    assert box and box["width"] >= 600
    assert pg.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 14
    pg.screenshot(path=str(ARTIFACTS / "web-laptop-1280x800.png"))
    context.close()
