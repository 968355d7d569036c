"""Public GETs are cacheable and fresh after a publish; query counts do not grow with the page."""

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

    more_regions = list(Region.objects.order_by("name")[:12])
    for number in range(99):
        product = complete_product(
            parent=library,
            title=f"Instrument {number:03d}",
            development_lines=[line],
            target_groups=[group],
        )
        product.regions.add(region, more_regions[number % 12])
        product.themes.add(f"thema {number % 7}", f"onderwerp {number % 5}")
        publish(product)
    assert ProductPage.objects.live().count() == 101

    # A hundred results, thirteen themes and twelve regions in the facets: no more queries.
    for name, url in urls.items():
        largest = 20 if name == "v2" else 100
        limit = baseline.get(name, 40)
        one = count_queries(django_assert_max_num_queries, client, url.format(size=1), limit)
        many = count_queries(
            django_assert_max_num_queries, client, url.format(size=largest), min(limit, one)
        )
        print(f"{name}: {baseline.get(name)} before, {one} at 1 result, {many} at {largest}")
    body = client.get(urls["list"].format(size=100)).json()
    assert len(body["items"]) == 100
    facets = {facet["parameter"]: facet["values"] for facet in body["facets"]}
    assert len([v for v in facets["theme"] if v["count"]]) == 13
    assert len([v for v in facets["region"] if v["count"]]) == 12
