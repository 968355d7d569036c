"""A Dutch 503 page instead of a 500 while the database is unreachable.

Django closes a broken connection at the end of the request (CONN_HEALTH_CHECKS is on), so the app
reconnects by itself once the database is back; no restart is needed.
"""

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def unavailable_response(request: HttpRequest | None = None) -> HttpResponse:
    """The 503 page; rendered without a request so that no context processor touches the DB."""
    session = getattr(request, "session", None)
    if session is not None and not hasattr(session, "_session_cache"):
        # SessionMiddleware reads the session again on the way out (SESSION_SAVE_EVERY_REQUEST);
        # with the database gone that would turn this 503 into a 500. An empty cache stops it;
        # nothing is saved on a 5xx response anyway.
        session._session_cache = {}
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turn database connection errors raised by a view into the 503 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            logger.error("Database unavailable while serving %s: %s", request.path, exception)
            return unavailable_response(request)
        return None
