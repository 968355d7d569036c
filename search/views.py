"""Search endpoints outside the page tree: title suggestions for the search box."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from core.ratelimit import allow_scope
from search.services import autocomplete_titles

MAX_PREFIX = 100


@require_safe
def suggestions(request: HttpRequest) -> JsonResponse:
    """Up to eight live, public product titles matching what the visitor is typing. Its errors
    become problem+json on the way out (`api.http.APIMiddleware`); the search box reads any error
    as no suggestions."""
    if not allow_scope(request, "suggestions"):
        return JsonResponse(
            {
                "suggestions": [],
                "melding": "Te veel verzoeken; probeer het over een minuut opnieuw.",
            },
            status=429,
            headers={"Retry-After": "60"},
        )
    prefix = request.GET.get("q", "")[:MAX_PREFIX]
    products = autocomplete_titles(prefix, limit=8) if len(prefix.strip()) >= 2 else []
    response = JsonResponse(
        {"suggestions": [{"title": page.title, "url": page.url} for page in products]}
    )
    response["Cache-Control"] = "public, max-age=60"
    return response
