"""Health checks for /healthz: can this app server reach the database and the search backend?"""

import logging
import time
from typing import Any

from django.db import connection

from wagtail.search.backends import get_search_backend

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


def check_search() -> dict[str, Any]:
    """Ping Elasticsearch, or run a one-row query on the database search backend."""
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
    """Both checks and an overall status ("ok" or "fout")."""
    database = check_database()
    search = (
        check_search()
        if database["ok"] or _search_is_external()
        else {"ok": False, "error": "database onbereikbaar"}
    )
    ok = database["ok"] and search["ok"]
    return {"status": "ok" if ok else "fout", "database": database, "search": search}


def _search_is_external() -> bool:
    return hasattr(get_search_backend(), "es")


def _ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)
