"""PostgreSQL: a product's stemmed werkblad is stored out of line uncompressed (issue 16, item 8;
migration 0004), and a phrase is still found in it, and only there where it stands in a row.

A phrase search reads the stemmed body of every candidate; compressed, each one had to be
decompressed first, which doubled the slowest search's time at 10,000 products.
"""

from django.db import connection

import pytest

from search.opensearch.client import configured
from search.services import ProductQuery, search_products

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or configured(),
        reason="PostgreSQL's own engine's storage; DATABASE_URL=postgres://, no SEARCH_URL",
    ),
]

# About 4 kB of stems: long enough to leave the row, and (with repeats) very compressible.
LONG_WERKBLAD = "<p>" + " ".join(["Beschut werk met een jobcoach in de regio."] * 90) + "</p>"


def test_a_long_werkblad_is_stored_uncompressed_and_its_phrase_is_found(make_product):
    product = make_product(title="Werkplaats", summary="Een plek om te werken.", doel=LONG_WERKBLAD)
    short = make_product(title="Kort", summary="Iets anders.", doel="<p>Over beschut werk.</p>")
    # Both words in every sentence, never in a row: found by the index, not by the phrase.
    scattered = make_product(
        title="Apart", summary="Anders.", doel="<p>" + "Beschut ingericht. Werk. " * 150 + "</p>"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = "
            "'hubsearch_productsearchdocument'::regclass AND attname = 'stemmed_body'"
        )
        assert cursor.fetchone() == ("e",)  # EXTERNAL: out of line, never compressed
        cursor.execute(
            "SELECT pg_column_compression(stemmed_body), octet_length(stemmed_body) "
            "FROM hubsearch_productsearchdocument WHERE page_id = %s",
            [product.pk],
        )
        compression, size = cursor.fetchone()
    assert compression is None and size > 2000

    # "beschut werk" is a phrase from the hub's synonym list.
    found = {p.pk for p in search_products(ProductQuery(query="beschut werk")).products}
    assert product.pk in found and short.pk in found
    assert scattered.pk not in found
