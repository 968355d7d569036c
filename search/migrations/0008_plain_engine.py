"""The plain engine: one document table, searched directly; the tables of 0005-0007 go.

PostgreSQL: the match, rank, summary, facet key and facet total tables, their triggers and
functions, and the title trigram index are dropped; the document table gets back a generated,
weighted search vector (title A, summary B, body C) with a GIN index, and a small rank vector
(title A, summary B) that ranking reads instead of the whole body. The search vector is kept in
the row (STORAGE MAIN, compressed): out of line, PostgreSQL would not count its size and would
test a common word on every row, decompressing every body, instead of reading the GIN index.
The facet keys keep their GIN index (0002). SQLite: the facet totals and their triggers are dropped; an fts5vocab table
lists the indexed words (for typo tolerance). Not reversible: run `update_index` afterwards.
"""

from django.db import migrations

TABLE = "hubsearch_productsearchdocument"

POSTGRES = [
    *(
        f"DROP TRIGGER IF EXISTS {trigger} ON {TABLE}"
        for trigger in (
            "hubsearch_totals_insert",
            "hubsearch_totals_delete",
            "hubsearch_totals_update",
            "hubsearch_match_insert",
            "hubsearch_match_update",
            "hubsearch_match_delete",
            "hubsearch_match_truncate",
        )
    ),
    *(
        f"DROP FUNCTION IF EXISTS {function}()"
        for function in (
            "hubsearch_facet_total_add",
            "hubsearch_facet_total_remove",
            "hubsearch_facet_total_change",
            "hubsearch_match_upsert",
            "hubsearch_match_delete",
            "hubsearch_match_truncate",
        )
    ),
    "DROP TABLE IF EXISTS hubsearch_match, hubsearch_rank, hubsearch_summary, "
    "hubsearch_facet_key, hubsearch_facet_total",
    "DROP INDEX IF EXISTS hubsearch_doc_title_trgm",
    f"""ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, stemmed_title), 'A') ||
        setweight(to_tsvector('simple'::regconfig, stemmed_summary), 'B') ||
        setweight(to_tsvector('simple'::regconfig, stemmed_body), 'C')
    ) STORED""",
    f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE MAIN",
    f"""ALTER TABLE {TABLE} ADD COLUMN rank_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, stemmed_title), 'A') ||
        setweight(to_tsvector('simple'::regconfig, stemmed_summary), 'B')
    ) STORED""",
    f"CREATE INDEX hubsearch_doc_vector_gin ON {TABLE} USING gin (search_vector)",
]
SQLITE = [
    "DROP TRIGGER IF EXISTS hubsearch_totals_ai",
    "DROP TRIGGER IF EXISTS hubsearch_totals_ad",
    "DROP TRIGGER IF EXISTS hubsearch_totals_au",
    "DROP TABLE IF EXISTS hubsearch_facet_total",
    "CREATE VIRTUAL TABLE hubsearch_product_words USING fts5vocab(hubsearch_product_fts, 'col')",
]


def forward(apps, schema_editor):
    statements = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("hubsearch", "0007_compact_facet_blob")]

    operations = [migrations.RunPython(forward)]
