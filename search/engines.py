"""The database engines of the product library: PostgreSQL full text and SQLite FTS5.

Both search one document table (`search.models.ProductSearchDocument`) that holds, per live and
public product, its stems per field (`search.analysis`) and its facet keys. PostgreSQL matches a
weighted `tsvector` expression through its GIN index; SQLite matches an FTS5 table kept in step
by triggers (both made by the app's migrations). A search is then one plain SQL statement on
both: the matches are found once, and from them come a page of results, the total and every
facet's counts (one `GROUP BY`).
With a search engine configured (SEARCH_URL or ELASTICSEARCH_URL) the whole search runs there
instead: see search/opensearch/.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import connection

from search.analysis import analyze
from search.opensearch.client import configured
from search.opensearch.engine import OpenSearchEngine
from search.query import TextQuery
from search.spelling import correct

TABLE = "hubsearch_productsearchdocument"
FTS_TABLE = "hubsearch_product_fts"  # SQLite only
WORDS_TABLE = "hubsearch_product_words"  # SQLite only: FTS5's vocabulary of FTS_TABLE
# Title weighs most, then the summary (with themes), then the body and werkblad sections.
PG_WEIGHTS = "{0.0, 0.0, 0.4, 1.0}"  # ts_rank's weights for D, C, B, A (title and summary)
# PostgreSQL matches this expression, which the GIN index `hubsearch_doc_match_gin` is built on
# (migration 0006, there without the alias `d.`; keep both equal). Not stored: rows stay narrow.
# `stemmed_phrases` holds a token for each synonym phrase the product contains
# (`search.query.phrases_in`), so the index answers a phrase exactly, as it does a word.
MATCH_VECTOR = (
    "(setweight(to_tsvector('simple'::regconfig, d.stemmed_title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, d.stemmed_summary), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, d.stemmed_body), 'C') || "
    "to_tsvector('simple'::regconfig, d.stemmed_phrases))"
)
SQLITE_BM25 = f"bm25({FTS_TABLE}, 10.0, 4.0, 1.0, 0.0)"
AUTOCOMPLETE_CANDIDATES = 50


def fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def restriction_sql(alias: str, restricted_paths: list[str]) -> tuple[list[str], list[Any]]:
    """The condition leaving out view-restricted pages (`alias.page_id`), as (conditions, params)."""
    if not restricted_paths:
        return [], []
    likes = " OR ".join(["path LIKE %s"] * len(restricted_paths))
    return (
        [f"{alias}.page_id NOT IN (SELECT id FROM wagtailcore_page WHERE {likes})"],
        [f"{path}%" for path in restricted_paths],
    )


def outside_restrictions_sql(
    path_column: str, restricted_paths: list[str]
) -> tuple[str, list[Any]]:
    """` AND ...` keeping rows whose page (`path_column`) lies under no view restriction."""
    return (
        "".join(f" AND {path_column} NOT LIKE %s" for _ in restricted_paths),
        [f"{path}%" for path in restricted_paths],
    )


class Engine(ABC):
    """A database's way of searching the document table: the SQL pieces that differ."""

    vocabulary_sql: str  # every indexed stem with a count of how common it is

    @abstractmethod
    def each_facet_key(self, columns: list[str]) -> str:
        """A FROM clause giving each facet key of each row of `matches` as `k.value`, beside
        that match's `columns` (unqualified)."""

    @abstractmethod
    def text_match(self, text_query: TextQuery, operator: str) -> tuple[str, str, list[Any]]:
        """(join, where, params) restricting the documents `d` to those that match."""

    @abstractmethod
    def rank(self, text_query: TextQuery, operator: str) -> tuple[str, list[Any]]:
        """A match's relevance (higher is better) as an expression on `d`, with its parameters."""

    @abstractmethod
    def facet_filter(self, keys: list[str]) -> tuple[str, list[Any]]:
        """A condition on `d`: the document has one of the facet keys."""

    @abstractmethod
    def autocomplete_match(self, prefix_words: list[str]) -> tuple[str, str, list[Any]]:
        """Like `text_match`, for documents whose title has words starting with the prefixes."""

    def vocabulary(self) -> dict[str, int]:
        """Every indexed stem with how common it is (for typo tolerance, `search.spelling`)."""
        return dict(fetch(self.vocabulary_sql, []))

    def analyze(self, text: str, *, query: bool = False) -> list[tuple[str, int, int]]:
        """The terms this engine makes of a text, as (term, position, span): Python's Dutch
        stems, one per position, for documents and queries alike (synonyms are expanded when
        the query is parsed, `search.query.parse_query`)."""
        return [(term, position, 1) for position, term in enumerate(analyze(text))]

    def prepare(
        self, *, text_query: TextQuery, selected: dict[str, list[str]], restricted_paths: list[str]
    ) -> "SqlSearch":
        selected = {group: keys for group, keys in selected.items() if keys}
        return SqlSearch(self, text_query, selected, restricted_paths)

    def autocomplete_ids(
        self, *, prefix_words: list[str], limit: int, restricted_paths: list[str]
    ) -> list[int]:
        join, where, params = self.autocomplete_match(prefix_words)
        restriction, restriction_params = restriction_sql("d", restricted_paths)
        where = " AND ".join([where, *restriction])
        rows = fetch(
            f"SELECT d.page_id, d.title_sort FROM {TABLE} d {join} WHERE {where} "
            "ORDER BY d.title_sort LIKE %s DESC, d.title_sort LIMIT %s",
            params + restriction_params + [f"{prefix_words[0]}%", AUTOCOMPLETE_CANDIDATES],
        )
        matches = []
        for page_id, title in rows:
            title_words = title.replace("-", " ").split()
            if all(any(w.startswith(p) for w in title_words) for p in prefix_words):
                matches.append(page_id)
        return matches[:limit]


class PostgresEngine(Engine):
    # Counted per occurrence: splitting the stored stems is 2.4 times faster than ts_stat.
    vocabulary_sql = (
        f"SELECT word, COUNT(*) FROM {TABLE}, unnest(string_to_array(stemmed_title || ' ' || "
        "stemmed_summary || ' ' || stemmed_body, ' ')) AS word WHERE word != '' GROUP BY word"
    )

    def text_match(self, text_query: TextQuery, operator: str) -> tuple[str, str, list[Any]]:
        # Words and phrases (as their tokens) alike: the GIN index answers exactly. A phrase
        # looked up by its words would leave PostgreSQL to check every candidate's werkblad.
        where = f"{MATCH_VECTOR} @@ to_tsquery('simple', %s)"
        return "", where, [text_query.to_tsquery(operator=operator, phrase_tokens=True)]

    def each_facet_key(self, columns: list[str]) -> str:
        # The keys are a text[] (migration 0005), unnested in the select list: a stream of
        # rows, about half the cost of jsonb_array_elements_text or of a function in FROM.
        return f"(SELECT {', '.join(['unnest(facet_keys) AS value', *columns])} FROM matches) AS k"

    def rank(self, text_query: TextQuery, operator: str) -> tuple[str, list[Any]]:
        # The small rank vector (title and summary), stored in the row: ranking by the whole
        # bodies would build thousands of vectors.
        rank = f"ts_rank('{PG_WEIGHTS}', d.rank_vector, to_tsquery('simple', %s))"
        return rank, [text_query.to_tsquery(operator=operator)]

    def facet_filter(self, keys: list[str]) -> tuple[str, list[Any]]:
        return "d.facet_keys && %s::text[]", [list(keys)]

    def autocomplete_match(self, prefix_words: list[str]) -> tuple[str, str, list[Any]]:
        where = " AND ".join(["d.title_sort LIKE %s"] * len(prefix_words))
        return "", where, [f"%{word}%" for word in prefix_words]


class SQLiteEngine(Engine):
    vocabulary_sql = f"SELECT term, SUM(doc) FROM {WORDS_TABLE} WHERE col != 'title' GROUP BY term"

    def text_match(self, text_query: TextQuery, operator: str) -> tuple[str, str, list[Any]]:
        columns = "{stemmed_title stemmed_summary stemmed_body}"
        join = (
            f"JOIN (SELECT rowid AS rid, {SQLITE_BM25} AS score FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s) f ON f.rid = d.page_id"
        )
        return join, "1 = 1", [f"{columns} : ({text_query.to_fts5(operator=operator)})"]

    def each_facet_key(self, columns: list[str]) -> str:
        return "matches m, json_each(m.facet_keys) AS k"  # the keys are a JSON list

    def rank(self, text_query: TextQuery, operator: str) -> tuple[str, list[Any]]:
        return "-f.score", []  # bm25 is negative, the best match lowest

    def facet_filter(self, keys: list[str]) -> tuple[str, list[Any]]:
        placeholders = ", ".join(["%s"] * len(keys))
        return (
            f"EXISTS (SELECT 1 FROM json_each(d.facet_keys) AS j WHERE j.value IN ({placeholders}))",
            list(keys),
        )

    def autocomplete_match(self, prefix_words: list[str]) -> tuple[str, str, list[Any]]:
        expression = "{title} : (" + " AND ".join(f'"{w}" *' for w in prefix_words) + ")"
        join = (
            f"JOIN (SELECT rowid AS rid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) f "
            "ON f.rid = d.page_id"
        )
        return join, "1 = 1", [expression]


@dataclass
class SqlSearch:
    """One prepared search: the text match, the facet selections and the restrictions."""

    engine: Engine
    text_query: TextQuery
    selected: dict[str, list[str]]
    restricted_paths: list[str]
    operator: str = "AND"
    match: str = "all"
    counts: dict[str, int] | None = field(default=None, init=False)  # from the last statement

    def ranked_ids(self, *, sort: str, limit: int, offset: int) -> tuple[list[int], int]:
        """The ids of one page of results, best first, and the total number of results; the
        facet counts come with them (`facet_counts`)."""
        rows = fetch(*self._statement(sort, limit, offset))
        self.counts = {key: number for _, key, number in rows if key is not None}
        ids = [page_id for page_id, _, _ in rows if page_id is not None]
        total = next(number for page_id, key, number in rows if page_id is None and key is None)
        return ids, total

    def facet_counts(self) -> dict[str, int]:
        """Per facet key, how many results it would give, with the other facets' selections.

        Within one facet values combine with OR, so a value's count ignores its own facet's
        selection (disjunctive faceting); across facets they combine with AND: a key counts a
        document that passes every selection on the other facets.
        """
        if self.counts is None:
            self.ranked_ids(sort="newest", limit=0, offset=0)
        return self.counts or {}

    def _statement(self, sort: str, limit: int, offset: int) -> tuple[str, list[Any]]:
        """One statement: the page's ids, then (page id NULL) the total and each key's count."""
        words, operator = self.text_query, self.operator
        join, where, params = (
            self.engine.text_match(words, operator) if words else ("", "1 = 1", [])
        )
        ranked = sort == "relevance" and words
        rank, rank_params = self.engine.rank(words, operator) if ranked else ("NULL", [])
        restriction, restriction_params = restriction_sql("d", self.restricted_paths)
        # The matches are found once, each selection tested once per match (`passes<n>`); the
        # results pass them all, and a key of facet n counts a match passing all but n's.
        tests, test_params, passes, counted, counted_params = "", [], [], [], []
        for number, (group, keys) in enumerate(self.selected.items()):
            test, keys_params = self.engine.facet_filter(keys)
            tests += f", {test} AS passes{number}"
            test_params += keys_params
            passes.append(f"passes{number}")
            counted.append(f"(k.value LIKE %s OR passes{number})")
            counted_params.append(f"{group}:%")
        results = " AND ".join(passes) or "1 = 1"
        sql = (
            f"WITH matches AS MATERIALIZED (SELECT d.page_id, d.title_sort, d.published_at, "
            f"d.facet_keys, {rank} AS rank{tests} FROM {TABLE} d {join} "
            f"WHERE {' AND '.join([where, *restriction])}) "
            # UNION ALL keeps the order of the page's rows, which come first.
            f"SELECT page_id, NULL, NULL FROM (SELECT page_id FROM matches WHERE {results} "
            f"ORDER BY {self._order(sort)} LIMIT %s OFFSET %s) AS page "
            f"UNION ALL SELECT NULL, NULL, COUNT(*) FROM matches WHERE {results} "
            f"UNION ALL SELECT NULL, k.value, COUNT(*) FROM {self.engine.each_facet_key(passes)} "
            f"WHERE {' AND '.join(counted) or '1 = 1'} GROUP BY k.value"
        )
        params = rank_params + test_params + params + restriction_params
        return sql, params + [limit, offset] + counted_params

    def _order(self, sort: str) -> str:
        if sort == "title":
            return "title_sort ASC, page_id ASC"
        if sort == "relevance" and self.text_query:
            return "rank DESC, title_sort ASC, page_id ASC"
        return "published_at DESC NULLS LAST, page_id DESC"

    def fallbacks(self) -> Iterator["SqlSearch"]:
        """Looser searches to try when this one finds nothing: corrected words, then any word."""
        text_query, match = self.text_query, self.match
        corrected = correct(text_query, self.engine.vocabulary)
        if corrected is not None:
            text_query, match = corrected
            yield replace(self, text_query=text_query, match=match)
        if len(text_query.groups) > 1:
            yield replace(
                self, text_query=text_query, operator="OR", match="any" if match == "all" else match
            )


def database_engine() -> Engine:
    """The engine of the configured database (also the fallback while a search engine is down)."""
    return PostgresEngine() if connection.vendor == "postgresql" else SQLiteEngine()


def get_engine() -> Engine | OpenSearchEngine:
    """The configured search engine (SEARCH_URL / ELASTICSEARCH_URL), else the database's."""
    if configured():
        return OpenSearchEngine()
    return database_engine()
