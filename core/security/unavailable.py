"""A Dutch 503 page instead of a 500 while the database is unreachable or stalled.

Django closes a broken connection at the end of the request (CONN_HEALTH_CHECKS is on), so the app
reconnects by itself once the database is back; no restart is needed. A stalled database reaches
this page too: the connect and statement timeouts (DB_CONNECT_TIMEOUT_SECONDS,
DB_STATEMENT_TIMEOUT_SECONDS in the settings) raise OperationalError instead of hanging a worker.
On the API paths the 503 is problem+json.
"""

import logging
from collections.abc import Callable

from django.db import DataError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from api.problems import problem_response
from core.security.bad_input import bad_request_response

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
UNAVAILABLE_DETAIL = (
    "De database is even niet bereikbaar door een storing. Er gaat niets verloren: probeer het "
    "over een halve minuut opnieuw."
)


def unavailable_response(request: HttpRequest | None = None) -> HttpResponse:
    """The 503 page; rendered without a request so that no context processor touches the DB."""
    session = getattr(request, "session", None)
    if session is not None and not hasattr(session, "_session_cache"):
        # SessionMiddleware reads the session again on the way out (SESSION_SAVE_EVERY_REQUEST);
        # with the database gone that would turn this 503 into a 500. An empty cache stops it;
        # nothing is saved on a 5xx response anyway.
        session._session_cache = {}
    if request is not None and request.path.startswith("/api/"):
        return problem_response(
            status=503,
            detail=UNAVAILABLE_DETAIL,
            instance=request.path,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
        )
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def value_out_of_range(exception: Exception) -> bool:
    """SQLite's counterpart of a DataError: a number in the request beyond 64 bits, which Python's
    sqlite3 refuses to send (PostgreSQL compares it as a numeric and finds nothing)."""
    return isinstance(exception, OverflowError) and "SQLite INTEGER" in str(exception)


class DatabaseUnavailableMiddleware:
    """Turn database connection errors raised by a view into the 503 page.

    A DataError (PostgreSQL's class 22, "data exception": a value out of range, a NUL byte) is
    caused by a value the request brought in, and so is SQLite's `value_out_of_range`; should one
    slip past the checks at the edges it is a 400, not a 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            logger.error("Database unavailable while serving %s: %s", request.path, exception)
            return unavailable_response(request)
        if isinstance(exception, DataError) or value_out_of_range(exception):
            logger.error("Invalid data in %s", request.path, exc_info=exception)
            return bad_request_response(
                request, "Een waarde in dit verzoek kan niet worden verwerkt. Controleer de invoer."
            )
        return None
