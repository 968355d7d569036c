"""The product API's Swagger UI in a real browser: it renders the API under its own CSP, with no
CSP violation and no request to another host. Skipped without Playwright or headless Chromium."""

import os
from urllib.parse import urlsplit

import pytest

from api.tests.conftest import API
from website.tests.test_browser import CHROMIUM, CHROMIUM_ARGS, sync_playwright

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        sync_playwright is None or not CHROMIUM.exists(),
        reason=f"needs Playwright for Python and headless Chromium at {CHROMIUM}",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_swagger_ui_renders_within_the_csp_from_this_host_only(live_server, hub):
    host = urlsplit(live_server.url).netloc
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page()  # CSP enforced: no bypass_csp here
        page.on(
            "console",
            lambda message: (
                problems.append(message.text)
                if message.type == "error" or "Content Security Policy" in message.text
                else None
            ),
        )
        page.on(
            "request",
            lambda request: (
                problems.append(f"other host: {request.url}")
                if request.url.startswith("http") and urlsplit(request.url).netloc != host
                else None
            ),
        )
        page.goto(f"{live_server.url}{API}/docs")
        page.locator(".swagger-ui .info .title").wait_for(timeout=20_000)
        page.locator(".opblock-summary-path", has_text="/producten").first.wait_for()
        title = page.locator(".swagger-ui .info .title").inner_text()
        browser.close()
    assert "Productbibliotheek" in title
    assert problems == []
