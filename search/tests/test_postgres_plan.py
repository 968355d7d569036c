"""PostgreSQL: the statements a search sends can be answered through the GIN index, and the
columns ranking and facet counting read stay in the row (issue 16, item 8; migration 0002).

A search statement whose match the index cannot serve makes PostgreSQL build every product's
vector on every search (seconds at 10,000 products); a rank vector or facet list in TOAST costs
extra page reads per match. Both are invisible in results and very visible in response times.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from search.opensearch.client import configured
from search.services import ProductQuery, search_products

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or configured(),
        reason="PostgreSQL's own engine's plans; DATABASE_URL=postgres://, no SEARCH_URL",
    ),
]


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        # Measurement only: with sequential scans priced out, a plan without the index means
        # the index cannot answer the statement at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    return plan


def test_every_search_statement_matches_through_the_gin_index(make_product):
    make_product(title="Werkgevers betrekken", summary="Met de werkgever aan tafel.")
    make_product(title="Iets anders", summary="Geen werkgever hier.")
    with CaptureQueriesContext(connection) as captured:
        result = search_products(
            ProductQuery(query="werkgever", filters={"product_type": ["scan", "format"]})
        )
    assert result.total >= 1
    statements = [q["sql"] for q in captured if "to_tsquery" in q["sql"]]
    assert len(statements) == 1  # the page, its total and the facet counts in one
    for sql in statements:
        plan = explain(sql)
        assert "hubsearch_doc_match_gin" in plan, plan
        assert "Seq Scan on hubsearch_productsearchdocument" not in plan, plan
        # No second index beside it: a bitmap rechecked for the other index (jsonb's `?|` is
        # always rechecked) would rebuild every candidate's vector.
        assert "BitmapAnd" not in plan and "BitmapOr" not in plan, plan


def test_rank_vector_and_facet_keys_are_kept_in_the_row_and_no_vector_is_stored():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = "
            "'hubsearch_productsearchdocument'::regclass AND NOT attisdropped AND attname IN "
            "('rank_vector', 'facet_keys', 'search_vector')"
        )
        storage = dict(cursor.fetchall())
    # 'm' = MAIN: compressed in the row if need be, moved to TOAST only as a last resort.
    assert storage == {"rank_vector": "m", "facet_keys": "m"}


def test_facet_counts_unnest_the_text_array_of_keys_without_a_function_scan_per_match(
    make_product,
):
    # A function in FROM (jsonb_array_elements_text) starts a scan per match: for a word in
    # half the library that doubled the cost of the facet counts (migration 0005).
    make_product(title="Jobcoach op de werkvloer", summary="De jobcoach begeleidt.")
    make_product(title="Jobcoach en werkgever", summary="Een jobcoach bij de werkgever.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
            "'hubsearch_productsearchdocument'::regclass AND attname = 'facet_keys'"
        )
        assert cursor.fetchone() == ("text[]",)
    with CaptureQueriesContext(connection) as captured:
        result = search_products(ProductQuery(query="jobcoach"))
    assert result.total == 2
    assert sum(value.count for value in result.facets["product_type"]) == 2
    statements = [q["sql"] for q in captured if "to_tsquery" in q["sql"]]
    assert len(statements) == 1
    plan = explain(statements[0])
    assert "ProjectSet" in plan, plan
    assert "Function Scan" not in plan, plan


def test_a_synonym_phrase_is_answered_by_the_index_without_reading_any_werkblad(make_product):
    # Looked up by its words, a phrase left every candidate's werkblad to be read and searched
    # (about 25 ms at 10,000 products); its token is in the index (migration 0006).
    make_product(title="Beschut werk in de regio", summary="Voor iedereen.")
    with CaptureQueriesContext(connection) as captured:
        assert search_products(ProductQuery(query="beschut werk")).total == 1
    statements = [q["sql"] for q in captured if "to_tsquery" in q["sql"]]
    plan = explain(statements[0])
    # The matches come from the index; nothing is checked on each candidate's row (no Filter).
    scan = plan.split("Bitmap Heap Scan on hubsearch_productsearchdocument")[1].split("->")[0]
    assert "Filter" not in scan, plan
