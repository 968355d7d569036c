"""The evidence level and the pilots behind it in both APIs, and the product API's Swagger UI page.

The snapshot in expected_results/ is the public contract of a product's detail: its field names and
its evidence part. A change to either shows up as a diff of that file; regenerate it deliberately
with UPDATE_API_SNAPSHOTS=1.
"""

import datetime
import json
import os
import re
from pathlib import Path

from django.contrib.staticfiles import finders

import pytest

from api.tests.conftest import API, SECRET_WORD
from operations.models import Pilot
from products.models import Region

pytestmark = pytest.mark.django_db

SNAPSHOT = Path(__file__).parent / "expected_results" / "product_evidence.json"


@pytest.fixture
def pilots(published):
    """On the scan: one positive evaluated pilot, one running pilot; internal text everywhere."""
    # Replace the test pilot of the complete fixture product (evaluated today) by fixed dates.
    Pilot.objects.filter(product=published["scan"]).delete()
    regions = list(Region.objects.order_by("name")[:2])
    evaluated = Pilot.objects.create(
        product=published["scan"],
        title="Pilot scan in twee regio's",
        organisations=f"Gemeente {SECRET_WORD}",
        start_date=datetime.date(2026, 1, 5),
        end_date=datetime.date(2026, 6, 30),
        phase="geevalueerd",
        evaluated_on=datetime.date(2026, 7, 15),
        outcome="positief",
        evaluation=f"Interne evaluatie {SECRET_WORD}",
        lessons=f"Interne lessen {SECRET_WORD}",
    )
    evaluated.regions.set(regions)
    running = Pilot.objects.create(
        product=published["scan"],
        title=f"Lopende pilot {SECRET_WORD}",
        phase="lopend",
        start_date=datetime.date(2026, 9, 1),
    )
    running.regions.set(regions)
    return {"evaluated": evaluated, "running": running, "regions": regions}


def _evidence_contract(detail: dict) -> dict:
    label = detail["qualityLabel"]
    return {
        "productFields": sorted(detail),
        "qualityLabel": {key: label[key] for key in ("frameworkVersion", "passed")},
        "evidenceLevel": detail["evidenceLevel"],
        "pilots": detail["pilots"],
    }


def test_product_api_shows_evidence_level_and_public_pilot_facts(client, pilots, published):
    scan = client.get(f"{API}/producten/{published['scan'].slug}").json()
    assert scan["evidenceLevel"] == {
        "code": "getoetst_in_de_praktijk",
        "label": "Getoetst in de praktijk",
    }
    assert scan["qualityLabel"]["passed"] is True
    [pilot] = scan["pilots"]  # the running pilot is no evidence and stays internal
    assert pilot == {
        "title": "Pilot scan in twee regio's",
        "startDate": "2026-01-05",
        "endDate": "2026-06-30",
        "regions": [
            {"code": r.code, "name": r.name, "centralMunicipality": ""} for r in pilots["regions"]
        ],
        "phase": {"code": "geevalueerd", "label": "Geëvalueerd"},
        "outcome": {"code": "positief", "label": "Positief"},
        "evaluatedOn": "2026-07-15",
    }

    training = client.get(f"{API}/producten/{published['training'].slug}").json()
    assert training["evidenceLevel"]["code"] == "goed_beschreven"
    assert training["pilots"] == []


def test_content_api_shows_evidence_level_and_public_pilot_facts(client, pilots, published):
    scan = client.get(f"/api/v2/pages/{published['scan'].pk}/").json()
    assert scan["evidence_level"]["code"] == "getoetst_in_de_praktijk"
    assert [p["title"] for p in scan["pilots"]] == ["Pilot scan in twee regio's"]
    assert scan["pilots"][0]["evaluated_on"] == "2026-07-15"
    assert scan["pilots"][0]["outcome"]["code"] == "positief"

    training = client.get(f"/api/v2/pages/{published['training'].pk}/").json()
    assert training["evidence_level"]["code"] == "goed_beschreven"
    assert training["pilots"] == []


def test_no_internal_or_draft_pilot_data_leaks(client, pilots, published, secrets):
    Pilot.objects.create(
        product=secrets["never"],
        title=f"Pilot van een concept {SECRET_WORD}",
        phase="geevalueerd",
        outcome="positief",
        evaluated_on=datetime.date(2026, 7, 1),
    )
    responses = [
        client.get(f"{API}/producten/{published['scan'].slug}"),
        client.get(f"{API}/producten?pageSize=50"),
        client.get(f"/api/v2/pages/{published['scan'].pk}/"),
        client.get("/api/v2/pages/?type=content.ProductPage&fields=*"),
    ]
    for response in responses:
        assert response.status_code == 200
        assert SECRET_WORD not in response.content.decode()
    assert client.get(f"{API}/producten/{secrets['never'].slug}").status_code == 404


def test_evidence_fields_are_in_the_openapi_document(client, hub):
    document = client.get(f"{API}/openapi.json").json()
    detail = document["components"]["schemas"]["ProductDetail"]
    assert {"qualityLabel", "evidenceLevel", "pilots"} <= set(detail["required"])
    assert "goed_beschreven" in detail["properties"]["evidenceLevel"]["description"]
    pilot = document["components"]["schemas"]["EvidencePilot"]
    assert set(pilot["properties"]) == {
        "title",
        "startDate",
        "endDate",
        "regions",
        "phase",
        "outcome",
        "evaluatedOn",
    }


def test_product_detail_contract_snapshot(client, pilots, published):
    detail = client.get(f"{API}/producten/{published['scan'].slug}").json()
    actual = _evidence_contract(detail)
    # Regions come from the seeded list; keep the snapshot independent of which ones.
    for pilot in actual["pilots"]:
        pilot["regions"] = len(pilot["regions"])
    if os.environ.get("UPDATE_API_SNAPSHOTS"):
        SNAPSHOT.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n")
    assert actual == json.loads(SNAPSHOT.read_text())


def test_swagger_ui_page_loads_only_local_assets(client, hub):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert f"{API}/openapi.json" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "cdn" not in html.lower()
    assets = re.findall(r"""(?:src|href)="/static/([^"]+)\"""", html)
    assert "ninja/swagger-ui-bundle.js" in assets and "ninja/swagger-ui.css" in assets
    for asset in assets:
        assert finders.find(asset), asset  # collected by collectstatic, served by this site
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "http" not in csp
    # The validator badge would load an image from swagger.io; it is switched off.
    assert '"validatorUrl": null' in html


def test_swagger_ui_csp_does_not_loosen_the_api(client, hub):
    response = client.get(f"{API}/openapi.json")
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


def test_pilots_do_not_add_queries_per_pilot(
    client, pilots, published, django_assert_max_num_queries
):
    url = f"{API}/producten/{published['scan'].slug}"
    with django_assert_max_num_queries(100) as one:
        client.get(url)
    for number in range(5):
        extra = Pilot.objects.create(
            product=published["scan"],
            title=f"Pilot {number}",
            phase="geevalueerd",
            outcome="bijstellen",
            evaluated_on=datetime.date(2026, 8, 1),
        )
        extra.regions.set(pilots["regions"])
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(client.get(url).json()["pilots"]) == 6
