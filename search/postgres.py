"""Searching on PostgreSQL: the narrow match and rank tables of migration 0006.

A broad query matches half of a library of 100,000 products. Two things must then stay cheap:

- the total and the facet counts, which need every match. One aggregate over `hubsearch_match`
  (rows of about 25 bytes: the search vector is out of line, read only through its GIN index)
  returns the packed facet key ids of all matches; numpy classifies and counts them.
- the first page. Relevance puts products whose title holds a query word first (the title tier),
  then those whose summary does, then the rest. `hubsearch_rank` (small rows: title vector, facet
  ids, sort keys) has a GIN index on the title vector, so the first page of a broad search reads
  only its title tier; `hubsearch_summary` holds the summary vectors apart.
"""

import numpy

from search.engines import (
    KEY_TABLE,
    MATCH_TABLE,
    PG_WEIGHTS,
    RANK_ALL_MATCHES_UP_TO,
    RANK_TABLE,
    RESULT_IDS_UP_TO,
    SUMMARY_TABLE,
    TOTALS_TABLE,
    SqlSearch,
    _fetch,
    _fetch_binary_through_indexes,
    restriction_sql,
)
from search.query import TextQuery

ROW_MARKER = 0xFFFF  # starts a match row in the packed facets (migration 0007)


class PostgresSearch(SqlSearch):
    """One search over the match and rank tables.

    Facet counts are disjunctive (see `SqlSearch.facet_counts`): a match that passes every
    selected facet counts for all values; one that misses only facet g counts for g's values.
    """

    def __init__(
        self,
        dialect,
        *,
        text_query: TextQuery,
        selected: dict[str, list[str]],
        restricted_paths: list[str],
        operator: str = "AND",
        engine=None,
    ):
        super().__init__(
            dialect,
            text_query=TextQuery(),
            selected=selected,
            restricted_paths=restricted_paths,
            operator=operator,
            engine=engine,
        )
        self.text_query = text_query
        self._statistics: tuple[int, dict[str, int]] | None = None
        # Every result, when there are few: as a PostgreSQL array literal, which the server
        # parses faster than psycopg writes a list of thousands of ints (2 ms for 5,000).
        self._result_ids: str | None = None

    # -- SQL pieces ------------------------------------------------------------------------------

    def _tsquery(self) -> str:
        return self.text_query.to_tsquery(operator="&" if self.operator == "AND" else "|")

    def _any_word(self) -> str:
        return self.text_query.any_word().to_tsquery()

    def _hits(self) -> tuple[str, list]:
        """A MATERIALIZED CTE of the page ids that match the words, found through the GIN index.

        Materialized so that PostgreSQL never tests the words row by row, which would read each
        row's whole vector. When the count kept the results' ids, those are the hits.
        """
        if self._result_ids is not None:
            return "hits AS MATERIALIZED (SELECT unnest(%s::integer[]) AS page_id)", [
                self._result_ids
            ]
        return (
            f"hits AS MATERIALIZED (SELECT x.page_id FROM {MATCH_TABLE} x "
            "WHERE x.search_vector @@ to_tsquery('simple', %s))",
            [self._tsquery()],
        )

    def _restriction(self, alias: str) -> tuple[list[str], list]:
        return restriction_sql(alias, self.restricted_paths)

    @staticmethod
    def _facet_test(keys: list[str], alias: str = "r") -> tuple[str, list]:
        ids = f"SELECT coalesce(array_agg(id), '{{}}') FROM {KEY_TABLE} WHERE key = ANY(%s)"
        return f"{alias}.facet_ids && ({ids})", [list(keys)]

    def _facets(self, alias: str = "r") -> tuple[list[str], list]:
        parts: list[str] = []
        params: list = []
        for keys in self.selected.values():
            sql, facet_params = self._facet_test(keys, alias)
            parts.append(sql)
            params += facet_params
        return parts, params

    @staticmethod
    def _and(*parts: tuple[list[str], list]) -> tuple[str, list]:
        sql = [condition for conditions, _ in parts for condition in conditions]
        params = [param for _, part_params in parts for param in part_params]
        return " AND ".join(sql) or "true", params

    # -- total and facet counts ------------------------------------------------------------------

    def statistics(self) -> tuple[int, dict[str, int]]:
        """The number of results and, per facet key, its disjunctive count; computed once."""
        if self._statistics is None:
            self._statistics = self._count()
        return self._statistics

    def _count(self) -> tuple[int, dict[str, int]]:
        groups = list(self.selected.items())
        conditions: list[str] = []
        params: list = []
        if self.text_query:
            conditions.append("m.search_vector @@ to_tsquery('simple', %s)")
            params.append(self._tsquery())
        restriction, restriction_params = self._restriction("m")
        conditions += restriction
        params += restriction_params
        totals_for_group = not self.text_query and not self.restricted_paths and len(groups) == 1
        if not self.text_query and (totals_for_group or len(groups) > 1):
            # Without words, let the facet index find the rows that can count anywhere: those
            # passing every selection but at most one. (With one selection every row can; with
            # no restricted pages its own values come from the totals table, so only the rows
            # passing it are read.)
            tests = [self._facet_test(keys) for _, keys in groups]
            if totals_for_group:
                alternatives, alternative_params = [tests[0][0]], tests[0][1]
            else:
                alternatives, alternative_params = [], []
                for skipped in range(len(tests)):
                    kept = [test for index, test in enumerate(tests) if index != skipped]
                    alternatives.append("(" + " AND ".join(sql for sql, _ in kept) + ")")
                    alternative_params += [p for _, kept_params in kept for p in kept_params]
            conditions.append(
                f"m.page_id IN (SELECT r.page_id FROM {RANK_TABLE} r "
                f"WHERE {' OR '.join(alternatives)})"
            )
            params += alternative_params
        where = " AND ".join(conditions) or "true"
        ((blob,),) = _fetch_binary_through_indexes(
            f"SELECT string_agg(m.facet_blob, ''::bytea) FROM {MATCH_TABLE} m WHERE {where}",
            params,
        )
        keys = dict(_fetch(f"SELECT id, key FROM {KEY_TABLE}", []))
        page_ids, counts = _classify_and_count(blob, keys, [keys_ for _, keys_ in groups])
        total = int(page_ids.size)
        if total <= RESULT_IDS_UP_TO:
            # Few enough to hand on to the page query, which then need not match the words again.
            self._result_ids = "{" + ",".join(map(str, page_ids.tolist())) + "}"
        if totals_for_group:
            prefix = groups[0][0]
            for key, value in _fetch(
                f"SELECT key, total FROM {TOTALS_TABLE} WHERE key LIKE %s AND total > 0",
                [f"{prefix}:%"],
            ):
                counts[str(key)] = int(value)
        return total, counts

    def facet_counts(self) -> dict[str, int]:
        if self.browsing_everything:
            return super().facet_counts()
        return self.statistics()[1]

    # -- one page of results ---------------------------------------------------------------------

    def ranked_ids(self, *, sort: str, limit: int, offset: int) -> tuple[list[int], int]:
        if self.browsing_everything:
            return super().ranked_ids(sort=sort, limit=limit, offset=offset)
        total = self.statistics()[0]
        if total == 0 or offset >= total:
            return [], total
        if sort == "relevance" and self.text_query:
            if total <= RANK_ALL_MATCHES_UP_TO:
                return self._page_of_results(sort=sort, limit=limit, offset=offset), total
            return self._relevance_page(limit=limit, offset=offset), total
        if self._result_ids is not None:
            return self._page_of_results(sort=sort, limit=limit, offset=offset), total
        order = (
            "r.title_sort, r.page_id"
            if sort == "title"
            else "r.published_at DESC NULLS LAST, r.page_id DESC"
        )
        where, params = self._and(self._restriction("r"), self._facets())
        if self.text_query:
            hits, hits_params = self._hits()
            sql = (
                f"WITH {hits} SELECT r.page_id FROM hits JOIN {RANK_TABLE} r USING (page_id) "
                f"WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s"
            )
            params = hits_params + params
        else:
            sql = (
                f"SELECT r.page_id FROM {RANK_TABLE} r WHERE {where} "
                f"ORDER BY {order} LIMIT %s OFFSET %s"
            )
        rows = self.dialect.fetch(sql, params + [limit, offset])
        return [row[0] for row in rows], total

    def _page_of_results(self, *, sort: str, limit: int, offset: int) -> list[int]:
        """One page from the results' ids; in relevance order only for RANK_ALL_MATCHES_UP_TO."""
        if sort == "relevance" and self.text_query:
            # Few results: read each one's summary vector by its key (a few thousand lookups at
            # most), not every product whose summary holds a query word.
            any_word = self._any_word()
            rows = self.dialect.fetch(
                "WITH tiered AS MATERIALIZED (SELECT r.page_id, r.title_sort, r.title_vector, "
                f"coalesce((SELECT s.summary_vector FROM {SUMMARY_TABLE} s "
                "WHERE s.page_id = r.page_id), ''::tsvector) AS summary_vector "
                f"FROM {RANK_TABLE} r WHERE r.page_id = ANY(%s::integer[])), "
                "q AS (SELECT to_tsquery('simple', %s) AS any_word) "
                "SELECT t.page_id FROM tiered t, q ORDER BY "
                "CASE WHEN t.title_vector @@ q.any_word THEN 0 "
                "WHEN t.summary_vector @@ q.any_word THEN 1 ELSE 2 END, "
                "CASE WHEN t.title_vector @@ q.any_word OR t.summary_vector @@ q.any_word "
                f"THEN ts_rank('{PG_WEIGHTS}', setweight(t.title_vector, 'A') || "
                "setweight(t.summary_vector, 'B'), q.any_word) ELSE 0 END DESC, "
                "t.title_sort, t.page_id LIMIT %s OFFSET %s",
                [self._result_ids, any_word, limit, offset],
            )
            return [row[0] for row in rows]
        order = (
            "r.title_sort, r.page_id"
            if sort == "title"
            else "r.published_at DESC NULLS LAST, r.page_id DESC"
        )
        rows = self.dialect.fetch(
            f"SELECT r.page_id FROM {RANK_TABLE} r WHERE r.page_id = ANY(%s::integer[]) "
            f"ORDER BY {order} LIMIT %s OFFSET %s",
            [self._result_ids, limit, offset],
        )
        return [row[0] for row in rows]

    def _relevance_page(self, *, limit: int, offset: int) -> list[int]:
        """One page in relevance order: title matches, then summary matches, then the rest.

        Title matches come first those whose title holds every query word, then those with
        some; each tier in title order. One statement with two branches. The first reads only
        the title tier, in title order through the title-order index, testing each title
        against the words: for a broad search the first pages are found after a few hundred
        rows. Only when that does not fill the page does PostgreSQL run the second, which
        orders every match in its tier; a one-time filter skips the branch it does not need.
        """
        any_word = self._any_word()
        all_words = self.text_query.to_tsquery(operator="&")
        hits, hits_params = self._hits()
        sources = [f"{RANK_TABLE} r"]  # where each part of the title tier reads
        restriction, facets = self._restriction("r"), self._facets()
        if self._result_ids is not None:
            # The results are known (at most RESULT_IDS_UP_TO) and passed every selection. The
            # first part joins the hits with the titles that match (PostgreSQL chooses how).
            # Titles with some but not all words can be many more than the hits ("werkgever"),
            # so the second part looks up each hit's title by its key (OFFSET 0 keeps
            # PostgreSQL from turning the lookup back into a join that reads every such title).
            sources = [
                f"{RANK_TABLE} r JOIN hits USING (page_id)",
                f"hits CROSS JOIN LATERAL (SELECT x.page_id, x.title_sort, x.title_vector "
                f"FROM {RANK_TABLE} x WHERE x.page_id = hits.page_id OFFSET 0) r",
            ]
            restriction = facets = ([], [])
        elif len(self.text_query.groups) > 1 and self.operator == "AND":
            # A title with one of the words need not match them all: keep the title matches
            # that are hits. (Otherwise a broad search reads its title tier in title order
            # through the title-order index and stops after a page.)
            sources = [f"{RANK_TABLE} r JOIN hits USING (page_id)"]
        parts = [(all_words, None)] if len(self.text_query.groups) > 1 else []
        parts.append((any_word, all_words if parts else None))
        part_ctes = []
        part_params: list = []
        for number, (words, but_not) in enumerate(parts):
            conditions = ["r.title_vector @@ to_tsquery('simple', %s)"]
            condition_params = [words]
            if but_not is not None:
                conditions.append("NOT r.title_vector @@ to_tsquery('simple', %s)")
                condition_params.append(but_not)
            where, where_params = self._and((conditions, condition_params), restriction, facets)
            source = sources[min(number, len(sources) - 1)]
            part_ctes.append(
                f", part{number} AS MATERIALIZED (SELECT r.page_id, {number} AS part, "
                f"r.title_sort FROM {source} WHERE {where} "
                "ORDER BY r.title_sort, r.page_id LIMIT %s)"
            )
            part_params += where_params + [offset + limit]
        # The second part (titles with some of the words) runs only when the first leaves room.
        title_rows = "SELECT * FROM part0"
        if len(parts) > 1:
            title_rows += " UNION ALL SELECT * FROM part1 WHERE (SELECT count(*) FROM part0) < %s"
            part_params.append(offset + limit)
        # The ranked branch filters as the title tier does (not at all when the hits are the
        # known results, which passed every selection already).
        where, params = self._and(restriction, facets)
        rows = self.dialect.fetch(
            f"WITH {hits}{''.join(part_ctes)}, "
            "title AS MATERIALIZED (SELECT page_id, row_number() OVER ("
            "ORDER BY part, title_sort, page_id) AS position "
            f"FROM ({title_rows}) AS parts "
            "ORDER BY position LIMIT %s OFFSET %s), "
            "tiered AS MATERIALIZED (SELECT r.page_id, r.title_sort, CASE "
            "WHEN r.title_vector @@ to_tsquery('simple', %s) THEN 0 "
            "WHEN r.title_vector @@ to_tsquery('simple', %s) THEN 1 "
            f"WHEN r.page_id IN (SELECT s.page_id FROM {SUMMARY_TABLE} s "
            "WHERE s.summary_vector @@ to_tsquery('simple', %s)) THEN 2 ELSE 3 END AS tier "
            f"FROM hits JOIN {RANK_TABLE} r USING (page_id) WHERE {where}), "
            "ranked AS (SELECT t.page_id, row_number() OVER ("
            "ORDER BY t.tier, t.title_sort, t.page_id) AS position FROM tiered t "
            "ORDER BY position LIMIT %s OFFSET %s) "
            "SELECT page_id FROM ("
            "SELECT page_id, position FROM title WHERE (SELECT count(*) FROM title) = %s "
            "UNION ALL "
            "SELECT page_id, position FROM ranked WHERE (SELECT count(*) FROM title) < %s"
            ") AS page ORDER BY position",
            hits_params
            + part_params
            + [limit, offset, all_words, any_word, any_word]
            + params
            + [limit, offset, limit, limit],
        )
        return [row[0] for row in rows]


def _classify_and_count(
    blob: bytes | None, keys: dict[int, str], selections: list[list[str]]
) -> tuple[numpy.ndarray, dict[str, int]]:
    """Count the facet keys in the packed rows of the matches, disjunctively.

    `blob` holds per matching row (big-endian, unsigned 16-bit values; migration 0007) the
    marker 0xFFFF, the row's page id as two base-65535 digits and its facet key ids;
    `selections` the selected keys per facet. Returns the page ids of the rows that pass every
    selection (the results), and per key how many rows count for it.
    """
    size = max(keys, default=0) + 1
    ids = numpy.frombuffer(blob or b"", dtype=">u2").astype(numpy.uint16)
    starts = numpy.flatnonzero(ids == ROW_MARKER)
    page_ids = ids[starts + 1].astype(numpy.int64) * 65535 + ids[starts + 2]
    if page_ids.size == 0:
        return page_ids, {}
    # From here on a value is a key id, or 0 for the marker and the page id's digits. A key
    # added since the keys were read has an id of `size` or more: not in this search.
    for offset in (0, 1, 2):
        ids[starts + offset] = 0
    if not selections:
        counts = numpy.bincount(ids, minlength=size)[:size]
        counts[0] = 0
        return page_ids, {keys[i]: int(counts[i]) for i in numpy.flatnonzero(counts)}
    # Per key id (tables over every possible id, so that no id needs a bounds test): the bits
    # of the selections it satisfies, and the bit of the selection on its own facet (one
    # selection per facet: six bits at most).
    key_ids = {key: key_id for key_id, key in keys.items()}
    satisfies = numpy.zeros(ROW_MARKER + 1, dtype=numpy.uint8)
    own_facet = numpy.zeros(ROW_MARKER + 1, dtype=numpy.uint8)
    for number, selected in enumerate(selections):
        bit = 1 << number
        satisfies[[key_ids[k] for k in selected if k in key_ids]] |= bit
        prefix = selected[0].split(":", 1)[0] + ":"
        own_facet[[i for i, key in keys.items() if key.startswith(prefix)]] = bit
    every = (1 << len(selections)) - 1
    # Per row the selections it passes. A key counts when its row passes every selection but
    # at most the one on the key's own facet.
    passed = numpy.bitwise_or.reduceat(satisfies.take(ids), starts)
    row_lengths = numpy.diff(numpy.append(starts, ids.size))
    counted = (numpy.repeat(passed, row_lengths) | own_facet.take(ids)) == every
    counts = numpy.bincount(ids.compress(counted), minlength=size)[:size]
    counts[0] = 0
    return page_ids[passed == every], {keys[i]: int(counts[i]) for i in numpy.flatnonzero(counts)}
