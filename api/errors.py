"""Exceptions of the product-library API and the handlers that turn every one into problem+json."""

import logging

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, InterfaceError, OperationalError
from django.db.models import TextChoices
from django.http import Http404, HttpRequest, HttpResponse

from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic.alias_generators import to_camel

from api.problems import dutch_reason, problem_response
from core.security.unavailable import unavailable_response
from operations.choices import OrganisationKind
from products.choices import LifecycleStatus, ProductType

logger = logging.getLogger(__name__)

# Parameters and body fields with a fixed set of codes: an unknown value is answered with every
# code and its Dutch label, as the website's forms name them.
CODED_FIELDS: dict[str, type[TextChoices]] = {
    "organisationKind": OrganisationKind,
    "productType": ProductType,
    "lifecycleStatus": LifecycleStatus,
}


class ApiProblem(Exception):
    """Raised by an endpoint to answer with a problem+json response."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        invalid_params: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.invalid_params = invalid_params
        self.headers = headers

    @classmethod
    def from_django_validation(cls, error: DjangoValidationError) -> "ApiProblem":
        """A 400 listing each field of a service's Dutch ValidationError under its JSON name."""
        invalid = []
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                for message in messages:
                    invalid.append({"name": to_camel(field), "reason": message})
        else:
            invalid = [{"name": "body", "reason": message} for message in error.messages]
        detail = " ".join(item["reason"] for item in invalid) or "De invoer is ongeldig."
        return cls(400, detail, invalid_params=invalid)


def _location(loc: tuple[str | int, ...]) -> str:
    # pydantic's location starts with the source ("query", "body", "path") and the argument name.
    parts = [str(part) for part in loc]
    if parts and parts[0] in {"query", "path", "body", "header", "cookie", "form"}:
        source, parts = parts[0], parts[1:]
        if source == "body" and parts:
            parts = parts[1:]
        if source in {"query", "path"} and len(parts) > 1:
            parts = parts[1:]
        if source == "query":
            parts = [p for p in parts if not p.isdigit()]
    return ".".join(to_camel(p) if not p.isdigit() else p for p in parts) or "body"


def unexpected_error_problem(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The problem for an exception no endpoint expected: 503 while the database is unreachable
    or a statement timed out, 400 for a value the database refuses, else 500."""

    if isinstance(exc, OperationalError | InterfaceError):
        logger.error("Database unavailable while serving %s: %s", request.path, exc)
        return unavailable_response(request)
    if isinstance(exc, DataError):
        logger.error("Invalid data in %s", request.path, exc_info=exc)
        return problem_response(
            status=400,
            detail="Een waarde in dit verzoek kan niet worden verwerkt. Controleer de invoer.",
            instance=request.path,
        )
    logger.error("Onverwachte fout in %s", request.path, exc_info=exc)
    return problem_response(
        status=500,
        detail="Er ging iets mis aan onze kant. Probeer het later opnieuw.",
        instance=request.path,
    )


def install_exception_handlers(api: NinjaAPI) -> None:
    """Answer every exception an endpoint raises with problem details."""

    @api.exception_handler(ApiProblem)
    def api_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
        return problem_response(
            status=exc.status,
            detail=exc.detail,
            invalid_params=exc.invalid_params,
            instance=request.path,
            headers=exc.headers,
        )

    @api.exception_handler(NinjaValidationError)
    def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        invalid = []
        for error in exc.errors:
            name = _location(tuple(error.get("loc", ())))
            reason = dutch_reason(error, choices=CODED_FIELDS.get(name))
            invalid.append({"name": name, "reason": reason})
        reasons = " ".join(f"{item['name']}: {item['reason']}" for item in invalid)
        return problem_response(
            status=400,
            detail=f"De invoer is ongeldig. {reasons}",
            invalid_params=invalid,
            instance=request.path,
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem_response(status=404, detail="Deze bron bestaat niet.", instance=request.path)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        detail = {
            400: "De body kon niet worden gelezen: stuur geldige JSON.",
            415: "Stuur de body als application/json.",
        }.get(exc.status_code, "Het verzoek kon niet worden verwerkt.")
        return problem_response(status=exc.status_code, detail=detail, instance=request.path)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return problem_response(
            status=413, detail="Het verzoek is te groot.", instance=request.path
        )

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        return unexpected_error_problem(request, exc)
