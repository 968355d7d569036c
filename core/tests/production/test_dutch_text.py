"""Dutch, exact and readable everywhere (issue 15, item 6), seen through the real admin views.

Future dates show as dates, never as "Zojuist"; no English or raw field names and no Python
True/False in the admin a hub team reads every day.
"""

import datetime
import html

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from hubcms.testing.factories import ProductPageFactory
from hubcms.testing.publishing import publish
from operations.models import Certification, Pilot, Specialist
from operations.services import submit_knowledge_signal
from products.models import ProductLibraryPage, Region
from quality.models import QualityAssessment

pytestmark = pytest.mark.django_db

NEXT_YEAR = datetime.date.today().replace(month=3, day=15) + datetime.timedelta(days=366)


def snippet_url(model: str, action: str = "list") -> str:
    return reverse(f"wagtailsnippets_operations_{model}:{action}")


@pytest.fixture
def product(hub):
    return ProductPageFactory(parent=ProductLibraryPage.objects.get(), title="Werkfit-scan")


@pytest.fixture
def specialist(hub) -> Specialist:
    return Specialist.objects.create(
        name="Anouk de Vries",
        organisation="SOB Twente",
        region=Region.objects.get(code="twente"),
        email="anouk@sob.example",
        public_listing=True,
    )


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def test_a_certificate_valid_until_next_year_shows_that_date(
    coordinator_client, product, specialist
):
    Certification.objects.create(
        specialist=specialist,
        product=product,
        role="uitvoerder",
        certified_on=datetime.date.today() - datetime.timedelta(days=30),
        valid_until=NEXT_YEAR,
    )
    text = coordinator_client.get(snippet_url("certification")).content.decode()
    assert NEXT_YEAR.strftime("%d-%m-%Y") in text
    assert "ojuist" not in text


def test_a_pilot_starting_in_the_future_shows_its_start_date(coordinator_client, product):
    Pilot.objects.create(title="Pilot Enschede", product=product, start_date=NEXT_YEAR)
    text = coordinator_client.get(snippet_url("pilot")).content.decode()
    assert "Pilot Enschede" in text
    assert NEXT_YEAR.strftime("%d-%m-%Y") in text
    assert "ojuist" not in text


def test_the_specialist_listing_says_ja_or_nee_not_true_or_false(coordinator_client, specialist):
    text = coordinator_client.get(snippet_url("specialist")).content.decode()
    assert "Anouk de Vries" in text
    assert ">True<" not in text.replace(" ", "").replace("\n", "")
    assert "Ja" in text


def test_the_assessment_inspect_view_has_dutch_labels(coordinator_client, hub, editor):
    from hubcms.testing.factories import DevelopmentLinePageFactory
    from products.models import DevelopmentLineIndexPage
    from quality.tests.conftest import make_complete_product

    line = DevelopmentLinePageFactory(
        parent=DevelopmentLineIndexPage.objects.get(), title="Arbeidsmarkt"
    )
    publish(make_complete_product(ProductLibraryPage.objects.get(), line, editor, title="Scan"))
    assessment = QualityAssessment.objects.get()
    text = coordinator_client.get(
        reverse("quality_assessments:inspect", args=(assessment.pk,))
    ).content.decode()
    assert "Uitkomst" in text and "Oordelen per criterium" in text
    assert "Result display" not in text and "Judgements html" not in text
    listing = coordinator_client.get(reverse("quality_assessments:index")).content.decode()
    assert "Result display" not in listing


def _admin_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(html.unescape(response.content.decode()).split())


def test_the_page_explorer_counts_in_readable_dutch(coordinator_client, product):
    library = ProductLibraryPage.objects.get()
    explore = reverse("wagtailadmin_explore", args=(library.pk,))
    text = _admin_text(coordinator_client, explore)
    assert "1-1 van 1 pagina </th>" in text  # singular for one product
    assert "1-1van" not in text and "11- van" not in text and "1 pagina's" not in text

    ProductPageFactory(parent=library, title="Werkfit-training")
    text = _admin_text(coordinator_client, explore)
    assert "1-2 van 2 pagina's </th>" in text  # plural for several


def test_an_empty_page_listing_says_zero_pages_not_one_to_zero(coordinator_client, product):
    text = _admin_text(coordinator_client, reverse("wagtailadmin_explore", args=(product.pk,)))
    assert "1-0 van 0" not in text
    assert "0 pagina's </th>" in text


def test_the_page_search_counts_pages_instead_of_printing_none(coordinator_client, product):
    search = reverse("wagtailadmin_pages:search")
    text = _admin_text(coordinator_client, f"{search}?q=Werkfit")
    assert "1-1 van 1 pagina </th>" in text
    assert " None </th>" not in text

    ProductPageFactory(parent=ProductLibraryPage.objects.get(), title="Werkfit-training")
    text = _admin_text(coordinator_client, f"{search}?q=Werkfit")
    assert "1-2 van 2 pagina's </th>" in text
    assert " None </th>" not in text


def test_the_page_type_usage_counts_products_in_singular_and_plural(coordinator_client, product):
    usage = reverse("wagtailadmin_pages:type_use", args=("content", "productpage"))
    assert "1-1 van 1 product </th>" in _admin_text(coordinator_client, usage)
    ProductPageFactory(parent=ProductLibraryPage.objects.get(), title="Werkfit-training")
    assert "1-2 van 2 producten </th>" in _admin_text(coordinator_client, usage)


def test_a_refused_signal_names_the_organisation_kinds_by_their_dutch_labels(hub):
    """The service behind the form and the API (and any import) speaks labels, not codes."""
    with pytest.raises(ValidationError) as refused:
        submit_knowledge_signal(
            region_code="achterhoek",
            organisation_kind="bedrijf",
            topic="Jobcoaching bij kleine werkgevers",
            description="Kleine werkgevers vragen om een lichtere vorm van jobcoaching.",
        )
    assert refused.value.message_dict["organisation_kind"] == [
        "Kies het soort organisatie: Regionaal adviseur, SOB (sociaal ontwikkelbedrijf), "
        "Gemeente of Landelijke partner."
    ]


def test_the_editing_conflict_warning_gives_dutch_local_time(editor, hub):
    from django.test import Client

    from conftest import make_user
    from core import roles
    from core.tests.production.test_concurrent_editing import latest_revision, open_editor, save

    product = ProductPageFactory(parent=ProductLibraryPage.objects.get(), title="Werkgeversscan")
    product.save_revision()
    anne, bert = Client(), Client()
    anne.force_login(editor)
    bert.force_login(make_user("redacteur2", roles.EDITOR))
    anne_form, bert_form = open_editor(anne, product), open_editor(bert, product)
    assert save(anne, product, anne_form, title="Werkgeversscan (Anne)").status_code == 302
    # Anne saved at 10:00 UTC on 15 January, which is 11:00 in Amsterdam.
    product.revisions.filter(pk=bert_form["loaded_revision_id"]).update(
        created_at=datetime.datetime(2026, 1, 15, 9, 0, tzinfo=datetime.UTC)
    )
    latest_revision(product).__class__.objects.filter(pk=latest_revision(product).pk).update(
        created_at=datetime.datetime(2026, 1, 15, 10, 0, tzinfo=datetime.UTC)
    )
    response = save(bert, product, bert_form, title="Werkgeversscan (Bert)", follow=True)
    text = response.content.decode()
    assert "had intussen een nieuwere versie opgeslagen (15-01-2026 11:00)" in text


def test_the_admin_login_form_has_dutch_labels(client, hub):
    text = " ".join(client.get("/admin/login/").content.decode().split())
    assert "Wachtwoord<span" in text
    assert ">Password<" not in text.replace(" ", "") and "Password<span" not in text
    assert "Username<span" not in text


def test_api_v2_detail_urls_use_the_site_that_answers_the_request(client, hub):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "hub.example.nl", 443
    site.save()
    response = client.get("/api/v2/pages/", HTTP_HOST="hub.example.nl", secure=True)
    assert response.status_code == 200
    items = response.json()["items"]
    assert items
    for item in items:
        assert item["meta"]["detail_url"].startswith("https://hub.example.nl/api/v2/pages/")
    assert "127.0.0.1:8000" not in response.content.decode()


def test_mail_links_default_to_the_configured_host():
    from hubcms.settings.base import default_admin_base_url

    assert default_admin_base_url(["hub.example.nl", "localhost"]) == "https://hub.example.nl"
    assert default_admin_base_url([".example.nl"]) == "https://example.nl"
    assert default_admin_base_url(["localhost", "127.0.0.1"]) == "http://127.0.0.1:8000"
    assert default_admin_base_url(["*"]) == "http://127.0.0.1:8000"
