"""PostgreSQL: store the facet keys as `text[]` instead of `jsonb` (issue 16, item 8).

A search counts every facet over its matches' keys (`search.engines.SqlSearch`); for a word in
half the library that is 5,100 lists of about ten keys. Unnested from an array in the select
list that took about half the time of `jsonb_array_elements_text` (docs/benchmarks.md, run I).
The column stays in the row (`STORAGE MAIN`, as in migration 0002); the table is rewritten once.
SQLite keeps its JSON list: only the field's state changes there (`search.models.FacetKeysField`).
"""

from django.db import migrations

import search.models

TABLE = "hubsearch_productsearchdocument"

FORWARD = [
    # ALTER COLUMN ... USING takes no subquery, so the conversion is a function for the session.
    "CREATE FUNCTION pg_temp.facet_key_array(keys jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE "
    "AS $$ SELECT ARRAY(SELECT jsonb_array_elements_text(keys)) $$",
    f"ALTER TABLE {TABLE} ALTER COLUMN facet_keys TYPE text[] "
    "USING pg_temp.facet_key_array(facet_keys), ALTER COLUMN facet_keys SET STORAGE MAIN",
    "DROP FUNCTION pg_temp.facet_key_array(jsonb)",
]

BACKWARD = [
    f"ALTER TABLE {TABLE} ALTER COLUMN facet_keys TYPE jsonb USING to_jsonb(facet_keys), "
    "ALTER COLUMN facet_keys SET STORAGE MAIN",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("hubsearch", "0004_body_stems_uncompressed")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forward, backward)],
            state_operations=[
                migrations.AlterField(
                    model_name="productsearchdocument",
                    name="facet_keys",
                    field=search.models.FacetKeysField(default=list),
                )
            ],
        )
    ]
