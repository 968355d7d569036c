"""Schemathesis against the product-library API's own OpenAPI document, through WSGI; against a
description of Wagtail's content API (/api/v2/); and Hypothesis over both APIs and the website's
query parameters with the inputs that broke them before (NUL bytes, long queries, huge numbers).

Generated requests (valid and invalid) must never cause a server error, and every response must
match the document: its status code, content type, headers and body schema. The schema is loaded
inside the test (the pytest-fixture loader of schemathesis does not run under pytest 9) and each
operation is driven by Hypothesis through its Python API.
"""

from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.tests.conftest import API
from hubcms.testing.examples import examples

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = examples(20, quick=8)
CONTENT_API_EXAMPLES = examples(12, quick=6)


@pytest.fixture
def keep_test_connection():
    """Keep the test's database connection open across WSGI requests, as Django's test client does.

    A real WSGI handler closes old connections when a request starts and finishes, which on
    PostgreSQL would close the connection that holds the test's transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_api_answers_as_its_openapi_document_says(published, keep_test_connection):
    schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(checks=CHECKS)

        check()


# Wagtail's content API (/api/v2/) publishes no OpenAPI document: this one describes its public
# query parameters, loosely typed on purpose (strings where Wagtail expects numbers), so that the
# generated requests probe its parsing. Every answer must be below 500, and every error must be
# problem+json.
def _query(name: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema or {"type": "string"}}


LISTING_PARAMETERS = [
    _query("search"),
    _query("search_operator"),
    _query("offset", {"type": "integer"}),
    _query("limit", {"type": "integer"}),
    _query("order"),
    _query("fields"),
]
PAGE_PARAMETERS = [
    *LISTING_PARAMETERS,
    _query("type"),
    _query("child_of"),
    _query("descendant_of", {"type": "integer"}),
    _query("slug"),
]
ANSWERS = {"200": {"description": "OK"}, "400": {"description": "Ongeldige invoer"}}
CONTENT_API_DOCUMENT = {
    "openapi": "3.0.3",
    "info": {"title": "Wagtail content API", "version": "2"},
    "paths": {
        "/api/v2/pages/": {"get": {"parameters": PAGE_PARAMETERS, "responses": ANSWERS}},
        "/api/v2/pages/{id}/": {
            "get": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": ANSWERS,
            }
        },
        "/api/v2/pages/find/": {
            "get": {"parameters": [_query("html_path"), _query("id")], "responses": ANSWERS}
        },
        "/api/v2/images/": {"get": {"parameters": LISTING_PARAMETERS, "responses": ANSWERS}},
        "/api/v2/documents/": {"get": {"parameters": LISTING_PARAMETERS, "responses": ANSWERS}},
    },
}


def errors_are_problem_json(ctx, response, case):
    """Every 4xx/5xx of the APIs is application/problem+json."""
    if response.status_code >= 400:
        content_type = response.headers.get("content-type", [""])[0]
        assert content_type.startswith("application/problem+json"), (
            f"{response.status_code} answered as {content_type!r}"
        )


def test_content_api_answers_generated_input_without_a_server_error(
    published, keep_test_connection
):
    schema = schemathesis.openapi.from_dict(CONTENT_API_DOCUMENT)
    schema.app = get_wsgi_application()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 5
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=CONTENT_API_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            response = case.call()
            assert response.status_code < 500, (case.path, case.query, response.text[:300])
            errors_are_problem_json(None, response, case)

        check()


# Inputs that broke the site before (issue 14): NUL bytes, long word lists, numbers past 64 bits,
# search syntax of SQLite FTS5 and PostgreSQL tsquery, and whatever Hypothesis makes of text.
NASTY = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "\x00",
            "scan\x00",
            '"',
            'scan "sociale',
            "NEAR(a b)",
            "a OR",
            "*",
            "a & | ! <->",
            "'; DROP TABLE x;--",
            " ".join(f"woord{n}" for n in range(160)),
            "x" * 5_000,
            "99999999999999999999",
            "9223372036854775808",
            "-1",
            "²",
            "٣",
            "😀",
        ]
    ),
)
SURFACES = [
    (
        "/api/v2/pages/",
        ["search", "offset", "limit", "child_of", "type", "order", "slug", "first_published_at"],
    ),
    ("/api/v2/pages/find/", ["html_path"]),
    ("/api/v2/documents/", ["search", "offset"]),
    (f"{API}/producten", ["q", "page", "pageSize", "theme", "region", "sort", "productType"]),
    (f"{API}/zoeksuggesties", ["q", "limit"]),
    ("/zoeken/suggesties", ["q"]),
    ("/productbibliotheek/", ["q", "pagina", "type", "regio", "thema", "sortering"]),
]


@settings(
    max_examples=examples(60, quick=20),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    surface=st.sampled_from(SURFACES),
    values=st.lists(NASTY, min_size=1, max_size=3),
    data=st.data(),
)
def _check_surface(client, surface, values, data):
    path, names = surface
    params = {data.draw(st.sampled_from(names)): value for value in values}
    savepoint = transaction.savepoint()
    response = client.get(path, params)
    transaction.savepoint_rollback(savepoint)
    assert response.status_code < 500, (path, params, response.content[:300])
    if response.status_code >= 400 and path.startswith("/api/"):
        assert response["Content-Type"].startswith("application/problem+json"), (path, params)
    if response.status_code == 400 and not path.startswith(("/api/", "/zoeken/")):
        assert "Ongeldig verzoek" in response.content.decode()


def test_both_apis_and_the_website_answer_nasty_input_without_a_server_error(client, published):
    _check_surface(client)
