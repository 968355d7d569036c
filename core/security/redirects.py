"""Redirects to a `next` address from the request: only to this site, never elsewhere."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, *, fallback: str) -> str:
    """The request's `next` (POST before GET) when it points at this site, else `fallback`.

    An unchecked `next` lets a link on another site send a signed-in user from the admin to a
    look-alike login page (an open redirect)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
