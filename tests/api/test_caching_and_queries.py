"""Public GETs are cacheable and fresh after a publish; query counts do not grow with the page."""

import pytest

from content.models import ProductPage
from tests.api.conftest import API
from tests.factories import ProductPageFactory
from tests.publishing import publish

pytestmark = pytest.mark.django_db


def test_etag_answers_304_until_a_publish_or_unpublish(client, published, library):
    urls = [f"{API}/producten", "/api/v2/pages/?type=content.ProductPage"]
    first = {url: client.get(url) for url in urls}
    for url, response in first.items():
        assert response.status_code == 200
        assert response["ETag"] and "public" in response["Cache-Control"], url
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304, url

    new = publish(ProductPageFactory(parent=library, title="Werkvorm teamgesprek"))
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
    with django_assert_max_num_queries(limit) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(context.captured_queries)


def test_query_counts_do_not_grow_with_page_size(
    client, published, library, django_assert_max_num_queries
):
    line = published["line"]
    group = published["group"]
    region = published["region"]
    for number in range(99):
        product = ProductPageFactory(parent=library, title=f"Instrument {number:03d}")
        product.development_lines.add(line)
        product.target_groups.add(group)
        product.regions.add(region)
        product.themes.add(f"thema {number % 7}")
        publish(product)
    assert ProductPage.objects.live().count() == 101

    urls = {
        "list": f"{API}/producten?sort=title&pageSize={{size}}",
        "facetted": f"{API}/producten?sort=title&pageSize={{size}}&theme=thema-1&theme=thema-2"
        f"&region={region.code}&targetGroup={group.slug}",
        "search": f"{API}/producten?q=instrument&pageSize={{size}}",
        # Wagtail's API pages by at most 20 (WAGTAILAPI_LIMIT_MAX).
        "v2": "/api/v2/pages/?type=content.ProductPage&limit={size}",
    }
    for name, url in urls.items():
        largest = 20 if name == "v2" else 100
        one = count_queries(django_assert_max_num_queries, client, url.format(size=1), 40)
        many = count_queries(django_assert_max_num_queries, client, url.format(size=largest), one)
        assert many <= one, name
    items = client.get(urls["list"].format(size=100)).json()["items"]
    assert len(items) == 100
