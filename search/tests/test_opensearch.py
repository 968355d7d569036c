"""The product library on OpenSearch: what only this engine does, and its index lifecycle.

Tests marked `opensearch` need a node: run them with `SEARCH_URL=http://127.0.0.1:9200` (the node
of tools/opensearch/). Without SEARCH_URL they are skipped; with SEARCH_URL set and the node
down they fail. Each test session uses indexes of its own (`SEARCH_INDEX_PREFIX` in the test
settings), and each test starts with an index holding exactly the live products of its database
(conftest.py).

The search contract (totals, disjunctive facet counts, paging, sorting, view restrictions, edits,
synonyms, random searches, the fallbacks) is not here: it runs on every engine, this one
included, in search/tests/test_search_contract.py. This module keeps the request's shape, the
Dutch analysis, highlights, `search_after`, the alias rebuild, readiness and the engine down;
the tests that need products search the contract's catalogue.
"""

import os

from wagtail.models import PageViewRestriction

import pytest

from hubcms.testing.publishing import publish
from products.models import ProductLibraryPage, ProductPage
from search.opensearch import mapping
from search.opensearch.engine import OpenSearchSearch, compound_variant
from search.query import TextQuery, parse_query
from search.services import ProductQuery, autocomplete_titles, search_products
from search.tests.test_search_contract import PRODUCTS

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


def test_the_indexer_splits_compounds_as_the_decompounder_did():
    split = mapping.Decompounder(mapping.compound_words(["Re-integratie", "Werkplaats", "Buurt"]))
    # The longest known word at each letter, every occurrence, diacritics and hyphens as the
    # node reads them; short and unknown words give nothing.
    parts = ["buurt", "werkplaats", "plaats"]
    assert split("Buurtwerkplaatsen en buurtwerkplaatsen").split() == parts * 2
    assert split("Reïntegratietraject").split() == ["reintegratie", "integratie", "traject"]
    assert split("re-integratie-traject, fiets") == "reintegratie integratie traject"
    # A known word is no part of itself, nor is it with an ending; its own parts are.
    assert split("werkplaats werkplaatsen") == "plaats plaats"
    assert split("fiets xyzabcdefgh fietsenstalling") == ""


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


# -- with a node: the contract's catalogue -----------------------------------------------------
# The totals, counts, pages, restrictions, edits and random searches of the oracle run on every
# engine in search/tests/test_search_contract.py; here what only OpenSearch does, on its catalogue.


def engine_search(query: str, selected: dict, restricted: list[str]):
    from search.opensearch.engine import OpenSearchEngine

    text_query = parse_query(query) if query else TextQuery()
    return OpenSearchEngine().prepare(
        text_query=text_query, selected=selected, restricted_paths=restricted, text=query
    )


def every_id(search, *, page_size: int, sort: str = "relevance") -> tuple[list[int], int]:
    ids, total = search.ranked_ids(sort=sort, limit=page_size, offset=0)
    offset = page_size
    while offset < total + page_size:
        page, page_total = search.ranked_ids(sort=sort, limit=page_size, offset=offset)
        assert page_total == total
        ids += page
        offset += page_size
    return ids, total


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
def test_the_index_holds_the_terms_of_the_node_s_decompounder(catalogue):
    """`all_text` is analysed without decompounder and gets the parts from the indexer: its
    terms are those that `dictionary_decompounder` (mapping v5) gives for the same text."""
    from search.opensearch.client import alias_name, get_client
    from search.opensearch.engine import OpenSearchEngine

    client = get_client()
    index = client.alias_targets(alias_name())[0]
    text = (
        "Regie op re-integratie: het reïntegratietraject in de buurtwerkplaatsen, "
        "werkvormen voor SW-bedrijven en jobcoaching op de werkvloer"
    )
    decompounded = client.call(
        client.raw.indices.analyze, index=index, body={"analyzer": "hub_index", "text": text}
    )["tokens"]
    indexed = OpenSearchEngine().analyze(text)
    assert {term for term, _, _ in indexed} == {t["token"] for t in decompounded}
    assert {"traject", "werkplaat", "werkvorm"} <= {term for term, _, _ in indexed}


@pytest.mark.opensearch
@needs_node[1]
def test_snippets_mark_the_words_and_autocomplete_completes_titles(client, catalogue):
    result = search_products(ProductQuery(query="loonkostensubsidie"))
    (card,) = result.products
    assert card.snippet == ("summary", "Budget en <mark>loonkostensubsidie</mark>.")
    page = client.get(ProductLibraryPage.objects.get().url, {"q": "loonkostensubsidie"})
    assert "<mark>loonkostensubsidie</mark>" in page.content.decode()
    # Titles that start with the word first.
    assert [p.title for p in autocomplete_titles("fie")] == [
        "Fietsen naar het werk",
        "Leerwerktraject fiets",
    ]
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
def test_a_new_view_restriction_takes_the_document_out_of_the_index(make_product):
    from search.opensearch.client import alias_name, get_client

    product = make_product(title="Kruiwagenplan", summary="Over de kruiwagen.")
    restriction = PageViewRestriction.objects.create(
        page_id=product.pk, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    # The restriction reached the index through the task queue: the document is gone.
    found = get_client().search(alias_name(), {"query": {"term": {"page_id": product.pk}}})
    assert found["hits"]["total"]["value"] == 0
    restriction.delete()
    assert titles("kruiwagen") == {"Kruiwagenplan"}


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


@pytest.mark.opensearch
@needs_node[1]
def test_a_repeated_search_comes_from_the_request_cache_and_a_publish_shows_at_once(make_product):
    from search.opensearch.client import alias_name, get_client

    client = get_client()

    def cache_hits() -> int:
        stats = client.call(client.raw.indices.stats, index=alias_name(), metric="request_cache")
        return next(iter(stats["indices"].values()))["total"]["request_cache"]["hit_count"]

    make_product(title="Eekhoornnest", summary="Over het eekhoornnest.")
    landing = search_products(ProductQuery())  # the library's landing page: no words
    hits = cache_hits()
    assert search_products(ProductQuery()).total == landing.total
    assert cache_hits() == hits + 1  # answered from the node's request cache

    # A change to the index drops the cached answers: the next visitor sees it at once.
    make_product(title="Vossenhol", summary="Over het vossenhol.")
    assert search_products(ProductQuery()).total == landing.total + 1
