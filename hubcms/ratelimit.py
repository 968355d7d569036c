"""A small fixed-window rate limiter on the shared cache, for public endpoints that take input.

It keys on a scope and a client key (an IP address is hashed, never stored), so several app servers
behind a load balancer share one count through the shared cache.
"""

import hashlib
import time

from django.core.cache import caches
from django.http import HttpRequest


def client_key(request: HttpRequest) -> str:
    """A hash of the client's address (the first X-Forwarded-For hop when behind a proxy)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    address = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(address.encode()).hexdigest()[:32]


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
