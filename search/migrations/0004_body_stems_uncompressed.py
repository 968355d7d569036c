"""PostgreSQL: keep the stemmed body out of line but uncompressed (issue 16, item 8).

A phrase (from a synonym such as *beschut werk*) is looked up in every candidate's stems
(`search.engines.STEMMED_TEXT`), which reads the stemmed body from TOAST. Compressed (pglz, the
default) it had to be decompressed first, which took about as long as fetching it: with
STORAGE EXTERNAL, PostgreSQL's documented choice for substring operations on large text, the
phrase search at 10,000 products took 50-55 ms of SQL instead of 95-105 ms (docs/benchmarks.md,
run H), for 3.3 kB in TOAST per product instead of 1.5 kB. The row itself is unchanged (the body
was already out of line). The UPDATE stores the existing bodies again (a new value, so it is
written uncompressed). SQLite is unchanged.
"""

from django.db import migrations

TABLE = "hubsearch_productsearchdocument"

FORWARD = [
    f"ALTER TABLE {TABLE} ALTER COLUMN stemmed_body SET STORAGE EXTERNAL",
    f"UPDATE {TABLE} SET stemmed_body = stemmed_body || '' "
    "WHERE pg_column_compression(stemmed_body) IS NOT NULL",
]

BACKWARD = [f"ALTER TABLE {TABLE} ALTER COLUMN stemmed_body SET STORAGE EXTENDED"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("hubsearch", "0003_drop_facet_keys_gin")]

    operations = [migrations.RunPython(forward, backward)]
