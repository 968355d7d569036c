"""Database-specific full-text structures for the product index.

PostgreSQL: a generated, weighted tsvector column with a GIN index, a GIN index on the facet keys
and, when pg_trgm can be enabled, a trigram index on the title for typo tolerance.
SQLite: an FTS5 table over the stemmed fields, kept in step with the index table by triggers.
"""

from django.db import migrations

TABLE = "hubsearch_productsearchdocument"
FTS = "hubsearch_product_fts"

POSTGRES_FORWARD = [
    f"""ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(stemmed_title, '')), 'A') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(stemmed_summary, '')), 'B') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(stemmed_body, '')), 'C')
    ) STORED""",
    f"CREATE INDEX hubsearch_doc_vector_gin ON {TABLE} USING gin (search_vector)",
    f"CREATE INDEX hubsearch_doc_facets_gin ON {TABLE} USING gin (facet_keys jsonb_ops)",
]
POSTGRES_TRIGRAM = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX hubsearch_doc_title_trgm ON {TABLE} USING gin (title_sort gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS hubsearch_doc_title_trgm",
    "DROP INDEX IF EXISTS hubsearch_doc_facets_gin",
    "DROP INDEX IF EXISTS hubsearch_doc_vector_gin",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector",
]

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
        stemmed_title, stemmed_summary, stemmed_body, title,
        content='{TABLE}', content_rowid='page_id', tokenize='unicode61 remove_diacritics 2'
    )""",
    f"""CREATE TRIGGER hubsearch_doc_ai AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS}(rowid, stemmed_title, stemmed_summary, stemmed_body, title)
        VALUES (new.page_id, new.stemmed_title, new.stemmed_summary, new.stemmed_body, new.title);
    END""",
    f"""CREATE TRIGGER hubsearch_doc_ad AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, stemmed_title, stemmed_summary, stemmed_body, title)
        VALUES ('delete', old.page_id, old.stemmed_title, old.stemmed_summary, old.stemmed_body,
                old.title);
    END""",
    f"""CREATE TRIGGER hubsearch_doc_au AFTER UPDATE ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, stemmed_title, stemmed_summary, stemmed_body, title)
        VALUES ('delete', old.page_id, old.stemmed_title, old.stemmed_summary, old.stemmed_body,
                old.title);
        INSERT INTO {FTS}(rowid, stemmed_title, stemmed_summary, stemmed_body, title)
        VALUES (new.page_id, new.stemmed_title, new.stemmed_summary, new.stemmed_body, new.title);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS hubsearch_doc_au",
    "DROP TRIGGER IF EXISTS hubsearch_doc_ad",
    "DROP TRIGGER IF EXISTS hubsearch_doc_ai",
    f"DROP TABLE IF EXISTS {FTS}",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)
        # pg_trgm needs the right to create an extension; without it search works, minus typos.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SAVEPOINT hubsearch_trgm")
            try:
                for statement in POSTGRES_TRIGRAM:
                    cursor.execute(statement)
            except Exception:
                cursor.execute("ROLLBACK TO SAVEPOINT hubsearch_trgm")
            else:
                cursor.execute("RELEASE SAVEPOINT hubsearch_trgm")
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("hubsearch", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
