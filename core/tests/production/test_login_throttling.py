"""Every login path is throttled by one mechanism, django-axes (issue 14, item 3).

The policy slows an attacker without letting anyone lock out a colleague: a lock holds one user
name from one address, ends after the cool-off, is listed in the admin and lifted by `axes_reset`.
"""

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from wagtail.models import BaseViewRestriction, PageViewRestriction

import pytest
from axes.models import AccessAttempt

from conftest import make_user
from core import roles
from products.models import InformationPage

PASSWORD = "test-password-123"
pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "wagtailadmin_login"
FRONT_END_LOGIN = "wagtailcore_login"


def attempt(client: Client, url_name: str, username: str, password: str):
    return client.post(reverse(url_name), {"username": username, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def low_limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.HUBCMS_LOGIN_FAILURES_PER_ADDRESS = 10


@pytest.mark.parametrize("url_name", [ADMIN_LOGIN, FRONT_END_LOGIN])
def test_guessing_a_password_is_locked_out_with_a_dutch_429(url_name, editor, low_limits):
    attacker = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(2):
        assert attempt(attacker, url_name, "redacteur", "fout").status_code == 200
    locked = attempt(attacker, url_name, "redacteur", "fout")
    assert locked.status_code == 429
    assert "Te veel mislukte inlogpogingen" in locked.content.decode()
    assert int(locked["Retry-After"]) > 0
    # even the right password is refused from that address now
    right = attempt(attacker, url_name, "redacteur", PASSWORD)
    assert right.status_code == 429 and not signed_in(attacker)


def test_the_front_end_and_the_admin_login_share_one_count(editor, low_limits):
    attacker = Client(REMOTE_ADDR="198.51.100.9")
    attempt(attacker, FRONT_END_LOGIN, "redacteur", "fout")
    attempt(attacker, ADMIN_LOGIN, "redacteur", "fout")
    assert attempt(attacker, FRONT_END_LOGIN, "redacteur", "fout").status_code == 429
    assert attempt(attacker, ADMIN_LOGIN, "redacteur", PASSWORD).status_code == 429


def test_nobody_locks_out_a_colleague_by_guessing_their_name(editor, low_limits):
    attacker = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(5):
        attempt(attacker, ADMIN_LOGIN, "redacteur", "fout")
    colleague = Client(REMOTE_ADDR="192.0.2.44")
    assert attempt(colleague, ADMIN_LOGIN, "redacteur", PASSWORD).status_code == 302
    assert signed_in(colleague)


def test_one_address_spraying_many_names_is_slowed_too(editor, low_limits):
    attacker = Client(REMOTE_ADDR="198.51.100.9")
    for number in range(10):
        attempt(attacker, ADMIN_LOGIN, f"gok{number}", "fout")
    assert attempt(attacker, ADMIN_LOGIN, "redacteur", PASSWORD).status_code == 429
    assert (
        attempt(Client(REMOTE_ADDR="198.51.100.10"), ADMIN_LOGIN, "redacteur", PASSWORD).status_code
        == 302
    )


def test_a_forged_forwarded_for_header_does_not_dodge_the_lock(editor, low_limits, settings):
    settings.HUBCMS_TRUSTED_PROXY_COUNT = 1
    for number in range(3):
        # The attacker varies the first hop; the load balancer appends the real address.
        forged = Client(HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 203.0.113.5")
        attempt(forged, ADMIN_LOGIN, "redacteur", "fout")
    refused = attempt(
        Client(HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5"), ADMIN_LOGIN, "redacteur", PASSWORD
    )
    assert refused.status_code == 429


def test_a_correct_sign_in_clears_the_count(editor, low_limits):
    person = Client(REMOTE_ADDR="192.0.2.7")
    for _ in range(2):
        attempt(person, ADMIN_LOGIN, "redacteur", "typfout")
    assert attempt(person, ADMIN_LOGIN, "redacteur", PASSWORD).status_code == 302
    person.logout()
    for _ in range(2):
        attempt(person, ADMIN_LOGIN, "redacteur", "typfout")
    assert attempt(person, ADMIN_LOGIN, "redacteur", PASSWORD).status_code == 302


def test_the_page_password_form_is_throttled(hub, low_limits):
    page = InformationPage.objects.get(slug="toegankelijkheid")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=BaseViewRestriction.PASSWORD, password="geheim-wachtwoord"
    )
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    attacker = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(2):
        wrong = attacker.post(url, {"password": "gok", "return_url": page.url})
        assert wrong.status_code == 200
    assert attacker.post(url, {"password": "gok", "return_url": page.url}).status_code == 429
    right = attacker.post(url, {"password": "geheim-wachtwoord", "return_url": page.url})
    assert right.status_code == 429
    # another visitor who knows the password gets in
    visitor = Client(REMOTE_ADDR="192.0.2.8")
    assert (
        visitor.post(url, {"password": "geheim-wachtwoord", "return_url": page.url}).status_code
        == 302
    )
    assert visitor.get(page.url).status_code == 200


def test_the_attempts_are_listed_in_the_admin_and_axes_reset_lifts_a_lock(
    editor, administrator, low_limits
):
    attacker = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(3):
        attempt(attacker, ADMIN_LOGIN, "redacteur", "fout")
    assert AccessAttempt.objects.filter(username="redacteur").exists()

    beheer = Client()
    beheer.force_login(administrator)
    listing = beheer.get(reverse("axes_accessattempt:index"))
    assert listing.status_code == 200
    assert "198.51.100.9" in listing.content.decode()
    other = Client()
    other.force_login(make_user("schrijver", roles.EDITOR))
    assert other.get(reverse("axes_accessattempt:index")).status_code in (302, 403)

    call_command("axes_reset")
    assert attempt(attacker, ADMIN_LOGIN, "redacteur", PASSWORD).status_code == 302
