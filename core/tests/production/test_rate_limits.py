"""Public endpoints that take input are rate limited with a clear message (issue 7, item 3)."""

from django.test import override_settings

import pytest

from products.models import ProductLibraryPage

pytestmark = pytest.mark.django_db

LOW_LIMITS = {"search": (3, 60), "api-read": (3, 60)}


@override_settings(HUBCMS_RATE_LIMITS=LOW_LIMITS)
def test_the_search_page_asks_a_flooding_client_to_wait(client, hub):
    url = ProductLibraryPage.objects.get().url
    for _ in range(3):
        assert client.get(url, {"q": "scan"}, REMOTE_ADDR="10.1.1.1").status_code == 200
    response = client.get(url, {"q": "scan"}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "te veel zoekopdrachten" in response.content.decode()
    # another visitor, and browsing without a query, are not affected
    assert client.get(url, {"q": "scan"}, REMOTE_ADDR="10.1.1.2").status_code == 200
    assert client.get(url, REMOTE_ADDR="10.1.1.1").status_code == 200


@override_settings(HUBCMS_RATE_LIMITS=LOW_LIMITS)
def test_the_api_answers_429_as_problem_json(client, hub):
    url = "/api/productbibliotheek/v1/producten"
    for _ in range(3):
        assert client.get(url, REMOTE_ADDR="10.2.2.2").status_code == 200
    response = client.get(url, REMOTE_ADDR="10.2.2.2")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/problem+json")
    assert response["API-Version"]
    body = response.json()
    assert body["status"] == 429 and "te veel verzoeken" in body["detail"]
