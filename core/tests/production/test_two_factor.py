"""Admin sign-in: TOTP two-factor authentication and sessions (throttling: test_login_throttling.py)."""

from django.urls import reverse

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "test-password-123"


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def sign_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": password, **extra}
    )


@pytest.fixture
def require_2fa(settings):
    settings.HUBCMS_REQUIRE_2FA = True


@pytest.mark.django_db
def test_without_the_setting_demo_users_sign_in_with_a_password_only(client, editor):
    response = sign_in(client, "redacteur")
    assert response.status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


@pytest.mark.django_db
def test_first_sign_in_enrols_an_authenticator_app(client, editor, require_2fa):
    sign_in(client, "redacteur")
    home = reverse("wagtailadmin_home")
    response = client.get(home)
    assert response.status_code == 302
    assert response.url.startswith(reverse("security_2fa_enrol"))

    page = client.get(response.url)
    html = page.content.decode()
    assert "Tweestapsverificatie instellen" in html
    assert "<svg" in html  # the QR code, inline
    device = TOTPDevice.objects.get(user=editor, confirmed=False)

    wrong = client.post(reverse("security_2fa_enrol"), {"token": "000000", "next": home})
    assert "Deze code klopt niet" in wrong.content.decode()
    assert client.get(home).status_code == 302
    device.refresh_from_db()
    device.throttle_reset()  # django-otp waits a second after a wrong code; a person would too

    done = client.post(reverse("security_2fa_enrol"), {"token": current_code(device), "next": home})
    assert done.status_code == 302 and done.url.startswith(reverse("security_2fa_recovery_codes"))
    codes_page = client.get(done.url).content.decode()
    assert "Uw herstelcodes" in codes_page and f'href="{home}"' in codes_page
    assert client.get(home).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


@pytest.mark.django_db
def test_enrolled_user_must_give_a_code_at_every_sign_in(client, coordinator, require_2fa):
    device = TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    sign_in(client, "coordinator")
    edit_url = reverse("wagtaildocs:index")
    response = client.get(edit_url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("security_2fa_verify"))

    wrong = client.post(reverse("security_2fa_verify"), {"token": "12345", "next": edit_url})
    assert "Vul de zes cijfers in" in wrong.content.decode()
    assert client.get(edit_url).status_code == 302

    ok = client.post(
        reverse("security_2fa_verify"), {"token": current_code(device), "next": edit_url}
    )
    assert ok.status_code == 302 and ok.url == edit_url
    assert client.get(edit_url).status_code == 200


@pytest.mark.django_db
def test_verification_refuses_foreign_redirects(client, coordinator, require_2fa):
    device = TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    sign_in(client, "coordinator")
    ok = client.post(
        reverse("security_2fa_verify"),
        {"token": current_code(device), "next": "https://evil.example/"},
    )
    assert ok.url == reverse("wagtailadmin_home")


@pytest.mark.django_db
def test_only_a_beheerder_resets_someones_authenticator(client, editor, administrator):
    TOTPDevice.objects.create(user=editor, name="app", confirmed=True)
    url = reverse("security_2fa_reset", args=[editor.pk])
    client.force_login(editor)
    refused = client.post(url)  # Wagtail turns PermissionDenied into a redirect with a message
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    assert TOTPDevice.objects.filter(user=editor).exists()

    client.force_login(administrator)
    listing = client.get(reverse("wagtailusers_users:index"))
    assert url in listing.content.decode()
    assert "Tweestapsverificatie wissen" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()


@pytest.mark.django_db
def test_sessions_expire(client, editor, settings):
    sign_in(client, "redacteur")
    assert client.session.get_expire_at_browser_close()
    client.logout()
    sign_in(client, "redacteur", remember="on")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 2 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # idle time, not time since sign-in
