"""Wagtail's database search backend, adapted for hubcms (admin search and `update_index`).

- SQLite: FTS5 has no Dutch stemmer, so titles and bodies are stemmed in Python
  (`search.analysis`) when indexed, and queries when searched.
- PostgreSQL: Wagtail's backend with SEARCH_CONFIG "dutch", except that saving one page no
  longer recomputes the title norms of the whole index (a full-table scan and update that took
  about 0.28 s per save at 100,000 pages): only the rows just written get a norm, from an average
  title length that is recomputed at most every few minutes.

The public product library does not use this backend; see `search.engines`.
"""

import time
from functools import cache

from django.db import connection
from django.db.models import Avg, F
from django.db.models.functions import Length

from modelsearch.backends.database import SearchBackend as default_search_backend
from modelsearch.query import Phrase, PlainText

from search.analysis import stemmed_text

TITLE_NORM_MAX_AGE = 300.0  # seconds


@cache
def _dutch_sqlite_backend_class():
    from modelsearch.backends.database.sqlite import sqlite as base

    class DutchObjectIndexer(base.ObjectIndexer):
        @property
        def title(self):
            return stemmed_text(super().title)

        @property
        def body(self):
            return stemmed_text(super().body)

    class DutchSQLiteIndex(base.SQLiteIndex):
        def add_items(self, model, objs):
            if not model.get_search_fields():
                return
            indexers = [DutchObjectIndexer(obj, self.backend) for obj in objs]
            if not indexers:
                return
            content_type_pk = base.get_content_type_pk(model)
            data = {i.id: (i.title, i.autocomplete, i.body) for i in indexers}
            entries = self.entries.filter(content_type_id=content_type_pk)
            existing = set(entries.filter(object_id__in=data).values_list("object_id", flat=True))
            for object_id in existing:
                title, autocomplete, body = data[object_id]
                entries.filter(object_id=object_id).update(
                    title=title, autocomplete=autocomplete, body=body
                )
            self.entries.bulk_create(
                [
                    base.IndexEntry(
                        content_type_id=content_type_pk,
                        object_id=object_id,
                        title=title,
                        autocomplete=autocomplete,
                        body=body,
                    )
                    for object_id, (title, autocomplete, body) in data.items()
                    if object_id not in existing
                ]
            )
            self._refresh_title_norms()

    class DutchSQLiteQueryCompiler(base.SQLiteSearchQueryCompiler):
        def build_search_query_content(self, query, config=None):
            if isinstance(query, PlainText):
                stemmed = stemmed_text(query.query_string)
                if stemmed:
                    query = PlainText(stemmed, operator=query.operator, boost=query.boost)
            elif isinstance(query, Phrase):
                stemmed = stemmed_text(query.query_string)
                if stemmed:
                    query = Phrase(stemmed)
            return super().build_search_query_content(query, config=config)

    class DutchSQLiteSearchBackend(base.SQLiteSearchBackend):
        query_compiler_class = DutchSQLiteQueryCompiler
        index_class = DutchSQLiteIndex

    return DutchSQLiteSearchBackend


@cache
def _fast_postgres_backend_class():
    from modelsearch.backends.database.postgres import postgres as base

    class FastSavePostgresIndex(base.PostgresIndex):
        _average_title_length: tuple[float, float] | None = None  # (value, computed at)

        def add_items(self, model, objs):
            """Upsert index entries in one statement, reading each field of each object once.

            Wagtail's own version reads every search field four times per object (title, body,
            and their plain-text twins) and compiles a Django expression per value; this one
            sends plain text and lets PostgreSQL build the vectors.
            """
            objs = list(objs)
            if not model.get_search_fields() or not objs:
                return
            content_type_pk = base.get_content_type_pk(model)
            self._written = (content_type_pk, [str(obj.pk) for obj in objs])
            rows_sql, params = [], []
            for obj in objs:
                title, body, autocomplete = _indexed_texts(obj, self.backend)
                row_params: list = [content_type_pk, str(obj.pk)]
                pieces = []
                for texts, config in (
                    (title, self.backend.config),
                    (autocomplete, self.backend.autocomplete_config),
                    (body, self.backend.config),
                ):
                    sql, vector_params = _vector_sql(texts, config)
                    pieces.append(sql)
                    row_params += vector_params
                row_params += [" ".join(t for t, _ in title), " ".join(t for t, _ in body)]
                rows_sql.append(f"(%s, %s, {pieces[0]}, {pieces[1]}, {pieces[2]}, 1.0, %s, %s)")
                params += row_params
            table = base.IndexEntry._meta.db_table
            with self.write_connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body, "
                    f"title_norm, title_text, body_text) VALUES {', '.join(rows_sql)} "
                    "ON CONFLICT (content_type_id, object_id) DO UPDATE SET "
                    "title = EXCLUDED.title, title_norm = 1.0, "
                    "autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body, "
                    "title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text",
                    params,
                )
            self._refresh_title_norms()

        def _average(self) -> float | None:
            cached = FastSavePostgresIndex._average_title_length
            if cached and time.monotonic() - cached[1] < TITLE_NORM_MAX_AGE:
                return cached[0]
            value = (
                self.entries.annotate(title_length=Length("title"))
                .filter(title_length__gt=0)
                .aggregate(Avg("title_length"))["title_length__avg"]
            )
            FastSavePostgresIndex._average_title_length = (value, time.monotonic())
            return value

        def _refresh_title_norms(self, full=False):
            written = getattr(self, "_written", None)
            if full or written is None:
                return super()._refresh_title_norms(full=full)
            average = self._average()
            if not average:
                return
            content_type_pk, object_ids = written
            self.entries.filter(content_type_id=content_type_pk, object_id__in=object_ids).annotate(
                title_length=Length("title")
            ).filter(title_length__gt=0).update(title_norm=average / F("title_length"))

    def _indexed_texts(obj, backend):
        """(title, body, autocomplete) as lists of (text, weight), each field read once."""
        indexer = base.ObjectIndexer(obj, backend)
        title, body, autocomplete = [], [], []
        for field in indexer.search_fields:
            for current, weight, value in indexer.prepare_field(obj, field):
                text = (value or "").strip()
                if not text:
                    continue
                if isinstance(current, base.SearchField):
                    (title if current.field_name == "title" else body).append((text, weight))
                elif isinstance(current, base.AutocompleteField):
                    autocomplete.append((text, "D"))
        return title, body, autocomplete

    def _vector_sql(texts, config):
        if not texts:
            return "''::tsvector", []
        parts, params = [], []
        for text, weight in texts:
            if config:
                parts.append("setweight(to_tsvector(%s::regconfig, %s), %s)")
                params += [config, text, weight]
            else:
                parts.append("setweight(to_tsvector(%s), %s)")
                params += [text, weight]
        return "(" + " || ".join(parts) + ")", params

    class FastSavePostgresSearchBackend(base.PostgresSearchBackend):
        index_class = FastSavePostgresIndex

    return FastSavePostgresSearchBackend


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    """The backend for the 'default' database, adapted as described above."""
    if connection.vendor == "postgresql":
        return _fast_postgres_backend_class()(params)
    if connection.vendor == "sqlite":
        from modelsearch.backends.database.sqlite.utils import fts5_available, fts_table_exists

        if fts5_available() and fts_table_exists():
            return _dutch_sqlite_backend_class()(params)
    return default_search_backend(params)
