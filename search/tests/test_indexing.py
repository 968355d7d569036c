"""Keeping the indexes up to date: on publish, with `update_index`, and in Wagtail's backend."""

from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.search.backends import get_search_backend

import pytest

from products.models import ProductPage
from search.indexing import index_product
from search.models import ProductSearchDocument
from search.opensearch.client import configured
from search.opensearch.indexing import delete_indexes_with_prefix
from search.services import ProductQuery, search_products

pytestmark = pytest.mark.django_db


def test_update_index_rebuilds_with_progress(make_product):
    make_product(title="Fietsen voor iedereen", themes=("mobiliteit",))
    ProductSearchDocument.objects.all().delete()
    if configured():  # the engine's index too: searches fall back to the emptied database
        delete_indexes_with_prefix()
    assert search_products(ProductQuery(query="fiets")).total == 0
    out, err = StringIO(), StringIO()
    call_command("update_index", stdout=out, stderr=err)
    assert "Productbibliotheek: 1 producten geïndexeerd" in out.getvalue()
    assert "Productbibliotheek" in err.getvalue()  # the progress bar
    assert (
        search_products(ProductQuery(query="fiets", filters={"theme": ["mobiliteit"]})).total == 1
    )


def test_index_update_of_one_product_is_a_few_queries(make_product):
    product = make_product(title="Eén product")
    with CaptureQueriesContext(connection) as queries:
        assert index_product(page_id=product.pk) is True
    assert len(queries) <= 10
    assert index_product(page_id=10**9) is False


def test_wagtail_backend_stems_dutch(make_product):
    make_product(title="Fietsen naar het ontwikkelbedrijf")
    backend = get_search_backend()
    found = backend.search("fietsen", ProductPage.objects.live())
    assert [p.title for p in found] == ["Fietsen naar het ontwikkelbedrijf"]
    if connection.vendor == "sqlite":
        # FTS5 has no Dutch stemmer; hubcms stems at index and query time.
        assert len(backend.search("fiets", ProductPage.objects.live())) == 1


def test_facet_totals_follow_publishing(library, make_product):
    """The landing page's counts follow publishing, unpublishing, deletion and re-indexing."""
    scans = [make_product(title=f"Scan {n}", product_type="scan") for n in range(3)]
    make_product(title="Een format", product_type="format")

    def type_counts():
        facets = search_products(ProductQuery()).facets["product_type"]
        return {v.value: v.count for v in facets if v.count}

    assert type_counts() == {"scan": 3, "format": 1}
    assert search_products(ProductQuery()).total == 4
    scans[0].unpublish()
    ProductPage.objects.get(pk=scans[1].pk).delete()
    index_product(page_id=scans[2].pk)  # re-indexing changes nothing
    assert type_counts() == {"scan": 1, "format": 1}
    assert search_products(ProductQuery()).total == 2
    assert search_products(ProductQuery(page=5)).page == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rebuild_outside_a_transaction_indexes_every_live_product(make_product, monkeypatch):
    """A rebuild in several chunks, outside a transaction, indexes every live product once."""
    from search import indexing

    monkeypatch.setattr(indexing, "CHUNK_SIZE", 2)  # several chunks
    for n in range(5):
        make_product(title=f"Fietsroute {n}", themes=("mobiliteit",))
    make_product(title="Fietsconcept", live=False)
    ProductSearchDocument.objects.all().delete()
    counted = []

    assert indexing.rebuild_product_index(progress=counted.append) == 5
    assert sum(counted) == 5
    result = search_products(ProductQuery(query="fietsroute", filters={"theme": ["mobiliteit"]}))
    assert result.match == "all"
    assert sorted(p.title for p in result.products) == [f"Fietsroute {n}" for n in range(5)]


@pytest.mark.parametrize("typed", ['"', 'werk"', "a'\"(*", '"Werkfit'])
def test_a_double_quote_in_the_admins_search_box_searches_instead_of_reporting_an_outage(
    client, coordinator, make_product, typed
):
    product = make_product(title="Werkfit-scan")
    client.force_login(coordinator)
    for url in (
        reverse("wagtailadmin_explore", args=(product.get_parent().pk,)),
        reverse("wagtailadmin_pages:search"),
        reverse("wagtailsnippets_content_targetgroup:list"),
    ):
        response = client.get(url, {"q": typed})
        assert response.status_code == 200, (url, typed)
        assert "niet beschikbaar" not in response.content.decode()
    backend = get_search_backend()
    found = [p.title for p in backend.autocomplete(typed, ProductPage.objects.live())]
    assert found == (["Werkfit-scan"] if "werk" in typed.lower() else [])


def test_the_admins_search_still_finds_words_around_a_quote(client, coordinator, make_product):
    make_product(title="Werkfit-scan")
    client.force_login(coordinator)
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": 'werkfit"'})
    assert "Werkfit-scan" in response.content.decode()
    found = get_search_backend().autocomplete('werkf"', ProductPage.objects.live())
    assert [p.title for p in found] == ["Werkfit-scan"]
