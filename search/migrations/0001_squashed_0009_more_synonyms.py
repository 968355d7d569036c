"""The search app's tables, squashed from 0001-0009 (see docs/decisions.md).

Besides the models' tables: on PostgreSQL a generated, weighted search vector (title A, summary B,
body C) with a GIN index, kept in the row (STORAGE MAIN) so that PostgreSQL reads the GIN index
instead of testing every row, a small rank vector (title A, summary B) that ranking reads instead
of the whole body, and a GIN index on the facet keys. On SQLite an FTS5 table over the stemmed
fields, kept in step by triggers, and an fts5vocab table listing its words (for typo tolerance).
Both get the indexes for the newest-first and title orders. Then the first synonym list.
A database must have reached 0009 before it upgrades past this migration.
"""

import django.db.models.deletion
import modelsearch.index
from django.db import migrations, models

TABLE = "hubsearch_productsearchdocument"
FTS = "hubsearch_product_fts"
FTS_COLUMNS = "stemmed_title, stemmed_summary, stemmed_body, title"
NEW_ROW = "new.page_id, new.stemmed_title, new.stemmed_summary, new.stemmed_body, new.title"
OLD_ROW = "old.page_id, old.stemmed_title, old.stemmed_summary, old.stemmed_body, old.title"

POSTGRES = [
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
    f"CREATE INDEX hubsearch_doc_facets_gin ON {TABLE} USING gin (facet_keys jsonb_ops)",
    f"CREATE INDEX hubsearch_doc_newest ON {TABLE} (published_at DESC NULLS LAST, page_id DESC)",
    f"CREATE INDEX hubsearch_doc_title_order ON {TABLE} (title_sort, page_id)",
]
SQLITE = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
        {FTS_COLUMNS},
        content='{TABLE}', content_rowid='page_id', tokenize='unicode61 remove_diacritics 2'
    )""",
    f"""CREATE TRIGGER hubsearch_doc_ai AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS}(rowid, {FTS_COLUMNS}) VALUES ({NEW_ROW});
    END""",
    f"""CREATE TRIGGER hubsearch_doc_ad AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, {FTS_COLUMNS}) VALUES ('delete', {OLD_ROW});
    END""",
    f"""CREATE TRIGGER hubsearch_doc_au AFTER UPDATE ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, {FTS_COLUMNS}) VALUES ('delete', {OLD_ROW});
        INSERT INTO {FTS}(rowid, {FTS_COLUMNS}) VALUES ({NEW_ROW});
    END""",
    f"CREATE INDEX hubsearch_doc_newest ON {TABLE} (published_at DESC, page_id DESC)",
    f"CREATE INDEX hubsearch_doc_title_order ON {TABLE} (title_sort, page_id)",
    f"CREATE VIRTUAL TABLE hubsearch_product_words USING fts5vocab({FTS}, 'col')",
]
# Dropping the document table drops its columns, indexes and triggers; SQLite's virtual tables go
# by name.
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS hubsearch_product_words", f"DROP TABLE IF EXISTS {FTS}"]

SYNONYMS = [
    (
        "SOB, sociaal ontwikkelbedrijf, SW-bedrijf",
        "Dezelfde organisatie onder oude en nieuwe naam.",
    ),
    ("beschut werk, beschutte werkplek, beschutte werkplekken", "Participatiewet, artikel 10b."),
    ("jobcoach, jobcoaching, werkbegeleider", "Begeleiding op de werkplek."),
    ("Wsw, Wet sociale werkvoorziening", "Afkorting en voluit."),
    ("LKS, loonkostensubsidie", "Afkorting en voluit."),
    ("sociaal werkbedrijf, SOB, sociaal ontwikkelbedrijf, SW-bedrijf", "De oude naam van het SOB."),
    ("GR, gemeenschappelijke regeling", "Afkorting en voluit."),
    ("DVO, dienstverleningsovereenkomst", "Afkorting en voluit."),
    ("WSP, werkgeversservicepunt", "Afkorting en voluit."),
]


def full_text_structures(apps, schema_editor):
    statements = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def drop_full_text_structures(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


def seed_synonyms(apps, schema_editor):
    SearchSynonym = apps.get_model("hubsearch", "SearchSynonym")
    SearchSynonym.objects.bulk_create(
        SearchSynonym(terms=terms, note=note) for terms, note in SYNONYMS
    )


class Migration(migrations.Migration):
    replaces = [
        ("hubsearch", "0001_initial"),
        ("hubsearch", "0002_fulltext_structures"),
        ("hubsearch", "0003_seed_synonyms"),
        ("hubsearch", "0004_rank_vector"),
        ("hubsearch", "0005_facet_totals"),
        ("hubsearch", "0006_match_table"),
        ("hubsearch", "0007_compact_facet_blob"),
        ("hubsearch", "0008_plain_engine"),
        ("hubsearch", "0009_more_synonyms"),
    ]

    initial = True

    dependencies = [("content", "0002_load_regions")]

    operations = [
        migrations.CreateModel(
            name='ProductSearchDocument',
            fields=[
                ('page', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='content.productpage', verbose_name='product')),
                ('title', models.TextField(verbose_name='titel')),
                ('title_sort', models.CharField(db_index=True, max_length=255, verbose_name='titel voor sorteren')),
                ('stemmed_title', models.TextField(blank=True)),
                ('stemmed_summary', models.TextField(blank=True)),
                ('stemmed_body', models.TextField(blank=True)),
                ('published_at', models.DateTimeField(db_index=True, null=True, verbose_name='gepubliceerd')),
                ('facet_keys', models.JSONField(default=list)),
                ('indexed_at', models.DateTimeField(auto_now=True, verbose_name='geïndexeerd')),
            ],
            options={
                'verbose_name': 'zoekindex-item',
                'verbose_name_plural': 'zoekindex',
            },
        ),
        migrations.CreateModel(
            name='SearchSynonym',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('terms', models.TextField(help_text="Woorden of woordgroepen die hetzelfde betekenen, gescheiden door komma's, bijvoorbeeld: SOB, sociaal ontwikkelbedrijf, SW-bedrijf. Wie op één ervan zoekt, vindt ook producten met de andere.", verbose_name='gelijke termen')),
                ('note', models.CharField(blank=True, help_text='Waarom horen deze termen bij elkaar? Alleen zichtbaar in het beheer.', max_length=255, verbose_name='toelichting')),
            ],
            options={
                'verbose_name': 'synoniem',
                'verbose_name_plural': 'synoniemen',
                'ordering': ['terms'],
            },
            bases=(modelsearch.index.Indexed, models.Model),
        ),
        migrations.CreateModel(
            name='SearchQueryStat',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('query', models.CharField(max_length=200, verbose_name='zoekvraag')),
                ('day', models.DateField(db_index=True, verbose_name='dag')),
                ('searches', models.PositiveIntegerField(default=0, verbose_name='aantal keer gezocht')),
                ('zero_result_searches', models.PositiveIntegerField(default=0, verbose_name='aantal keer zonder resultaat')),
                ('last_result_count', models.PositiveIntegerField(default=0, verbose_name='laatste aantal resultaten')),
            ],
            options={
                'verbose_name': 'zoekvraagstatistiek',
                'verbose_name_plural': 'zoekvraagstatistieken',
                'indexes': [models.Index(fields=['query'], name='hubsearch_s_query_1823c4_idx')],
                'constraints': [models.UniqueConstraint(fields=('query', 'day'), name='hubsearch_query_day_unique')],
            },
        ),
        migrations.RunPython(full_text_structures, drop_full_text_structures),
        migrations.RunPython(seed_synonyms, migrations.RunPython.noop),
    ]
