"""Health checks: liveness (/healthz/live: the app answers) and readiness (/healthz: the database
and the search engine).

Only the database decides readiness: while the search engine is down the site still serves every
page and lists products from the database, so an engine outage must not take every app server
out of the load balancer. It is reported as status "beperkt" (degraded) with HTTP 200.
"""

import logging
import time
from typing import Any

from django.db import connection

from wagtail.search.backends import get_search_backend

from search.opensearch.client import configured, get_client
from search.opensearch.indexing import index_state

logger = logging.getLogger(__name__)


def check_database() -> dict[str, Any]:
    """Run a trivial query on the default database."""
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001  (any failure means unhealthy)
        logger.warning("Health check: database unavailable: %s", error)
        return {"ok": False, "vendor": connection.vendor, "error": type(error).__name__}
    return {"ok": True, "vendor": connection.vendor, "ms": _ms(started)}


def check_search_engine() -> dict[str, Any]:
    """Ping the product library's search engine (SEARCH_URL) and read its index's state."""

    started = time.monotonic()
    try:
        info = get_client().ping()
        state = index_state()
    except Exception as error:  # noqa: BLE001  (any failure means unavailable)
        logger.warning("Health check: search engine unavailable: %s", error)
        return {"ok": False, "backend": "opensearch", "error": type(error).__name__}
    return {
        "ok": state["index"] is not None,
        "backend": "opensearch",
        "version": info["version"],
        "index": state["index"],
        "index_current": state["current"],
        "ms": _ms(started),
    }


def check_search() -> dict[str, Any]:
    """Ping the search engine, or Elasticsearch, or query the database search backend once."""

    if configured():
        return check_search_engine()
    started = time.monotonic()
    backend = get_search_backend()
    name = type(backend).__module__
    try:
        client = getattr(backend, "es", None)
        if client is not None:
            if not client.ping():
                return {"ok": False, "backend": name, "error": "ping mislukt"}
        else:
            from wagtail.models import Page

            list(backend.search("gezondheidscontrole", Page.objects.all())[:1])
    except Exception as error:  # noqa: BLE001
        logger.warning("Health check: search backend unavailable: %s", error)
        return {"ok": False, "backend": name, "error": type(error).__name__}
    return {"ok": True, "backend": name, "ms": _ms(started)}


def health_report() -> dict[str, Any]:
    """Both checks and an overall status: "ok", "beperkt" (search down) or "fout" (database)."""
    database = check_database()
    search = (
        check_search()
        if database["ok"] or _search_is_external()
        else {"ok": False, "error": "database onbereikbaar"}
    )
    status = "fout" if not database["ok"] else ("ok" if search["ok"] else "beperkt")
    return {"status": status, "database": database, "search": search}


def _search_is_external() -> bool:
    return configured() or hasattr(get_search_backend(), "es")


def _ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)
