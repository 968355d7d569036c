"""PostgreSQL: drop the GIN index on the facet keys (issue 16, item 8).

jsonb's GIN index answers `?|` only with a recheck, and a bitmap heap scan that rechecks one
condition rechecks them all: combined with the text match (a BitmapAnd) it made PostgreSQL build
every candidate's search vector again (0.5 ms a product, 300 ms for a word and a product type at
10,000 products). Without it, the text match's index finds the matches and the facet selection is
tested on each match's facet keys, which are in the row (migration 0002). Browsing without words
reads the whole table, which is narrow: 1,700 pages at 10,000 products.
"""

from django.db import migrations

TABLE = "hubsearch_productsearchdocument"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS hubsearch_doc_facets_gin")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX hubsearch_doc_facets_gin ON {TABLE} USING gin (facet_keys jsonb_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("hubsearch", "0002_match_by_expression_index")]

    operations = [migrations.RunPython(forward, backward)]
