"""Two-factor authentication (TOTP via django-otp) for the Wagtail admin.

A user who signed in with a password but has not yet given a one-time code is sent to the
verification page, or to enrolment when they have no authenticator app yet. Required for every admin
user when `HUBCMS_REQUIRE_2FA` is on (always in production).
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

import qrcode
import qrcode.image.svg
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .unavailable import unavailable_response

DEVICE_NAME = "Authenticator-app"

# Admin URLs a signed-in but unverified user may still reach.
EXEMPT_URL_NAMES = [
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "security_2fa_verify",
    "security_2fa_enrol",
    "wagtailadmin_password_reset",
]


def enrolment_device(*, user: AbstractBaseUser) -> TOTPDevice:
    """The user's unconfirmed TOTP device, created on first use (one per user)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def qr_code_svg(*, device: TOTPDevice) -> str:
    """The otpauth:// URL of the device as an inline SVG QR code for an authenticator app."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def confirm_enrolment(*, request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Confirm the device with a first code and mark this session as verified."""
    if not device.verify_token(token.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True


def verify_code(*, request: HttpRequest, token: str) -> tuple[bool, int]:
    """Check a code against the user's confirmed devices; return (ok, seconds to wait)."""
    for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
        allowed, details = device.verify_is_allowed()
        if not allowed:
            locked_until = (details or {}).get("locked_until")
            wait = 30
            if locked_until is not None:
                from django.utils import timezone

                wait = max(1, int((locked_until - timezone.now()).total_seconds()))
            return False, wait
        if device.verify_token(token.strip()):
            otp_login(request, device)
            return True, 0
    return False, 0


def reset_two_factor(*, user: AbstractBaseUser) -> int:
    """Remove a user's authenticator devices (lost phone); they enrol again at the next login."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    return deleted


class RequireAdminTwoFactorMiddleware:
    """Send admin users who have not given a one-time code to verification or enrolment."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            needs_code = settings.HUBCMS_REQUIRE_2FA and self._needs_second_factor(request)
        except (OperationalError, InterfaceError):  # the session lives in the database
            return unavailable_response(request)
        if needs_code:
            user = request.user
            name = "security_2fa_verify" if user_has_device(user) else "security_2fa_enrol"
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse(name)}?{query}")
        return self.get_response(request)

    @staticmethod
    def _needs_second_factor(request: HttpRequest) -> bool:
        admin_root = reverse("wagtailadmin_home")
        if not request.path.startswith(admin_root):
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return False
        exempt = {reverse(name) for name in EXEMPT_URL_NAMES}
        return request.path not in exempt
