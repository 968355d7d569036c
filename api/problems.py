"""Problem details (RFC 9457) for the product-library API: every error is application/problem+json.

The NL GOV API Design Rules ask for `status`, `title` and `detail` on every 4xx and 5xx; invalid
input also lists each offending parameter in `invalidParams`, with a Dutch reason.
"""

import json
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from django.db.models import TextChoices
from django.http import HttpResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"

# Dutch titles for the statuses this API answers with.
TITLES: dict[int, str] = {
    400: "Ongeldige invoer",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Formaat niet beschikbaar",
    413: "Verzoek te groot",
    415: "Mediatype niet ondersteund",
    429: "Te veel verzoeken",
    500: "Interne fout",
    503: "Tijdelijk niet beschikbaar",
}


def problem_response(
    *,
    status: int,
    detail: str,
    title: str | None = None,
    invalid_params: list[dict[str, str]] | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """A problem+json response with a Dutch title and detail."""
    body: dict[str, object] = {
        "type": "about:blank",
        "status": status,
        "title": title or TITLES.get(status) or HTTPStatus(status).phrase,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if invalid_params:
        body["invalidParams"] = invalid_params
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type=f"{PROBLEM_CONTENT_TYPE}; charset=utf-8",
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def is_problem(response: HttpResponse) -> bool:
    """True when the response already carries a problem+json body."""
    return response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE)


def _constraint(context: dict[str, object], key: str) -> str:
    return str(context.get(key, ""))


def choice_list(choices: type[TextChoices]) -> str:
    """The codes of `choices` with their Dutch labels: "'sob' voor SOB (…), … of 'partner' voor …"."""
    *others, last = [f"'{value}' voor {label}" for value, label in choices.choices]
    return f"{', '.join(others)} of {last}" if others else last


def dutch_reason(error: Mapping[str, Any], *, choices: type[TextChoices] | None = None) -> str:
    """A Dutch explanation of one pydantic validation error; `choices` names the codes of a
    field with a fixed set of values by their Dutch labels."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    reasons = {
        "missing": "Dit veld is verplicht.",
        "string_type": "Verwacht tekst.",
        "int_type": "Verwacht een geheel getal.",
        "int_parsing": "Verwacht een geheel getal.",
        "int_from_float": "Verwacht een geheel getal.",
        "bool_parsing": "Verwacht true of false.",
        "dict_type": "Verwacht een JSON-object.",
        "model_type": "Verwacht een JSON-object.",
        "model_attributes_type": "Verwacht een JSON-object.",
        "list_type": "Verwacht een lijst.",
        "json_invalid": "De body is geen geldige JSON.",
        "value_error": "Ongeldige waarde.",
        "extra_forbidden": "Dit veld bestaat niet.",
        "string_pattern_mismatch": "De waarde heeft niet de juiste vorm.",
        "null_character": "Bevat een ongeldig teken (NUL).",
    }
    if kind == "greater_than_equal":
        return f"Moet ten minste {_constraint(context, 'ge')} zijn."
    if kind == "greater_than":
        return f"Moet groter zijn dan {_constraint(context, 'gt')}."
    if kind == "less_than_equal":
        return f"Mag hoogstens {_constraint(context, 'le')} zijn."
    if kind == "less_than":
        return f"Moet kleiner zijn dan {_constraint(context, 'lt')}."
    if kind == "string_too_long":
        return f"Te lang: hoogstens {_constraint(context, 'max_length')} tekens."
    if kind == "string_too_short":
        return f"Te kort: ten minste {_constraint(context, 'min_length')} tekens."
    if kind in {"literal_error", "enum"} and choices is not None:
        return f"Onbekende waarde; kies uit {choice_list(choices)}."
    if kind in {"literal_error", "enum"}:
        expected = _constraint(context, "expected").replace(" or ", ", ")
        return f"Onbekende waarde; kies uit {expected}."
    return reasons.get(kind, "Ongeldige waarde.")
