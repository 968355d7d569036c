"""The product library's search page: query, facets, sorting and pagination from GET parameters,
searched by `search.services.search_products` (the API's counterpart is `api/endpoints.py`).

The URL holds the whole search (shareable): `q`, one parameter per facet (repeatable), `sortering`
and `pagina`. The page works without JavaScript; `search/static/search/autocomplete.js` adds
title suggestions from `/zoeken/suggesties`.
"""

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest

from products.models import ProductLibraryPage
from search.analytics import popular_queries
from search.facets import FACETS
from search.services import MAX_QUERY_LENGTH, ProductQuery, ProductSearchResult, search_products

# The website's sort parameter: (the service's sort, the label).
SORTS = {
    "relevantie": ("relevance", "Relevantie"),
    "nieuwste": ("newest", "Nieuwste eerst"),
    "titel": ("title", "Titel (A-Z)"),
}
PAGE_SIZE = 20
MAX_PAGE_NUMBER = 10_000


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


def _url(base: str, pairs: list[tuple[str, str]]) -> str:
    query = urlencode(pairs)
    return f"{base}?{query}" if query else base


def library_page_context(request: HttpRequest, *, library: ProductLibraryPage) -> dict[str, Any]:
    """The context of the product library page for this request."""
    get = request.GET
    sort = get.get("sortering", "") if get.get("sortering") in SORTS else "relevantie"
    page = get.get("pagina", "").strip()
    params = ProductQuery(
        query=get.get("q", ""),
        filters={facet.name: get.getlist(facet.parameter) for facet in FACETS},
        sort=SORTS[sort][0],
        page=int(page) if page.isdecimal() else 1,
        page_size=PAGE_SIZE,
    )
    result = search_products(
        params, record_query=bool(params.query) and params.page == 1, request=request
    )
    base = library.url or request.path

    # The current search as URL pairs, without the page number; the selected values.
    state = [("q", result.query)] if result.query else []
    selected = []
    for facet in FACETS:
        for value in result.facets.get(facet.name, []):
            if value.selected:
                state.append((facet.parameter, value.value))
                selected.append((facet, value))
    if sort != "relevantie":
        state.append(("sortering", sort))

    def page_url(number: int) -> str:
        return _url(base, state + ([("pagina", str(number))] if number > 1 else []))

    last = result.num_pages
    numbers = sorted(
        {1, last} | set(range(max(1, result.page - 2), min(last, result.page + 2) + 1))
    )
    return {
        "search": result,
        "search_query": result.query,
        "products": result.products,
        # (facet, its values): a fieldset of checkboxes each (includes/facet_fieldsets.html).
        "facet_groups": [(facet, result.facets.get(facet.name, [])) for facet in FACETS],
        "active_filters": [
            {
                "legend": facet.label,
                "label": value.label,
                "remove_url": _url(base, [p for p in state if p != (facet.parameter, value.value)]),
            }
            for facet, value in selected
        ],
        "clear_filters_url": _url(base, [("q", result.query)] if result.query else []),
        "clear_query_url": _url(base, [p for p in state if p[0] != "q"]),
        "sort_options": [
            {"value": key, "label": label, "selected": key == sort}
            for key, (_, label) in SORTS.items()
        ],
        "pages": [{"number": n, "url": page_url(n)} for n in numbers],
        "previous_url": page_url(result.page - 1) if result.page > 1 else None,
        "next_url": page_url(result.page + 1) if result.page < last else None,
        "search_messages": _messages(result),
        "popular_queries": [
            {"query": q, "url": _url(base, [("q", q)])} for q in popular_queries(limit=6)
        ]
        if result.total == 0
        else [],
        "first_result_number": (result.page - 1) * result.page_size + 1 if result.total else 0,
        "last_result_number": (result.page - 1) * result.page_size + len(result.products),
    }


def _messages(result: ProductSearchResult) -> list[str]:
    """What the visitor should know about this result, in Dutch."""
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
    return messages
