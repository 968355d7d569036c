"""The public website through Django's test client: every page type, drafts, feeds, query counts."""

import json
import re
from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.views import defaults

from wagtail.models import PageViewRestriction

import pytest

from core.bootstrap import bootstrap_hub
from hubcms.testing.factories import (
    DevelopmentLinePageFactory,
    ProductPageFactory,
    write_gate_requirements,
)
from hubcms.testing.publishing import publish
from products.models import HomePage, ProductPage, RelatedProduct
from website.tests.hub import add_downloads, build_public_hub

pytestmark = pytest.mark.django_db


class Outline(HTMLParser):
    """Collects what the accessibility checks need: html lang, headings, links, meta tags."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.headings: list[tuple[int, str]] = []
        self.links: list[tuple[str, str]] = []
        self.meta: dict[str, str] = {}
        self.scripts: dict[str, list[str]] = {}
        self._heading: list | None = None
        self._link: list | None = None
        self._script: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]
        elif tag == "a":
            self._link = [attrs.get("href", ""), ""]
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs.get("name")] = attrs.get("content", "")
        elif tag == "script":
            self._script = attrs.get("type", "")
            self.scripts.setdefault(self._script, []).append("")

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._heading:
            self.headings.append((self._heading[0], " ".join(self._heading[1].split())))
            self._heading = None
        elif tag == "a" and self._link:
            self.links.append((self._link[0], " ".join(self._link[1].split())))
            self._link = None
        elif tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data
        if self._link is not None:
            self._link[1] += data
        if self._script is not None:
            self.scripts[self._script][-1] += data


def outline_of(response) -> Outline:
    parser = Outline()
    parser.feed(response.content.decode())
    return parser


def assert_accessible_structure(response) -> Outline:
    """lang="nl", a skip link to main, one h1, no skipped heading level, no vague link text."""
    assert response.status_code == 200
    page = outline_of(response)
    assert page.lang == "nl"
    assert ("#inhoud", "Naar de hoofdinhoud") in page.links
    levels = [level for level, _ in page.headings]
    assert levels.count(1) == 1, page.headings
    assert levels[0] == 1, page.headings
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1, f"heading level skipped: {page.headings}"
    vague = {"klik hier", "hier", "lees meer", "meer", "link"}
    assert not [text for _, text in page.links if text.lower() in vague]
    return page


@pytest.fixture(scope="module")
def module_hub(django_db_setup, django_db_blocker):
    """The fixture hub, built once for this module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        bootstrap_hub(demo=False)
        yield build_public_hub(HomePage.objects.get())
        transaction.set_rollback(True)
    cache.clear()


@pytest.fixture
def public_hub(module_hub, db):
    """The fixture hub's pages, fresh from the database; each test's changes are rolled back."""
    cache.clear()
    return module_hub.fresh()


def test_product_page_shows_the_werkblad_in_order_with_steps_downloads_and_facts(
    client, public_hub
):
    response = client.get(public_hub.product.url)
    page = assert_accessible_structure(response)
    html = response.content.decode()

    section_headings = [text for level, text in page.headings if level == 2]
    werkblad = [
        "Aanleiding",
        "Doel",
        "Doelgroep",
        "Aanpak",
        "Randvoorwaarden",
        "Uitvoering",
        "Onderbouwing",
        "Resultaten en evaluatie",
        "Overdraagbaarheid",
    ]
    assert [h for h in section_headings if h in werkblad] == werkblad
    steps = [text for level, text in page.headings if level == 3 and text.startswith("Stap")]
    assert steps == [
        "Stap 1: Breng de uitgangssituatie in kaart",
        "Stap 2: Voer het gesprek met het SOB",
        "Stap 3: Maak afspraken",
    ]
    assert "Duur: een dagdeel" in html

    downloads = [(href, text) for href, text in page.links if href.startswith("/documenten/")]
    assert downloads[0][1] == "Handleiding: Handleiding scan 1"
    assert downloads[1][1] == "Format: Handleiding scan 2"
    assert "DOCX, 1,0\xa0KB" in html and "XLSX, 1,0\xa0KB" in html

    for text in [
        "Beleidsadviseurs gemeenten",
        "Jobcoaches SOB",
        "beschut werk, samenwerking",
        "Laatst bijgewerkt",
        "Werkvorm gesprek 1",
    ]:
        assert text in html
    assert (public_hub.line.url, "Arbeidsmarktfunctionaliteiten") in page.links
    for region in public_hub.product.regions.all():
        assert region.name in html
    assert public_hub.draft_product.title not in html


def test_product_page_has_schema_org_json_ld_and_open_graph(client, public_hub):
    response = client.get(public_hub.product.url)
    page = outline_of(response)
    (ld_text,) = page.scripts["application/ld+json"]
    data = json.loads(ld_text)
    assert data["@type"] == "CreativeWork"
    assert data["name"] == "Scan sociale infrastructuur"
    assert data["inLanguage"] == "nl"
    assert data["genre"] == "Scan"
    assert {line["name"] for line in data["isPartOf"]} == {
        "Arbeidsmarktfunctionaliteiten",
        "Governance",
    }
    assert data["associatedMedia"][0]["encodingFormat"] == "docx"
    assert page.meta["og:title"] == "Scan sociale infrastructuur"
    assert page.meta["og:type"] == "article"
    assert page.meta["og:url"].endswith("/productbibliotheek/scan-sociale-infrastructuur/")
    assert page.meta["og:description"] == "Scan voor gemeenten en SOB's."
    assert "/media/images/" in page.meta["og:image"]
    assert page.meta["og:image:alt"].startswith("Een gemeente en een SOB")
    html = response.content.decode()
    assert 'alt="Een gemeente en een SOB bespreken de uitkomsten van de scan."' in html
    assert 'rel="stylesheet" href="/static/hubcms/css/print.css" media="print"' in (
        response.content.decode()
    )


def test_json_ld_cannot_break_out_of_its_script_element(client, public_hub):
    product = public_hub.product
    product.title = "Scan </script><script>alert(1)</script>"
    product = publish(product)
    html = client.get(product.url).content.decode()
    assert "<script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html


def test_home_page_shows_the_hub_its_lines_newest_products_and_a_search_box(client, public_hub):
    response = client.get("/")
    page = assert_accessible_structure(response)
    html = response.content.decode()
    assert public_hub.home.intro in html
    assert 'action="/productbibliotheek/"' in html and 'name="q"' in html
    assert '<label class="utrecht-form-label hubcms-search-form__label" for="home-search">' in html
    titles = [text for level, text in page.headings if level == 3]
    assert "Scan sociale infrastructuur" in titles
    assert "Arbeidsmarktfunctionaliteiten" in titles
    assert "Geheim concept" not in html
    menu = [text for href, text in page.links]
    for item in [
        "Productbibliotheek",
        "Ontwikkellijnen",
        "Innovatieagenda",
        "Kennissignaal melden",
    ]:
        assert item in menu
    assert ("/toegankelijkheid/", "Toegankelijkheidsverklaring") in page.links


def test_development_line_page_shows_goal_status_milestones_by_quarter_and_products(
    client, public_hub
):
    response = client.get(public_hub.line.url)
    page = assert_accessible_structure(response)
    html = response.content.decode()
    assert "In 2027 beschrijven alle regio" in html
    assert "In ontwikkeling" in html
    quarters = [text for level, text in page.headings if level == 3 and "kwartaal" in text]
    assert quarters == ["1e kwartaal 2026", "3e kwartaal 2026", "2e kwartaal 2027"]
    q3 = html.index("3e kwartaal 2026")
    assert q3 < html.index("Pilot in drie regio") < html.index("2e kwartaal 2027")
    assert q3 < html.index("Evaluatie pilot") < html.index("2e kwartaal 2027")
    assert (public_hub.product.url, "Scan sociale infrastructuur") in page.links
    assert "Geheim concept" not in html


def test_line_overview_and_agenda_pages(client, public_hub):
    overview = client.get(public_hub.line_index.url)
    page = assert_accessible_structure(overview)
    assert (public_hub.line.url, "Arbeidsmarktfunctionaliteiten") in page.links
    assert "1 product" in overview.content.decode()

    agenda = client.get(public_hub.agenda.url)
    page = assert_accessible_structure(agenda)
    quarters = [text for level, text in page.headings if level == 2 and "kwartaal" in text]
    assert quarters == ["2e kwartaal 2026", "1e kwartaal 2027"]
    html = agenda.content.decode()
    assert html.index("Scenario&#x27;s voor financiering") < html.index(
        "Functionaliteiten landelijk"
    )
    assert "Vertraagd" in html and "Lopend" in html
    assert (public_hub.line.url, "Arbeidsmarktfunctionaliteiten") in page.links


def test_accessibility_statement_is_linked_from_every_page(client, public_hub):
    statement = client.get("/toegankelijkheid/")
    assert_accessible_structure(statement)
    assert "WCAG" in statement.content.decode()
    for url in ["/", public_hub.product.url, public_hub.agenda.url]:
        assert ("/toegankelijkheid/", "Toegankelijkheidsverklaring") in outline_of(
            client.get(url)
        ).links


def test_not_found_page_is_dutch(client, public_hub):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Pagina niet gevonden" in html and 'lang="nl"' in html
    assert ("/productbibliotheek/", "Productbibliotheek") in outline_of(response).links


@pytest.mark.django_db(databases=[])
def test_server_error_page_is_dutch_and_needs_no_database():
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Er ging iets mis" in html and 'lang="nl"' in html
    assert "/static/hubcms/css/theme.css" in html


def test_sitemap_lists_only_live_public_pages(client, public_hub):
    restricted = ProductPageFactory.build(title="Alleen met wachtwoord", slug="met-wachtwoord")
    public_hub.library.add_child(instance=restricted)
    restricted = publish(write_gate_requirements(restricted))
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    response = client.get(reverse("website:sitemap"))
    assert response.status_code == 200
    xml = response.content.decode()
    assert "/productbibliotheek/scan-sociale-infrastructuur/</loc>" in xml
    assert "/ontwikkellijnen/arbeidsmarktfunctionaliteiten/</loc>" in xml
    assert "/toegankelijkheid/</loc>" in xml
    assert "geheim-concept" not in xml
    assert "met-wachtwoord" not in xml


def test_atom_feed_lists_new_and_updated_products_newest_change_first(client, public_hub):
    first = client.get(reverse("website:product_feed"))
    assert first["Content-Type"].startswith("application/atom+xml")
    titles = re.findall(r"<entry><title>(.*?)</title>", first.content.decode())
    assert titles[0] == "Scan sociale infrastructuur"
    assert "Geheim concept" not in titles

    updated = public_hub.related[0]
    updated.summary = "Bijgewerkte samenvatting van de werkvorm."
    publish(updated)
    xml = client.get(reverse("website:product_feed")).content.decode()
    titles = re.findall(r"<entry><title>(.*?)</title>", xml)
    assert titles[0] == "Werkvorm gesprek 1"
    assert "Bijgewerkte samenvatting van de werkvorm." in xml


def test_drafts_never_show_to_visitors(client, public_hub):
    assert client.get(public_hub.draft_product.url).status_code == 404

    product = ProductPage.objects.get(pk=public_hub.product.pk)
    product.aanleiding = "<p>Nog niet goedgekeurde tekst.</p>"
    product.title = "Nieuwe titel in concept"
    product.save_revision()
    html = client.get(public_hub.product.url).content.decode()
    assert "Nog niet goedgekeurde tekst." not in html
    assert "Gemeenten vroegen om een gedeelde taal." in html
    for url in ["/", public_hub.line.url, reverse("website:product_feed")]:
        assert "Nieuwe titel in concept" not in client.get(url).content.decode()

    unpublished_line = DevelopmentLinePageFactory.build(title="Lijn in concept", slug="concept")
    public_hub.line_index.add_child(instance=unpublished_line)
    unpublished_line.products.add(public_hub.product)
    for url in ["/", public_hub.line_index.url, public_hub.product.url]:
        assert "Lijn in concept" not in client.get(url).content.decode()


def test_a_view_restricted_section_leaves_the_menu_breadcrumbs_and_line_facet(client, public_hub):
    restriction = PageViewRestriction.objects.create(
        page=public_hub.line_index, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    line = public_hub.line.title
    home = Outline()
    home.feed(client.get("/").content.decode())
    assert "Ontwikkellijnen" not in [text for href, text in home.links]
    assert "Productbibliotheek" in [text for href, text in home.links]
    library = client.get(public_hub.library.url).content.decode()
    assert 'name="ontwikkellijn"' not in library and "Soort product" in library

    session = client.session  # the visitor who gave the password sees the line itself
    session["passed_page_view_restrictions"] = [restriction.pk]
    session.save()
    response = client.get(public_hub.line.url)
    assert response.status_code == 200 and line in response.content.decode()
    crumbs = Outline()
    crumbs.feed(response.content.decode().split('aria-label="Kruimelpad"')[1].split("</nav>")[0])
    assert [text for href, text in crumbs.links] == ["Home", line]

    restriction.delete()
    library = client.get(public_hub.library.url).content.decode()
    assert 'name="ontwikkellijn"' in library


def test_a_view_restricted_page_is_never_offered_to_a_shared_cache(client, public_hub):
    product = public_hub.product
    assert client.get(product.url)["Cache-Control"].startswith("public")
    restriction = PageViewRestriction.objects.create(
        page=public_hub.library, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    for url in [public_hub.library.url, product.url]:  # the restricted page and one below it
        form = client.get(url)
        assert "wachtwoord" in form.content.decode().lower()
        assert "private" in form["Cache-Control"] and "public" not in form["Cache-Control"]

    session = client.session  # the visitor who gave the password sees the product itself
    session["passed_page_view_restrictions"] = [restriction.pk]
    session.save()
    shown = client.get(product.url)
    assert shown.status_code == 200 and product.title in shown.content.decode()
    assert "private" in shown["Cache-Control"] and "no-store" in shown["Cache-Control"]
    assert "public" not in shown["Cache-Control"]


def test_a_draft_preview_is_reachable_only_from_the_admin(client, public_hub):
    draft = public_hub.draft_product
    revision = draft.save_revision()
    preview_url = reverse("wagtailadmin_pages:revisions_view", args=[draft.pk, revision.pk])
    anonymous = client.get(preview_url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]

    admin = get_user_model().objects.create_superuser("beheer", "beheer@example.org", "pw-123-x")
    client.force_login(admin)
    preview = client.get(preview_url)
    assert preview.status_code == 200
    assert "Geheim concept" in preview.content.decode()
    client.logout()
    assert client.get(draft.url).status_code == 404


def product_with(hub, *, downloads: int, lines: int, related: int, suffix: str) -> ProductPage:
    """A published product with that many downloads, development lines and related products."""
    line_pages = [hub.line, hub.other_line]
    for number in range(max(0, lines - len(line_pages))):
        line = DevelopmentLinePageFactory.build(
            title=f"Lijn {suffix} {number}", slug=f"lijn-{suffix}-{number}"
        )
        hub.line_index.add_child(instance=line)
        line_pages.append(publish(line))
    related_pages = list(hub.related)
    for number in range(max(0, related - len(related_pages))):
        other = ProductPageFactory.build(
            title=f"Verwant {suffix} {number}", slug=f"verwant-{suffix}-{number}"
        )
        hub.library.add_child(instance=other)
        related_pages.append(publish(write_gate_requirements(other)))
    product = ProductPageFactory.build(title=f"Product {suffix}", slug=f"product-{suffix}")
    hub.library.add_child(instance=product)
    for page in related_pages[:related]:
        product.related_products.add(RelatedProduct(related=page))
    add_downloads(product, downloads, prefix=f"Download {suffix}")
    product.development_lines.set(line_pages[:lines])
    product.save()
    # Lines and the manual (the first download) are set above; owner and target group here.
    write_gate_requirements(product, development_lines=[], manual=None)
    return publish(product)


def queries_to_serve(client, url: str) -> tuple[list[str], str]:
    """The SQL of one anonymous website request for `url` through the whole middleware stack,
    with the cache (and so the werkblad fragment) emptied first; and the page it served."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return [query["sql"] for query in queries.captured_queries], response.content.decode()


def product_page_pair(hub) -> tuple[ProductPage, ProductPage]:
    small = product_with(hub, downloads=1, lines=1, related=1, suffix="klein")
    large = product_with(hub, downloads=10, lines=4, related=5, suffix="groot")
    return small, large


def test_product_page_queries_do_not_grow_with_downloads_lines_or_related(
    client, public_hub, django_assert_max_num_queries
):
    small, large = product_page_pair(public_hub)
    client.get(small.url)  # warm Wagtail's site and content type caches

    small_queries, _ = queries_to_serve(client, small.url)
    large_queries, html = queries_to_serve(client, large.url)
    # The request did the page's work: it read the downloads, lines and related products and
    # showed every one of them (a count of a cached or short-circuited response would not).
    for table in ("productdownload", "developmentlinepage", "relatedproduct", "wagtaildocs"):
        assert any(table in sql for sql in large_queries), table
    shown = [f"Download groot {n}" for n in range(1, 11)] + [f"Verwant groot {n}" for n in range(3)]
    shown += [f"Lijn groot {n}" for n in range(2)]
    assert all(title in html for title in shown)
    assert len(large_queries) == len(small_queries)
    with django_assert_max_num_queries(40):
        cache.clear()
        client.get(large.url)
    with django_assert_max_num_queries(len(small_queries)):
        client.get(large.url)  # the cached werkblad fragment costs no extra queries


def test_the_query_count_notices_a_query_per_download(client, public_hub, monkeypatch):
    """Positive control: with an N+1 on the downloads, the large page costs more queries."""
    from products import selectors

    def one_query_per_download(page: ProductPage) -> list:
        ids = page.downloads.order_by("sort_order").values_list("pk", flat=True)
        return [page.downloads.select_related("document").get(pk=pk) for pk in ids]

    monkeypatch.setattr(selectors, "_downloads", one_query_per_download)
    small, large = product_page_pair(public_hub)
    client.get(small.url)
    small_queries, _ = queries_to_serve(client, small.url)
    large_queries, _ = queries_to_serve(client, large.url)
    assert len(large_queries) == len(small_queries) + 9


def test_a_publish_refreshes_the_cached_werkblad_fragment(client, public_hub):
    url = public_hub.product.url
    assert "Gemeenten vroegen om een gedeelde taal." in client.get(url).content.decode()

    product = ProductPage.objects.get(pk=public_hub.product.pk)
    product.aanleiding = "<p>Regio's vroegen om één taal voor werkfit.</p>"
    product.save_revision()
    assert "één taal voor werkfit" not in client.get(url).content.decode()  # draft only

    publish(product)
    html = client.get(url).content.decode()
    assert "één taal voor werkfit" in html
    assert "Gemeenten vroegen om een gedeelde taal." not in html
