"""Login throttling: failed sign-ins counted per account and per client address on the shared cache.

After `HUBCMS_LOGIN_FAILURES_PER_ACCOUNT` failures for one user name, or
`HUBCMS_LOGIN_FAILURES_PER_ADDRESS` from one address, further attempts are refused for
`HUBCMS_LOGIN_LOCKOUT_SECONDS`, even with the right password. Keys are hashes: no user name or
address is stored in the cache in clear text.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest

from hubcms.ratelimit import client_key

LOCKOUT_MESSAGE = (
    "Te veel mislukte inlogpogingen voor dit account of vanaf dit adres. Om misbruik te voorkomen "
    "is inloggen tijdelijk geblokkeerd; probeer het over %(minutes)d minuten opnieuw."
)


def _account_key(username: str) -> str:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return f"login-failures:account:{digest}"


def _address_key(request: HttpRequest) -> str:
    return f"login-failures:address:{client_key(request)}"


def login_blocked(*, request: HttpRequest, username: str) -> bool:
    """True when this account or this address has too many recent failed sign-ins."""
    cache = caches["default"]
    return (
        cache.get(_account_key(username), 0) >= settings.HUBCMS_LOGIN_FAILURES_PER_ACCOUNT
        or cache.get(_address_key(request), 0) >= settings.HUBCMS_LOGIN_FAILURES_PER_ADDRESS
    )


def record_failed_login(*, request: HttpRequest, username: str) -> None:
    """Count one failed sign-in for the account and the address."""
    cache = caches["default"]
    timeout = settings.HUBCMS_LOGIN_LOCKOUT_SECONDS
    for key in (_account_key(username), _address_key(request)):
        cache.add(key, 0, timeout=timeout)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=timeout)


def clear_failed_logins(*, username: str) -> None:
    """Forget an account's failures after a successful sign-in."""
    caches["default"].delete(_account_key(username))


def lockout_message() -> str:
    """The Dutch message shown while sign-in is blocked."""
    minutes = max(1, settings.HUBCMS_LOGIN_LOCKOUT_SECONDS // 60)
    return LOCKOUT_MESSAGE % {"minutes": minutes}
