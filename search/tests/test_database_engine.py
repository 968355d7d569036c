"""The database engines (search/engines.py): a search is one statement, and a synonym phrase
matches only where its words stand together within one field."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from search.models import SearchSynonym
from search.opensearch.client import configured
from search.services import ProductQuery, search_products

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(configured(), reason="the database's own engine; no SEARCH_URL"),
]


def test_page_total_and_facet_counts_come_from_one_statement(make_product):
    make_product(title="Beschut werk in de regio", product_type="scan")
    make_product(title="Beschut werk op maat", product_type="format")
    with CaptureQueriesContext(connection) as captured:
        result = search_products(
            ProductQuery(query="beschut werk", filters={"product_type": ["scan"]})
        )
    assert result.total == 1
    counts = {value.value: value.count for value in result.facets["product_type"]}
    assert counts["scan"] == 1 and counts["format"] == 1  # the type's own selection left out
    searches = [q["sql"] for q in captured if "hubsearch_productsearchdocument" in q["sql"]]
    assert len(searches) == 1, searches


def test_a_phrase_does_not_run_from_the_title_into_the_summary(make_product):
    together = make_product(title="Beschut werk in de regio", summary="Voor iedereen.")
    apart = make_product(title="Alles over beschut", summary="Werk en inkomen voor iedereen.")
    found = {p.pk for p in search_products(ProductQuery(query="beschut werk")).products}
    assert together.pk in found
    assert apart.pk not in found


def test_a_phrase_is_not_found_in_a_werkblad_where_its_words_only_stand_apart(make_product):
    # "beschut werk" is a phrase from the hub's synonym list.
    together = make_product(title="Kort", summary="Iets anders.", doel="<p>Over beschut werk.</p>")
    apart = make_product(
        title="Apart", summary="Anders.", doel="<p>" + "Beschut ingericht. Werk. " * 150 + "</p>"
    )
    found = {p.pk for p in search_products(ProductQuery(query="beschut werk")).products}
    assert together.pk in found
    assert apart.pk not in found


def test_a_new_synonym_phrase_finds_products_indexed_before_it_and_a_removed_one_stops(
    make_product,
):
    farm = make_product(
        title="Werken op het land",
        summary="Dagbesteding.",
        doel="<p>Een plek in de groene zorg.</p>",
    )
    query = ProductQuery(query="zorgboerderij")
    assert search_products(query).total == 0

    synonym = SearchSynonym.objects.create(terms="zorgboerderij, groene zorg")
    assert [p.pk for p in search_products(query).products] == [farm.pk]

    synonym.delete()
    assert search_products(query).total == 0
