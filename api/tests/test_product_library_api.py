"""The product-library API: what a front end gets, and how it follows the NL GOV API Design Rules."""

import re

from django.core import mail

import pytest

from api.endpoints import SIGNAL_LIMIT
from api.http import API_VERSION
from api.tests.conftest import API
from operations.models import KnowledgeSignal

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Strict-Transport-Security": "max-age=31536000",
}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert response["API-Version"] == API_VERSION
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"]
    return body


def test_product_list_searches_filters_sorts_pages_and_counts_facets(client, published):
    response = client.get(f"{API}/producten", {"q": "jobcoaching"})
    assert response.status_code == 200
    body = response.json()
    assert [item["slug"] for item in body["items"]] == ["training-jobcoaching"]
    assert body["total"] == 1

    response = client.get(
        f"{API}/producten",
        {"productType": "scan", "developmentLine": "arbeidsmarktfunctionaliteiten"},
    )
    body = response.json()
    assert [item["slug"] for item in body["items"]] == ["scan-sociale-infrastructuur"]
    facets = {facet["parameter"]: facet for facet in body["facets"]}
    assert set(facets) == {
        "productType",
        "developmentLine",
        "targetGroup",
        "lifecycleStatus",
        "region",
        "theme",
    }
    scan_value = next(v for v in facets["productType"]["values"] if v["value"] == "scan")
    assert scan_value == {"value": "scan", "label": "Scan", "count": 1, "selected": True}

    card = body["items"][0]
    assert card["productType"] == {"code": "scan", "label": "Scan"}
    assert card["themes"] == ["beschut werk"]
    assert card["regions"][0]["code"] == published["region"].code
    assert card["apiUrl"].endswith(f"{API}/producten/scan-sociale-infrastructuur")

    for key, value in [
        ("targetGroup", published["group"].slug),
        ("region", published["region"].code),
        ("theme", "beschut-werk"),
        ("lifecycleStatus", "beschikbaar"),
    ]:
        items = client.get(f"{API}/producten", {key: value}).json()["items"]
        assert [item["slug"] for item in items] == ["scan-sociale-infrastructuur"], key

    suggestions = client.get(f"{API}/zoeksuggesties", {"q": "jobc"}).json()["items"]
    assert [item["slug"] for item in suggestions] == ["training-jobcoaching"]
    assert_problem(client.get(f"{API}/zoeksuggesties"), 400)

    first = client.get(f"{API}/producten", {"sort": "title", "pageSize": 1}).json()
    second = client.get(f"{API}/producten", {"sort": "title", "pageSize": 1, "page": 2}).json()
    assert first["numPages"] == 2 and first["pageSize"] == 1 and first["total"] == 2
    assert first["items"][0]["slug"] == "scan-sociale-infrastructuur"
    assert second["items"][0]["slug"] == "training-jobcoaching"


def check_product_detail(client, published):
    response = client.get(f"{API}/producten/scan-sociale-infrastructuur")
    assert response.status_code == 200
    product = response.json()
    assert [s["key"] for s in product["sections"]] == [
        "aanleiding",
        "doel",
        "doelgroep",
        "aanpak",
        "randvoorwaarden",
        "uitvoering",
        "onderbouwing",
        "resultaten",
        "overdraagbaarheid",
    ]
    steps = next(s for s in product["sections"] if s["key"] == "aanpak")["steps"]
    assert [step["title"] for step in steps] == ["Voorbereiden", "Uitvoeren"]

    download = product["downloads"][0]
    assert download["kind"] == {"code": "handleiding", "label": "Handleiding"}
    assert download["fileType"] == "pdf"
    assert download["sizeBytes"] == published["document"].file.size
    assert download["url"].startswith("http://testserver/documenten/")
    assert client.get(download["url"].removeprefix("http://testserver")).status_code == 200

    image = product["images"][0]
    assert image["altText"] == "Een groepsgesprek aan tafel"
    assert image["renditions"]["thumbnail"]["width"] <= 400
    assert image["renditions"]["large"]["url"].endswith(".png")

    assert product["developmentLines"][0]["slug"] == "arbeidsmarktfunctionaliteiten"
    label = product["qualityLabel"]
    assert label["label"].startswith("Getoetst aan kwaliteitskader v")
    assert label["frameworkVersion"] and label["passed"] is True

    training = client.get(f"{API}/producten/training-jobcoaching").json()
    assert [p["slug"] for p in training["relatedProducts"]] == ["scan-sociale-infrastructuur"]


def test_a_front_end_can_render_products_lines_agenda_and_vocabularies(client, published):
    check_product_detail(client, published)

    lines = client.get(f"{API}/ontwikkellijnen").json()["items"]
    assert [line["slug"] for line in lines] == ["arbeidsmarktfunctionaliteiten", "governance"]
    assert [p["slug"] for p in lines[0]["products"]] == ["scan-sociale-infrastructuur"]
    assert lines[0]["milestones"][0]["plannedQuarter"] == "2026-Q3"
    line = client.get(f"{API}/ontwikkellijnen/arbeidsmarktfunctionaliteiten").json()
    assert line["status"]["code"] == "gepland"

    agenda = client.get(f"{API}/innovatieagenda").json()
    assert agenda["periodStart"] == 2026
    priority = agenda["priorities"][0]
    assert priority["owner"] == "Divosa"
    assert priority["developmentLines"][0]["slug"] == "arbeidsmarktfunctionaliteiten"

    regions = client.get(f"{API}/regios").json()["items"]
    assert len(regions) == 35
    counted = {r["code"]: r["productCount"] for r in regions}
    assert counted[published["region"].code] == 1

    types = {
        t["code"]: t["productCount"] for t in client.get(f"{API}/producttypen").json()["items"]
    }
    assert types["scan"] == 1 and types["training"] == 1 and types["format"] == 0


def test_every_error_is_problem_json_in_dutch(client, hub):
    body = assert_problem(client.get(f"{API}/bestaat-niet"), 404)
    assert "bestaat niet" in body["detail"]
    body = assert_problem(client.get(f"{API}/producten/"), 404)
    assert "slash" in body["detail"]
    assert_problem(client.get(f"{API}/producten/onbekend"), 404)
    assert_problem(client.get(f"{API}/ontwikkellijnen/onbekend"), 404)
    assert_problem(client.get(f"{API}/innovatieagenda"), 404)

    response = client.delete(f"{API}/producten")
    body = assert_problem(response, 405)
    assert response["Allow"] == "GET"

    body = assert_problem(
        client.get(f"{API}/producten", {"pageSize": 0, "productType": "raket", "page": "x"}), 400
    )
    reasons = {item["name"]: item["reason"] for item in body["invalidParams"]}
    assert reasons["pageSize"] == "Moet ten minste 1 zijn."
    assert reasons["page"] == "Verwacht een geheel getal."
    assert reasons["productType"].startswith("Onbekende waarde; kies uit 'scan' voor Scan, ")
    assert "pageSize: Moet ten minste 1 zijn." in body["detail"]
    assert_problem(client.get(f"{API}/producten", {"pageSize": 101}), 400)
    assert_problem(client.get(f"{API}/voorvertoning"), 400)


def test_a_server_error_is_problem_json_too(client, hub, monkeypatch):
    from api import selectors

    def broken():
        raise RuntimeError("database weg")

    monkeypatch.setattr(selectors, "regions_with_counts", broken)
    body = assert_problem(client.get(f"{API}/regios"), 500)
    assert "database weg" not in body["detail"]


def test_headers_on_every_response(client, hub):
    for response in [
        client.get(f"{API}/producten"),
        client.get(f"{API}/openapi.json"),
        client.get(f"{API}/onbekend"),
        client.post(f"{API}/kennissignalen", data="{", content_type="application/json"),
    ]:
        assert response["API-Version"] == API_VERSION
        for name, value in SECURITY_HEADERS.items():
            assert response[name] == value
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]

    response = client.get(f"{API}/producten", HTTP_ORIGIN="https://gemeente.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        f"{API}/producten",
        HTTP_ORIGIN="https://gemeente.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200 and preflight.content == b""  # django-cors-headers
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"]
    assert "ETag" in response["Access-Control-Expose-Headers"]

    head = client.head(f"{API}/producten")
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == response["ETag"]


def test_openapi_document_follows_the_design_rules(client, hub):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert re.fullmatch(r"\d+\.\d+\.\d+", document["info"]["version"])
    assert document["info"]["version"] == response["API-Version"]
    assert {"name", "email", "url"} <= set(document["info"]["contact"])
    assert document["servers"][0]["url"].endswith("/v1")
    for path, item in document["paths"].items():
        assert path == "/" or not path.endswith("/")
        assert path == "/" or re.fullmatch(r"(/([a-z0-9-]+|\{[a-z]+\}))+", path), path
        for operation in item.values():
            for parameter in operation["parameters"]:
                if parameter["in"] == "query":
                    assert re.fullmatch(r"[a-z][a-zA-Z0-9]*", parameter["name"])
            for status, answer in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert "application/problem+json" in answer["content"]
                else:
                    assert "API-Version" in answer["headers"]
    index = client.get(f"{API}/").json()
    assert index["version"] == API_VERSION
    assert index["openapiUrl"] == f"http://testserver{API}/openapi.json"
    list_parameters = {p["name"] for p in document["paths"]["/producten"]["get"]["parameters"]}
    assert list_parameters == {
        "q",
        "productType",
        "developmentLine",
        "targetGroup",
        "lifecycleStatus",
        "region",
        "theme",
        "sort",
        "page",
        "pageSize",
    }


def signal(**overrides) -> dict:
    return {
        "regionCode": "achterhoek",
        "organisationKind": "sob",
        "topic": "Jobcoaching bij kleine werkgevers",
        "description": "Kleine werkgevers vragen om een lichtere vorm van jobcoaching.",
        **overrides,
    }


def test_an_unknown_organisation_kind_is_answered_with_the_dutch_labels(client, hub):
    response = client.post(
        f"{API}/kennissignalen",
        signal(organisationKind="bedrijf"),
        content_type="application/json",
    )
    body = assert_problem(response, 400)
    choices = (
        "kies uit 'regionaal_adviseur' voor Regionaal adviseur, 'sob' voor SOB (sociaal "
        "ontwikkelbedrijf), 'gemeente' voor Gemeente of 'partner' voor Landelijke partner."
    )
    assert body["invalidParams"] == [
        {"name": "organisationKind", "reason": f"Onbekende waarde; {choices}"}
    ]
    assert body["detail"] == f"De invoer is ongeldig. organisationKind: Onbekende waarde; {choices}"
    assert "regionaal_adviseur, sob" not in response.content.decode()
    assert not KnowledgeSignal.objects.exists()


def test_knowledge_signal_is_stored_validated_and_rate_limited(client, coordinator):
    response = client.post(f"{API}/kennissignalen", signal(), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["status"]["code"] == "nieuw"
    stored = KnowledgeSignal.objects.get()
    assert stored.region.code == "achterhoek"
    assert len(mail.outbox) == 1

    body = assert_problem(
        client.post(
            f"{API}/kennissignalen",
            signal(regionCode="atlantis", description="te kort"),
            content_type="application/json",
        ),
        400,
    )
    reasons = {item["name"]: item["reason"] for item in body["invalidParams"]}
    assert "geen bekende arbeidsmarktregio" in reasons["regionCode"]
    assert "ten minste 20 tekens" in reasons["description"]
    body = assert_problem(
        client.post(f"{API}/kennissignalen", {"topic": 3}, content_type="application/json"), 400
    )
    assert {"organisationKind", "topic"} <= {item["name"] for item in body["invalidParams"]}
    assert_problem(
        client.post(f"{API}/kennissignalen", "{niet-json", content_type="application/json"), 400
    )
    assert KnowledgeSignal.objects.count() == 1

    # Every well-formed attempt counts, also the one the service turned down: two so far.
    for _ in range(SIGNAL_LIMIT - 2):
        client.post(f"{API}/kennissignalen", signal(), content_type="application/json")
    response = client.post(f"{API}/kennissignalen", signal(), content_type="application/json")
    body = assert_problem(response, 429)
    assert "te veel" in body["detail"]
    assert int(response["Retry-After"]) > 0
    assert KnowledgeSignal.objects.count() == SIGNAL_LIMIT - 1
