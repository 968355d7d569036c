"""The product library as a search page: Dutch stems, synonyms, facets, sorting, paging, analytics."""

import functools
import os

from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction, Site

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_user
from core.tests.exports.helpers import csv_rows, export_and_download, xlsx_rows
from hubcms.testing.examples import examples
from hubcms.testing.factories import TargetGroupFactory
from products.models import ProductLibraryPage, ProductPage
from search.models import SearchQueryStat, SearchSynonym
from search.services import ProductQuery, search_products
from search.tests.conftest import make_library_product

# One worker publishes the module's catalogue (module_catalogue below), not every worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("search-page")]


@pytest.fixture(scope="module")
def module_catalogue(django_db_setup, django_db_blocker):
    """The catalogue's products (their ids), published once for the module inside a transaction
    that is rolled back at its end; each test runs in its own savepoint (pytest-django's `db`)."""
    with django_db_blocker.unblock(), transaction.atomic():
        make_product = functools.partial(make_library_product, ProductLibraryPage.objects.get())
        yield {name: page.pk for name, page in build_catalogue(make_product).items()}
        transaction.set_rollback(True)


@pytest.fixture
def catalogue(module_catalogue, db):
    """The catalogue's products, read afresh for each test."""
    return {name: ProductPage.objects.get(pk=pk) for name, pk in module_catalogue.items()}


def build_catalogue(make_product) -> dict:
    # make_product gives a live product without target group the group Gemeenten.
    TargetGroupFactory(name="Gemeenten", slug="gemeenten")
    coaches = TargetGroupFactory(name="Jobcoaches", slug="jobcoaches")
    return {
        "bike": make_product(
            title="Fietsen naar het werk",
            summary="Werkvorm over reizen.",
            product_type="werkvorm",
            themes=("mobiliteit",),
            target_groups=(coaches,),
        ),
        "sob": make_product(
            title="Scan voor ontwikkelbedrijven",
            summary="Een scan voor het sociaal ontwikkelbedrijf.",
            product_type="scan",
        ),
        "summary_hit": make_product(
            title="Handreiking begeleiding",
            summary="Over beschutte werkplekken en jobcoaching.",
            product_type="handreiking",
        ),
        "body_hit": make_product(
            title="Training leidinggevenden",
            summary="Training voor leidinggevenden.",
            product_type="training",
            onderbouwing="<p>Ook bruikbaar voor beschutte werkplekken.</p>",
        ),
        "title_hit": make_product(
            title="Beschutte werkplek inrichten",
            summary="Stappen voor de inrichting.",
            product_type="instrument",
        ),
    }


def titles(result) -> list[str]:
    return [p.title for p in result.products]


def test_dutch_stems_match_inflections(catalogue):
    assert titles(search_products(ProductQuery(query="fiets"))) == ["Fietsen naar het werk"]
    assert titles(search_products(ProductQuery(query="ontwikkelbedrijf"))) == [
        "Scan voor ontwikkelbedrijven"
    ]


def test_singular_plural_and_compounds_meet(make_product):
    """Snowball stems "werkplaats" and "werkplaatsen" apart; a compound's unknown modifier
    still finds its head, a known one both parts."""
    make_product(title="Werkvorm scenariowerkplaats", summary="Een werkplaats van een dagdeel.")
    make_product(title="Werkvorm werkgeverstafel", summary="Werkgevers aan tafel.")
    for query in ["werkplaats", "werkplaatsen", "scenariowerkplaatsen"]:
        assert titles(search_products(ProductQuery(query=query))) == [
            "Werkvorm scenariowerkplaats"
        ], query
    compound = search_products(ProductQuery(query="buurtwerkplaatsen"))
    # The forgiving search comes first with the head; on OpenSearch its fuzziness may also offer
    # near words of the module's catalogue ("werkplek") after it, never the unrelated compound.
    assert compound.match == "similar"
    assert titles(compound)[0] == "Werkvorm scenariowerkplaats"
    assert "Werkvorm werkgeverstafel" not in titles(compound)
    split = search_products(ProductQuery(query="werkgeverstafels"))
    assert titles(split) == ["Werkvorm werkgeverstafel"]


def test_typos_are_forgiven_and_never_suggested_to_others(client, library, catalogue):
    result = search_products(ProductQuery(query="ontwikelbedrijven"), record_query=True)
    assert (titles(result), result.match) == (["Scan voor ontwikkelbedrijven"], "similar")
    assert "controleer de spelling" in client.get(library.url, {"q": "fietsn"}).content.decode()
    search_products(ProductQuery(query="fiets"), record_query=True)
    html = client.get(library.url, {"q": "zzqqxx"}).content.decode()
    assert "?q=fiets" in html and "ontwikelbedrijven" not in html


def test_title_outranks_summary_outranks_body(catalogue):
    result = search_products(ProductQuery(query="beschutte werkplek"))
    assert titles(result) == [
        "Beschutte werkplek inrichten",
        "Handreiking begeleiding",
        "Training leidinggevenden",
    ]


def test_synonyms_from_the_admin_apply(client, catalogue):
    SearchSynonym.objects.all().delete()  # start without the seeded list
    assert search_products(ProductQuery(query="SW-bedrijf")).total == 0
    admin = make_user("superbeheer", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(
        "/admin/snippets/hubsearch/searchsynonym/add/",
        {"terms": "SOB, sociaal ontwikkelbedrijf, SW-bedrijf", "note": "Zelfde organisatie"},
    )
    assert response.status_code == 302
    assert SearchSynonym.objects.count() == 1
    assert titles(search_products(ProductQuery(query="SW-bedrijf"))) == [
        "Scan voor ontwikkelbedrijven"
    ]


def test_facets_combine_and_count(client, library, catalogue):
    response = client.get(library.url, {"type": ["werkvorm", "scan"], "doelgroep": "jobcoaches"})
    search = response.context["search"]
    assert titles(search) == ["Fietsen naar het werk"]
    types = {v.value: (v.count, v.selected) for v in search.facets["product_type"]}
    # Within a facet values combine with OR: counts ignore the facet's own selection.
    assert types["werkvorm"] == (1, True) and types["scan"] == (0, True)
    html = response.content.decode()
    assert "<fieldset" in html and "<legend" in html and 'aria-live="polite"' in html
    assert 'name="type" value="werkvorm" checked' in html


def test_sorting_paging_and_shareable_urls(client, library, catalogue):
    response = client.get(library.url, {"sortering": "titel"})
    assert titles(response.context["search"])[0] == "Beschutte werkplek inrichten"
    assert len(response.context["search"].products) == 5
    far = client.get(library.url, {"pagina": "99"})
    assert far.status_code == 200
    assert "Pagina 99 bestaat niet" in far.content.decode()
    unknown = client.get(library.url, {"type": "ruimteschip"})
    assert "bestaat niet en is genegeerd" in unknown.content.decode()


def test_empty_result_explains_and_offers_a_way_out(client, library, catalogue):
    search_products(ProductQuery(query="fiets"), record_query=True)
    response = client.get(library.url, {"q": "zzqqxx", "type": "scan"})
    html = response.content.decode()
    assert "Geen producten gevonden" in html
    assert "Alle filters verwijderen" in html or "zoek zonder filters" in html
    assert "Veelgezocht" in html and "?q=fiets" in html


def test_autocomplete_endpoint(client, catalogue):
    data = client.get("/zoeken/suggesties", {"q": "fie"}).json()
    assert data["suggestions"][0]["title"] == "Fietsen naar het werk"
    assert client.get("/zoeken/suggesties", {"q": "'\""}).json() == {"suggestions": []}
    # A NUL byte is refused before it reaches the database (issue 14).
    assert client.get("/zoeken/suggesties", {"q": "\x00'\""}).status_code == 400


def test_bounded_number_of_queries(catalogue, make_product):
    # Both searches read the sites' root paths (for the cards' URLs) from the database.
    Site.clear_site_root_paths_cache()
    with CaptureQueriesContext(connection) as few:
        search_products(ProductQuery(query="werk", page_size=2))
    for n in range(4):
        make_product(title=f"Extra werk {n}", product_type="format", themes=(f"thema {n}",))
    Site.clear_site_root_paths_cache()
    with CaptureQueriesContext(connection) as many:
        result = search_products(ProductQuery(query="werk", page_size=50))
    assert len(result.products) >= 5
    assert len(many) == len(few) <= 20


def test_analytics_without_personal_data_and_reports(client, library, catalogue):
    client.get(library.url, {"q": "Fiets"}, REMOTE_ADDR="203.0.113.9")
    client.get(library.url, {"q": "fiets "})
    client.get(library.url, {"q": "onvindbaar"})
    stats = {s.query: s for s in SearchQueryStat.objects.all()}
    assert stats["fiets"].searches == 2 and stats["onvindbaar"].zero_result_searches == 1
    stored = " ".join(str(v) for s in stats.values() for v in s.__dict__.values())
    assert "203.0.113.9" not in stored
    coordinator = make_user("rapportlezer", "Coördinator")
    coordinator.user_permissions.add(Permission.objects.get(codename="view_searchquerystat"))
    client.force_login(coordinator)
    frequent = client.get("/admin/rapporten/zoekvragen/")
    assert frequent.status_code == 200 and "fiets" in frequent.content.decode()
    # Exports are made in the background and downloaded from "Mijn exports".
    csv = export_and_download(
        client, "/admin/rapporten/zoekvragen-zonder-resultaat/", {"export": "csv"}
    )
    assert [row[0] for row in csv_rows(csv)] == ["Zoekvraag", "onvindbaar"]
    xlsx = export_and_download(client, "/admin/rapporten/zoekvragen/", {"export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert [row[:2] for row in xlsx_rows(xlsx)[1:]] == [("fiets", 2), ("onvindbaar", 1)]


def test_promoted_product_comes_first(client, library, catalogue):
    promotion_query = Query.get("reizen")
    SearchPromotion.objects.create(query=promotion_query, page=catalogue["sob"], sort_order=0)
    response = client.get(library.url, {"q": "reizen"})
    assert [p.title for p in response.context["search"].promoted] == [
        "Scan voor ontwikkelbedrijven"
    ]
    assert "Aanbevolen bij" in response.content.decode()


def test_a_promoted_product_that_is_withdrawn_or_restricted_is_not_shown(
    client, library, catalogue
):
    promotion_query = Query.get("reizen")
    SearchPromotion.objects.create(query=promotion_query, page=catalogue["sob"], sort_order=0)
    SearchPromotion.objects.create(query=promotion_query, page=catalogue["bike"], sort_order=1)
    catalogue["sob"].unpublish()
    PageViewRestriction.objects.create(
        page=catalogue["bike"], restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(library.url, {"q": "reizen"})
    assert response.context["search"].promoted == []
    assert "Aanbevolen bij" not in response.content.decode()


NASTY = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            '"',
            "'",
            "NEAR(a b)",
            "a OR",
            "*",
            "^",
            "-",
            ":",
            "{title}:x",
            "'; DROP TABLE x;--",
            "\x00\x01",
            "😀🚲",
            "x" * 10_000,
            "a & | ! <->",
            "\\",
            "%",
            "_",
            "()",
            "AND AND",
        ]
    ),
)


@settings(
    max_examples=examples(40, quick=15), deadline=None, suppress_health_check=list(HealthCheck)
)
@given(
    query=NASTY,
    facet=st.lists(NASTY, max_size=3),
    page=st.one_of(st.integers(), st.text(max_size=10)),
    sort=st.one_of(st.sampled_from(["titel", "nieuwste", "relevantie"]), st.text(max_size=10)),
)
def test_no_input_breaks_search(client, library, query, facet, page, sort):
    """Results (200) or, for what cannot be a search, the Dutch 400 page; never a 5xx."""
    params = {"q": query, "type": facet, "thema": facet, "pagina": page, "sortering": sort}
    response = client.get(library.url, params)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "Ongeldig verzoek" in response.content.decode()
    suggestions = client.get("/zoeken/suggesties", {"q": query})
    assert suggestions.status_code == (400 if "\x00" in query else 200)


@pytest.mark.opensearch
@pytest.mark.skipif(
    not os.environ.get("SEARCH_URL"),
    reason="SEARCH_URL is not set: no search engine to test against",
)
def test_the_engine_finds_only_live_products_with_dutch_stems(catalogue, make_product):
    from django.core.management import call_command

    make_product(live=False, title="Geheim concept", summary="Zeldzaamwoord.")
    call_command("update_index", verbosity=0)
    assert titles(search_products(ProductQuery(query="fiets"))) == ["Fietsen naar het werk"]
    assert search_products(ProductQuery(query="zeldzaamwoord")).total == 0
