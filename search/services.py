"""Searching the public product library: query, facets, sorting and pagination.

Only live, public products are ever returned. The website's search page and the product-library
API both call `search_products` and `autocomplete_titles`; the engine (`search.engines`) finds,
counts and ranks, and this module adds labels, editors' promotions and the result cards.
"""

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.http import HttpRequest

from products import selectors
from products.models import ProductPage
from search import analytics, engines
from search.analysis import words
from search.facets import BY_NAME, FACETS, theme_values
from search.opensearch.client import SearchEngineUnavailable
from search.query import TextQuery, load_synonyms, parse_query
from website.cards import ProductCard, load_cards

if TYPE_CHECKING:
    from search.opensearch.engine import OpenSearchEngine

SORTS = ("relevance", "newest", "title")
MAX_PAGE_SIZE = 100
MAX_QUERY_LENGTH = 200
MAX_THEMES_SHOWN = 30


@dataclass
class ProductQuery:
    """What a visitor asks for: free text, facet selections (by facet name), sort order and page."""

    query: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20


@dataclass
class FacetValue:
    """One value of a facet with the number of products it would show."""

    value: str
    label: str
    count: int
    selected: bool


@dataclass
class ProductSearchResult:
    """One page of products, the total, and the facets with their counts.

    `promoted` holds products an editor promoted for this exact query (page 1 only);
    `ignored_filters` the facet values that do not exist; `requested_page` the page asked for
    before clamping; `match` is "all" (every word), "any" (some words) or "similar" (misspelled
    words replaced by indexed words that resemble them).
    `engine_unavailable`: the search engine was down, and the database listed the products with
    the chosen filters but without the words. A card's `snippet` holds the highlighted fragment.
    """

    products: list[ProductCard]
    total: int
    page: int
    page_size: int
    num_pages: int
    facets: dict[str, list[FacetValue]]
    promoted: list[ProductCard] = field(default_factory=list)
    ignored_filters: list[str] = field(default_factory=list)
    requested_page: int = 1
    match: str = "all"
    query: str = ""
    engine_unavailable: bool = False


@dataclass
class _Vocabulary:
    """The facet values that exist, keyed by their public value (slug, code or choice value)."""

    labels: dict[str, dict[str, tuple[str, str]]]  # facet -> public value -> (key, label)
    selected: dict[str, list[str]]  # facet -> selected keys
    ignored: list[str]


def clean_text(text: str) -> str:
    """The query as searched: whitespace collapsed, control characters dropped, length capped."""
    printable = "".join(char if char.isprintable() else " " for char in str(text or ""))
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def _load_vocabulary(params: ProductQuery) -> _Vocabulary:
    """Look up every facet's values and map the selections to index keys."""
    labels: dict[str, dict[str, tuple[str, str]]] = {}
    for facet in FACETS:
        values = facet.values()
        if facet.name == "theme" and params.filters.get("theme"):
            values = theme_values(Q(slug__in=params.filters["theme"]))
        labels[facet.name] = {value: (facet.key(pk), label) for pk, value, label in values}
    vocabulary = _Vocabulary(labels=labels, selected={}, ignored=[])
    for name, chosen in params.filters.items():
        for value in dict.fromkeys(chosen):
            if value in labels[name]:
                vocabulary.selected.setdefault(name, []).append(labels[name][value][0])
            else:
                vocabulary.ignored.append(value)
    return vocabulary


def _normalized(params: ProductQuery) -> ProductQuery:
    def as_list(values: str | list[str] | None) -> list[str]:
        if isinstance(values, str):
            values = [values]
        return [clean_text(v)[:100] for v in (values or []) if clean_text(v)][:50]

    def as_int(value: int | str, default: int) -> int:
        try:
            return int(value)
        except (TypeError, ValueError):
            return default

    return ProductQuery(
        query=clean_text(params.query),
        filters={
            facet.name: as_list(params.filters.get(facet.name))
            for facet in FACETS
            if params.filters.get(facet.name)
        },
        sort=params.sort if params.sort in SORTS else "relevance",
        page=max(1, min(as_int(params.page, 1), 1_000_000)),
        page_size=max(1, min(as_int(params.page_size, 20), MAX_PAGE_SIZE)),
    )


def search_products(
    params: ProductQuery, *, record_query: bool = False, request: HttpRequest | None = None
) -> ProductSearchResult:
    """Search the live, public products; unknown facet values are ignored and reported.

    `request`, when given, is the request the cards' URLs are made for (relative on its site).
    While the search engine is down, the database lists the products with the chosen filters
    (browsing works; the words are not searched) and the result says so.
    """

    try:
        return _search_products(
            params, engines.get_engine(), record_query=record_query, request=request
        )
    except SearchEngineUnavailable:
        result = _search_products(
            replace(params, query=""), engines.database_engine(), request=request
        )
        result.engine_unavailable = True
        result.query = clean_text(params.query)
        return result


def _search_products(
    params: ProductQuery,
    engine: "engines.Engine | OpenSearchEngine",
    *,
    record_query: bool = False,
    request: HttpRequest | None = None,
) -> ProductSearchResult:
    params = _normalized(params)
    restricted_paths = selectors.restricted_paths(request)
    vocabulary = _load_vocabulary(params)
    text_query = parse_query(params.query, synonyms=load_synonyms()) if params.query else None
    # An engine that analyses the words itself (OpenSearch) gets them as the visitor typed them.
    own_words = {"text": params.query} if getattr(engine, "analyzes_text", False) else {}
    search = engine.prepare(
        text_query=text_query or TextQuery(),
        selected={BY_NAME[f].field: keys for f, keys in vocabulary.selected.items()},
        restricted_paths=restricted_paths,
        **own_words,
    )
    match = "all"
    offset = (params.page - 1) * params.page_size
    ids, total = search.ranked_ids(sort=params.sort, limit=params.page_size, offset=offset)
    if total == 0 and text_query:
        # Nothing has every word: unknown words corrected, then any of the words.
        for fallback in search.fallbacks():
            ids, total = fallback.ranked_ids(
                sort=params.sort, limit=params.page_size, offset=offset
            )
            if total:
                search, match = fallback, fallback.match
                break
    num_pages = max(1, math.ceil(total / params.page_size))
    page = min(params.page, num_pages)
    if page != params.page:
        offset = (page - 1) * params.page_size
        ids, total = search.ranked_ids(sort=params.sort, limit=params.page_size, offset=offset)
    counts = search.facet_counts()
    promoted_ids = _promoted_ids(params.query) if params.query and page == 1 else []
    wanted = list(dict.fromkeys(ids + promoted_ids))
    cards = load_cards(wanted, restricted_paths=restricted_paths, request=request)
    result = ProductSearchResult(
        products=[cards[pk] for pk in ids if pk in cards],
        total=total,
        page=page,
        page_size=params.page_size,
        num_pages=num_pages,
        facets=_facets(vocabulary, counts),
        promoted=[cards[pk] for pk in promoted_ids if pk in cards],
        ignored_filters=vocabulary.ignored,
        requested_page=params.page,
        match=match,
        query=params.query,
    )
    snippets = getattr(search, "snippets", {})  # engines that highlight
    for card in result.products:
        card.snippet = snippets.get(card.pk)
    if record_query and params.query:
        # A misspelled query counts as one without results: never a suggestion to others.
        analytics.record_search(query=params.query, result_count=0 if match == "similar" else total)
    return result


def _promoted_ids(query: str) -> list[int]:
    """Public products an editor promoted for this query in 'Gepromote zoekresultaten'."""
    from wagtail.contrib.search_promotions.models import SearchPromotion
    from wagtail.search.utils import normalise_query_string

    promoted = list(
        SearchPromotion.objects.filter(query__query_string=normalise_query_string(query))
        .order_by("sort_order", "pk")
        .values_list("page_id", flat=True)
    )
    if not promoted:  # the usual case: no filter over every live product
        return []
    shown = ProductPage.objects.live().public().filter(pk__in=promoted)
    public_ids = set(shown.values_list("pk", flat=True))
    return [pk for pk in promoted if pk in public_ids]


def _facets(vocabulary: _Vocabulary, counts: dict[str, int]) -> dict[str, list[FacetValue]]:
    """Facet values with counts in a stable order; long lists keep only values that matter."""
    selected_keys = {key for keys in vocabulary.selected.values() for key in keys}
    theme, prefix = BY_NAME["theme"], BY_NAME["theme"].key("")
    counted = sorted((k for k in counts if k.startswith(prefix)), key=lambda k: -counts[k])
    theme_ids = [int(key.removeprefix(prefix)) for key in counted[:MAX_THEMES_SHOWN]]
    for pk, slug, name in theme_values(Q(pk__in=theme_ids)) if theme_ids else []:
        vocabulary.labels["theme"].setdefault(slug, (theme.key(pk), name))
    facets: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        values = [
            FacetValue(value, label, counts.get(key, 0), key in selected_keys)
            for value, (key, label) in vocabulary.labels[facet.name].items()
        ]
        if facet.listed_when_counted:
            values = [v for v in values if v.count or v.selected]
        if facet.name == "theme":
            values.sort(key=lambda v: (-v.count, v.label.lower()))
            values = values[:MAX_THEMES_SHOWN] + [
                v for v in values[MAX_THEMES_SHOWN:] if v.selected
            ]
        facets[facet.name] = values
    return facets


def autocomplete_titles(prefix: str, *, limit: int = 8) -> list[ProductPage]:
    """Live, public products with a title word that starts with the prefix, best first."""
    prefix_words = words(clean_text(prefix))[:8]
    if not prefix_words:
        return []
    limit = max(1, min(int(limit), 20))

    arguments: dict[str, Any] = {
        "prefix_words": prefix_words,
        "limit": limit,
        "restricted_paths": selectors.restricted_paths(),
    }
    try:
        ids = engines.get_engine().autocomplete_ids(**arguments)
    except SearchEngineUnavailable:  # the database's index suggests while the engine is down
        ids = engines.database_engine().autocomplete_ids(**arguments)
    # The ids were checked against view restrictions in SQL; live() guards against a page
    # unpublished a moment ago.
    by_id = {page.pk: page for page in ProductPage.objects.live().filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]
