"""Wagtail's database search backend for hubcms (admin search and `update_index`).

SQLite: FTS5 has no Dutch stemmer, so titles and bodies are stemmed in Python (`search.analysis`)
when indexed, and queries when searched. Only a query's words reach FTS5: modelsearch puts each
term between double quotes without escaping a double quote inside it, so a " typed in the
admin's search box was an FTS5 syntax error (shown as "database unavailable").
PostgreSQL: Wagtail's own backend (SEARCH_CONFIG "dutch").
The public product library does not use this backend; see `search.engines`.
"""

from collections.abc import Callable
from functools import cache
from typing import Any

from django.db import connection

from modelsearch.backends.database import SearchBackend as default_search_backend
from modelsearch.query import MATCH_NONE, And, Or, Phrase, PlainText

from search.analysis import stemmed_text, words


def words_only(query: Any, reduce: Callable[[str], str]) -> Any:
    """The query with the text of each PlainText reduced (`reduce`) to its words, leaving out a
    PlainText without words; MATCH_NONE when no word is left at all."""

    def reduced(query: Any) -> Any | None:
        if isinstance(query, PlainText):
            text = reduce(query.query_string)
            return PlainText(text, operator=query.operator, boost=query.boost) if text else None
        if isinstance(query, And | Or):
            kept = [sub for sub in map(reduced, query.subqueries) if sub is not None]
            return type(query)(kept) if kept else None
        return query

    return reduced(query) or MATCH_NONE


def plain_words(text: str) -> str:
    return " ".join(words(text))


@cache
def _dutch_sqlite_backend_class() -> type[Any]:
    from modelsearch.backends.database.sqlite import sqlite as base

    class DutchObjectIndexer(base.ObjectIndexer):
        @property
        def title(self) -> str:
            return stemmed_text(super().title)

        @property
        def body(self) -> str:
            return stemmed_text(super().body)

    class DutchSQLiteIndex(base.SQLiteIndex):
        def add_items(self, model: Any, objs: Any) -> None:
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
        query: Any

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.query = words_only(self.query, stemmed_text)

        def build_search_query_content(self, query: Any, config: Any = None) -> Any:
            if isinstance(query, Phrase):
                stemmed = stemmed_text(query.query_string)
                if stemmed:
                    query = Phrase(stemmed)
            return super().build_search_query_content(query, config=config)

    class WordsSQLiteAutocompleteQueryCompiler(base.SQLiteAutocompleteQueryCompiler):
        query: Any

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.query = words_only(self.query, plain_words)

    class DutchSQLiteSearchBackend(base.SQLiteSearchBackend):
        query_compiler_class = DutchSQLiteQueryCompiler
        autocomplete_query_compiler_class = WordsSQLiteAutocompleteQueryCompiler
        index_class = DutchSQLiteIndex

    return DutchSQLiteSearchBackend


def SearchBackend(params: dict[str, Any]) -> Any:  # noqa: N802 - the name Wagtail looks up in a backend module
    """The backend for the 'default' database, adapted as described above."""
    if connection.vendor == "sqlite":
        from modelsearch.backends.database.sqlite.utils import fts5_available, fts_table_exists

        if fts5_available() and fts_table_exists():
            return _dutch_sqlite_backend_class()(params)
    return default_search_backend(params)
