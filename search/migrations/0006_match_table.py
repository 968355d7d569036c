"""PostgreSQL: three narrow tables beside the product index, for matching, counting and ranking.

At 100,000 products a broad query matches half the library. Counting its total and its facets
visits every matching row, so those rows must be as small as possible: `hubsearch_match` holds
per product only a pointer to its full search vector (stored out of line, found through its GIN
index) and, packed as big-endian int4 values, a 0 that marks where a row starts, its page id and
its facet key ids: one aggregate returns every match with its facets, and numpy counts them.

`hubsearch_rank` holds what ordering and filtering read, in the row: the small title vector (GIN,
for the title tier), the facet key ids as an integer array (GIN, for filters) and the sort keys.
`hubsearch_summary` holds the summary vectors (GIN, for the summary tier) apart, because a few
hundred bytes per row would triple the rank table that every filtered search reads.

Statement-level triggers keep them in step with the product index in the same transaction, on
insert, update, delete and truncate. The vectors move here from the index table, whose
rows (with the stemmed texts) are wide. Facet keys get small integer ids in `hubsearch_facet_key`.
"""

from django.db import migrations

TABLE = "hubsearch_productsearchdocument"
MATCH = "hubsearch_match"
RANK = "hubsearch_rank"
SUMMARY = "hubsearch_summary"
KEYS = "hubsearch_facet_key"

UPSERT_FROM_NEW_ROWS = f"""
    INSERT INTO {KEYS} (key)
        SELECT DISTINCT k FROM new_rows, jsonb_array_elements_text(new_rows.facet_keys) k
    ON CONFLICT (key) DO NOTHING;
    INSERT INTO {MATCH} (page_id, search_vector, facet_blob)
    SELECT n.page_id,
           setweight(to_tsvector('simple'::regconfig, coalesce(n.stemmed_title, '')), 'A') ||
           setweight(to_tsvector('simple'::regconfig, coalesce(n.stemmed_summary, '')), 'B') ||
           setweight(to_tsvector('simple'::regconfig, coalesce(n.stemmed_body, '')), 'C'),
           int4send(0) || int4send(n.page_id) || coalesce(f.blob, ''::bytea)
    FROM new_rows n
    LEFT JOIN LATERAL (
        SELECT string_agg(int4send(fk.id), ''::bytea ORDER BY fk.id) AS blob
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

POSTGRES = [
    f"CREATE TABLE {KEYS} (id serial PRIMARY KEY CHECK (id > 0), key text NOT NULL UNIQUE)",
    f"""CREATE TABLE {MATCH} (
        page_id integer PRIMARY KEY,
        search_vector tsvector NOT NULL,
        facet_blob bytea NOT NULL
    )""",
    f"""CREATE TABLE {RANK} (
        page_id integer PRIMARY KEY,
        title_vector tsvector NOT NULL,
        facet_ids integer[] NOT NULL,
        published_at timestamp with time zone,
        title_sort varchar(255) NOT NULL
    )""",
    f"""CREATE TABLE {SUMMARY} (
        page_id integer PRIMARY KEY,
        summary_vector tsvector NOT NULL
    )""",
    # Long vectors out of line (matching reads the GIN indexes, not them); the rest in line.
    f"""ALTER TABLE {MATCH}
        ALTER COLUMN search_vector SET STORAGE EXTERNAL,
        ALTER COLUMN facet_blob SET STORAGE PLAIN""",
    f"""ALTER TABLE {RANK}
        ALTER COLUMN title_vector SET STORAGE PLAIN,
        ALTER COLUMN facet_ids SET STORAGE PLAIN,
        ALTER COLUMN title_sort SET STORAGE PLAIN""",
    f"ALTER TABLE {MATCH} SET (toast_tuple_target = 128)",
    f"ALTER TABLE {RANK} SET (toast_tuple_target = 128)",
    f"CREATE INDEX hubsearch_match_vector ON {MATCH} USING gin (search_vector)",
    f"CREATE INDEX hubsearch_rank_title ON {RANK} USING gin (title_vector)",
    f"CREATE INDEX hubsearch_summary_vector ON {SUMMARY} USING gin (summary_vector)",
    f"CREATE INDEX hubsearch_rank_facets ON {RANK} USING gin (facet_ids)",
    f"CREATE INDEX hubsearch_rank_newest ON {RANK} (published_at DESC NULLS LAST, page_id DESC)",
    f"CREATE INDEX hubsearch_rank_title_order ON {RANK} (title_sort, page_id)",
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
    # No foreign keys (a referenced table cannot be truncated, which Django's test flush does):
    # deletes and truncates of the index carry over by triggers instead.
    f"""CREATE FUNCTION hubsearch_match_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM {MATCH} WHERE page_id IN (SELECT page_id FROM old_rows);
        DELETE FROM {RANK} WHERE page_id IN (SELECT page_id FROM old_rows);
        DELETE FROM {SUMMARY} WHERE page_id IN (SELECT page_id FROM old_rows);
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER hubsearch_match_delete AFTER DELETE ON {TABLE}
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
        EXECUTE FUNCTION hubsearch_match_delete()""",
    f"""CREATE FUNCTION hubsearch_match_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE {MATCH}, {RANK}, {SUMMARY};
        DELETE FROM hubsearch_facet_total;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER hubsearch_match_truncate AFTER TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION hubsearch_match_truncate()""",
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
    f"DROP TRIGGER IF EXISTS hubsearch_match_delete ON {TABLE}",
    f"DROP TRIGGER IF EXISTS hubsearch_match_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS hubsearch_match_upsert()",
    "DROP FUNCTION IF EXISTS hubsearch_match_delete()",
    "DROP FUNCTION IF EXISTS hubsearch_match_truncate()",
    f"DROP TABLE IF EXISTS {MATCH}",
    f"DROP TABLE IF EXISTS {RANK}",
    f"DROP TABLE IF EXISTS {SUMMARY}",
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
