"""A token per synonym phrase a product contains, matched by PostgreSQL's GIN index (issue 16).

A phrase (from a synonym such as *beschut werk*) was found by its words through the index and
then looked up in every candidate's stems, which read the whole werkblad of each one from TOAST:
about 25 ms of the 33 ms a phrase search took at 10,000 products. Now every entry holds the
tokens of the synonym phrases it contains (`stemmed_phrases`, "beschut/werk"; see
`search.query.phrases_in`), the index holds them beside the words, and a phrase is answered by
the index alone, in about 1 ms. This fills the tokens for the synonym list as it is and builds the
index on the new expression (`search.engines.MATCH_VECTOR`). SQLite's FTS5 finds phrases itself;
there the column is filled but not searched.
"""

from django.db import migrations, models

TABLE = "hubsearch_productsearchdocument"
CHUNK_SIZE = 500
# Must stay equal to search.engines.MATCH_VECTOR, or the index cannot serve the engine's match.
MATCH_VECTOR = (
    "(setweight(to_tsvector('simple'::regconfig, stemmed_title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, stemmed_summary), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, stemmed_body), 'C') || "
    "to_tsvector('simple'::regconfig, stemmed_phrases))"
)
OLD_MATCH_VECTOR = (
    "(setweight(to_tsvector('simple'::regconfig, stemmed_title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, stemmed_summary), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, stemmed_body), 'C'))"
)


def add_column(apps, schema_editor):
    # On SQLite, Django adds a NOT NULL column by copying the table, which would drop the
    # triggers that keep the FTS5 table in step; SQLite's own ADD COLUMN keeps them.
    column = "stemmed_phrases text NOT NULL DEFAULT ''"
    schema_editor.execute(f"ALTER TABLE {TABLE} ADD COLUMN {column}")


def drop_column(apps, schema_editor):
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN stemmed_phrases")


def fill_tokens(apps, schema_editor):
    from search.analysis import analyze

    phrases = set()
    synonyms = apps.get_model("hubsearch", "SearchSynonym").objects
    for terms in synonyms.values_list("terms", flat=True):
        found = [tuple(analyze(term)) for term in terms.split(",")]
        phrases |= {stems for stems in found if len(stems) > 1}
    documents = apps.get_model("hubsearch", "ProductSearchDocument").objects
    changed = []
    fields = ("stemmed_title", "stemmed_summary", "stemmed_body")
    for entry in documents.only(*fields).iterator(chunk_size=CHUNK_SIZE):
        padded = [f" {getattr(entry, name)} " for name in fields]
        entry.stemmed_phrases = " ".join(
            "/".join(stems)
            for stems in sorted(phrases)
            if any(f" {' '.join(stems)} " in text for text in padded)
        )
        if entry.stemmed_phrases:
            changed.append(entry)
    documents.bulk_update(changed, ["stemmed_phrases"], batch_size=CHUNK_SIZE)


def build_index(apps, schema_editor, vector=MATCH_VECTOR):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS hubsearch_doc_match_gin")
        index = f"hubsearch_doc_match_gin ON {TABLE} USING gin ({vector})"
        schema_editor.execute(f"CREATE INDEX {index}")


def build_old_index(apps, schema_editor):
    build_index(apps, schema_editor, OLD_MATCH_VECTOR)


class Migration(migrations.Migration):
    dependencies = [("hubsearch", "0005_facet_keys_as_text_array")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(add_column, drop_column)],
            state_operations=[
                migrations.AddField(
                    model_name="productsearchdocument",
                    name="stemmed_phrases",
                    field=models.TextField(blank=True, default=""),
                )
            ],
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.RunPython(build_index, build_old_index),
    ]
