"""What every response of the two public APIs carries, whatever view or layer produced it.

`APIMiddleware` serves the product-library API (`/api/productbibliotheek/`) and Wagtail's content
API (`/api/v2/`): it rate limits reading per client, serves HEAD as GET without a body, turns any
error that is not yet problem+json into one, and marks public GET responses cacheable, with an
`ETag` and 304 on a matching `If-None-Match` from Django's own `ConditionalGetMiddleware`.
The search box's suggestions (`/zoeken/suggesties`) are read as JSON too: their errors also
become problem+json, and nothing else of theirs changes.
On the product-library API it adds the `API-Version` header and the security headers of the
NL GOV API Design Rules. CORS is django-cors-headers' (`CORS_*` in the settings).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.middleware.http import ConditionalGetMiddleware

from api.problems import is_problem, problem_response
from core.ratelimit import allow_scope
from core.security.bad_input import is_json_path

API_VERSION = "1.0.0"
PRODUCT_API_PREFIX = "/api/productbibliotheek/"
CONTENT_API_PREFIX = "/api/v2/"
PUBLIC_CACHE_CONTROL = "public, max-age=0, must-revalidate"
PRIVATE_CACHE_CONTROL = "no-store"

SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}
# The documentation page loads django-ninja's Swagger UI from this site's /static/ only, and
# fetches the OpenAPI document from this site; nothing inline, nothing from elsewhere.
DOCS_URL_NAME = "openapi-view"
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
TOO_MANY_REQUESTS = (
    "U heeft in korte tijd te veel verzoeken gedaan. Wacht een minuut en probeer het dan opnieuw."
)


def is_api_path(path: str) -> bool:
    """True for the paths of the two public APIs."""
    return path.startswith((PRODUCT_API_PREFIX, CONTENT_API_PREFIX))


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
    if status == 429:
        return problem_response(
            status=429,
            detail=TOO_MANY_REQUESTS,
            instance=request.path,
            headers={"Retry-After": response.get("Retry-After", "60")},
        )
    if status == 404 and request.path.startswith(PRODUCT_API_PREFIX):
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


def _cache_control(request: HttpRequest, response: HttpResponse) -> None:
    """Public GET 200s may be kept and revalidated; everything else is not stored."""
    if getattr(request, "api_private", False):
        response["Cache-Control"] = "private, no-store"
    if response.has_header("Cache-Control"):
        return
    if (
        request.method == "GET"
        and response.status_code == 200
        and not getattr(response, "streaming", False)
    ):
        response["Cache-Control"] = PUBLIC_CACHE_CONTROL
    else:
        response["Cache-Control"] = PRIVATE_CACHE_CONTROL


def finalize_response(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Problem details for any error, and the Cache-Control the response may be kept under."""
    if response.status_code >= 400 and not is_problem(response):
        response = _fallback_problem(request, response)
    _cache_control(request, response)
    return response


def add_product_api_headers(request: HttpRequest, response: HttpResponse) -> None:
    """The API-Version and security headers of the NL GOV API Design Rules."""
    response["API-Version"] = API_VERSION
    for name, value in SECURITY_HEADERS.items():
        response[name] = value
    match = request.resolver_match
    if match is not None and match.url_name == DOCS_URL_NAME and response.status_code == 200:
        response["Content-Security-Policy"] = DOCS_CSP


class APIMiddleware:
    """The rules every response of the two APIs follows (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Django's conditional GET: an ETag of the body unless no-store, 304 when it matches.
        self.conditional_get = ConditionalGetMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_api_path(request.path):
            response = self.get_response(request)
            if is_json_path(request.path) and response.status_code >= 400:
                if not is_problem(response):
                    response = _fallback_problem(request, response)
            return response
        head = request.method == "HEAD"
        if head:
            request.method = "GET"  # the same headers and ETag as GET, without the body
        if request.method == "GET" and not allow_scope(request, "api-read"):
            response = problem_response(
                status=429,
                detail=TOO_MANY_REQUESTS,
                instance=request.path,
                headers={"Retry-After": "60"},
            )
        else:
            response = self.get_response(request)
        response = finalize_response(request, response)
        # django-stubs types the result as HttpResponseBase; it is the response given, or a 304.
        response = self.conditional_get.process_response(request, response)  # type: ignore[assignment]
        if request.path.startswith(PRODUCT_API_PREFIX):
            add_product_api_headers(request, response)
        if head:
            request.method = "HEAD"
            response.content = b""
        return response
