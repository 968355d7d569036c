"""Sign-in throttling for every way in, by django-axes.

Axes sees every `authenticate()` with a request: the admin login, Wagtail's front-end login
(`/_util/login/`) and Django's own. The page and document password forms do not authenticate a user,
so `throttled_password_view` reports their failures to axes under a name per restriction.

Policy (settings.AXES_*): a lock holds a user name *from one address* (so nobody locks out a
colleague by guessing their name), ends by itself after the cool-off, and a correct sign-in clears
it. On top, one address that fails very often across many names is slowed too
(`HUBCMS_LOGIN_FAILURES_PER_ADDRESS`). Attempts are listed in the admin; `manage.py axes_reset`
lifts every lock.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt

from core.ratelimit import client_address

LOCKOUT_MESSAGE = (
    "Te veel mislukte inlogpogingen voor dit account vanaf dit adres. Om misbruik te voorkomen "
    "is inloggen tijdelijk geblokkeerd; probeer het over %(minutes)d minuten opnieuw."
)


def client_ip(request: HttpRequest) -> str:
    """Axes counts per address as the rate limiter does (forged X-Forwarded-For hops ignored)."""
    return client_address(request)


def lockout_minutes(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request)
    return max(1, int(cool_off.total_seconds() // 60)) if cool_off else 15


def lockout_message(request: HttpRequest | None = None) -> str:
    """The Dutch message shown while sign-in is blocked."""
    return LOCKOUT_MESSAGE % {"minutes": lockout_minutes(request)}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """A Dutch page with status 429 and Retry-After, for every login path."""
    response = render(
        request,
        "security/login_locked.html",
        {"message": lockout_message(request)},
        status=429,
    )
    response["Retry-After"] = str(lockout_minutes(request) * 60)
    return response


class HubAxesHandler(AxesDatabaseHandler):
    """Axes' database handler plus a looser limit per address across all user names."""

    def is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        limit = settings.HUBCMS_LOGIN_FAILURES_PER_ADDRESS
        if not limit:
            return False
        recent = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
        )
        failures = recent.aggregate(total=Sum("failures_since_start"))["total"]
        return (failures or 0) >= limit


def password_form_name(kind: str, restriction_id: int) -> str:
    """The 'user name' under which failures of one password restriction are counted."""
    return f"{kind}-wachtwoord:{restriction_id}"


def throttled_password_view(view: Callable[..., HttpResponse], *, kind: str, id_kwarg: str):
    """Wrap Wagtail's page or document password view: refuse while locked, count wrong passwords."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        credentials = {"username": password_form_name(kind, kwargs[id_kwarg])}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return lockout_response(request, None, credentials)
        response = view(request, *args, **kwargs)
        if response.status_code == 200:  # the form again: the password was wrong
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                return lockout_response(request, response, credentials)
        return response

    wrapped.__name__ = getattr(view, "__name__", "password_view")
    wrapped.__doc__ = view.__doc__
    return wrapped
