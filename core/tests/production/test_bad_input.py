"""Bad input never gives a 500 or a false outage (issue 14, item 5).

NUL bytes, very long searches, huge offsets and malformed search syntax get a 400: problem+json
with a Dutch title on the APIs, a Dutch page on the website. Database failures and timeouts are
the Dutch 503, problem+json on the APIs; CSRF failures and bad Host headers get Dutch pages; the
content API and the search suggestions are rate limited. Each test ran against the code before
the fix and failed there (a 500, a 503 from a quote, an HTML or English error, no rate limit).
"""

import time

from django.db import DataError, OperationalError, connection, transaction
from django.test import Client, RequestFactory, override_settings

import pytest

from hubcms.testing.factories import ProductPageFactory
from hubcms.testing.publishing import publish
from operations.models import KnowledgeSignal
from products.models import ProductLibraryPage

pytestmark = pytest.mark.django_db

API = "/api/productbibliotheek/v1"
MANY_WORDS = " ".join(f"woord{n}" for n in range(160))
PROBLEM = "application/problem+json"


@pytest.fixture
def library(hub):
    return ProductLibraryPage.objects.get()


@pytest.fixture
def published(library):
    """One live product, so that searches have something to find."""
    return publish(
        ProductPageFactory(
            parent=library,
            title="Scan sociale infrastructuur",
            slug="scan-sociale-infrastructuur",
            complete=True,
        )
    )


def get(client: Client, url: str, **params):
    """GET in a savepoint: on PostgreSQL a failing statement must not spoil the next request."""
    savepoint = transaction.savepoint()
    response = client.get(url, params or None)
    transaction.savepoint_rollback(savepoint)
    return response


def assert_problem(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def assert_dutch_page(response, status: int = 400) -> str:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="nl"' in html
    return html


API_BAD_INPUT = [
    ("/api/v2/pages/", {"search": "\x00"}),
    ("/api/v2/pages/", {"search": "beschut\x00werk"}),
    ("/api/v2/pages/", {"search": 'scan "sociale'}),  # SQLite: "unterminated string" -> 503
    ("/api/v2/pages/", {"search": MANY_WORDS}),  # PostgreSQL: RecursionError
    ("/api/v2/pages/", {"search": "scan " * 40}),  # short enough, but too many words
    ("/api/v2/pages/", {"offset": "99999999999999999999"}),
    ("/api/v2/pages/", {"offset": "9223372036854775808"}),
    ("/api/v2/pages/", {"offset": "100001"}),
    ("/api/v2/pages/", {"search": "scan", "search_operator": "xor"}),
    ("/api/v2/pages/find/", {"html_path": "/\x00"}),
    ("/api/v2/images/", {"search": "\x00"}),
    ("/api/v2/documents/", {"search": "\x00"}),
    ("/api/v2/documents/", {"search": '"'}),
    ("/api/v2/pages/\x00/", {}),
    (f"{API}/producten/\x00", {}),
    (f"{API}/ontwikkellijnen/\x00", {}),
    (f"{API}/producten", {"q": "\x00"}),
    (f"{API}/producten", {"theme": "\x00"}),
    (f"{API}/producten", {"q": MANY_WORDS}),
    (f"{API}/producten", {"page": "99999999999999999999"}),
    (f"{API}/zoeksuggesties", {"q": "a\x00"}),
    ("/zoeken/suggesties", {"q": "\x00'\""}),
]


def test_bad_input_to_the_apis_is_a_dutch_problem_400(client, published):
    for url, params in API_BAD_INPUT:
        response = get(client, url, **params)
        assert response.status_code == 400, (url, params, response.content[:300])
        assert assert_problem(response)["title"] == "Ongeldige invoer", (url, params)


def test_the_content_api_says_in_dutch_what_is_wrong(client, published):
    assert (
        "aanhalingsteken" in assert_problem(get(client, "/api/v2/pages/", search='a"b'))["detail"]
    )
    assert "te lang" in assert_problem(get(client, "/api/v2/pages/", search=MANY_WORDS))["detail"]
    assert "NUL" in assert_problem(get(client, "/api/v2/pages/", search="\x00"))["detail"]
    offset = assert_problem(get(client, "/api/v2/pages/", offset="10" * 10))
    assert "offset mag hoogstens" in offset["detail"]
    quote = assert_problem(get(client, "/api/v2/pages/", search='a"b'))["detail"]
    assert quote.startswith("De zoektekst heeft een los aanhalingsteken")
    unknown = assert_problem(get(client, "/api/v2/pages/", nosuch="1"))
    assert unknown["detail"] == "Onbekende parameter: nosuch."


def test_the_content_api_still_searches_words_and_phrases(client, published):
    """Positive control: the checks do not stop an ordinary search, with or without quotes."""
    for search in ("scan", '"sociale infrastructuur"', "Scan (sociale)"):
        response = get(client, "/api/v2/pages/", search=search, type="content.ProductPage")
        assert response.status_code == 200, (search, response.content[:300])
        titles = [item["title"] for item in response.json()["items"]]
        assert "Scan sociale infrastructuur" in titles, search
    assert get(client, "/api/v2/pages/", offset="100000").status_code == 200


WEBSITE_BAD_INPUT = [
    {"q": "\x00"},
    {"q": "x" * 201},
    {"regio": "\x00"},
    {"pagina": "99999999999999999999"},
    {"pagina": "-5"},
    {"pagina": "²"},
]


def test_bad_input_to_the_search_page_is_a_dutch_400_page(client, library):
    for params in WEBSITE_BAD_INPUT:
        response = get(client, library.url, **params)
        assert response.status_code == 400, (params, response.content[:300])
        assert "Ongeldig verzoek" in assert_dutch_page(response), params


def test_the_search_page_explains_a_too_long_query(client, library):
    html = assert_dutch_page(get(client, library.url, q="x" * 201))
    assert "Uw zoekopdracht is te lang" in html
    assert get(client, library.url, q="x" * 200).status_code == 200
    assert get(client, library.url, pagina="3").status_code == 200  # clamped, as before


def test_a_nul_in_a_path_or_a_cookie_is_a_dutch_400_page(client, library):
    assert "Ongeldig verzoek" in assert_dutch_page(get(client, "/productbibliotheek/\x00/"))
    # PostgreSQL: the session lookup raised DataError, a 500
    response = client.get("/", HTTP_COOKIE="sessionid=abcdefgh\x00ijkl")
    assert "Ongeldig verzoek" in assert_dutch_page(response)


def test_a_nul_in_the_signal_form_is_refused_in_dutch(client, hub):
    from products.models import Region

    region = Region.objects.order_by("code").first()
    fields = {
        "region": region.code,
        "organisation_kind": "gemeente",
        "topic": "Werk\x00plekken",
        "description": "Een lange omschrijving van de behoefte\x00 in onze regio.",
        "contact_name": "An\x00",
        "contact_email": "an@example.org\x00",
    }
    response = client.post("/kennissignaal/", fields)
    assert response.status_code == 400
    assert "Null-tekens zijn niet toegestaan" in response.content.decode()
    response = client.post("/kennissignaal/", {**fields, "region": "\x00"})
    assert response.status_code == 400
    assert not KnowledgeSignal.objects.exists()


def test_a_nul_in_the_signal_api_is_refused_per_field(client, hub):
    from products.models import Region

    region = Region.objects.order_by("code").first()
    signal = {
        "regionCode": region.code,
        "organisationKind": "gemeente",
        "topic": "Werk\x00plekken",
        "description": "Een lange omschrijving van de behoefte in onze regio.",
    }
    response = client.post(f"{API}/kennissignalen", signal, content_type="application/json")
    body = assert_problem(response)
    assert body["invalidParams"] == [{"name": "topic", "reason": "Bevat een ongeldig teken (NUL)."}]
    response = client.post(
        f"{API}/kennissignalen", {**signal, "regionCode": "\x00"}, content_type="application/json"
    )
    assert_problem(response)
    assert not KnowledgeSignal.objects.exists()


def test_api_errors_are_problem_json_with_dutch_titles(client, hub):
    from core.security import errors

    missing = assert_problem(get(client, "/api/v2/pages/999999/"), 404)
    assert missing["title"] == "Niet gevonden" and missing["detail"] == "Deze bron bestaat niet."
    assert_problem(get(client, "/api/v2/no-such-endpoint/"), 404)
    assert_problem(client.post("/api/v2/pages/"), 405)
    request = RequestFactory().get("/api/v2/pages/")
    forbidden = errors.permission_denied(request, None)
    assert forbidden.status_code == 403 and forbidden["Content-Type"].startswith(PROBLEM)
    assert b"Geen toegang" in forbidden.content
    csrf = errors.csrf_failure(RequestFactory().post(f"{API}/kennissignalen"))
    assert csrf.status_code == 403 and csrf["Content-Type"].startswith(PROBLEM)


def test_a_database_outage_on_the_apis_is_a_problem_json_503(client, hub, monkeypatch):
    from wagtail.query import PageQuerySet

    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("api.endpoints.search_products", refuse)
    monkeypatch.setattr(PageQuerySet, "public", refuse)
    for url in (f"{API}/producten", "/api/v2/pages/"):
        body = assert_problem(client.get(url), 503)
        assert body["title"] == "Tijdelijk niet beschikbaar"
        assert "probeer het" in body["detail"]


def test_a_data_error_that_slips_past_the_edges_is_a_400(client, hub, monkeypatch):
    def refuse(*args, **kwargs):
        raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")

    monkeypatch.setattr("api.endpoints.search_products", refuse)
    assert_problem(client.get(f"{API}/producten"), 400)


@override_settings(
    HUBCMS_RATE_LIMITS={"search": (3, 60), "api-read": (3, 60), "suggestions": (3, 60)}
)
def test_the_content_api_and_the_suggestions_are_rate_limited(client, hub):
    for url in ("/api/v2/pages/", "/zoeken/suggesties?q=sc"):
        for _ in range(3):
            assert client.get(url, REMOTE_ADDR="10.3.3.3").status_code == 200
        response = client.get(url, REMOTE_ADDR="10.3.3.3")
        assert response.status_code == 429 and response["Retry-After"] == "60"
        assert client.get(url, REMOTE_ADDR="10.3.3.4").status_code == 200  # another client
    assert_problem(client.get("/api/v2/pages/", REMOTE_ADDR="10.3.3.3"), 429)
    assert_problem(client.get("/zoeken/suggesties?q=sc", REMOTE_ADDR="10.3.3.3"), 429)


def test_the_suggestions_answer_a_wrong_method_as_problem_json_and_head_like_get(client, hub):
    for method in ("post", "put", "patch", "delete", "options"):
        response = getattr(client, method)("/zoeken/suggesties?q=sc")
        assert_problem(response, 405)
        assert response["Allow"] == "GET, HEAD"
        assert f"{method.upper()} is hier niet toegestaan" in response.json()["detail"]
    head = client.head("/zoeken/suggesties?q=sc")
    assert head.status_code == 200 and head["Content-Type"] == "application/json"


def test_a_monitor_may_probe_health_with_head(client, hub):
    for url in ("/healthz", "/healthz/live", "/healthz/ready"):
        assert client.head(url).status_code == 200, url
        assert client.post(url).status_code == 405, url


def test_a_csrf_failure_is_a_dutch_page(hub):
    client = Client(enforce_csrf_checks=True)
    html = assert_dutch_page(client.post("/kennissignaal/", {"topic": "x"}), 403)
    assert "Formulier niet verstuurd" in html and "CSRF" in html


@override_settings(ALLOWED_HOSTS=["hub.example"])
def test_a_bad_host_header_gets_a_dutch_page(client, hub):
    html = assert_dutch_page(client.get("/", HTTP_HOST="aanvaller.example"))
    assert "hostnaam" in html
    assert_problem(client.get(f"{API}/producten", HTTP_HOST="aanvaller.example"), 400)


# Timeouts: a stalled database becomes the Dutch 503 within 10 seconds.


def test_the_settings_give_the_database_connect_and_statement_timeouts(settings):
    from hubcms.settings.base import database_timeout_options

    postgres = {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {}}
    options = database_timeout_options(postgres, connect_seconds=5, statement_seconds=8)
    assert options == {"connect_timeout": 5, "options": "-c statement_timeout=8000"}
    kept = {**postgres, "OPTIONS": {"options": "-c search_path=hub -c statement_timeout=2000"}}
    assert database_timeout_options(kept, connect_seconds=5, statement_seconds=8)["options"] == (
        "-c search_path=hub -c statement_timeout=2000"
    )
    sqlite = {"ENGINE": "django.db.backends.sqlite3"}
    assert database_timeout_options(sqlite, connect_seconds=5, statement_seconds=8) == {
        "timeout": 5
    }
    live = settings.DATABASES["default"]["OPTIONS"]
    if connection.vendor == "postgresql":
        assert live["connect_timeout"] <= 5 and "statement_timeout=" in live["options"]
    else:
        assert live["timeout"] <= 5


postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="statement_timeout is a PostgreSQL setting"
)


@postgres_only
def test_the_statement_timeout_of_the_settings_cancels_a_stalled_statement(settings):
    """A connection made from the settings' OPTIONS (with a short timeout) is really cancelled."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    from hubcms.settings.base import database_timeout_options

    config = dict(settings.DATABASES["default"])
    config["OPTIONS"] = database_timeout_options(
        {**config, "OPTIONS": {}}, connect_seconds=5, statement_seconds=0.3
    )
    wrapper = DatabaseWrapper(config, alias="timeout-test")
    started = time.monotonic()
    try:
        with pytest.raises(OperationalError, match="statement timeout"):
            with wrapper.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(5)")
    finally:
        wrapper.close()
    assert time.monotonic() - started < 3


@postgres_only
def test_a_statement_past_the_timeout_gives_the_dutch_503(client, library, monkeypatch):
    def stalled(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(5)")

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '300ms'")
    monkeypatch.setattr("website.library.search_products", stalled)
    monkeypatch.setattr("api.endpoints.search_products", stalled)
    started = time.monotonic()
    url = ProductLibraryPage.objects.get().url
    html = assert_dutch_page(get(client, url, q="scan"), 503)
    assert "Tijdelijk niet beschikbaar" in html
    body = assert_problem(get(client, f"{API}/producten", q="scan"), 503)
    assert body["title"] == "Tijdelijk niet beschikbaar"
    assert time.monotonic() - started < 10
