"""The website in a real browser: axe-core finds no WCAG 2.1 A/AA violation, and a visitor gets
through search, filter, product, download and development line, also by keyboard alone.

Playwright for Python drives Debian's headless Chromium (/usr/bin/chromium). Without it, or
without axe-core from `npm ci`, these tests are skipped with the reason.
"""

import os
import re
import time
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.test import RequestFactory
from django.views import defaults

import pytest

from website.tests.hub import build_public_hub

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# itself (building the fixture hub) are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("HUBCMS_CHROMIUM", "/usr/bin/chromium"))
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None


SETTLE_SECONDS = 15


def track_requests(page):
    """Count the page's requests in flight; the returned function waits until the live server
    has answered every one (so no request still uses the database when the test's is reset)."""
    in_flight: set = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))

    def settle() -> None:
        deadline = time.monotonic() + SETTLE_SECONDS
        while in_flight and time.monotonic() < deadline:
            page.wait_for_timeout(50)  # lets Playwright deliver the events meanwhile
        assert not in_flight, f"requests still open after {SETTLE_SECONDS} s: {in_flight}"

    return settle


def missing_browser_reason() -> str | None:
    if sync_playwright is None:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"no headless Chromium at {CHROMIUM}: install it with 'apt-get install chromium'"
    if not AXE_SCRIPT.exists():
        return f"axe-core is missing ({AXE_SCRIPT}): run 'npm ci'"
    return None


pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(missing_browser_reason() is not None, reason=str(missing_browser_reason())),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site(live_server, hub) -> dict[str, str]:
    """The fixture hub served by the live server, as the addresses the tests visit.

    Built before the browser starts: inside Playwright's sync API Django would see another
    database connection (it keeps connections per context), so the tests leave the ORM alone.
    """
    pages = build_public_hub(hub)
    server_error = defaults.server_error(RequestFactory().get("/"))
    return {
        "server_error_html": server_error.content.decode(),
        "library": pages.library.url,
        "product": pages.product.url,
        "line_index": pages.line_index.url,
        "line": pages.line.url,
        "agenda": pages.agenda.url,
    }


@pytest.fixture
def tab(site, live_server):
    """A browser tab on the live server, 1280 px wide; closed before the database is reset."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
            bypass_csp=True,  # only so that axe-core can be injected; the site sends a strict CSP
        )
        page = context.new_page()
        settle = track_requests(page)
        yield page
        settle()
        context.close()
        browser.close()
        close_playwright_connections()


def close_playwright_connections() -> None:
    """Close the database connections opened inside a `with sync_playwright()` block.

    Playwright's sync API runs the block in a greenlet with a context of its own, so Django gives
    the code there connections of their own. Left open, one would keep PostgreSQL from dropping
    the test database at the end of the run.
    """
    connections.close_all()


def axe_violations(page) -> list[str]:
    """Run axe-core on the open page; one line per violation and element."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{page.url}: {violation['id']} ({violation['impact']}): {violation['help']} "
        f"at {node['target']}"
        for violation in result["violations"]
        for node in violation["nodes"]
    ]


def knowledge_signal_form_exists(page) -> bool:
    response = page.request.get("/kennissignaal/")
    return response.status == 200


def submit_without_browser_checks(page) -> None:
    """Submit the main form as it is, so the server's validation messages show."""
    page.evaluate("document.querySelector('main form').noValidate = true")
    page.locator("main form [type=submit]").last.click()
    page.wait_for_load_state()


def test_axe_finds_no_wcag_violation_on_any_page_type(tab, site):
    urls = [
        "/",
        site["library"],
        site["library"] + "?q=scan&type=scan",
        site["product"],
        site["line_index"],
        site["line"],
        site["agenda"],
        "/toegankelijkheid/",
        "/deze-pagina-bestaat-niet/",
    ]
    violations: list[str] = []
    for url in urls:
        tab.goto(url)
        violations += axe_violations(tab)

    # The 500 page, rendered as Django's error handler does, shown at the site's address
    tab.goto("/")
    tab.set_content(site["server_error_html"])
    expect(tab.get_by_role("heading", level=1)).to_have_text("Er ging iets mis")
    violations += axe_violations(tab)

    # The library with a filter chosen the way a visitor does it
    tab.goto(site["library"] + "?q=scan")
    tab.get_by_role("checkbox", name=re.compile(r"^Scan\b")).first.check()
    tab.get_by_role("button", name="Filters toepassen").click()
    tab.wait_for_load_state()
    assert "Scan sociale infrastructuur" in tab.content()
    violations += axe_violations(tab)

    # A form with validation errors: the knowledge signal form, sent empty
    if knowledge_signal_form_exists(tab):
        tab.goto("/kennissignaal/")
        violations += axe_violations(tab)
        submit_without_browser_checks(tab)
        expect(tab.locator("main [role=alert]").first).to_be_visible()
        violations += axe_violations(tab)

    assert not violations, "\n".join(violations)


WIDER_THAN_VIEWPORT = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth)
  .slice(-5).map(el => el.tagName + '.' + el.className + ' ' + el.getBoundingClientRect().right)"""


def test_every_page_type_reflows_at_320_px_and_the_product_prints_as_a_handout(tab, site, tmp_path):
    screenshots = Path(os.environ.get("HUBCMS_SCREENSHOT_DIR", tmp_path))
    screenshots.mkdir(parents=True, exist_ok=True)
    tab.goto(site["product"])
    tab.screenshot(path=str(screenshots / "product-1280.png"), full_page=True)

    for name, url in [("home", "/"), ("line", site["line"]), ("agenda", site["agenda"])]:
        tab.goto(url)
        tab.screenshot(path=str(screenshots / f"{name}-1280.png"), full_page=True)
    tab.set_viewport_size({"width": 320, "height": 800})
    # Every public page type, the library with a search and its filter column among them.
    for url in [
        site["product"],
        "/",
        site["line"],
        site["agenda"],
        site["line_index"],
        site["library"],
        site["library"] + "?q=scan",
        "/kennissignaal/",
        "/bestaat-niet/",
    ]:
        tab.goto(url)
        overflow = tab.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        wide = tab.evaluate(WIDER_THAN_VIEWPORT) if overflow > 0 else []
        assert overflow <= 0, f"{url} scrolls sideways at 320 px ({overflow} px): {wide}"
    tab.goto(site["product"])
    tab.screenshot(path=str(screenshots / "product-320.png"), full_page=True)

    tab.set_viewport_size({"width": 1280, "height": 900})
    tab.emulate_media(media="print")
    tab.goto(site["product"])
    assert not tab.locator(".hubcms-nav").is_visible()
    assert not tab.locator(".hubcms-footer").is_visible()
    assert tab.get_by_text("Afgedrukt van").is_visible()
    assert tab.get_by_role("heading", name="Aanpak").is_visible()
    download_link = tab.get_by_role("link", name="Handleiding: Handleiding scan 1")
    printed = download_link.evaluate("el => getComputedStyle(el, '::after').content")
    assert "/documenten/" in printed
    tab.pdf(path=str(screenshots / "product-handout.pdf"))


def test_visitor_searches_filters_opens_a_product_downloads_and_follows_a_line(tab, site):
    tab.goto("/")
    tab.get_by_label("Zoek in de productbibliotheek").fill("scan")
    tab.get_by_role("button", name="Zoeken").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Productbibliotheek")

    tab.get_by_role("checkbox", name=re.compile(r"^Scan\b")).first.check()
    tab.get_by_role("button", name="Filters toepassen").click()
    results = tab.locator("main").get_by_role("link", name="Scan sociale infrastructuur")
    expect(results.first).to_be_visible()
    expect(tab.locator("main").get_by_role("link", name="Werkvorm gesprek 1")).to_have_count(0)
    results.first.click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Scan sociale infrastructuur")

    with tab.expect_download() as download_info:
        tab.get_by_role("link", name="Handleiding: Handleiding scan 1").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    assert Path(download.path()).read_bytes().startswith(b"hubcms test document")

    tab.get_by_role("link", name="Arbeidsmarktfunctionaliteiten").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Arbeidsmarktfunctionaliteiten")
    expect(tab.get_by_role("heading", name="3e kwartaal 2026")).to_be_visible()


FOCUS_STATE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim(),
    tag: el.tagName,
    visible: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
      || style.boxShadow !== 'none',
  };
}"""


def tab_until(page, text: str, *, limit: int = 60) -> None:
    """Press Tab until the element with this text has focus; every stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state["tag"] != "BODY":
            assert state["visible"], f"focus is not visible on {state}"
        if state["text"] == text:
            return
    raise AssertionError(f"'{text}' cannot be reached with the Tab key")


def test_keyboard_alone_reaches_search_a_product_and_a_line(tab, site):
    tab.goto("/")
    tab.keyboard.press("Tab")
    skip = tab.evaluate(FOCUS_STATE)
    assert skip["text"] == "Naar de hoofdinhoud" and skip["visible"]
    expect(tab.get_by_role("link", name="Naar de hoofdinhoud")).to_be_visible()
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "inhoud"

    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.id") == "home-search"
    tab.keyboard.type("scan")
    tab.keyboard.press("Enter")
    expect(tab.get_by_role("heading", level=1)).to_have_text("Productbibliotheek")

    tab_until(tab, "Scan sociale infrastructuur")
    tab.keyboard.press("Enter")
    expect(tab.get_by_role("heading", level=1)).to_have_text("Scan sociale infrastructuur")

    tab_until(tab, "Aanpak")
    tab.keyboard.press("Enter")
    assert tab.evaluate("location.hash") == "#aanpak"

    tab_until(tab, "Arbeidsmarktfunctionaliteiten")
    tab.keyboard.press("Enter")
    expect(tab.get_by_role("heading", level=1)).to_have_text("Arbeidsmarktfunctionaliteiten")

    tab.goto("/")
    tab_until(tab, "Innovatieagenda")
    tab.keyboard.press("Enter")
    expect(tab.get_by_role("heading", level=1)).to_have_text("Innovatieagenda 2026-2027")
