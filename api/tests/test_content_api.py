"""Wagtail's content API (/api/v2/): a front end renders a product, a line and the agenda from it."""

import pytest

pytestmark = pytest.mark.django_db


def test_product_line_and_agenda_render_from_the_content_api(client, published):
    scan = client.get(f"/api/v2/pages/{published['scan'].pk}/").json()
    assert scan["product_type"] == {"code": "scan", "label": "Scan"}
    assert [section["key"] for section in scan["werkblad"]][:4] == [
        "aanleiding",
        "doel",
        "doelgroep",
        "aanpak",
    ]
    steps = next(s for s in scan["werkblad"] if s["key"] == "aanpak")["steps"]
    assert steps[0]["title"] == "Voorbereiden"
    assert scan["aanpak"][0]["type"] == "step"

    download = scan["downloads"][0]
    assert download["kind"] == {"code": "handleiding", "label": "Handleiding"}
    assert download["file"]["file_type"] == "pdf"
    assert download["file"]["size_bytes"] == published["document"].file.size
    assert download["file"]["url"].startswith("http://testserver/documenten/")

    image = scan["images"][0]
    assert image["alt_text"] == "Een groepsgesprek aan tafel"
    assert set(image["renditions"]) == {"thumbnail", "medium", "large"}
    assert image["renditions"]["medium"]["width"] <= 800

    assert [line["slug"] for line in scan["development_lines"]] == [published["line"].slug]
    assert scan["regions"][0]["code"] == published["region"].code
    assert scan["themes"] == ["beschut werk"]
    assert scan["quality_label"]["label"].startswith("Getoetst aan kwaliteitskader v")

    training = client.get(f"/api/v2/pages/{published['training'].pk}/").json()
    assert [p["slug"] for p in training["related_products"]] == [published["scan"].slug]

    line = client.get(f"/api/v2/pages/{published['line'].pk}/").json()
    assert line["status"] == {"code": "gepland", "label": "Gepland"}
    assert line["milestones"][0]["planned_quarter"] == "2026-Q3"
    assert published["scan"].slug in [p["slug"] for p in line["products"]]

    agenda = client.get(f"/api/v2/pages/{published['agenda'].pk}/").json()
    priority = agenda["priorities"][0]
    assert priority["owner"] == "Divosa"
    assert priority["status"]["code"] == "gepland"
    assert priority["development_lines"][0]["slug"] == published["line"].slug

    listing = client.get("/api/v2/pages/", {"type": "content.ProductPage", "fields": "summary"})
    assert {item["meta"]["slug"] for item in listing.json()["items"]} == {
        published["scan"].slug,
        published["training"].slug,
    }
    documents = client.get("/api/v2/documents/").json()["items"]
    assert published["document"].pk in {d["id"] for d in documents}
    images = client.get("/api/v2/images/").json()["items"]
    assert [i["id"] for i in images] == [published["image"].pk]


@pytest.mark.parametrize(
    "params, names",
    [
        ({"first_published_at": "abc"}, "first_published_at"),
        ({"first_published_at": ""}, "first_published_at"),
        ({"type": "content.ProductPage", "next_review_date": "31-02-2026"}, "next_review_date"),
        ({"type": "content.ProductPage", "regions": "utrecht"}, "regions"),
        ({"type": "content.ProductPage", "regions": "9" * 23}, "regions"),
        ({"alias_of": "9" * 23}, "alias_of"),
    ],
)
def test_a_bad_field_filter_value_is_a_dutch_problem_naming_the_filter(
    client, published, params, names
):
    for path in ("/api/v2/pages/", f"/api/v2/pages/{published['scan'].pk}/"):
        response = client.get(path, params)
        assert response.status_code == 400, (path, params)
        assert response["Content-Type"].startswith("application/problem+json")
        assert f"filter {names}" in response.json()["detail"]


def test_good_field_filter_values_still_filter(client, published):
    scan = published["scan"]
    region = scan.regions.first()
    listed = client.get("/api/v2/pages/", {"type": "content.ProductPage", "regions": region.pk})
    assert scan.pk in [item["id"] for item in listed.json()["items"]]
    day = scan.first_published_at.isoformat()
    same_moment = client.get("/api/v2/pages/", {"first_published_at": day})
    assert [item["id"] for item in same_moment.json()["items"]] == [scan.pk]
