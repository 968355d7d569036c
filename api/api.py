"""The product-library API object and its OpenAPI document, shaped to the NL GOV API Design Rules.

django-ninja builds the document from the endpoints; `ProductLibraryAPI.get_openapi_schema` adds
what the rules ask of it: contact details, the server with the major version in its URL, the
`API-Version` header on every success, and a problem+json response for every error status.
"""

import copy
from typing import Any

from ninja import NinjaAPI, Swagger
from ninja.openapi.schema import OpenAPISchema

from api.endpoints import router
from api.errors import install_exception_handlers
from api.http import API_VERSION

BASE_PATH = "/api/productbibliotheek/v1"

DESCRIPTION = (
    "De productbibliotheek van de Innovatiehub Sociale Infrastructuur: zoek in de gepubliceerde "
    "producten (scans, formats, werkvormen, instrumenten, ontwikkelmodules, trainingen en "
    "handreikingen), bekijk ontwikkellijnen en de innovatieagenda, en stuur een kennissignaal in. "
    "Alleen gepubliceerde, openbare inhoud is zichtbaar. Fouten volgen RFC 9457 "
    "(application/problem+json)."
)

CONTACT = {
    "name": "Innovatiehub Sociale Infrastructuur (VNG)",
    "email": "innovatiehub@vng.nl",
    "url": "https://vng.nl/",
}

HEADER_COMPONENTS = {
    "API-Version": {
        "description": "De volledige versie van de API (SemVer).",
        "required": True,
        "schema": {"type": "string", "example": API_VERSION},
    },
    "ETag": {
        "description": "Versie-aanduiding van de inhoud; stuur terug in If-None-Match.",
        "required": True,
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": "Hoe lang en door wie het antwoord bewaard mag worden.",
        "required": True,
        "schema": {"type": "string"},
    },
    "Retry-After": {
        "description": "Na hoeveel seconden een nieuw verzoek weer kan.",
        "required": False,
        "schema": {"type": "integer"},
    },
}

PROBLEM_SCHEMA = {
    "title": "Problem",
    "type": "object",
    "description": "Probleemdetails volgens RFC 9457.",
    "properties": {
        "type": {"type": "string", "description": "URI van het soort probleem."},
        "status": {"type": "integer", "description": "De HTTP-statuscode.", "example": 400},
        "title": {"type": "string", "description": "Korte omschrijving van het probleem."},
        "detail": {"type": "string", "description": "Uitleg voor dit geval, in het Nederlands."},
        "instance": {"type": "string", "description": "Het pad waarop het probleem optrad."},
        "invalidParams": {
            "type": "array",
            "description": "Per ongeldige parameter wat er mis is.",
            "items": {"$ref": "#/components/schemas/InvalidParam"},
        },
    },
    "required": ["status", "title", "detail"],
}
INVALID_PARAM_SCHEMA = {
    "title": "InvalidParam",
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "reason": {"type": "string"},
    },
    "required": ["name", "reason"],
}

ERROR_DESCRIPTIONS = {
    "400": "Ongeldige invoer; invalidParams noemt elke ongeldige parameter.",
    "404": "Niet gevonden.",
    "405": "Methode niet toegestaan.",
    "413": "Het verzoek is te groot.",
    "415": "De body is geen JSON.",
    "429": "Te veel verzoeken; probeer het later opnieuw.",
    "500": "Interne fout.",
}


def _problem_response(status: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": ERROR_DESCRIPTIONS[status],
        "headers": {"API-Version": {"$ref": "#/components/headers/API-Version"}},
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }
    if status == "429":
        response["headers"]["Retry-After"] = {"$ref": "#/components/headers/Retry-After"}
    return response


def _nullable_scalars(node: object) -> None:
    """Write `anyOf: [X, null]` of a plain type as `type: [X, "null"]`, keeping X's format.

    The ADR linter looks for `format` next to a date property; pydantic hides it inside anyOf.
    """
    if isinstance(node, dict):
        variants = node.get("anyOf")
        if isinstance(variants, list) and len(variants) == 2 and {"type": "null"} in variants:
            other = next(v for v in variants if v != {"type": "null"})
            if isinstance(other.get("type"), str):
                node.pop("anyOf")
                for key, value in other.items():
                    node.setdefault(key, value)
                node["type"] = [other["type"], "null"]
        for value in node.values():
            _nullable_scalars(value)
    elif isinstance(node, list):
        for value in node:
            _nullable_scalars(value)


class ProductLibraryAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document passes Logius's ADR linter."""

    # A plain dict, not ninja's OpenAPISchema (a dict subclass whose __init__ builds the document
    # and so cannot be deep-copied): the same mapping to every caller, hence the ignore.
    def get_openapi_schema(  # type: ignore[override]
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        # The document depends on the code only: build it once per process.
        cached = getattr(self, "_openapi_document", None)
        if cached is None:
            cached = self._openapi_document = dict(self._build_openapi_schema(path_params))
        return copy.deepcopy(cached)

    def _build_openapi_schema(self, path_params: dict[str, Any] | None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix="", path_params=path_params)
        schema["info"]["contact"] = dict(CONTACT)
        schema["info"]["license"] = {
            "name": "EUPL-1.2",
            "url": "https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12",
        }
        schema["servers"] = [
            {"url": BASE_PATH, "description": "Deze server (pad ten opzichte van de host)."}
        ]
        components = schema.setdefault("components", {})
        components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        components["schemas"]["InvalidParam"] = INVALID_PARAM_SCHEMA
        components["headers"] = copy.deepcopy(HEADER_COMPONENTS)
        for path_item in schema["paths"].values():
            for method, operation in path_item.items():
                self._shape_operation(method, operation)
        _nullable_scalars(schema)
        return schema

    @staticmethod
    def _shape_operation(method: str, operation: dict[str, Any]) -> None:
        responses = operation["responses"]
        for status, response in list(responses.items()):
            headers = response.setdefault("headers", {})
            headers["API-Version"] = {"$ref": "#/components/headers/API-Version"}
            if method == "get" and str(status) == "200":
                headers["ETag"] = {"$ref": "#/components/headers/ETag"}
                headers["Cache-Control"] = {"$ref": "#/components/headers/Cache-Control"}
        if method == "get":
            responses[304] = {
                "description": "Niet gewijzigd sinds de ETag in If-None-Match.",
                "headers": {
                    "API-Version": {"$ref": "#/components/headers/API-Version"},
                    "ETag": {"$ref": "#/components/headers/ETag"},
                },
            }
        statuses = ["400", "404", "405", "500"]
        if method == "post":
            statuses += ["413", "415", "429"]
        for status in statuses:
            responses[status] = _problem_response(status)
        operation["responses"] = {str(k): v for k, v in responses.items()}


api = ProductLibraryAPI(
    title="Productbibliotheek Innovatiehub Sociale Infrastructuur",
    version=API_VERSION,
    description=DESCRIPTION,
    urls_namespace="productbibliotheek-v1",
    # Swagger UI from django-ninja's static files (ninja in INSTALLED_APPS); urls.py gives the
    # page its own CSP, since the API's `default-src 'none'` would block the page's assets.
    docs_url="/docs",
    docs=Swagger(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0}),
)
install_exception_handlers(api)
api.add_router("", router)
