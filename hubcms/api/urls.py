"""URLs of the product-library API, each wrapped so that it follows the NL GOV API Design Rules.

The last pattern answers every other path under the API (including a trailing slash) with a
problem+json 404, so that nothing below /api/productbibliotheek/v1/ falls through to the page tree.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import re_path

from hubcms.api.api import api
from hubcms.api.http import api_view
from hubcms.api.problems import problem_response

app_name = "productbibliotheek-v1"


def unknown_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    """A problem+json 404 for any path the API does not have."""
    detail = "Deze URL bestaat niet in de productbibliotheek-API."
    if rest.endswith("/"):
        detail += f" Laat de slash aan het eind weg: /{rest.rstrip('/')}."
    return problem_response(status=404, detail=detail, instance=request.path)


def _wrapped_api_patterns() -> list:
    patterns, _app_name, _namespace = api.urls
    for pattern in patterns:
        if pattern.name == "api-root":
            continue
        pattern.callback = api_view(pattern.callback)
        yield pattern


urlpatterns = [
    *_wrapped_api_patterns(),
    re_path(r"^(?P<rest>.*)$", api_view(unknown_path), name="unknown"),
]
