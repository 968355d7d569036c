"""A production login in a real browser (issue 14, item 3): password, then enrolment or a code,
and the browser lands on the admin dashboard, not on the icon sprite that the 2FA page loads in the
background. Playwright drives Debian's headless Chromium, as website/tests/test_browser.py does."""

import os

from django.urls import reverse

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import make_user
from core import roles
from website.tests.test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    close_playwright_connections,
    sync_playwright,
    track_requests,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        sync_playwright is None or not CHROMIUM.exists(),
        reason=f"needs Playwright for Python and headless Chromium at {CHROMIUM}",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.fixture
def browser_tab(live_server, settings):
    settings.HUBCMS_REQUIRE_2FA = True
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(base_url=live_server.url)
        tab = context.new_page()
        settle = track_requests(tab)
        yield tab
        settle()  # the admin's jsi18n and sprite may still be loading
        context.close()
        browser.close()
        close_playwright_connections()  # the test's own queries ran on one of them


def sign_in(tab) -> None:
    tab.goto(reverse("wagtailadmin_home"))
    tab.fill("#id_username", "coordinator")
    tab.fill("#id_password", "test-password-123")
    with tab.expect_navigation():
        tab.get_by_role("button", name="Inloggen").click()
    tab.wait_for_load_state("networkidle")  # the sprite and jsi18n load in the background


def give_code(tab, code: str, button: str) -> None:
    tab.get_by_label("Code uit de authenticator-app").fill(code)
    with tab.expect_navigation():
        tab.get_by_role("button", name=button).click()
    tab.wait_for_load_state("networkidle")


def test_enrolment_and_every_later_sign_in_land_on_the_admin(hub, browser_tab):
    tab = browser_tab
    user = make_user("coordinator", roles.COORDINATOR)

    sign_in(tab)
    assert reverse("security_2fa_enrol") in tab.url
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    give_code(tab, current_code(device), "Instellen")
    assert "Uw herstelcodes" in tab.content()
    with tab.expect_navigation():
        tab.get_by_role("link", name="Ik heb de codes bewaard").click()
    tab.wait_for_load_state("networkidle")
    assert tab.url.rstrip("/").endswith("/admin"), tab.url
    assert "sprite" not in tab.url
    assert tab.get_by_role("heading", level=1).count() >= 1
    assert "<parsererror" not in tab.content()

    # Sign out and in again: the code page, then the dashboard.
    tab.context.clear_cookies()
    device.refresh_from_db()
    device.throttle_reset()
    device.last_t = -1  # the same 30-second window may come again in a fast test
    device.save()
    sign_in(tab)
    assert reverse("security_2fa_verify") in tab.url
    give_code(tab, current_code(device), "Controleren")
    assert tab.url.rstrip("/").endswith("/admin"), tab.url
    assert "<parsererror" not in tab.content()
