"""Two factors on every way in (issue 14, item 3): enrolment needs the existing factor, recovery
codes, the audit log, and a password-only session opens nothing outside the 2FA pages."""

from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from wagtail.documents.models import Document
from wagtail.models import (
    BaseViewRestriction,
    Collection,
    CollectionViewRestriction,
    ModelLogEntry,
    PageViewRestriction,
)

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.exports.models import ReportExport
from core.security.twofactor import ENROLLED_ACTION, RECOVERY_USED_ACTION, RESET_ACTION
from products.models import InformationPage

PASSWORD = "test-password-123"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def require_2fa(settings):
    settings.HUBCMS_REQUIRE_2FA = True


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def sign_in_with_password(client: Client, username: str) -> None:
    response = client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": PASSWORD}
    )
    assert response.status_code == 302, "the password itself is right"


def verify(client: Client, device: TOTPDevice, next_url: str = "/admin/"):
    return client.post(
        reverse("security_2fa_verify"), {"token": current_code(device), "next": next_url}
    )


def test_a_password_alone_cannot_add_an_authenticator_app(client, coordinator):
    """The attack of the issue: password-only session, open the enrolment page, add a device."""
    TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    sign_in_with_password(client, "coordinator")

    page = client.get(reverse("security_2fa_enrol"))
    assert page.status_code == 302 and page.url.startswith(reverse("security_2fa_verify"))
    attacker_device = TOTPDevice(user=coordinator, name="x", confirmed=False)
    refused = client.post(reverse("security_2fa_enrol"), {"token": current_code(attacker_device)})
    assert refused.status_code == 302 and refused.url.startswith(reverse("security_2fa_verify"))
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1
    assert client.get(reverse("wagtailadmin_home")).status_code == 302  # still not verified


def test_with_the_existing_factor_a_new_phone_can_be_added(client, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    sign_in_with_password(client, "coordinator")
    verify(client, device)
    account = client.get(reverse("wagtailadmin_account")).content.decode()
    assert reverse("security_2fa_enrol") in account
    page = client.get(reverse("security_2fa_enrol"))
    assert page.status_code == 200
    assert "nieuwe authenticator-app toe" in page.content.decode()
    new_device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    added = client.post(reverse("security_2fa_enrol"), {"token": current_code(new_device)})
    assert added.status_code == 302
    assert TOTPDevice.objects.filter(user=coordinator, confirmed=True).count() == 2


def test_enrolment_gives_single_use_recovery_codes_and_both_are_in_the_audit_log(client, editor):
    sign_in_with_password(client, "redacteur")
    client.get(reverse("security_2fa_enrol"))
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    done = client.post(reverse("security_2fa_enrol"), {"token": current_code(device)})
    codes_page = client.get(done.url).content.decode()
    codes = list(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True))
    assert len(codes) == 10 and all(code in codes_page for code in codes)
    assert client.get(done.url).status_code == 302  # shown once only
    assert ModelLogEntry.objects.filter(action=ENROLLED_ACTION, object_id=str(editor.pk)).exists()

    # A lost phone: a recovery code is a second factor, once.
    for attempt in range(2):
        other = Client()
        sign_in_with_password(other, "redacteur")
        response = other.post(
            reverse("security_2fa_verify"), {"token": codes[0], "next": "/admin/"}
        )
        if attempt == 0:
            assert response.status_code == 302 and response.url == "/admin/"
            assert other.get("/admin/").status_code == 200
        else:
            assert response.status_code == 200  # the form again, with a message
            assert other.get("/admin/").status_code == 302
    assert ModelLogEntry.objects.filter(
        action=RECOVERY_USED_ACTION, object_id=str(editor.pk)
    ).exists()


def test_a_reset_is_in_the_audit_log_and_removes_the_recovery_codes(client, editor, administrator):
    admin_device = TOTPDevice.objects.create(user=administrator, name="app", confirmed=True)
    TOTPDevice.objects.create(user=editor, name="app", confirmed=True)
    sign_in_with_password(client, "beheerder")
    verify(client, admin_device)
    from core.security.twofactor import new_recovery_codes

    new_recovery_codes(user=editor)
    assert client.post(reverse("security_2fa_reset", args=[editor.pk])).status_code == 302
    assert not StaticToken.objects.filter(device__user=editor).exists()
    entry = ModelLogEntry.objects.get(action=RESET_ACTION, object_id=str(editor.pk))
    assert entry.user == administrator
    history = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Tweestapsverificatie gewist" in history


def test_background_requests_never_become_the_page_after_sign_in(client, coordinator):
    """The icon sprite and the translation catalogue load on the 2FA page itself; they must not
    be answered with a redirect that carries them as `next`."""
    device = TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    sign_in_with_password(client, "coordinator")
    sprite = client.get(reverse("wagtailadmin_sprite") + "?h=abc")
    assert sprite.status_code == 200 and sprite["Content-Type"].startswith("image/svg+xml")
    assert client.get(reverse("wagtailadmin_javascript_catalog")).status_code == 200
    fetch = client.get("/admin/pages/", HTTP_SEC_FETCH_DEST="empty")
    assert fetch.status_code == 403
    # and a `next` that names an asset is never followed
    ok = verify(client, device, next_url=reverse("wagtailadmin_sprite") + "?h=abc")
    assert ok.status_code == 302 and ok.url == reverse("wagtailadmin_home")


@pytest.fixture
def private_document(hub, media_root):
    collection = Collection.get_first_root_node().add_child(name="Intern")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=BaseViewRestriction.LOGIN
    )
    return Document.objects.create(
        title="Conceptnotitie",
        collection=collection,
        file=ContentFile(b"vertrouwelijk concept", name="concept.txt"),
    )


def test_a_password_only_session_does_not_download_private_documents(
    client, coordinator, private_document
):
    device = TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    sign_in_with_password(client, "coordinator")
    refused = client.get(private_document.url)
    assert refused.status_code == 404  # as for any visitor: no live public page offers it
    verify(client, device)
    allowed = client.get(private_document.url)
    assert allowed.status_code == 200
    assert b"".join(allowed.streaming_content) == b"vertrouwelijk concept"


def test_a_password_only_session_does_not_open_restricted_pages(client, coordinator):
    page = InformationPage.objects.get(slug="toegankelijkheid")
    PageViewRestriction.objects.create(page=page, restriction_type=BaseViewRestriction.LOGIN)
    device = TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    sign_in_with_password(client, "coordinator")
    refused = client.get(page.url)
    assert refused.status_code == 302 and reverse("wagtailcore_login") in refused.url
    verify(client, device)
    assert client.get(page.url).status_code == 200


def test_a_password_only_session_does_not_download_its_exports(client, coordinator):
    TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    export = ReportExport.objects.create(
        requested_by=coordinator, title="Kwartaalrapportage", kind="x", path="/admin/", format="csv"
    )
    sign_in_with_password(client, "coordinator")
    response = client.get(reverse("report_exports:download", args=[export.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("security_2fa_verify"))


def test_the_front_end_login_continues_with_the_second_factor(client, coordinator):
    page = InformationPage.objects.get(slug="toegankelijkheid")
    PageViewRestriction.objects.create(page=page, restriction_type=BaseViewRestriction.LOGIN)
    device = TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    response = client.post(
        reverse("wagtailcore_login"),
        {"username": "coordinator", "password": PASSWORD, "next": page.url},
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("security_2fa_verify"))
    assert client.get(page.url).status_code == 302  # the password alone opens nothing
    back = client.post(response.url, {"token": current_code(device), "next": page.url})
    assert back.url == page.url
    assert client.get(page.url).status_code == 200
