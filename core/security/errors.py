"""Django's error views (handler400/403/404/500 and the CSRF failure view), in Dutch.

On the API paths every error is application/problem+json with a Dutch title; on the website it is
a Dutch page. The 400, 403 and 500 pages are rendered without the request, so that a bad Host
header (DisallowedHost) or an unreachable database cannot break the error page itself.
"""

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

from api.problems import problem_response
from core.security.bad_input import bad_request_response, is_json_path

BAD_HOST_DETAIL = (
    "Deze website is niet bereikbaar via de hostnaam in uw verzoek. Controleer het adres."
)
BAD_REQUEST_DETAIL = "Het adres of de gegevens van dit verzoek kunnen we niet verwerken."
FORBIDDEN_DETAIL = "U heeft geen toegang tot deze bron."
CSRF_DETAIL = (
    "Het formulier kon niet veilig worden verstuurd (de CSRF-controle is mislukt). Laad de pagina "
    "opnieuw en verstuur het formulier nog eens."
)


def _page(template: str, status: int, context: dict | None = None) -> HttpResponse:
    response = HttpResponse(render_to_string(template, context or {}), status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: a bad Host header, too many fields, a malformed upload, and the like."""
    detail = BAD_HOST_DETAIL if isinstance(exception, DisallowedHost) else BAD_REQUEST_DETAIL
    return bad_request_response(request, detail)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler403."""
    if is_json_path(request.path):
        return problem_response(status=403, detail=FORBIDDEN_DETAIL, instance=request.path)
    return _page("403.html", 403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a Dutch explanation instead of Django's technical page."""
    if is_json_path(request.path):
        return problem_response(status=403, detail=CSRF_DETAIL, instance=request.path)
    return _page("403_csrf.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: problem+json on the APIs, the website's own 404 page elsewhere."""
    if is_json_path(request.path):
        return problem_response(status=404, detail="Deze bron bestaat niet.", instance=request.path)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: problem+json on the APIs, the static Dutch 500 page elsewhere."""
    if is_json_path(request.path):
        return problem_response(
            status=500,
            detail="Er ging iets mis aan onze kant. Probeer het later opnieuw.",
            instance=request.path,
        )
    return _page("500.html", 500)
