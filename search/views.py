"""Search endpoints outside the page tree: title suggestions for the search box."""

from django.http import HttpRequest, HttpResponse, JsonResponse

from api.problems import problem_response
from core.ratelimit import allow_scope
from search.services import autocomplete_titles

MAX_PREFIX = 100
ALLOWED_METHODS = ("GET", "HEAD")


def suggestions(request: HttpRequest) -> HttpResponse:
    """Up to eight live, public product titles matching what the visitor is typing. Its errors
    are problem+json, like the APIs' (the search box reads any error as no suggestions)."""
    if request.method not in ALLOWED_METHODS:
        return problem_response(
            status=405,
            detail=f"De methode {request.method} is hier niet toegestaan; gebruik GET.",
            instance=request.path,
            headers={"Allow": ", ".join(ALLOWED_METHODS)},
        )
    if not allow_scope(request, "suggestions"):
        return problem_response(
            status=429,
            detail="Te veel verzoeken; probeer het over een minuut opnieuw.",
            instance=request.path,
            headers={"Retry-After": "60"},
        )
    prefix = request.GET.get("q", "")[:MAX_PREFIX]
    products = autocomplete_titles(prefix, limit=8) if len(prefix.strip()) >= 2 else []
    response = JsonResponse(
        {"suggestions": [{"title": page.title, "url": page.url} for page in products]}
    )
    response["Cache-Control"] = "public, max-age=60"
    return response
