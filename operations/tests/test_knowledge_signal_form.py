"""The public knowledge signal form at /kennissignaal/: validation, honeypot and rate limit."""

from django.core.cache import cache

import pytest

from operations.models import KnowledgeSignal
from operations.views import SIGNAL_RATE_LIMIT

pytestmark = pytest.mark.django_db

URL = "/kennissignaal/"
FILLED = {
    "region": "zeeland",
    "organisation_kind": "gemeente",
    "topic": "Scenario's bij krimp",
    "description": "Kleine gemeenten willen scenario's voor het SOB bij krimp.",
    "contact_name": "Ilse",
    "contact_email": "ilse@gemeente.example",
    "website": "",
}


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def test_the_form_lists_the_regions_and_kinds(client, hub):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kennissignaal doorgeven" in html
    assert '<option value="zeeland"' in html and "Regionaal adviseur" in html
    # The website's CSP forbids style attributes: the trap is hidden by a stylesheet.
    assert 'class="hubcms-signal-form__trap" aria-hidden="true"' in html
    assert "operations/signal_form.css" in html and "style=" not in html
    # A link checker or monitor asking with HEAD gets the page's status, and nothing is stored.
    assert client.head(URL).status_code == 200
    assert not KnowledgeSignal.objects.exists()


def test_a_filled_form_stores_the_signal_and_thanks_the_sender(client, hub):
    response = client.post(URL, FILLED, follow=True)
    assert response.redirect_chain[-1][0] == "/kennissignaal/bedankt/"
    assert "Bedankt voor uw signaal" in response.content.decode()
    signal = KnowledgeSignal.objects.get()
    assert (signal.region.code, signal.topic, signal.contact_email) == (
        "zeeland",
        "Scenario's bij krimp",
        "ilse@gemeente.example",
    )


def test_errors_are_shown_in_dutch_at_their_fields_and_nothing_is_stored(client, hub):
    response = client.post(URL, {**FILLED, "region": "", "description": "te kort"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Controleer het formulier" in html
    assert "Kies de arbeidsmarktregio" in html
    assert "ten minste 20 tekens" in html
    assert 'href="#id_region"' in html
    assert "Scenario&#x27;s bij krimp" in html  # what the sender typed is kept
    assert not KnowledgeSignal.objects.exists()


def test_a_filled_honeypot_is_thanked_but_not_stored(client, hub):
    response = client.post(URL, {**FILLED, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not KnowledgeSignal.objects.exists()


def test_too_many_posts_from_one_address_are_refused_with_a_clear_message(client, hub):
    for _ in range(SIGNAL_RATE_LIMIT):
        assert client.post(URL, FILLED).status_code == 302
    response = client.post(URL, FILLED)
    assert response.status_code == 429
    assert "Probeer het over een uur opnieuw" in response.content.decode()
    assert KnowledgeSignal.objects.count() == SIGNAL_RATE_LIMIT
    # Another address is not affected.
    assert client.post(URL, FILLED, REMOTE_ADDR="10.1.2.3").status_code == 302
