"""Public GETs are cacheable and fresh after a publish; query counts do not grow with the page.
Both APIs answer conditional GETs and cross-origin reads; the website answers no CORS."""

import os
import subprocess
import sys
from pathlib import Path

from django.test import override_settings

import pytest

from api.tests.conftest import API
from hubcms.testing.factories import ProductPageFactory, complete_product
from hubcms.testing.publishing import publish
from products.models import ProductPage, Region

pytestmark = pytest.mark.django_db


def test_etag_answers_304_until_a_publish_or_unpublish(client, published, library):
    urls = [f"{API}/producten", "/api/v2/pages/?type=content.ProductPage"]
    first = {url: client.get(url) for url in urls}
    for url, response in first.items():
        assert response.status_code == 200
        assert response["ETag"] and "public" in response["Cache-Control"], url
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304, url

    new = publish(ProductPageFactory(parent=library, title="Werkvorm teamgesprek", complete=True))
    fresh = {}
    for url in urls:
        fresh[url] = client.get(url, HTTP_IF_NONE_MATCH=first[url]["ETag"])
        assert fresh[url].status_code == 200, url
        assert "Werkvorm teamgesprek" in fresh[url].content.decode(), url

    new.unpublish()
    for url in urls:
        after = client.get(url, HTTP_IF_NONE_MATCH=fresh[url]["ETag"])
        assert after.status_code == 200, url
        assert "Werkvorm teamgesprek" not in after.content.decode(), url


@pytest.mark.parametrize("url", [f"{API}/producten", "/api/v2/pages/?type=content.ProductPage"])
def test_both_apis_answer_conditional_gets_and_cross_origin_reads(client, published, url):
    origin = "https://gemeente.example"
    response = client.get(url, HTTP_ORIGIN=origin)
    assert response.status_code == 200
    etag = response["ETag"]
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]

    head = client.head(url)
    assert head.status_code == 200 and head.content == b"" and head["ETag"] == etag

    for sent in [etag, f"W/{etag}", f'"elders", {etag}', "*"]:
        unchanged = client.get(url, HTTP_IF_NONE_MATCH=sent, HTTP_ORIGIN=origin)
        assert unchanged.status_code == 304, sent
        assert unchanged.content == b""
        assert unchanged["ETag"] == etag and "public" in unchanged["Cache-Control"]
        assert unchanged["Access-Control-Allow-Origin"] == "*"
    assert client.get(url, HTTP_IF_NONE_MATCH='"verouderd"').status_code == 200

    preflight = client.options(url, HTTP_ORIGIN=origin, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


def test_private_and_error_responses_get_no_etag(client, published):
    for url in [f"{API}/onbekend", "/api/v2/pages/999999/", f"{API}/producten?page=nul"]:
        response = client.get(url)
        assert response.status_code >= 400, url
        assert response["Cache-Control"] == "no-store", url
        assert not response.has_header("ETag"), url


@override_settings(
    CORS_ALLOW_ALL_ORIGINS=False, CORS_ALLOWED_ORIGINS=["https://www.gemeente.example"]
)
def test_an_origin_list_lets_only_those_origins_read(client, published):
    url = f"{API}/producten"
    allowed = client.get(url, HTTP_ORIGIN="https://www.gemeente.example")
    assert allowed["Access-Control-Allow-Origin"] == "https://www.gemeente.example"
    assert "origin" in allowed["Vary"].lower()
    other = client.get(url, HTTP_ORIGIN="https://aanvaller.example")
    assert other.status_code == 200 and not other.has_header("Access-Control-Allow-Origin")


def test_the_website_and_admin_answer_no_cors(client, published):
    for url in ["/", "/admin/login/", "/zoeken/"]:
        response = client.get(url, HTTP_ORIGIN="https://gemeente.example")
        assert not response.has_header("Access-Control-Allow-Origin"), url


def test_allowed_origins_come_from_the_environment():
    project = next(p for p in Path(__file__).resolve().parents if (p / "manage.py").is_file())
    script = "from django.conf import settings as s; print(s.CORS_ALLOW_ALL_ORIGINS, s.CORS_ALLOWED_ORIGINS)"
    environment = {k: v for k, v in os.environ.items() if k != "API_CORS_ALLOWED_ORIGINS"}
    outputs = []
    for value in [None, "https://a.example, https://b.example"]:
        env = dict(environment, **({"API_CORS_ALLOWED_ORIGINS": value} if value else {}))
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-v", "0", "-c", script],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout.strip())
    assert outputs == ["True []", "False ['https://a.example', 'https://b.example']"]


def test_errors_and_posts_are_not_cached(client, hub):
    assert client.get(f"{API}/onbekend")["Cache-Control"] == "no-store"
    response = client.post(f"{API}/kennissignalen", {}, content_type="application/json")
    assert response["Cache-Control"] == "no-store"


def count_queries(django_assert_max_num_queries, client, url: str, limit: int) -> int:
    # Warm process-wide caches (content types, site roots) first, so that a publish that cleared
    # them between two measurements does not count as growth.
    client.get(url)
    with django_assert_max_num_queries(limit) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(context.captured_queries)


def test_query_counts_do_not_grow_with_page_size_or_facet_values(
    client, published, library, django_assert_max_num_queries
):
    line = published["line"]
    group = published["group"]
    region = published["region"]
    urls = {
        "list": f"{API}/producten?sort=title&pageSize={{size}}",
        "facetted": f"{API}/producten?sort=title&pageSize={{size}}&theme=thema-1&theme=thema-2"
        f"&region={region.code}&targetGroup={group.slug}&lifecycleStatus=beschikbaar",
        "search": f"{API}/producten?q=instrument&pageSize={{size}}",
        # Wagtail's API pages by at most 20 (WAGTAILAPI_LIMIT_MAX).
        "v2": "/api/v2/pages/?type=content.ProductPage&limit={size}",
    }
    # With two products, one theme and one region in use: one result per page. (Before the
    # instruments exist the search finds nothing, which takes fewer queries: no baseline.)
    baseline = {
        name: count_queries(django_assert_max_num_queries, client, url.format(size=1), 40)
        for name, url in urls.items()
        if name != "search"
    }

    # 24 more products (each number mod 12, 7 and 5 comes round twice): a query per result would
    # add 25 queries to the largest page below, as surely as it would with a hundred results.
    more_regions = list(Region.objects.order_by("name")[:12])
    for number in range(24):
        product = complete_product(
            parent=library,
            title=f"Instrument {number:03d}",
            development_lines=[line],
            target_groups=[group],
        )
        product.regions.add(region, more_regions[number % 12])
        product.themes.add(f"thema {number % 7}", f"onderwerp {number % 5}")
        publish(product)
    assert ProductPage.objects.live().count() == 26

    # Every result on one page, thirteen themes and twelve regions in the facets: no more queries.
    for name, url in urls.items():
        largest = 20 if name == "v2" else 100
        limit = baseline.get(name, 40)
        one = count_queries(django_assert_max_num_queries, client, url.format(size=1), limit)
        many = count_queries(
            django_assert_max_num_queries, client, url.format(size=largest), min(limit, one)
        )
        print(f"{name}: {baseline.get(name)} before, {one} at 1 result, {many} at {largest}")
    body = client.get(urls["list"].format(size=100)).json()
    assert len(body["items"]) == 26
    facets = {facet["parameter"]: facet["values"] for facet in body["facets"]}
    assert len([v for v in facets["theme"] if v["count"]]) == 13
    assert len([v for v in facets["region"] if v["count"]]) == 12
