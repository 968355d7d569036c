"""What every response of the product-library API carries, whatever view produced it.

Each URL of the API is wrapped by `api_view`: it answers CORS preflights, serves HEAD as GET without
a body, turns any error that is not yet problem+json into one, and adds the `API-Version` header,
the security headers of the NL GOV API Design Rules, CORS for reading, and `ETag` with
`Cache-Control` on public GET responses (a matching `If-None-Match` gets 304).
"""

import functools
import hashlib
import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

from api.errors import unexpected_error_problem
from api.problems import is_problem, problem_response
from core.ratelimit import allow_scope

logger = logging.getLogger(__name__)

API_VERSION = "1.0.0"
PUBLIC_CACHE_CONTROL = "public, max-age=0, must-revalidate"
PRIVATE_CACHE_CONTROL = "no-store"
READ_METHODS = ("GET", "HEAD", "OPTIONS")

SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "API-Version, ETag",
}


def _fallback_problem(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Turn an error that some layer answered without problem details into one."""
    status = response.status_code
    if status == 405:
        allowed = response.get("Allow", "")
        problem = problem_response(
            status=405,
            detail=f"De methode {request.method} is hier niet toegestaan; gebruik {allowed}.",
            instance=request.path,
        )
        problem["Allow"] = allowed
        return problem
    if status == 404:
        return problem_response(
            status=404,
            detail="Deze URL bestaat niet in de productbibliotheek-API.",
            instance=request.path,
        )
    return problem_response(
        status=status,
        detail="Het verzoek kon niet worden verwerkt.",
        instance=request.path,
    )


def _etag(response: HttpResponse) -> str:
    return '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'


def _if_none_match(request: HttpRequest) -> set[str]:
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def finalize_response(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Add the headers every response of the API carries; convert plain errors."""
    if response.status_code >= 400 and not is_problem(response):
        response = _fallback_problem(request, response)
    if getattr(request, "api_private", False):
        response["Cache-Control"] = "private, no-store"
    if (
        request.method == "GET"
        and response.status_code == 200
        and not response.has_header("Cache-Control")
        and not getattr(response, "streaming", False)
    ):
        etag = _etag(response)
        if etag in _if_none_match(request) or "*" in _if_none_match(request):
            response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Cache-Control"] = PUBLIC_CACHE_CONTROL
    elif not response.has_header("Cache-Control"):
        response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    response["API-Version"] = API_VERSION
    for name, value in SECURITY_HEADERS.items():
        response[name] = value
    if request.method in READ_METHODS:
        for name, value in CORS_HEADERS.items():
            response[name] = value
    return response


def preflight_response() -> HttpResponse:
    """The answer to a CORS preflight: reading is open to every origin."""
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Accept, If-None-Match"
    response["Access-Control-Max-Age"] = "86400"
    response["Allow"] = "GET, HEAD, OPTIONS"
    return response


def api_view(view: Callable) -> Callable:
    """Wrap a view of the API so that its response follows the API Design Rules."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        head = request.method == "HEAD"
        if request.method == "OPTIONS":
            response = preflight_response()
        else:
            if head:
                request.method = "GET"
            if request.method == "GET" and not allow_scope(request, "api-read"):
                response = problem_response(
                    status=429,
                    detail="U heeft in korte tijd te veel verzoeken gedaan. Wacht een minuut en "
                    "probeer het dan opnieuw.",
                    instance=request.path,
                    headers={"Retry-After": "60"},
                )
            else:
                try:
                    response = view(request, *args, **kwargs)
                except Exception as error:  # noqa: BLE001 - an API error is a problem, never HTML
                    response = unexpected_error_problem(request, error)
        response = finalize_response(request, response)
        if head:
            request.method = "HEAD"
            response.content = b""
        return response

    wrapped.csrf_exempt = True  # the API uses no cookies; its one POST is rate limited
    return wrapped
