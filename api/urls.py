"""URLs of the product-library API; `api.http.APIMiddleware` gives every response the
headers of the NL GOV API Design Rules.

The last pattern answers every other path under the API (including a trailing slash) with a
problem+json 404, so that nothing below /api/productbibliotheek/v1/ falls through to the page tree.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, re_path
from django.views.decorators.csrf import csrf_exempt

from api.api import api
from api.problems import problem_response

app_name = "productbibliotheek-v1"


@csrf_exempt  # the API uses no cookies: a POST to an unknown path is a 404, not a CSRF 403
def unknown_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    """A problem+json 404 for any path the API does not have."""
    detail = "Deze URL bestaat niet in de productbibliotheek-API."
    if rest.endswith("/"):
        detail += f" Laat de slash aan het eind weg: /{rest.rstrip('/')}."
    return problem_response(status=404, detail=detail, instance=request.path)


urlpatterns = [
    # django-ninja's patterns are all plain paths (URLPattern), never includes.
    *[p for p in api.urls[0] if isinstance(p, URLPattern) and p.name != "api-root"],
    re_path(r"^(?P<rest>.*)$", unknown_path, name="unknown"),
]
