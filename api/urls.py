"""URLs of the product-library API, each wrapped so that it follows the NL GOV API Design Rules.

The last pattern answers every other path under the API (including a trailing slash) with a
problem+json 404, so that nothing below /api/productbibliotheek/v1/ falls through to the page tree.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import re_path

from api.api import api
from api.http import api_view
from api.problems import problem_response

app_name = "productbibliotheek-v1"


def unknown_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    """A problem+json 404 for any path the API does not have."""
    detail = "Deze URL bestaat niet in de productbibliotheek-API."
    if rest.endswith("/"):
        detail += f" Laat de slash aan het eind weg: /{rest.rstrip('/')}."
    return problem_response(status=404, detail=detail, instance=request.path)


# The documentation page loads django-ninja's Swagger UI from this site's /static/ only, and
# fetches the OpenAPI document from this site; nothing inline, nothing from elsewhere.
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


def docs_view(view):
    """The Swagger UI page, with the API's headers but a CSP that lets it load its own assets."""

    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            response["Content-Security-Policy"] = DOCS_CSP
        return response

    return wrapped


def _wrapped_api_patterns() -> list:
    patterns, _app_name, _namespace = api.urls
    for pattern in patterns:
        if pattern.name == "api-root":
            continue
        pattern.callback = api_view(pattern.callback)
        if pattern.name == "openapi-view":
            pattern.callback = docs_view(pattern.callback)
        yield pattern


urlpatterns = [
    *_wrapped_api_patterns(),
    re_path(r"^(?P<rest>.*)$", api_view(unknown_path), name="unknown"),
]
