"""A small fixed-window rate limiter on the shared cache, for public endpoints that take input.

It keys on a scope and a client key (an IP address is hashed, never stored), so several app servers
behind a load balancer share one count through the shared cache.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address. Behind HUBCMS_TRUSTED_PROXY_COUNT proxies it is the X-Forwarded-For
    entry that the outermost trusted proxy added; entries before it are chosen by the client and
    could be forged to dodge the limit, so they are never used. Without proxies: REMOTE_ADDR."""
    proxies = getattr(settings, "HUBCMS_TRUSTED_PROXY_COUNT", 0)
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if proxies and len(hops) >= proxies:
        return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_key(request: HttpRequest) -> str:
    """A hash of the client's address; the address itself is never stored."""
    return hashlib.sha256(client_address(request).encode()).hexdigest()[:32]


def allow_scope(request: HttpRequest, scope: str) -> bool:
    """Count a hit against the configured limit of `scope` (settings.HUBCMS_RATE_LIMITS)."""
    from django.conf import settings

    limit, window_seconds = settings.HUBCMS_RATE_LIMITS[scope]
    return allow(request, scope=scope, limit=limit, window_seconds=window_seconds)


def allow(request: HttpRequest, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one hit for this client in `scope`; False once it exceeds `limit` per window."""
    window = int(time.time() // window_seconds)
    key = f"ratelimit:{scope}:{client_key(request)}:{window}"
    cache = caches["default"]
    cache.add(key, 0, timeout=window_seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window_seconds + 1)
        count = 1
    return count <= limit
