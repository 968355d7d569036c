"""PostgreSQL: a narrow match table beside the product index, for matching, counting and ranking.

At 100,000 products a broad query matches half the library. Counting its facets and its total
visits every matching row, so that row must be small: this table holds per product only pointers
to its search vectors (stored out of line) and, in line, the small title vector, the facet key ids
(as an integer array for filtering and as packed big-endian int4 values for counting in one
aggregate) and the sort keys. Statement-level triggers keep it in step with the product index in
the same transaction; deleting an index row deletes its match row (ON DELETE CASCADE).

The full and ranking vectors move here from the index table, whose rows (with the stemmed texts)
are wide. Facet keys get small integer ids in `hubsearch_facet_key`.
"""

from django.db import migrations

TABLE = "hubsearch_productsearchdocument"
MATCH = "hubsearch_match"
KEYS = "hubsearch_facet_key"

UPSERT_FROM_NEW_ROWS = f"""
    INSERT INTO {KEYS} (key)
        SELECT DISTINCT k FROM new_rows, jsonb_array_elements_text(new_rows.facet_keys) k
    ON CONFLICT (key) DO NOTHING;
    INSERT INTO {MATCH} (page_id, search_vector, title_vector, summary_vector, facet_ids,
                         facet_blob, published_at, title_sort)
    SELECT n.page_id,
           setweight(to_tsvector('simple'::regconfig, coalesce(n.stemmed_title, '')), 'A') ||
           setweight(to_tsvector('simple'::regconfig, coalesce(n.stemmed_summary, '')), 'B') ||
           setweight(to_tsvector('simple'::regconfig, coalesce(n.stemmed_body, '')), 'C'),
           to_tsvector('simple'::regconfig, coalesce(n.stemmed_title, '')),
           to_tsvector('simple'::regconfig, coalesce(n.stemmed_summary, '')),
           coalesce(f.ids, '{{}}'),
           coalesce(f.blob, ''::bytea),
           n.published_at,
           n.title_sort
    FROM new_rows n
    LEFT JOIN LATERAL (
        SELECT array_agg(fk.id ORDER BY fk.id) AS ids,
               string_agg(int4send(fk.id), ''::bytea ORDER BY fk.id) AS blob
        FROM jsonb_array_elements_text(n.facet_keys) k JOIN {KEYS} fk ON fk.key = k
    ) f ON true
    ON CONFLICT (page_id) DO UPDATE SET
        search_vector = EXCLUDED.search_vector,
        title_vector = EXCLUDED.title_vector,
        summary_vector = EXCLUDED.summary_vector,
        facet_ids = EXCLUDED.facet_ids,
        facet_blob = EXCLUDED.facet_blob,
        published_at = EXCLUDED.published_at,
        title_sort = EXCLUDED.title_sort;
"""

POSTGRES = [
    f"CREATE TABLE {KEYS} (id serial PRIMARY KEY, key text NOT NULL UNIQUE)",
    f"""CREATE TABLE {MATCH} (
        page_id integer PRIMARY KEY REFERENCES {TABLE} (page_id) ON DELETE CASCADE,
        search_vector tsvector NOT NULL,
        title_vector tsvector NOT NULL,
        summary_vector tsvector NOT NULL,
        facet_ids integer[] NOT NULL,
        facet_blob bytea NOT NULL,
        published_at timestamp with time zone,
        title_sort varchar(255) NOT NULL
    )""",
    # Long vectors out of line (matching reads the GIN indexes, not them); the rest in line.
    f"""ALTER TABLE {MATCH}
        ALTER COLUMN search_vector SET STORAGE EXTERNAL,
        ALTER COLUMN summary_vector SET STORAGE EXTERNAL,
        ALTER COLUMN title_vector SET STORAGE PLAIN,
        ALTER COLUMN facet_ids SET STORAGE PLAIN,
        ALTER COLUMN facet_blob SET STORAGE PLAIN,
        ALTER COLUMN title_sort SET STORAGE PLAIN""",
    f"ALTER TABLE {MATCH} SET (toast_tuple_target = 128)",
    f"CREATE INDEX hubsearch_match_vector ON {MATCH} USING gin (search_vector)",
    f"CREATE INDEX hubsearch_match_title ON {MATCH} USING gin (title_vector)",
    f"CREATE INDEX hubsearch_match_summary ON {MATCH} USING gin (summary_vector)",
    f"CREATE INDEX hubsearch_match_facets ON {MATCH} USING gin (facet_ids)",
    f"CREATE INDEX hubsearch_match_newest ON {MATCH} (published_at DESC NULLS LAST, page_id DESC)",
    f"CREATE INDEX hubsearch_match_title_order ON {MATCH} (title_sort, page_id)",
    f"""CREATE FUNCTION hubsearch_match_upsert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {UPSERT_FROM_NEW_ROWS}
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER hubsearch_match_insert AFTER INSERT ON {TABLE}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
        EXECUTE FUNCTION hubsearch_match_upsert()""",
    f"""CREATE TRIGGER hubsearch_match_update AFTER UPDATE ON {TABLE}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
        EXECUTE FUNCTION hubsearch_match_upsert()""",
    # Fill it from the rows already indexed, then drop the vectors the index table no longer needs.
    f"""DO $$ BEGIN
        CREATE TEMPORARY TABLE new_rows ON COMMIT DROP AS SELECT * FROM {TABLE};
        {UPSERT_FROM_NEW_ROWS}
        DROP TABLE new_rows;
    END $$""",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS rank_vector",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector",
]

POSTGRES_BACKWARD = [
    f"DROP TRIGGER IF EXISTS hubsearch_match_insert ON {TABLE}",
    f"DROP TRIGGER IF EXISTS hubsearch_match_update ON {TABLE}",
    "DROP FUNCTION IF EXISTS hubsearch_match_upsert()",
    f"DROP TABLE IF EXISTS {MATCH}",
    f"DROP TABLE IF EXISTS {KEYS}",
    f"""ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(stemmed_title, '')), 'A') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(stemmed_summary, '')), 'B') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(stemmed_body, '')), 'C')
    ) STORED""",
    f"CREATE INDEX hubsearch_doc_vector_gin ON {TABLE} USING gin (search_vector)",
    f"""ALTER TABLE {TABLE} ADD COLUMN rank_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(stemmed_title, '')), 'A') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(stemmed_summary, '')), 'B')
    ) STORED""",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("hubsearch", "0005_facet_totals")]

    operations = [migrations.RunPython(forward, backward)]
