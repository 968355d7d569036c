"""PostgreSQL: a small ranking vector (title A, summary B) next to the full search vector.

Ranking every match by the full vector reads (and decompresses) each product's whole body; the
small vector stays inside the table row, so ranking the matches of a broad query stays cheap.
Matching still uses the full vector through its GIN index.
"""

from django.db import migrations

TABLE = "hubsearch_productsearchdocument"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"""ALTER TABLE {TABLE} ADD COLUMN rank_vector tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('simple'::regconfig, coalesce(stemmed_title, '')), 'A') ||
                setweight(to_tsvector('simple'::regconfig, coalesce(stemmed_summary, '')), 'B')
            ) STORED"""
        )
        schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN rank_vector SET STORAGE MAIN")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS rank_vector")


class Migration(migrations.Migration):
    dependencies = [("hubsearch", "0003_seed_synonyms")]

    operations = [migrations.RunPython(forward, backward)]
