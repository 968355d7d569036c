"""Facet totals over the whole index, kept exact by triggers, and indexes for browsing.

The library's landing page (no query, no filter) shows counts for every facet value over all
products; counting them from the index on every request reads every row. The triggers keep a
per-key total in step with every insert, update and delete of the index (also deletes by
cascade), in the same transaction. Ordered indexes let browsing read only the page it shows.
"""

from django.db import migrations

TABLE = "hubsearch_productsearchdocument"
TOTALS = "hubsearch_facet_total"

POSTGRES = [
    f"CREATE TABLE {TOTALS} (key text PRIMARY KEY, total integer NOT NULL DEFAULT 0)",
    f"""CREATE FUNCTION hubsearch_facet_total_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {TOTALS} (key, total)
            SELECT k, count(*) FROM new_rows, jsonb_array_elements_text(new_rows.facet_keys) k
            GROUP BY k
        ON CONFLICT (key) DO UPDATE SET total = {TOTALS}.total + EXCLUDED.total;
        RETURN NULL;
    END $$""",
    f"""CREATE FUNCTION hubsearch_facet_total_remove() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {TOTALS} t SET total = t.total - removed.n
        FROM (SELECT k, count(*) AS n FROM old_rows, jsonb_array_elements_text(old_rows.facet_keys) k
              GROUP BY k) removed
        WHERE t.key = removed.k;
        RETURN NULL;
    END $$""",
    f"""CREATE FUNCTION hubsearch_facet_total_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {TOTALS} t SET total = t.total - removed.n
        FROM (SELECT k, count(*) AS n FROM old_rows, jsonb_array_elements_text(old_rows.facet_keys) k
              GROUP BY k) removed
        WHERE t.key = removed.k;
        INSERT INTO {TOTALS} (key, total)
            SELECT k, count(*) FROM new_rows, jsonb_array_elements_text(new_rows.facet_keys) k
            GROUP BY k
        ON CONFLICT (key) DO UPDATE SET total = {TOTALS}.total + EXCLUDED.total;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER hubsearch_totals_insert AFTER INSERT ON {TABLE}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
        EXECUTE FUNCTION hubsearch_facet_total_add()""",
    f"""CREATE TRIGGER hubsearch_totals_delete AFTER DELETE ON {TABLE}
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
        EXECUTE FUNCTION hubsearch_facet_total_remove()""",
    f"""CREATE TRIGGER hubsearch_totals_update AFTER UPDATE ON {TABLE}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
        EXECUTE FUNCTION hubsearch_facet_total_change()""",
    f"""INSERT INTO {TOTALS} (key, total)
        SELECT k, count(*) FROM {TABLE}, jsonb_array_elements_text(facet_keys) k GROUP BY k""",
    f"CREATE INDEX hubsearch_doc_newest ON {TABLE} (published_at DESC NULLS LAST, page_id DESC)",
    f"CREATE INDEX hubsearch_doc_title_order ON {TABLE} (title_sort, page_id)",
]
POSTGRES_BACKWARD = [
    f"DROP TRIGGER IF EXISTS hubsearch_totals_insert ON {TABLE}",
    f"DROP TRIGGER IF EXISTS hubsearch_totals_delete ON {TABLE}",
    f"DROP TRIGGER IF EXISTS hubsearch_totals_update ON {TABLE}",
    "DROP FUNCTION IF EXISTS hubsearch_facet_total_add()",
    "DROP FUNCTION IF EXISTS hubsearch_facet_total_remove()",
    "DROP FUNCTION IF EXISTS hubsearch_facet_total_change()",
    f"DROP TABLE IF EXISTS {TOTALS}",
    "DROP INDEX IF EXISTS hubsearch_doc_newest",
    "DROP INDEX IF EXISTS hubsearch_doc_title_order",
]

SQLITE = [
    f"CREATE TABLE {TOTALS} (key text PRIMARY KEY, total integer NOT NULL DEFAULT 0)",
    f"""CREATE TRIGGER hubsearch_totals_ai AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {TOTALS} (key, total) SELECT value, count(*) FROM json_each(new.facet_keys)
            WHERE true GROUP BY value
        ON CONFLICT (key) DO UPDATE SET total = total + excluded.total;
    END""",
    f"""CREATE TRIGGER hubsearch_totals_ad AFTER DELETE ON {TABLE} BEGIN
        UPDATE {TOTALS} SET total = total - (
            SELECT count(*) FROM json_each(old.facet_keys) WHERE value = {TOTALS}.key)
        WHERE key IN (SELECT value FROM json_each(old.facet_keys));
    END""",
    f"""CREATE TRIGGER hubsearch_totals_au AFTER UPDATE ON {TABLE} BEGIN
        UPDATE {TOTALS} SET total = total - (
            SELECT count(*) FROM json_each(old.facet_keys) WHERE value = {TOTALS}.key)
        WHERE key IN (SELECT value FROM json_each(old.facet_keys));
        INSERT INTO {TOTALS} (key, total) SELECT value, count(*) FROM json_each(new.facet_keys)
            WHERE true GROUP BY value
        ON CONFLICT (key) DO UPDATE SET total = total + excluded.total;
    END""",
    f"""INSERT INTO {TOTALS} (key, total)
        SELECT k.value, count(*) FROM {TABLE} d, json_each(d.facet_keys) k GROUP BY k.value""",
    f"CREATE INDEX hubsearch_doc_newest ON {TABLE} (published_at DESC, page_id DESC)",
    f"CREATE INDEX hubsearch_doc_title_order ON {TABLE} (title_sort, page_id)",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS hubsearch_totals_ai",
    "DROP TRIGGER IF EXISTS hubsearch_totals_ad",
    "DROP TRIGGER IF EXISTS hubsearch_totals_au",
    f"DROP TABLE IF EXISTS {TOTALS}",
    "DROP INDEX IF EXISTS hubsearch_doc_newest",
    "DROP INDEX IF EXISTS hubsearch_doc_title_order",
]


def forward(apps, schema_editor):
    statements = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("hubsearch", "0004_rank_vector")]

    operations = [migrations.RunPython(forward, backward)]
