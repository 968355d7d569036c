"""The product library searched on OpenSearch: one request per page of results.

Each search is one `bool` query: the visitor's words must all occur (after the index's Dutch
analysis, synonyms and compound splitting) in the product's texts (`all_text`); title matches
rank above summary and theme matches, which rank above matches in the werkblad only (constant
tiers, BM25 within a tier). View-restricted pages are filtered out by path. Facet selections go
in `post_filter`, and every facet's counts are a filter aggregation with the *other* facets'
selections (disjunctive facets: values OR within a facet, AND across). Totals are exact
(`track_total_hits`). Pages past the result window are reached with `search_after`. The node's
shard request cache may answer a search asked before (the library's landing page above all) until
the index next changes (`SEARCH_REQUEST_CACHE`).

When nothing has every word, `fallbacks` tries the words with typos forgiven (fuzziness AUTO,
"similar"), then any of the words ("any").
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from search.analysis import words
from search.facets import FACETS
from search.opensearch import mapping
from search.opensearch.client import SearchEngineUnavailable, alias_name, get_client
from search.query import TextQuery

FACET_SIZE = 1000
MAX_WINDOW = 10000  # index.max_result_window: deeper pages go by search_after
TITLE_TIER = 10000.0
SUMMARY_TIER = 1000.0
# Highlights come back with private-use characters around the matched words, so that the
# text can be escaped as a whole before they become <mark> elements (`snippet_html`).
# Only the summary, whose postings keep offsets: the unified highlighter reads them instead of
# analysing the text again. The werkblad is never highlighted (it was about a quarter of the
# engine's time for a common word at 100,000 products).
MARK_START, MARK_END = "\ue000", "\ue001"
HIGHLIGHT = {
    "pre_tags": [MARK_START],
    "post_tags": [MARK_END],
    "type": "unified",
    "fields": {"summary": {"fragment_size": 300, "number_of_fragments": 1}},
}


def snippet_html(fragment: str) -> str:
    """A highlighted fragment as safe HTML: all text escaped, the matches in <mark>."""
    from django.utils.html import escape

    return escape(fragment).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


@lru_cache(maxsize=1)
def _word_list_cached(key: int) -> tuple[str, ...]:
    return tuple(get_client().index_meta(alias_name()).get("compounds", []))


def word_list() -> tuple[str, ...]:
    """The compound word list the index behind the alias was made with (read from its `_meta`
    at most once a minute per process; no database query on the search's path)."""
    import time

    try:
        return _word_list_cached(int(time.monotonic() // 60))
    except SearchEngineUnavailable:  # the search itself will say so
        return ()


def compound_variant(text: str, words_known: tuple[str, ...], *, heads: bool = False) -> str | None:
    """The query with each compound word split into its parts, or None when nothing splits.

    With `heads` (the forgiving "similar" search), a compound whose modifier is unknown stands
    for its known head ("buurtwerkplaatsen": werkplaatsen), as on the database engines.
    """
    parts: list[str] = []
    for word in words(text):
        split = mapping.split_compound(word, words_known)
        # With heads, the head alone: the exact search already asked for every part.
        head = (split[-1] if split else mapping.compound_head(word, words_known)) if heads else None
        if head and len(head) >= mapping.MIN_HEAD:
            parts.append(head)
        else:
            parts.extend(split or [word])
    return " ".join(parts) if parts != words(text) else None


def restriction_clauses(restricted_paths: list[str]) -> list[dict[str, Any]]:
    return [{"prefix": {"path": path}} for path in restricted_paths]


def text_clauses(
    text: str, *, mode: str, variant: str | None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(the clause every result must match, the scoring clauses) for one of the three modes."""
    fuzzy = (
        {"fuzziness": "AUTO", "prefix_length": 1, "max_expansions": 20} if mode == "similar" else {}
    )
    operator = "or" if mode == "any" else "and"

    def match(field: str, query: str, **extra: Any) -> dict[str, Any]:
        return {"match": {field: {"query": query, **fuzzy, **extra}}}

    alternatives = [match("all_text", text, operator=operator)]
    if variant:
        alternatives.append(match("all_text", variant, operator=operator))
    required: dict[str, Any] = {"bool": {"should": alternatives, "minimum_should_match": 1}}
    scoring: list[dict[str, Any]] = [
        {"constant_score": {"filter": match("title", text), "boost": TITLE_TIER}},
        {
            "constant_score": {
                "filter": {
                    "multi_match": {"query": text, "fields": ["summary", "themes_text"], **fuzzy}
                },
                "boost": SUMMARY_TIER,
            }
        },
        {"match_phrase": {"title": {"query": text, "boost": 20}}},
        match("title", text, boost=3),
    ]
    return required, scoring


def _terms(field: str, keys: list[str]) -> dict[str, Any]:
    return {"terms": {field: keys}}


@dataclass(kw_only=True)
class OpenSearchSearch:
    """One prepared search: words, facet selections and restrictions; answers are cached."""

    text: str
    text_query: TextQuery
    selected: dict[str, list[str]]
    restricted_paths: list[str]
    mode: str = "all"  # "all" words, "similar" (typos forgiven) or "any" of the words
    # Per product id, (the highlighted field, its fragment as safe HTML).
    snippets: dict[int, tuple[str, str]] = field(init=False, default_factory=dict)
    _counts: dict[str, int] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.text = self.text if self.text_query else ""
        self.selected = {group: list(keys) for group, keys in self.selected.items() if keys}

    @property
    def match(self) -> str:
        """How the words had to match (`search.services` reports it)."""
        return self.mode

    # -- the request ---------------------------------------------------------------------------

    def query(self) -> dict[str, Any]:
        clauses: dict[str, Any] = {}
        if self.restricted_paths:
            clauses["must_not"] = restriction_clauses(self.restricted_paths)
        if self.text:
            variant = compound_variant(self.text, word_list(), heads=self.mode == "similar")
            required, scoring = text_clauses(self.text, mode=self.mode, variant=variant)
            clauses["must"] = [required]
            clauses["should"] = scoring
        return {"bool": clauses} if clauses else {"match_all": {}}

    def post_filter(self) -> dict[str, Any] | None:
        if not self.selected:
            return None
        return {"bool": {"filter": [_terms(g, k) for g, k in self.selected.items()]}}

    def aggregations(self) -> dict[str, Any]:
        aggs = {}
        for name in (facet.field for facet in FACETS):
            others = [_terms(g, k) for g, k in self.selected.items() if g != name]
            values: dict[str, Any] = {"values": {"terms": {"field": name, "size": FACET_SIZE}}}
            if self.selected.get(name):
                # Selected values are always counted, however long the list of values.
                values["chosen"] = {
                    "terms": {
                        "field": name,
                        "include": self.selected[name],
                        "size": len(self.selected[name]),
                    }
                }
            aggs[name] = {
                "filter": {"bool": {"filter": others}} if others else {"match_all": {}},
                "aggs": values,
            }
        return aggs

    def sort(self, sort: str) -> list[Any]:
        if sort == "title":
            return [{"title.sort": "asc"}, {"page_id": "asc"}]
        if sort == "relevance" and self.text:
            return ["_score", {"title.sort": "asc"}, {"page_id": "asc"}]
        return [{"published_at": {"order": "desc", "missing": "_last"}}, {"page_id": "desc"}]

    def body(self, *, sort: str, limit: int, offset: int, aggregations: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "query": self.query(),
            "sort": self.sort(sort),
            "size": limit,
            "from": offset,
            "_source": False,
            "track_total_hits": True,
        }
        post_filter = self.post_filter()
        if post_filter:
            body["post_filter"] = post_filter
        if aggregations:
            body["aggs"] = self.aggregations()
        if self.text and limit:
            body["highlight"] = HIGHLIGHT
        return body

    # -- the answers ---------------------------------------------------------------------------

    def ranked_ids(self, *, sort: str, limit: int, offset: int) -> tuple[list[int], int]:
        """One page of result ids, best first, and the exact total; the first call also reads
        every facet's counts from the same request (`post_filter` and filtered aggregations)."""
        aggregations = self._counts is None
        body = self.body(sort=sort, limit=limit, offset=offset, aggregations=aggregations)
        if offset + limit > MAX_WINDOW:
            del body["from"]
            after = self._search_after(sort, offset)
            if after is None:
                body["size"] = 0
            else:
                body["search_after"] = after
        response = get_client().search(alias_name(), body, cached=True)
        if aggregations:
            self._counts = {
                bucket["key"]: bucket["doc_count"]
                for facet in response["aggregations"].values()
                for name in ("values", "chosen")
                for bucket in facet.get(name, {}).get("buckets", [])
            }
        hits = response["hits"]["hits"]
        for hit in hits:  # per product with a match in its summary, the highlighted summary
            fragments = hit.get("highlight", {}).get("summary")
            if fragments:
                self.snippets[int(hit["_id"])] = ("summary", snippet_html(fragments[0]))
        return [int(hit["_id"]) for hit in hits], int(response["hits"]["total"]["value"])

    def _search_after(self, sort: str, offset: int) -> list[Any] | None:
        """The sort values of the hit just before `offset`, walking in steps of MAX_WINDOW."""
        after = None
        skipped = 0
        while skipped < offset:
            step = min(MAX_WINDOW, offset - skipped)
            body = self.body(sort=sort, limit=step, offset=0, aggregations=False)
            body.pop("highlight", None)
            del body["from"]
            # Only the sort values: no total, no ids to load (4× faster).
            body.update(track_total_hits=False, stored_fields="_none_")
            if after is not None:
                body["search_after"] = after
            hits = get_client().search(alias_name(), body)["hits"]["hits"]
            if not hits:
                return None
            after = hits[-1]["sort"]
            skipped += len(hits)
        return after

    def facet_counts(self) -> dict[str, int]:
        """Per facet key, how many results it would give with the other facets' selections."""
        if self._counts is None:
            self.ranked_ids(sort="relevance", limit=0, offset=0)
        return dict(self._counts or {})

    def fallbacks(self) -> Iterable["OpenSearchSearch"]:
        """Typos forgiven, then any of the words: tried in turn when this search finds nothing."""
        if not self.text or self.mode != "all":
            return
        for mode in ("similar", "any"):
            if mode == "similar" or len(self.text_query.groups) > 1:
                yield replace(self, mode=mode)


class OpenSearchEngine:
    """The product library's search on an OpenSearch 2 or Elasticsearch 8 cluster."""

    # The engine analyses the visitor's own words (Dutch analyzer, synonyms, compounds), so
    # `search.services` hands them over as `text` besides the parsed query.
    analyzes_text = True

    def prepare(
        self,
        *,
        text_query: TextQuery,
        selected: dict[str, list[str]],
        restricted_paths: list[str],
        text: str = "",
    ) -> OpenSearchSearch:
        return OpenSearchSearch(
            text=text,
            text_query=text_query,
            selected=selected,
            restricted_paths=restricted_paths,
        )

    def analyze(self, text: str, *, query: bool = False) -> list[tuple[str, int, int]]:
        """The index's own analysis of a text (`_analyze`) as (term, position, span): as indexed
        in `all_text` (compound parts after the text), or with `query` as searched (a synonym graph)."""
        client = get_client()
        body: dict[str, Any] = {"analyzer": "hub_search", "text": text}
        if not query:
            # As `all_text` holds it: the text without decompounder, then (as a further value,
            # like copy_to) the parts the indexer splits off (mapping.Decompounder).
            parts = mapping.decompounder(word_list())(text)
            body = {"analyzer": "hub_text", "text": [text, parts] if parts else text}
        tokens = client.call(client.raw.indices.analyze, index=alias_name(), body=body)["tokens"]
        return [(t["token"], t["position"], t.get("positionLength", 1)) for t in tokens]

    def autocomplete_ids(
        self, *, prefix_words: list[str], limit: int, restricted_paths: list[str]
    ) -> list[int]:
        """Products with a title word starting with each typed word; titles that start with the
        first word first, then by title."""
        query: dict[str, Any] = {
            "bool": {
                "filter": [
                    {
                        "match": {
                            "title.suggest": {"query": " ".join(prefix_words), "operator": "and"}
                        }
                    }
                ],
                "should": [
                    {"constant_score": {"filter": {"prefix": {"title.sort": prefix_words[0]}}}}
                ],
            }
        }
        if restricted_paths:
            query["bool"]["must_not"] = restriction_clauses(restricted_paths)
        response = get_client().search(
            alias_name(),
            {
                "query": query,
                "sort": ["_score", {"title.sort": "asc"}, {"page_id": "asc"}],
                "size": limit,
                "_source": False,
                "track_total_hits": False,
            },
            cached=True,
        )
        return [int(hit["_id"]) for hit in response["hits"]["hits"]]
