"""PostgreSQL: match through a GIN index on an expression, keep the row narrow (issue 16, item 8).

0001 stored the whole weighted search vector in the row (STORAGE MAIN, about 5 kB a product).
That pushed every other column of the row (rank vector, facet keys) into TOAST, so a search for a
common word read three TOAST pages per match to rank it and count its facets (25,000 buffers and
250 + 130 ms for a word in half of 10,000 products). Now the vector is not stored at all: the GIN
index is built on the same expression (`search.engines.MATCH_VECTOR`, PostgreSQL's documented way
of indexing full text), which the planner never evaluates on every row because `to_tsvector` is
costed as expensive. The small rank vector and the facet keys stay in the row (STORAGE MAIN);
the UPDATE stores the existing rows again that way. SQLite is unchanged.
"""

from django.db import migrations

TABLE = "hubsearch_productsearchdocument"
# Must stay equal to search.engines.MATCH_VECTOR, or the index cannot serve the engine's match.
MATCH_VECTOR = (
    "(setweight(to_tsvector('simple'::regconfig, stemmed_title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, stemmed_summary), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, stemmed_body), 'C'))"
)

FORWARD = [
    "DROP INDEX IF EXISTS hubsearch_doc_vector_gin",
    f"ALTER TABLE {TABLE} DROP COLUMN search_vector",
    f"CREATE INDEX hubsearch_doc_match_gin ON {TABLE} USING gin ({MATCH_VECTOR})",
    f"ALTER TABLE {TABLE} ALTER COLUMN rank_vector SET STORAGE MAIN",
    f"ALTER TABLE {TABLE} ALTER COLUMN facet_keys SET STORAGE MAIN",
    # Store every row again: the rank vector is generated anew and the facet keys are a new
    # value, so both are written under the new storage (in the row, not in TOAST).
    f"UPDATE {TABLE} SET stemmed_title = stemmed_title, facet_keys = facet_keys || '[]'::jsonb",
]

BACKWARD = [
    "DROP INDEX IF EXISTS hubsearch_doc_match_gin",
    f"ALTER TABLE {TABLE} ALTER COLUMN rank_vector SET STORAGE EXTENDED",
    f"ALTER TABLE {TABLE} ALTER COLUMN facet_keys SET STORAGE EXTENDED",
    f"ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS {MATCH_VECTOR} STORED",
    f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE MAIN",
    f"CREATE INDEX hubsearch_doc_vector_gin ON {TABLE} USING gin (search_vector)",
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
    dependencies = [("hubsearch", "0001_squashed_0009_more_synonyms")]

    operations = [migrations.RunPython(forward, backward)]
