"""Bad input is answered with a 400 before it reaches a view, a query or a search engine.

A NUL character cannot be stored or compared in PostgreSQL (psycopg refuses it), and SQLite's
full-text syntax trips over it: a NUL in the path, the query string or a cookie would otherwise
surface as a 500, or as a false 503 "database unavailable". `BadInputMiddleware` refuses such a
request at the door: problem+json on the APIs, a Dutch page on the website.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from api.problems import problem_response

NUL = "\x00"
# Paths whose callers read JSON: the two APIs and the search box's suggestions.
JSON_PATH_PREFIXES = ("/api/", "/zoeken/")
NUL_DETAIL = (
    "Het adres, de zoekparameters of een cookie bevatten een ongeldig teken (NUL). "
    "Verwijder dat teken en probeer het opnieuw."
)


def is_json_path(path: str) -> bool:
    """True for the paths that answer errors as problem+json instead of a web page."""
    return path.startswith(JSON_PATH_PREFIXES)


def bad_request_response(request: HttpRequest, detail: str) -> HttpResponse:
    """A 400: problem+json on the APIs, else the Dutch 400 page (rendered without the database)."""
    if is_json_path(request.path):
        # On the APIs, api.http.APIMiddleware adds API-Version and the security headers.
        return problem_response(status=400, detail=detail, instance=request.path)
    response = HttpResponse(render_to_string("400.html", {"detail": detail}), status=400)
    response["Cache-Control"] = "no-store"
    return response


def nul_in_request(request: HttpRequest) -> bool:
    """True when the path, a query parameter (name or value) or the cookie header holds a NUL."""
    if NUL in request.path or NUL in request.META.get("HTTP_COOKIE", ""):
        return True
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in request.GET.lists()
    )


class BadInputMiddleware:
    """Refuse a request with a NUL character in its path, query string or cookies with a 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if nul_in_request(request):
            return bad_request_response(request, NUL_DETAIL)
        return self.get_response(request)
