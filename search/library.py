"""The product library's search page: query, facets, sorting and pagination from GET parameters.

The URL holds the whole search (shareable): `q`, one parameter per facet (repeatable), `sortering`
and `pagina`. The page works without JavaScript; `search/static/search/autocomplete.js` adds
title suggestions from `/zoeken/suggesties`.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest

from products.models import ProductLibraryPage
from search.analytics import popular_queries
from search.facets import FACETS, Facet
from search.services import (
    MAX_QUERY_LENGTH,
    FacetValue,
    ProductQuery,
    ProductSearchResult,
    search_products,
)

SORT_PARAMETERS = {"relevantie": "relevance", "nieuwste": "newest", "titel": "title"}
SORT_LABELS = {"relevantie": "Relevantie", "nieuwste": "Nieuwste eerst", "titel": "Titel (A-Z)"}
PAGE_SIZE = 20
MAX_PAGE_NUMBER = 10_000


@dataclass
class FacetOption:
    """One checkbox of a facet: its value, label and count, its element id and the count's noun."""

    value: str
    label: str
    count: int
    selected: bool
    html_id: str
    noun: str


@dataclass
class FacetGroup:
    """One facet as the page shows it: a fieldset of checkboxes."""

    name: str
    parameter: str
    legend: str
    values: list[FacetOption]


def facet_group(facet: Facet, values: list[FacetValue]) -> FacetGroup:
    """A facet's values as checkboxes ("1 product", "2 producten")."""
    options = [
        FacetOption(
            value=v.value,
            label=v.label,
            count=v.count,
            selected=v.selected,
            html_id=f"f-{facet.parameter}-{number}",
            noun="product" if v.count == 1 else "producten",
        )
        for number, v in enumerate(values, start=1)
    ]
    return FacetGroup(
        name=facet.name, parameter=facet.parameter, legend=facet.label, values=options
    )


@dataclass
class ActiveFilter:
    """A selected facet value with the URL that removes it."""

    legend: str
    label: str
    remove_url: str


def library_input_error(request: HttpRequest) -> str | None:
    """What is wrong with the search in the URL, in Dutch, if it cannot be a search at all: a
    query longer than the search box allows, or a page number that is not 1 to 10,000. (Unknown
    filter values and sort orders are not errors: the page ignores them and says so.)"""
    query = request.GET.get("q", "")
    if len(query) > MAX_QUERY_LENGTH:
        return f"Uw zoekopdracht is te lang: gebruik hoogstens {MAX_QUERY_LENGTH} tekens."
    page = request.GET.get("pagina", "").strip()
    if page and not (page.isdecimal() and len(page) <= 5 and 1 <= int(page) <= MAX_PAGE_NUMBER):
        return f"Het paginanummer moet een getal van 1 tot en met {MAX_PAGE_NUMBER} zijn."
    return None


def product_query_from_request(request: HttpRequest) -> ProductQuery:
    """Read the search from the request's GET parameters; bad values fall back to defaults."""
    get = request.GET
    try:
        page = int(get.get("pagina", "1") or "1")
    except ValueError:
        page = 1
    return ProductQuery(
        query=get.get("q", ""),
        filters={facet.name: get.getlist(facet.parameter) for facet in FACETS},
        sort=SORT_PARAMETERS.get(get.get("sortering", ""), "relevance"),
        page=page,
        page_size=PAGE_SIZE,
    )


def _url(base: str, pairs: list[tuple[str, str]]) -> str:
    query = urlencode(pairs)
    return f"{base}?{query}" if query else base


def library_page_context(request: HttpRequest, *, library: ProductLibraryPage) -> dict[str, Any]:
    """The context of the product library page for this request."""
    params = product_query_from_request(request)
    result: ProductSearchResult = search_products(
        params, record_query=bool(params.query) and params.page == 1, request=request
    )
    base = library.url or request.path
    sort_parameter = next(k for k, v in SORT_PARAMETERS.items() if v == params.sort)

    # The current search as URL pairs, without the page number.
    state: list[tuple[str, str]] = []
    if result.query:
        state.append(("q", result.query))
    groups: list[FacetGroup] = []
    active: list[tuple[str, str, str, str]] = []  # (parameter, value, legend, label)
    for facet in FACETS:
        values = result.facets.get(facet.name, [])
        groups.append(facet_group(facet, values))
        for value in values:
            if value.selected:
                state.append((facet.parameter, value.value))
                active.append((facet.parameter, value.value, facet.label, value.label))
    if sort_parameter != "relevantie":
        state.append(("sortering", sort_parameter))

    active_filters = [
        ActiveFilter(
            legend=legend,
            label=label,
            remove_url=_url(base, [p for p in state if p != (parameter, value)]),
        )
        for parameter, value, legend, label in active
    ]
    pages = [
        {"number": n, "url": _url(base, state + ([("pagina", str(n))] if n > 1 else []))}
        for n in _page_window(result.page, result.num_pages)
    ]
    messages: list[str] = []
    if result.engine_unavailable:
        messages.append(
            "Zoeken op tekst is tijdelijk niet beschikbaar. U ziet alle producten met de gekozen "
            "filters; probeer het over enkele minuten opnieuw."
            if result.query
            else "Zoeken op tekst is tijdelijk niet beschikbaar; bladeren en filteren werkt wel."
        )
    if result.ignored_filters:
        messages.append(
            "Deze filterwaarde bestaat niet en is genegeerd: "
            + ", ".join(f"‘{value[:60]}’" for value in result.ignored_filters[:5])
            + "."
        )
    if result.requested_page != result.page:
        messages.append(
            f"Pagina {result.requested_page} bestaat niet; u ziet pagina {result.page} "
            f"van {result.num_pages}."
        )
    if result.match == "any":
        messages.append(
            "Geen product bevat al uw zoekwoorden. Hieronder staan producten met een of meer ervan."
        )
    elif result.match == "similar":
        messages.append(
            "Geen product bevat uw zoekwoorden precies zo. Hieronder staan producten met woorden "
            "die erop lijken; controleer de spelling."
        )
    return {
        "search": result,
        "search_query": result.query,
        "products": result.products,
        "facet_groups": groups,
        "active_filters": active_filters,
        "clear_filters_url": _url(base, [("q", result.query)] if result.query else []),
        "clear_query_url": _url(base, [p for p in state if p[0] != "q"]),
        "sort_options": [
            {"value": key, "label": SORT_LABELS[key], "selected": key == sort_parameter}
            for key in SORT_LABELS
        ],
        "pages": pages,
        "previous_url": _url(
            base, state + ([("pagina", str(result.page - 1))] if result.page > 2 else [])
        )
        if result.page > 1
        else None,
        "next_url": _url(base, state + [("pagina", str(result.page + 1))])
        if result.page < result.num_pages
        else None,
        "search_messages": messages,
        "popular_queries": [
            {"query": q, "url": _url(base, [("q", q)])} for q in popular_queries(limit=6)
        ]
        if result.total == 0
        else [],
        "first_result_number": (result.page - 1) * result.page_size + 1 if result.total else 0,
        "last_result_number": (result.page - 1) * result.page_size + len(result.products),
    }


def _page_window(current: int, last: int, *, width: int = 2) -> list[int]:
    """Page numbers around the current page, with the first and the last."""
    numbers = {1, last} | set(range(max(1, current - width), min(last, current + width) + 1))
    return sorted(numbers)
