"""/healthz reports the database and the search backend; visitors get a Dutch 503 when the DB fails."""

from django.db import OperationalError, connections

import pytest


@pytest.mark.django_db
def test_healthz_reports_database_and_search(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert report["database"]["ok"] is True
    assert report["search"]["ok"] is True
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "fout"
    assert response.json()["database"] == {
        "ok": False,
        "vendor": connections["default"].vendor,
        "error": "OperationalError",
    }


@pytest.mark.django_db
def test_an_unreachable_search_backend_degrades_but_keeps_the_server_ready(client, settings):
    """Search down: reported, but the site still serves pages, so no 503 for the balancer."""
    settings.SEARCH_URL = ""  # Wagtail's backend is the search checked here
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": ["http://127.0.0.1:9"],
            "TIMEOUT": 1,
            "OPTIONS": {"max_retries": 0},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "beperkt"
    assert response.json()["database"]["ok"] is True
    assert response.json()["search"]["ok"] is False


@pytest.mark.django_db
def test_liveness_asks_neither_database_nor_search_engine(client, settings, monkeypatch):
    settings.SEARCH_URL = "http://127.0.0.1:9"

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get("/healthz/live")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    ready = client.get("/healthz/ready")
    assert ready.status_code == 503
    assert ready.json()["search"]["ok"] is False  # the engine is asked even without a database


@pytest.mark.django_db
def test_readiness_reports_the_search_engine_down_without_failing(client, settings):
    settings.SEARCH_URL = "http://127.0.0.1:9"
    settings.SEARCH_TIMEOUT = 1
    response = client.get("/healthz")
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "beperkt"
    assert report["database"]["ok"] is True
    assert report["search"] == {
        "ok": False,
        "backend": "opensearch",
        "error": "SearchEngineUnavailable",
    }


@pytest.mark.django_db
def test_visitors_get_a_dutch_503_page_while_the_database_is_down(client, hub, monkeypatch):
    from wagtail.models import Site

    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    assert client.get("/").status_code == 200
    monkeypatch.setattr(Site, "find_for_request", refuse)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert '<html lang="nl"' in html
    assert "Tijdelijk niet beschikbaar" in html
    assert "Content-Security-Policy" in response.headers
    monkeypatch.undo()
    assert client.get("/").status_code == 200  # and it recovers without a restart


@pytest.mark.django_db
def test_admin_users_get_the_503_page_too_when_their_session_cannot_be_read(
    client, editor, settings, monkeypatch
):
    from django.contrib.sessions.backends.db import SessionStore

    settings.HUBCMS_REQUIRE_2FA = True
    client.force_login(editor)

    def refuse(self):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(SessionStore, "load", refuse)
    response = client.get("/admin/pages/")
    assert response.status_code == 503
    assert "Tijdelijk niet beschikbaar" in response.content.decode()
