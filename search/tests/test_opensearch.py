"""The product library on OpenSearch: the search contract, Dutch analysis and the index lifecycle.

Tests marked `opensearch` need a node: run them with `SEARCH_URL=http://127.0.0.1:9200` (the node
of tools/opensearch/). Without SEARCH_URL they are skipped; with SEARCH_URL set and the node
down they fail. Each test session uses indexes of its own (`SEARCH_INDEX_PREFIX` in the test
settings), and each test starts with an index holding exactly the live products of its database
(conftest.py).

The oracle: which products a text matches is the engine's own business (its analyzer), so it is
read from the engine once, without filters or restrictions, over every page. Everything built on
that set is recomputed here in Python from the database and must agree: totals with facet
selections, each facet value's disjunctive count (values OR within a facet, AND across, a
value's count ignoring its own facet's selection), view restrictions, and paging (every match
exactly once, in one order, under every page size).
"""

import os
from collections import Counter
from dataclasses import dataclass

from django.db import transaction

from wagtail.models import PageViewRestriction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubcms.testing.examples import examples
from hubcms.testing.factories import (
    DevelopmentLinePageFactory,
    TargetGroupFactory,
    complete_product,
)
from hubcms.testing.publishing import publish
from products.models import (
    DevelopmentLineIndexPage,
    DevelopmentLinePage,
    ProductLibraryPage,
    ProductPage,
    Region,
    TargetGroup,
)
from search.opensearch import mapping
from search.opensearch.engine import OpenSearchSearch, compound_variant
from search.query import TextQuery, parse_query
from search.services import ProductQuery, autocomplete_titles, search_products

pytestmark = pytest.mark.django_db

needs_node = [
    pytest.mark.opensearch,
    pytest.mark.skipif(
        not os.environ.get("SEARCH_URL"),
        reason="SEARCH_URL is not set: no OpenSearch node to test against",
    ),
]

# -- without a node: the request and the word splitting -----------------------------------------


def test_compound_words_split_into_known_parts_only():
    words = tuple(mapping.compound_words(["Re-integratie", "Beschut werk"]))
    assert mapping.split_compound("reintegratietraject", words) == ["reintegratie", "traject"]
    assert mapping.split_compound("reïntegratietrajecten", words) == [
        "reintegratie",
        "trajecten",
    ]
    assert mapping.split_compound("buurtwerkplaatsen", words) == ["buurt", "werkplaatsen"]
    # A word in the list, or one with an unknown rest, stays whole.
    assert mapping.split_compound("werkgever", words) is None
    assert mapping.split_compound("werkgeverij", words) is None
    assert compound_variant("Het reintegratietraject", words) == "het reintegratie traject"
    assert compound_variant("fiets", words) is None


def test_synonym_rules_are_cleaned_for_the_synonym_graph():
    rules = mapping.synonym_rules(
        [["SOB", "sociaal ontwikkelbedrijf", "SW-bedrijf"], ["a => b", "c#d"], ["alleen"]]
    )
    assert rules == ["SOB, sociaal ontwikkelbedrijf, SW-bedrijf", "a b, c d"]


def test_one_request_filters_after_counting_each_facet_with_the_other_selections():
    search = OpenSearchSearch(
        text="fiets",
        text_query=parse_query("fiets"),
        selected={"type": ["type:scan", "type:format"], "region": ["region:3"]},
        restricted_paths=["00010002"],
    )
    body = search.body(sort="relevance", limit=20, offset=40, aggregations=True)
    assert body["track_total_hits"] is True
    assert (body["from"], body["size"]) == (40, 20)
    assert body["post_filter"] == {
        "bool": {
            "filter": [
                {"terms": {"type": ["type:scan", "type:format"]}},
                {"terms": {"region": ["region:3"]}},
            ]
        }
    }
    assert body["query"]["bool"]["must_not"] == [{"prefix": {"path": "00010002"}}]
    aggs = body["aggs"]
    assert set(aggs) == {"type", "status", "line", "group", "region", "theme"}
    assert aggs["type"]["filter"] == {"bool": {"filter": [{"terms": {"region": ["region:3"]}}]}}
    assert aggs["region"]["filter"] == {
        "bool": {"filter": [{"terms": {"type": ["type:scan", "type:format"]}}]}
    }
    assert aggs["status"]["filter"]["bool"]["filter"] == body["post_filter"]["bool"]["filter"]
    # Selected values are counted even beyond the first FACET_SIZE values.
    assert aggs["type"]["aggs"]["chosen"]["terms"]["include"] == ["type:scan", "type:format"]
    # Browsing: no text, newest first, no highlighting.
    browse = OpenSearchSearch(text="", text_query=TextQuery(), selected={}, restricted_paths=[])
    body = browse.body(sort="relevance", limit=20, offset=0, aggregations=False)
    assert body["query"] == {"match_all": {}}
    assert body["sort"][0] == {"published_at": {"order": "desc", "missing": "_last"}}
    assert "highlight" not in body and "post_filter" not in body


def test_highlights_are_escaped_before_they_are_marked():
    from search.opensearch.engine import MARK_END, MARK_START, snippet_html

    fragment = f"<script>x</script> de {MARK_START}fiets{MARK_END} & meer"
    assert snippet_html(fragment) == (
        "&lt;script&gt;x&lt;/script&gt; de <mark>fiets</mark> &amp; meer"
    )


# -- without a node: the engine down --------------------------------------------------------------


@pytest.fixture
def engine_down(settings):
    """From now on the configured engine refuses connections."""

    def switch():
        settings.SEARCH_URL = "http://127.0.0.1:9"
        settings.SEARCH_TIMEOUT = 1

    return switch


def test_while_the_engine_is_down_the_site_says_so_and_browsing_works(
    client, library, make_product, engine_down
):
    make_product(title="Fietsplan", product_type="scan")
    make_product(title="Taalcoach", product_type="werkvorm")
    engine_down()
    response = client.get(library.url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Zoeken op tekst is tijdelijk niet beschikbaar; bladeren en filteren werkt wel." in page
    assert response.context["search"].total == 2
    response = client.get(library.url, {"q": "fiets", "type": "werkvorm"})
    assert response.status_code == 200
    result = response.context["search"]
    assert result.engine_unavailable and result.query == "fiets"
    assert [card.title for card in result.products] == ["Taalcoach"]  # the filter, not the word
    assert "U ziet alle producten met de gekozen filters" in response.content.decode()
    # Suggestions come from the database's index meanwhile.
    assert [p.title for p in autocomplete_titles("fie")] == ["Fietsplan"]
    # Later requests do not wait for the engine again: the breaker is open for a while.
    import time

    from search.opensearch.client import get_client

    assert get_client().down_until > time.monotonic()


def test_while_the_engine_is_down_the_api_answers_503_for_words_and_lists_without(
    client, library, make_product, engine_down
):
    make_product(title="Fietsplan")
    engine_down()
    response = client.get("/api/productbibliotheek/v1/producten", {"q": "fiets"})
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/problem+json")
    assert response["Retry-After"] == "30"
    assert "tijdelijk niet beschikbaar" in response.json()["detail"]
    listing = client.get("/api/productbibliotheek/v1/producten")
    assert listing.status_code == 200
    assert listing.json()["total"] == 1


# -- with a node: the oracle ------------------------------------------------------------------

LINES = ["Regie en samenwerking", "Vakmanschap", "Matching werkgevers"]
GROUPS = ["Gemeenten", "Jobcoaches", "Werkgevers"]

# title, summary, werkblad text, type, status, lines, groups, regions, themes
PRODUCTS = [
    ("Fietsen naar het werk", "Werkvorm over veilig reizen met de fiets.", "Samen met de werkgever plannen.", "werkvorm", "pilot", [0], [1], [0], ["mobiliteit"]),
    ("Scan voor ontwikkelbedrijven", "Een scan voor het sociaal ontwikkelbedrijf.", "Gebruik het gesprek als start.", "scan", "beschikbaar", [0], [0], [0, 1], []),
    ("Handreiking begeleiding", "Over beschutte werkplekken en jobcoaching.", "Nazorg na plaatsing.", "handreiking", "pilot", [1], [1], [], ["beschut werk"]),
    ("Training leidinggevenden", "Training voor leidinggevenden.", "Ook bruikbaar voor beschutte werkplekken.", "training", "in_ontwikkeling", [1], [2], [2], []),
    ("Beschutte werkplek inrichten", "Stappen voor de inrichting.", "Met de fiets bereikbaar.", "instrument", "beschikbaar", [1, 2], [0, 2], [1], ["beschut werk"]),
    ("Digitale vaardigheden", "Digitaal werken voor medewerkers.", "Met taal oefenen.", "training", "pilot", [0], [1], [], ["digitaal", "taal"]),
    ("Taalcoach op de werkvloer", "Taal leren tijdens het werk.", "De jobcoach helpt.", "werkvorm", "beschikbaar", [1], [1], [0], ["taal"]),
    ("Werkgeversdienstverlening", "Matching met werkgevers in de regio.", "Een scan van de vacatures.", "format", "uitgefaseerd", [2], [2], [0, 2], []),
    ("Loopbaangesprek", "Een gesprek over de loopbaan.", "Fietsen is een optie voor vervoer.", "werkvorm", "pilot", [0], [0, 1], [1], ["mobiliteit"]),
    ("Vervoer regelen", "Vervoer naar beschut werk.", "Budget voor de fiets.", "instrument", "in_ontwikkeling", [2], [0], [3], ["mobiliteit"]),
    ("Budgetplan werkgever", "Budget en loonkostensubsidie.", "LKS aanvragen.", "instrument", "beschikbaar", [2], [2], [], []),
    ("Jobcoach aan het werk", "De jobcoach begeleidt op de werkplek.", "Beschut werk als vangnet.", "training", "beschikbaar", [1], [1], [1], ["nazorg"]),
    ("Regie op re-integratie", "Regie voor gemeenten bij elk traject.", "Afspraken met het SW-bedrijf.", "handreiking", "in_ontwikkeling", [0], [0], [0], []),
    ("Praktijkdag buurtwerkplaats", "Een dag in de buurtwerkplaats.", "Fiets mee.", "werkvorm", "pilot", [1], [0, 1], [2, 3], ["beschut werk"]),
    ("Coördinatie in de wijk", "Samenwerking in de wijk.", "Werkgever betrokken.", "scan", "pilot", [0, 1], [2], [], ["digitaal"]),
    ("Mobiliteit in de regio", "Mobiliteit en vervoer.", "Fietsen en openbaar vervoer.", "format", "beschikbaar", [2], [0], [0, 1], ["mobiliteit"]),
]  # fmt: skip

QUERIES = [
    "",
    "fiets",
    "werk",
    "werkgever",
    "gesprek",
    "beschut werk",
    "SOB",
    "jobcoach",
    "taal digitaal",
    "zzqqxx",
]
SELECTIONS = {
    "none": {},
    "one type": {"type": ["type:scan"]},
    "two types": {"type": ["type:scan", "type:werkvorm"]},
    "type and status": {"type": ["type:werkvorm"], "status": ["status:pilot"]},
    "status, line, theme": {"status": ["status:pilot", "status:beschikbaar"], "line": [1], "theme": ["beschut werk"]},
    "group and two regions": {"group": [2], "region": [0, 1]},
    "nothing has it": {"type": ["type:ontwikkelmodule"]},
}  # fmt: skip
PUBLIC_FIELDS = {
    "type": "product_type",
    "status": "lifecycle_status",
    "line": "development_line",
    "group": "target_group",
    "region": "region",
    "theme": "theme",
}


@dataclass
class Catalogue:
    products: dict[str, int]
    lines: list[DevelopmentLinePage]
    groups: list[TargetGroup]
    regions: list[Region]


def _build_catalogue() -> Catalogue:
    from core.bootstrap import bootstrap_hub

    bootstrap_hub(demo=False)
    library = ProductLibraryPage.objects.get()
    line_index = DevelopmentLineIndexPage.objects.get()
    lines = [publish(DevelopmentLinePageFactory(parent=line_index, title=t)) for t in LINES]
    groups = [
        TargetGroup.objects.filter(name=n).first() or TargetGroupFactory(name=n) for n in GROUPS
    ]
    regions = list(Region.objects.order_by("pk")[:4])
    products = {}
    for title, summary, body, type_, status, line_ix, group_ix, region_ix, themes in PRODUCTS:
        page = complete_product(
            parent=library,
            development_lines=[lines[i] for i in line_ix],
            target_groups=[groups[i] for i in group_ix],
            title=title,
            summary=summary,
            product_type=type_,
            lifecycle_status=status,
            aanleiding="<p>Aanleiding volgt.</p>",
            doel="<p>Doel volgt.</p>",
            doelgroep="<p>Zie de doelgroepen.</p>",
            randvoorwaarden="<p>Tijd.</p>",
            uitvoering="<p>Uitvoering.</p>",
            onderbouwing=f"<p>{body}</p>",
            aanpak=[
                ("step", {"title": "Stap", "description": "<p>Eerste.</p>", "duration": ""}),
                ("step", {"title": "Stap", "description": "<p>Tweede.</p>", "duration": ""}),
            ],
        )
        page.regions.add(*[regions[i] for i in region_ix])
        for theme in themes:
            page.themes.add(theme)
        page.save()
        products[title] = publish(page).pk
    return Catalogue(products, lines, groups, regions)


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker):
    if not os.environ.get("SEARCH_URL"):
        pytest.skip("SEARCH_URL is not set")
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_catalogue()
        transaction.set_rollback(True)


def facet_keys() -> dict[int, frozenset[str]]:
    """Every findable product's facet keys, read from the database (not from the index)."""
    from products.models import ProductPageTag

    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    keys: dict[int, set[str]] = {}
    for page in ProductPage.objects.live():
        if any(page.path.startswith(path) for path in restricted):
            continue
        keys[page.pk] = {f"type:{page.product_type}", f"status:{page.lifecycle_status}"}
    through = [
        (ProductPage.development_lines.through, "developmentlinepage_id", "line"),
        (ProductPage.target_groups.through, "targetgroup_id", "group"),
        (ProductPage.regions.through, "region_id", "region"),
    ]
    for model, column, prefix in through:
        for page_id, pk in model.objects.values_list("productpage_id", column):
            if page_id in keys:
                keys[page_id].add(f"{prefix}:{pk}")
    for page_id, pk in ProductPageTag.objects.values_list("content_object_id", "tag_id"):
        if page_id in keys:
            keys[page_id].add(f"theme:{pk}")
    return {pk: frozenset(k) for pk, k in keys.items()}


def resolve(catalogue: Catalogue, selection: dict) -> tuple[dict[str, list[str]], dict]:
    """A selection as the engine's {group: keys} and as ProductQuery's public values."""
    from taggit.models import Tag

    keys: dict[str, list[str]] = {}
    public: dict[str, list[str]] = {}
    for group, values in selection.items():
        for value in values:
            if group == "line":
                item = catalogue.lines[value]
                key, shown = f"line:{item.pk}", item.slug
            elif group == "group":
                item = catalogue.groups[value]
                key, shown = f"group:{item.pk}", item.slug
            elif group == "region":
                item = catalogue.regions[value]
                key, shown = f"region:{item.pk}", item.code
            elif group == "theme":
                tag = Tag.objects.get(name=value)
                key, shown = f"theme:{tag.pk}", tag.slug
            else:
                key, shown = value, value.split(":", 1)[1]
            keys.setdefault(group, []).append(key)
            public.setdefault(PUBLIC_FIELDS[group], []).append(shown)
    return keys, public


def engine_search(query: str, selected: dict, restricted: list[str], mode: str = "all"):
    from search.opensearch.engine import OpenSearchEngine

    text_query = parse_query(query) if query else TextQuery()
    search = OpenSearchEngine().prepare(
        text_query=text_query, selected=selected, restricted_paths=restricted, text=query
    )
    if mode != "all":
        search = next(s for s in search.fallbacks() if s.match == mode)
    return search


def every_id(search, *, page_size: int, sort: str = "relevance") -> tuple[list[int], int]:
    ids, total = search.ranked_ids(sort=sort, limit=page_size, offset=0)
    offset = page_size
    while offset < total + page_size:
        page, page_total = search.ranked_ids(sort=sort, limit=page_size, offset=offset)
        assert page_total == total
        ids += page
        offset += page_size
    return ids, total


def expected(text_matches: set[int], keys: dict[int, frozenset[str]], selected: dict):
    """(matching ids, disjunctive count per facet key) from the text matches and the database."""
    chosen = {group: set(values) for group, values in selected.items() if values}
    matches: set[int] = set()
    counts: Counter[str] = Counter()
    for pk in text_matches & set(keys):
        missed = {group for group, values in chosen.items() if not keys[pk] & values}
        if not missed:
            matches.add(pk)
        for key in keys[pk]:
            if not missed - {key.split(":", 1)[0]}:
                counts[key] += 1
    return matches, dict(counts)


def check(query: str, selected: dict, mode: str = "all") -> set[int]:
    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    keys = facet_keys()
    # What the text matches, from the engine itself: no filters, no restrictions, every page.
    text_ids, _ = every_id(engine_search(query, {}, [], mode), page_size=50)
    search = engine_search(query, selected, restricted, mode)
    counts = search.facet_counts()
    matches, wanted_counts = expected(set(text_ids), keys, selected)
    ids, total = every_id(search, page_size=3)
    assert total == len(matches)
    assert len(ids) == len(set(ids)), f"a product appears twice: {ids}"
    assert set(ids) == matches
    assert counts == wanted_counts
    # The same order whatever the page size.
    assert every_id(engine_search(query, selected, restricted, mode), page_size=7)[0] == ids
    return matches


@pytest.mark.parametrize("selection", SELECTIONS.values(), ids=SELECTIONS.keys())
@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.opensearch
@needs_node[1]
def test_totals_counts_and_pages_match_the_oracle(catalogue, query, selection):
    check(query, resolve(catalogue, selection)[0])


@pytest.mark.parametrize("query", ["fiets werkgever", "fiets zzqqxx", "beschut werk digitaal"])
@pytest.mark.parametrize("mode", ["similar", "any"])
@pytest.mark.opensearch
@needs_node[1]
def test_fallback_searches_match_the_oracle(catalogue, query, mode):
    for selection in ("none", "two types", "group and two regions"):
        check(query, resolve(catalogue, SELECTIONS[selection])[0], mode)


@pytest.mark.parametrize("sort", ["title", "newest"])
@pytest.mark.opensearch
@needs_node[1]
def test_sorted_pages_follow_title_or_publication(catalogue, sort):
    ids, total = every_id(engine_search("werk", {}, []), page_size=4, sort=sort)
    pages = ProductPage.objects.filter(pk__in=ids)
    if sort == "title":
        from search.analysis import fold

        wanted = sorted(pages, key=lambda p: (fold(p.title), p.pk))
    else:
        wanted = sorted(pages, key=lambda p: (p.first_published_at, p.pk), reverse=True)
    assert ids == [p.pk for p in wanted] and total == len(ids)


@pytest.mark.parametrize("selection", ["none", "one type", "group and two regions"])
@pytest.mark.opensearch
@needs_node[1]
def test_view_restricted_products_are_neither_found_nor_counted(catalogue, selection):
    hidden = catalogue.products["Vervoer regelen"]
    PageViewRestriction.objects.create(
        page_id=hidden, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    selected, public = resolve(catalogue, SELECTIONS[selection])
    for query in ["", "vervoer", "fiets"]:
        assert hidden not in check(query, selected)
        result = search_products(ProductQuery(query=query, page_size=100, filters=public))
        assert hidden not in [card.pk for card in result.products]
    # The restriction reached the index through the task queue: the document is gone.
    from search.opensearch.client import alias_name, get_client

    found = get_client().search(alias_name(), {"query": {"term": {"page_id": hidden}}})
    assert found["hits"]["total"]["value"] == 0
    PageViewRestriction.objects.filter(page_id=hidden).delete()
    assert hidden in check("vervoer", {})


@settings(
    max_examples=examples(40, quick=15),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    words=st.lists(
        st.sampled_from(["fiets", "werk", "scan", "gesprek", "taal", "sob", "jobcoach", "beschut werk", "vervoer", "regie", "zzqqxx"]),
        max_size=3,
    ),
    mode=st.sampled_from(["all", "all", "similar", "any"]),
    data=st.data(),
)  # fmt: skip
@pytest.mark.opensearch
@needs_node[1]
def test_random_searches_match_the_oracle(catalogue, words, mode, data):
    keys = sorted({key for found in facet_keys().values() for key in found} | {"type:format"})
    chosen = data.draw(st.lists(st.sampled_from(keys), max_size=4, unique=True), label="keys")
    selected: dict[str, list[str]] = {}
    for key in chosen:
        selected.setdefault(key.split(":", 1)[0], []).append(key)
    query = " ".join(words)
    if mode != "all" and not query:
        mode = "all"
    if mode == "any" and len(parse_query(query).groups) < 2:
        mode = "all"
    check(query, selected, mode)


# -- with a node: what the words find -----------------------------------------------------------


def titles(query: str, **filters: list[str]) -> set[str]:
    return {
        card.title
        for card in search_products(
            ProductQuery(query=query, page_size=100, filters=filters)
        ).products
    }


@pytest.mark.opensearch
@needs_node[1]
def test_dutch_analysis_synonyms_compounds_and_typos(catalogue):
    # Singular and plural, and the plural inside a compound.
    assert titles("fietsen") == titles("fiets")
    assert "Fietsen naar het werk" in titles("fiets")
    assert "Praktijkdag buurtwerkplaats" in titles("werkplaatsen")
    assert "Praktijkdag buurtwerkplaats" in titles("werkplaats")
    # Diacritics folded both ways.
    assert "Coördinatie in de wijk" in titles("coordinatie")
    # Compound in the query, parts apart in the text.
    assert "Regie op re-integratie" in titles("reintegratietraject")
    assert "Regie op re-integratie" in titles("re-integratie")
    # The admin's synonyms (seeded): SOB = sociaal ontwikkelbedrijf = SW-bedrijf.
    sob = titles("SOB")
    assert {"Scan voor ontwikkelbedrijven", "Regie op re-integratie"} <= sob
    assert titles("sociaal ontwikkelbedrijf") == sob
    # A typo is forgiven when nothing matches as written.
    result = search_products(ProductQuery(query="jobcoatch"))
    assert result.match == "similar"
    assert "Jobcoach aan het werk" in {card.title for card in result.products}
    # Title matches come first.
    first = search_products(ProductQuery(query="vervoer")).products
    assert first[0].title == "Vervoer regelen"


@pytest.mark.opensearch
@needs_node[1]
def test_snippets_mark_the_words_and_autocomplete_completes_titles(client, catalogue):
    result = search_products(ProductQuery(query="loonkostensubsidie"))
    (card,) = result.products
    assert card.snippet == ("summary", "Budget en <mark>loonkostensubsidie</mark>.")
    page = client.get(ProductLibraryPage.objects.get().url, {"q": "loonkostensubsidie"})
    assert "<mark>loonkostensubsidie</mark>" in page.content.decode()
    assert [p.title for p in autocomplete_titles("fie")] == ["Fietsen naar het werk"]
    assert [p.title for p in autocomplete_titles("mob re")] == ["Mobiliteit in de regio"]
    suggestions = client.get("/zoeken/suggesties", {"q": "taalc"}).json()["suggestions"]
    assert [s["title"] for s in suggestions] == ["Taalcoach op de werkvloer"]


@pytest.mark.opensearch
@needs_node[1]
def test_pages_past_the_result_window_are_reached_with_search_after(catalogue, monkeypatch):
    from search.opensearch import engine

    direct, total = every_id(engine_search("", {}, []), page_size=2)
    monkeypatch.setattr(engine, "MAX_WINDOW", 3)
    walked, walked_total = every_id(engine_search("", {}, []), page_size=2)
    assert (walked, walked_total) == (direct, total)
    assert total == len(PRODUCTS)


# -- with a node: the index lifecycle ------------------------------------------------------------


@pytest.mark.opensearch
@needs_node[1]
def test_publish_edit_unpublish_move_and_delete_reach_the_index(library, make_product):
    from wagtail.models import Page

    product = make_product(title="Eekhoornnest", summary="Over het eekhoornnest.")
    assert titles("eekhoornnest") == {"Eekhoornnest"}
    page = ProductPage.objects.get(pk=product.pk)
    page.title = "Vossenhol"
    page.summary = "Over het vossenhol."
    publish(page)
    assert titles("eekhoornnest") == set() and titles("vossenhol") == {"Vossenhol"}
    ProductPage.objects.get(pk=product.pk).unpublish()
    assert titles("vossenhol") == set()
    publish(ProductPage.objects.get(pk=product.pk))
    assert titles("vossenhol") == {"Vossenhol"}
    # Moved under a view-restricted page: gone; the restriction lifted: back.
    hidden = library.add_child(instance=Page(title="Afgeschermd", slug="afgeschermd"))
    restriction = PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    ProductPage.objects.get(pk=product.pk).move(hidden, pos="last-child")
    assert titles("vossenhol") == set()
    restriction.delete()
    assert titles("vossenhol") == {"Vossenhol"}
    ProductPage.objects.get(pk=product.pk).delete()
    assert titles("vossenhol") == set()


@pytest.mark.opensearch
@needs_node[1]
def test_a_rebuild_swaps_the_alias_to_a_new_index_and_synonyms_follow(make_product):
    from io import StringIO

    from django.core.management import call_command

    from search.models import SearchSynonym
    from search.opensearch.client import alias_name, get_client

    make_product(title="Fietsen voor iedereen", themes=("mobiliteit",))
    make_product(title="Concept", live=False)
    client = get_client()
    (before,) = client.alias_targets(alias_name())
    replicas = client.get_settings(before)["number_of_replicas"]
    out, err = StringIO(), StringIO()
    call_command("update_index", "--products-only", stdout=out, stderr=err)
    assert "Zoekmachine" in out.getvalue() and "Zoekmachine" in err.getvalue()  # bar on stderr
    (after,) = client.alias_targets(alias_name())
    assert after != before and before not in client.indexes_matching(f"{alias_name()}*")
    # Loaded without refreshes, replicas or a synced translog; it serves with all three back,
    # so that a product published after the rebuild becomes findable.
    served = client.get_settings(after)
    assert served["refresh_interval"] == "1s"
    assert "durability" not in served.get("translog", {})
    assert served["number_of_replicas"] == replicas
    assert "Fietsen voor iedereen" in titles("fiets", theme=["mobiliteit"])
    assert titles("concept") == set()
    # A new synonym reaches the search analyzer: the index is rebuilt behind the alias.
    assert titles("tweewieler") == set()
    SearchSynonym.objects.create(terms="fiets, tweewieler")
    assert client.alias_targets(alias_name()) != [after]
    assert "Fietsen voor iedereen" in titles("tweewieler")
    assert titles("tweewieler") == titles("fiets")


@pytest.mark.opensearch
@needs_node[1]
def test_readiness_reports_the_engine_and_its_index(client, make_product):
    report = client.get("/healthz").json()
    assert report["status"] == "ok"
    assert report["search"]["backend"] == "opensearch"
    assert report["search"]["index_current"] is True


def test_the_forgiving_search_lets_a_compound_stand_for_its_known_head():
    words = tuple(mapping.compound_words(["Werkplaats", "Traject"]))
    assert mapping.compound_head("buurtwerkplaatsen", words) == "werkplaatsen"
    assert mapping.compound_head("werkplaats", words) is None  # a known word is no compound
    assert mapping.compound_head("xyzplaats", words) is None  # head too short to stand for it
    from search.opensearch.engine import compound_variant

    assert compound_variant("buurtwerkplaatsen", words) == "buurt werkplaatsen"
    assert compound_variant("buurtwerkplaatsen", words, heads=True) == "werkplaatsen"
