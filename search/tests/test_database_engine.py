"""The database engines (search/engines.py): a search is one statement, and a synonym phrase
matches only where its words stand together within one field."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

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
