"""The search engines behind the product library: SQL over the product index, per database.

PostgreSQL searches the narrow match and rank tables of migration 0006 (see search/postgres.py);
SQLite matches its FTS5 table and ranks with bm25. Filtering, facet counts and paging run in SQL
on the product index. With a search engine configured (SEARCH_URL or ELASTICSEARCH_URL) the
whole search runs there instead: see search/opensearch/.
"""

from collections.abc import Iterable
from functools import cache

from django.db import connection, transaction

from search.query import TextQuery

TABLE = "hubsearch_productsearchdocument"
MATCH_TABLE = "hubsearch_match"  # PostgreSQL only: narrow rows for matching and counting
RANK_TABLE = "hubsearch_rank"  # PostgreSQL only: what ordering and filtering read
SUMMARY_TABLE = "hubsearch_summary"  # PostgreSQL only: summary vectors, for the summary tier
KEY_TABLE = "hubsearch_facet_key"  # PostgreSQL only: a small integer id per facet key
# Title weighs most, then the summary (with themes): ts_rank's weights for D, C, B, A.
PG_WEIGHTS = "{0.02, 0.1, 0.4, 1.0}"
# Up to this many results, relevance ranks title and summary together over all of them; above,
# title matches by their title, and a page reads only the title tier when that fills it.
RANK_ALL_MATCHES_UP_TO = 500
# Up to this many results, the count hands their ids to the page query, which need not match again.
RESULT_IDS_UP_TO = 10000
TOTALS_TABLE = "hubsearch_facet_total"  # per facet key over the whole index, kept by triggers
FTS_TABLE = "hubsearch_product_fts"
# Title weighs most, then the summary (with themes), then the body and werkblad sections.
SQLITE_BM25 = f"bm25({FTS_TABLE}, 10.0, 4.0, 1.0, 0.0)"
AUTOCOMPLETE_CANDIDATES = 50


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# For one search statement: no sequential scans, no JIT, and index lookups priced as the reads
# from memory they are (the index tables are small and stay cached), so that PostgreSQL walks a
# few thousand hits by key rather than hashing tens of thousands of title matches. The previous
# values are read first and put back afterwards (inside an outer transaction they would last).
PLANNER_SETTINGS = {"enable_seqscan": "off", "jit": "off", "random_page_cost": "1.1"}


# The previous values are kept in settings of our own (hubsearch.previous_*), so that setting,
# searching and restoring reach the server together rather than in four round trips.
_SAVE = "SELECT " + ", ".join(
    f"set_config('hubsearch.previous_{name}', current_setting('{name}'), true)"
    for name in PLANNER_SETTINGS
)
_APPLY = "SELECT " + ", ".join(
    f"set_config('{name}', '{value}', true)" for name, value in PLANNER_SETTINGS.items()
)
_RESTORE = "SELECT " + ", ".join(
    f"set_config('{name}', current_setting('hubsearch.previous_{name}'), true)"
    for name in PLANNER_SETTINGS
)


def _fetch_through_indexes(sql: str, params: list, *, binary: bool = False) -> list[tuple]:
    """Run a search query on PostgreSQL with sequential scans of the index table discouraged.

    For a broad query (a word in half the library) the planner prefers a sequential scan, not
    knowing that testing `@@` on every row decompresses every row's full vector: ten times
    slower than the GIN index's bitmap. Discouraging sequential scans makes every estimate
    huge, which would also switch on JIT compilation (hundreds of milliseconds for a query that
    takes a few): off too. The settings last for this statement only.

    The statement binds its parameters on the server: a page of results may pass up to
    RESULT_IDS_UP_TO ids, which as SQL text (Django's cursors bind on the client) cost more to
    write and parse than the query takes. With `binary`, results come in PostgreSQL's binary
    format: the facet aggregate returns megabytes of packed ids for a broad query, which the
    text format would double and hex-encode. psycopg cursors on Django's connection, inside
    Django's transaction handling, send settings, query and restore in one pipeline.
    """
    import psycopg

    # Errors as Django's own cursors raise them (a lost database is a django.db error, which
    # the site answers with its 503 page).
    with transaction.atomic(), connection.wrap_database_errors:
        connection.ensure_connection()
        raw = connection.connection
        with (
            psycopg.Cursor(raw) as settings_cursor,
            psycopg.Cursor(raw) as cursor,
            psycopg.Cursor(raw) as restore_cursor,
        ):
            with raw.pipeline():
                settings_cursor.execute(_SAVE)
                settings_cursor.execute(_APPLY)
                cursor.execute(sql, params, binary=binary)
                restore_cursor.execute(_RESTORE)
            return cursor.fetchall()


def _fetch_binary_through_indexes(sql: str, params: list) -> list[tuple]:
    """`_fetch_through_indexes` with results in PostgreSQL's binary format."""
    return _fetch_through_indexes(sql, params, binary=True)


def restriction_sql(alias: str, restricted_paths: list[str]) -> tuple[list[str], list]:
    """The condition leaving out view-restricted pages (`alias.page_id`), as (conditions, params)."""
    if not restricted_paths:
        return [], []
    likes = " OR ".join(["path LIKE %s"] * len(restricted_paths))
    return (
        [f"{alias}.page_id NOT IN (SELECT id FROM wagtailcore_page WHERE {likes})"],
        [f"{path}%" for path in restricted_paths],
    )


def outside_restrictions_sql(path_column: str, restricted_paths: list[str]) -> tuple[str, list]:
    """` AND ...` keeping rows whose page (`path_column`) lies under no view restriction."""
    return (
        "".join(f" AND {path_column} NOT LIKE %s" for _ in restricted_paths),
        [f"{path}%" for path in restricted_paths],
    )


class Dialect:
    """SQL pieces that differ per database."""

    def fetch(self, sql: str, params: list) -> list[tuple]:
        return _fetch(sql, params)

    def text_match(self, text_query: TextQuery, operator: str) -> tuple[str, list, str, list]:
        """(join, join params, where, where params) restricting to documents that match."""
        raise NotImplementedError

    def rank_order(self) -> tuple[str, list]:
        raise NotImplementedError

    def facet_filter(self, keys: list[str]) -> tuple[str, list]:
        raise NotImplementedError

    def facet_join(self) -> str:
        raise NotImplementedError

    def autocomplete_match(self, prefix_words: list[str]) -> tuple[str, list, str, list]:
        raise NotImplementedError


class PostgresDialect(Dialect):
    """The product index table on PostgreSQL; text search itself runs in `PostgresSearch`."""

    def fetch(self, sql, params):
        return _fetch_through_indexes(sql, params)

    def facet_filter(self, keys):
        return "d.facet_keys ?| %s", [list(keys)]

    def facet_join(self):
        return "CROSS JOIN LATERAL jsonb_array_elements_text(d.facet_keys) AS k(value)"

    def autocomplete_match(self, prefix_words):
        where = " AND ".join(["d.title_sort LIKE %s"] * len(prefix_words))
        return "", [], where, [f"%{word}%" for word in prefix_words]


class SQLiteDialect(Dialect):
    def text_match(self, text_query, operator):
        expression = (
            "{stemmed_title stemmed_summary stemmed_body} : ("
            + text_query.to_fts5(operator=operator)
            + ")"
        )
        join = (
            f"JOIN (SELECT rowid AS rid, {SQLITE_BM25} AS score FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s) m ON m.rid = d.page_id"
        )
        return join, [expression], "1 = 1", []

    def rank_order(self):
        return "m.score ASC", []

    def facet_filter(self, keys):
        placeholders = ", ".join(["%s"] * len(keys))
        return (
            f"EXISTS (SELECT 1 FROM json_each(d.facet_keys) AS f WHERE f.value IN ({placeholders}))",
            list(keys),
        )

    def facet_join(self):
        return "JOIN json_each(d.facet_keys) AS k"

    def autocomplete_match(self, prefix_words):
        expression = "{title} : (" + " AND ".join(f'"{w}" *' for w in prefix_words) + ")"
        join = (
            f"JOIN (SELECT rowid AS rid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) m "
            "ON m.rid = d.page_id"
        )
        return join, [expression], "1 = 1", []


class SqlSearch:
    """One prepared search: the text match, the facet selections and the restrictions."""

    match = "all"

    def __init__(
        self,
        dialect: Dialect,
        *,
        text_query: TextQuery,
        selected: dict[str, list[str]],
        restricted_paths: list[str],
        operator: str = "AND",
        engine: "Engine | None" = None,
    ):
        self.dialect = dialect
        self.text_query = text_query
        self.selected = {group: keys for group, keys in selected.items() if keys}
        self.restricted_paths = restricted_paths
        self.operator = operator
        self.engine = engine
        if text_query:
            self.join, self.join_params, self.where, self.where_params = dialect.text_match(
                text_query, operator
            )
        else:
            self.join, self.join_params, self.where, self.where_params = "", [], "1 = 1", []

    def _conditions(self, *, facets: bool = True) -> tuple[str, list]:
        parts = [self.where]
        params = list(self.where_params)
        restriction, restriction_params = restriction_sql("d", self.restricted_paths)
        parts += restriction
        params += restriction_params
        if facets:
            for keys in self.selected.values():
                sql, facet_params = self.dialect.facet_filter(keys)
                parts.append(sql)
                params += facet_params
        return " AND ".join(parts), params

    def _order(self, sort: str) -> tuple[str, list]:
        if sort == "title":
            return "d.title_sort ASC, d.page_id ASC", []
        if sort == "relevance" and self.text_query:
            rank, params = self.dialect.rank_order()
            return f"{rank}, d.title_sort ASC, d.page_id ASC", params
        return "d.published_at DESC NULLS LAST, d.page_id DESC", []

    @property
    def browsing_everything(self) -> bool:
        """No words, no filters, no restricted pages: the whole library, as the totals hold it."""
        return not self.text_query and not self.selected and not self.restricted_paths

    def ranked_ids(self, *, sort: str, limit: int, offset: int) -> tuple[list[int], int]:
        """The ids of one page of results, best first, and the total number of results."""
        where, where_params = self._conditions()
        order, order_params = self._order(sort)
        if self.browsing_everything:
            # Read only the page shown (ordered indexes); the total comes from the totals table.
            total_sql = f"SELECT COALESCE(SUM(total), 0) FROM {TOTALS_TABLE} WHERE key LIKE %s"
            rows = self.dialect.fetch(
                f"SELECT d.page_id, ({total_sql}) FROM {TABLE} d "
                f"ORDER BY {order} LIMIT %s OFFSET %s",
                ["type:%"] + order_params + [limit, offset],
            )
            if rows:
                return [row[0] for row in rows], int(rows[0][1])
            return [], int(self.dialect.fetch(total_sql, ["type:%"])[0][0])
        rows = self.dialect.fetch(
            f"SELECT d.page_id, COUNT(*) OVER () FROM {TABLE} d {self.join} "
            f"WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s",
            self.join_params + where_params + order_params + [limit, offset],
        )
        if rows:
            return [row[0] for row in rows], rows[0][1]
        if offset == 0:
            return [], 0
        count = self.dialect.fetch(
            f"SELECT COUNT(*) FROM {TABLE} d {self.join} WHERE {where}",
            self.join_params + where_params,
        )
        return [], count[0][0]

    def facet_counts(self) -> dict[str, int]:
        """Per facet key, how many results it would give, with the other facets' selections.

        Within one facet values combine with OR, so a value's count ignores its own facet's
        selection (disjunctive faceting); across facets they combine with AND.
        """
        if self.browsing_everything:
            rows = self.dialect.fetch(f"SELECT key, total FROM {TOTALS_TABLE} WHERE total > 0", [])
            return {str(key): int(total) for key, total in rows}
        where, params = self._conditions(facets=False)
        parts = [where]
        for group, keys in self.selected.items():
            sql, facet_params = self.dialect.facet_filter(keys)
            parts.append(f"(k.value LIKE %s OR {sql})")
            params += [f"{group}:%"] + facet_params
        rows = self.dialect.fetch(
            f"SELECT k.value, COUNT(*) FROM {TABLE} d {self.join} {self.dialect.facet_join()} "
            f"WHERE {' AND '.join(parts)} GROUP BY k.value",
            self.join_params + params,
        )
        return {str(key): count for key, count in rows}

    def fallbacks(self) -> Iterable["SqlSearch"]:
        """Looser searches to try when this one finds nothing."""
        if len(self.text_query.groups) > 1:
            looser = type(self)(
                self.dialect,
                text_query=self.text_query,
                selected=self.selected,
                restricted_paths=self.restricted_paths,
                operator="OR",
                engine=self.engine,
            )
            looser.match = "any"
            yield looser
        if self.engine is not None:
            yield from self.engine.similar(self)


class Engine:
    """A database's way of searching the product index."""

    dialect: Dialect

    def prepare(self, *, text_query, selected, restricted_paths) -> SqlSearch:
        return SqlSearch(
            self.dialect,
            text_query=text_query,
            selected=selected,
            restricted_paths=restricted_paths,
            engine=self,
        )

    def similar(self, search: SqlSearch) -> Iterable[SqlSearch]:
        """Typo-tolerant searches, where the database can do them."""
        return []

    def autocomplete_ids(
        self, *, prefix_words: list[str], limit: int, restricted_paths: list[str]
    ) -> list[int]:
        join, join_params, where, params = self.dialect.autocomplete_match(prefix_words)
        restriction, restriction_params = restriction_sql("d", restricted_paths)
        where = " AND ".join([where, *restriction])
        params = params + restriction_params
        rows = _fetch(
            f"SELECT d.page_id, d.title_sort FROM {TABLE} d {join} WHERE {where} "
            "ORDER BY d.title_sort LIKE %s DESC, d.title_sort LIMIT %s",
            join_params + params + [f"{prefix_words[0]}%", AUTOCOMPLETE_CANDIDATES],
        )
        matches = []
        for page_id, title in rows:
            title_words = title.replace("-", " ").split()
            if all(any(w.startswith(p) for w in title_words) for p in prefix_words):
                matches.append(page_id)
        return matches[:limit]


class SimilarTitleSearch(SqlSearch):
    """PostgreSQL trigram search on titles: finds 'jobcoatch' when the title says 'jobcoach'."""

    match = "similar"

    def __init__(self, base: SqlSearch, text: str):
        super().__init__(
            base.dialect,
            text_query=TextQuery(),
            selected=base.selected,
            restricted_paths=base.restricted_paths,
        )
        self.text = text
        self.where = "%s <%% d.title_sort"
        self.where_params = [text]
        self.text_query = base.text_query

    def _order(self, sort):
        if sort == "relevance":
            return "word_similarity(%s, d.title_sort) DESC, d.title_sort", [self.text]
        return super()._order(sort)

    def fallbacks(self):
        return []


class PostgresEngine(Engine):
    def __init__(self):
        self.dialect = PostgresDialect()

    def prepare(self, *, text_query, selected, restricted_paths) -> SqlSearch:
        return PostgresSearch(
            self.dialect,
            text_query=text_query,
            selected=selected,
            restricted_paths=restricted_paths,
            engine=self,
        )

    def similar(self, search):
        if trigram_available():
            text = " ".join(alt.text for group in search.text_query.groups for alt in group[:1])
            yield SimilarTitleSearch(search, text)


class SQLiteEngine(Engine):
    def __init__(self):
        self.dialect = SQLiteDialect()


@cache
def trigram_available() -> bool:
    """Whether the trigram index on titles exists (pg_trgm could be enabled)."""
    return bool(_fetch("SELECT to_regclass('hubsearch_doc_title_trgm') IS NOT NULL", [])[0][0])


def database_engine() -> Engine:
    """The engine of the configured database (also the fallback while a search engine is down)."""
    return PostgresEngine() if connection.vendor == "postgresql" else SQLiteEngine()


def get_engine():
    """The configured search engine (SEARCH_URL / ELASTICSEARCH_URL), else the database's."""
    from search.opensearch.client import configured

    if configured():
        from search.opensearch.engine import OpenSearchEngine

        return OpenSearchEngine()
    return database_engine()


# Last: search.postgres builds on the classes and helpers above.
from search.postgres import PostgresSearch  # noqa: E402
