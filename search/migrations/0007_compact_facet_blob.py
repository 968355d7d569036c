"""PostgreSQL: pack the match rows' facet key ids in two bytes each instead of four.

Counting a broad query returns the packed facets of every match (half the library): at 46 bytes
a row, aggregating and sending them cost as much as finding the rows. A row is now a marker
(0xFFFF), its page id as two base-65535 digits (so that neither is ever the marker) and its
facet key ids as unsigned 16-bit values: 25 bytes for the average product.

Key ids must therefore stay below 65535. New keys no longer use up sequence values on every
re-index (`INSERT ... ON CONFLICT DO NOTHING` draws one per row it tries), and the keys are
numbered afresh here, from 1, with the tables built from the product index again.
"""

from django.db import migrations

TABLE = "hubsearch_productsearchdocument"
MATCH = "hubsearch_match"
RANK = "hubsearch_rank"
SUMMARY = "hubsearch_summary"
KEYS = "hubsearch_facet_key"


def _two_bytes(expression: str) -> str:
    """An integer from 0 to 65535 as two big-endian bytes."""
    return f"substring(int4send({expression}) from 3 for 2)"


def upsert_from_new_rows(blob: str) -> str:
    return f"""
    INSERT INTO {KEYS} (key)
        SELECT DISTINCT k FROM new_rows, jsonb_array_elements_text(new_rows.facet_keys) k
        WHERE NOT EXISTS (SELECT 1 FROM {KEYS} existing WHERE existing.key = k)
    ON CONFLICT (key) DO NOTHING;
    INSERT INTO {MATCH} (page_id, search_vector, facet_blob)
    SELECT n.page_id,
           setweight(to_tsvector('simple'::regconfig, coalesce(n.stemmed_title, '')), 'A') ||
           setweight(to_tsvector('simple'::regconfig, coalesce(n.stemmed_summary, '')), 'B') ||
           setweight(to_tsvector('simple'::regconfig, coalesce(n.stemmed_body, '')), 'C'),
           {blob}
    FROM new_rows n
    LEFT JOIN LATERAL (
        SELECT string_agg({{key}}, ''::bytea ORDER BY fk.id) AS blob
        FROM jsonb_array_elements_text(n.facet_keys) k JOIN {KEYS} fk ON fk.key = k
    ) f ON true
    ON CONFLICT (page_id) DO UPDATE SET
        search_vector = EXCLUDED.search_vector,
        facet_blob = EXCLUDED.facet_blob;
    INSERT INTO {RANK} (page_id, title_vector, facet_ids, published_at, title_sort)
    SELECT n.page_id,
           to_tsvector('simple'::regconfig, coalesce(n.stemmed_title, '')),
           coalesce(f.ids, '{{}}'),
           n.published_at,
           n.title_sort
    FROM new_rows n
    LEFT JOIN LATERAL (
        SELECT array_agg(fk.id ORDER BY fk.id) AS ids
        FROM jsonb_array_elements_text(n.facet_keys) k JOIN {KEYS} fk ON fk.key = k
    ) f ON true
    ON CONFLICT (page_id) DO UPDATE SET
        title_vector = EXCLUDED.title_vector,
        facet_ids = EXCLUDED.facet_ids,
        published_at = EXCLUDED.published_at,
        title_sort = EXCLUDED.title_sort;
    INSERT INTO {SUMMARY} (page_id, summary_vector)
    SELECT n.page_id, to_tsvector('simple'::regconfig, coalesce(n.stemmed_summary, ''))
    FROM new_rows n
    ON CONFLICT (page_id) DO UPDATE SET summary_vector = EXCLUDED.summary_vector;
"""


COMPACT_BLOB = (
    "'\\xffff'::bytea || "
    + _two_bytes("n.page_id / 65535")
    + " || "
    + _two_bytes("mod(n.page_id, 65535)")
    + " || coalesce(f.blob, ''::bytea)"
)
COMPACT_UPSERT = upsert_from_new_rows(COMPACT_BLOB).replace("{key}", _two_bytes("fk.id"))
WIDE_UPSERT = upsert_from_new_rows(
    "int4send(0) || int4send(n.page_id) || coalesce(f.blob, ''::bytea)"
).replace("{key}", "int4send(fk.id)")


def statements(upsert: str, *, check: bool) -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION hubsearch_match_upsert() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            {upsert}
            RETURN NULL;
        END $$""",
        f"TRUNCATE {MATCH}, {RANK}, {SUMMARY}",
        f"TRUNCATE {KEYS} RESTART IDENTITY",
        f"ALTER TABLE {KEYS} DROP CONSTRAINT IF EXISTS hubsearch_facet_key_two_bytes",
        *(
            [f"ALTER TABLE {KEYS} ADD CONSTRAINT hubsearch_facet_key_two_bytes CHECK (id < 65535)"]
            if check
            else []
        ),
        f"""DO $$ BEGIN
            CREATE TEMPORARY TABLE new_rows ON COMMIT DROP AS SELECT * FROM {TABLE};
            {upsert}
            DROP TABLE new_rows;
        END $$""",
        f"ANALYZE {MATCH}",
        f"ANALYZE {RANK}",
        f"ANALYZE {SUMMARY}",
        # The rows went into the GIN indexes' pending lists, which every search would scan.
        "SELECT gin_clean_pending_list(indexrelid::regclass) FROM pg_index "
        "JOIN pg_class ON pg_class.oid = pg_index.indexrelid "
        "JOIN pg_am ON pg_am.oid = pg_class.relam "
        f"WHERE pg_am.amname = 'gin' AND indrelid::regclass::text IN ('{MATCH}', '{RANK}', "
        f"'{SUMMARY}')",
    ]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements(COMPACT_UPSERT, check=True):
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements(WIDE_UPSERT, check=False):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("hubsearch", "0006_match_table")]

    operations = [migrations.RunPython(forward, backward)]
