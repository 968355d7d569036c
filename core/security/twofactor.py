"""Two-factor authentication (TOTP and recovery codes via django-otp) for every way in.

A user who signed in with a password but has not yet given a one-time code is sent to the
verification page, or to enrolment when they have no authenticator app yet. Outside the admin such a
session counts as anonymous: private documents, view-restricted pages and exports need both factors.
Required for every user when `HUBCMS_REQUIRE_2FA` is on (always in production).
"""

from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError, OperationalError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from wagtail.log_actions import log

import qrcode
import qrcode.image.svg
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .duties import PROTECTED_GROUPS, notify_other_administrators
from .unavailable import unavailable_response

DEVICE_NAME = "Authenticator-app"
RECOVERY_DEVICE_NAME = "Herstelcodes"
RECOVERY_CODE_COUNT = 10

ENROLLED_ACTION = "hubcms.2fa.enrolled"
RESET_ACTION = "hubcms.2fa.reset"
RECOVERY_USED_ACTION = "hubcms.2fa.recovery_code_used"

# Admin URLs a signed-in but unverified user may still reach: the sign-in and 2FA pages, and the
# static assets those pages load in the background (the icon sprite and the translation
# catalogue, which Wagtail serves to anonymous visitors too).
EXEMPT_URL_NAMES = [
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "security_2fa_verify",
    "security_2fa_enrol",
    "wagtailadmin_password_reset",
]
ASSET_URL_NAMES = ["wagtailadmin_sprite", "wagtailadmin_javascript_catalog"]


def two_factor_required() -> bool:
    return bool(settings.HUBCMS_REQUIRE_2FA)


def has_confirmed_device(user: AbstractBaseUser) -> bool:
    """True when the user has an authenticator app (recovery codes alone do not count)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def may_enrol(*, user: AbstractBaseUser, verified: bool) -> bool:
    """A new authenticator app needs the existing second factor, unless there is none yet."""
    return verified or not has_confirmed_device(user)


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


def new_recovery_codes(*, user: AbstractBaseUser) -> list[str]:
    """Replace the user's recovery codes with fresh single-use ones and return them (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def confirm_enrolment(*, request: HttpRequest, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device with a first code, mark the session verified and return new recovery
    codes; None when the code is wrong. The enrolment is written to the audit log."""
    if not device.verify_token(token.strip()):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    codes = new_recovery_codes(user=request.user)
    log(
        instance=_real_user(request.user),
        action=ENROLLED_ACTION,
        user=request.user,
        data={"device": device.name},
    )
    return codes


def verify_code(*, request: HttpRequest, token: str) -> tuple[bool, int]:
    """Check a code against the user's confirmed devices; return (ok, seconds to wait)."""
    token = token.strip().replace(" ", "").lower()
    wait = 0
    for device in devices_for_user(request.user, confirmed=True):
        allowed, details = device.verify_is_allowed()
        if not allowed:  # this device waits after wrong codes; another may still answer
            locked_until = (details or {}).get("locked_until")
            seconds = 30
            if locked_until is not None:
                seconds = max(1, int((locked_until - timezone.now()).total_seconds()))
            wait = max(wait, seconds)
            continue
        if device.verify_token(token):
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                log(
                    instance=_real_user(request.user),
                    action=RECOVERY_USED_ACTION,
                    user=request.user,
                    data={"left": device.token_set.count()},
                )
            return True, 0
    return False, wait


@transaction.atomic
def reset_two_factor(*, user: AbstractBaseUser, by: AbstractBaseUser) -> int:
    """Remove a user's authenticator apps and recovery codes (lost phone); they enrol again at the
    next login. The reset is written to the audit log."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    log(instance=user, action=RESET_ACTION, user=by, data={"devices": deleted})
    if user.groups.filter(name__in=PROTECTED_GROUPS).exists():
        who = user.get_full_name() or user.get_username()
        notify_other_administrators(
            actor=by,
            subject=f"Tweestapsverificatie van {who} gewist",
            body=(
                f"De tweestapsverificatie van {who} ({user.get_username()}) is gewist door "
                f"{by.get_full_name() or by.get_username()}. {who} toetst of publiceert; klopt "
                "dit niet, blokkeer het account dan in het beheer (Gebruikers)."
            ),
        )
    return deleted


def _real_user(user):
    return getattr(user, "_wrapped", user)


def _url_paths(names: list[str]) -> set[str]:
    return {reverse(name) for name in names}


def safe_next_path(target: str) -> bool:
    """A `next` that a person may land on: not a background asset and not a 2FA page itself."""
    path = urlsplit(target).path
    return path not in _url_paths(ASSET_URL_NAMES + EXEMPT_URL_NAMES)


def _is_background_request(request: HttpRequest) -> bool:
    """A fetch, XHR or sub-resource: never a page a person should be sent back to."""
    destination = request.META.get("HTTP_SEC_FETCH_DEST")
    if destination and destination not in {"document", "iframe"}:
        return True
    return request.META.get("HTTP_X_REQUESTED_WITH") == "XMLHttpRequest"


class RequireAdminTwoFactorMiddleware:
    """Send admin users who have not given a one-time code to verification or enrolment, and
    treat such a half-signed-in session as anonymous everywhere outside the admin."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            unverified = two_factor_required() and self._signed_in_without_code(request)
        except (OperationalError, InterfaceError):  # the session lives in the database
            return unavailable_response(request)
        if not unverified:
            return self.get_response(request)
        if not request.path.startswith(reverse("wagtailadmin_home")):
            # Documents, restricted pages, the APIs: a password alone opens nothing.
            request.user = AnonymousUser()
            return self.get_response(request)
        if request.path in _url_paths(EXEMPT_URL_NAMES + ASSET_URL_NAMES):
            return self.get_response(request)
        if _is_background_request(request):
            return HttpResponseForbidden("Tweestapsverificatie vereist.")
        user = request.user
        name = "security_2fa_verify" if user_has_device(user) else "security_2fa_enrol"
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(name)}?{query}")

    @staticmethod
    def _signed_in_without_code(request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        return user is not None and user.is_authenticated and not user.is_verified()
