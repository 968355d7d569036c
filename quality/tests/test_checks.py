"""The automatic checks: each names what to fix, in Dutch, and the field it concerns (item 1)."""

import datetime

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

import pytest

from hubcms.testing.publishing import publish
from products.models import ProductImage
from quality.checks import get_check
from quality.checks.accessibility import heading_problem
from quality.checks.readability import count_syllables, flesch_douma
from quality.tests.conftest import make_complete_product


def check(code, page):
    return get_check(code)(page)


@pytest.mark.django_db
def test_a_complete_product_passes_every_blocking_check(product):
    page = product.get_latest_revision_as_object()
    for code in [
        "samenvatting",
        "werkblad_volledig",
        "indeling",
        "eigenaar",
        "alt_tekst",
        "koppen",
        "links_gepubliceerd",
        "download_handleiding",
        "herziening",
        "wijzigingsnotitie",
    ]:
        result = check(code, page)
        assert result.passed, (code, result.message)


@pytest.mark.django_db
def test_summary_missing_or_too_long(product):
    product.summary = ""
    assert check("samenvatting", product).field == "summary"
    assert "Vul de samenvatting in" in check("samenvatting", product).message
    product.summary = "x" * 301
    result = check("samenvatting", product)
    assert not result.passed and "301 tekens" in result.message


@pytest.mark.django_db
def test_werkblad_sections_and_steps(product):
    product.onderbouwing = "<p></p>"
    result = check("werkblad_volledig", product)
    assert not result.passed and result.field == "onderbouwing"
    assert "onderbouwing" in result.message
    product.onderbouwing = "<p>Onderzoek.</p>"
    product.aanpak = [("step", {"title": "Alleen", "description": "<p>Eén stap.</p>"})]
    result = check("werkblad_volledig", product)
    assert not result.passed and result.field == "aanpak" and "ten minste 2" in result.message


@pytest.mark.django_db
def test_classification_and_owner(library, line, editor):
    from hubcms.testing.factories import ProductPageFactory

    bare = ProductPageFactory(parent=library)
    assert check("indeling", bare).field == "development_lines"
    bare.development_lines.add(line)
    assert check("indeling", bare).field == "target_groups"
    assert check("eigenaar", bare).field == "product_owner"


@pytest.mark.django_db
def test_images_need_alt_text_or_decorative(product):
    image = get_image_model().objects.create(title="Foto", file=get_test_image_file())
    product.images.add(ProductImage(image=image, alt_text=""))
    result = check("alt_tekst", product)
    assert not result.passed and "Afbeelding 1" in result.message and result.field == "images"
    product.images.first().alt_text = "a" * 126
    assert "126 tekens" in check("alt_tekst", product).message
    product.images.first().decorative = True
    assert check("alt_tekst", product).passed


def test_headings_skip_no_level_and_are_not_empty():
    assert heading_problem("<h2>Doel</h2><h3>Sub</h3><h2>Verder</h2>") is None
    assert "slaat een niveau over" in heading_problem("<h2>A</h2><h4>B</h4>")
    assert "slaat een niveau over" in heading_problem("<h3>Begint te diep</h3>")
    assert "lege kop" in heading_problem("<h2> </h2>")


@pytest.mark.django_db
def test_headings_check_names_the_section(product):
    product.doel = "<h2>Doel</h2><h4>Te diep</h4>"
    result = check("koppen", product)
    assert not result.passed and result.field == "doel" and "'Doel'" in result.message


@pytest.mark.django_db
def test_links_to_unpublished_pages_and_deleted_documents(library, line, editor, product):
    draft = make_complete_product(library, line, editor, title="Nog een concept")
    product.uitvoering = f'<p>Zie <a linktype="page" id="{draft.pk}">dit</a>.</p>'
    result = check("links_gepubliceerd", product)
    assert not result.passed and result.field == "uitvoering"
    publish(draft)
    assert check("links_gepubliceerd", product).passed
    document = get_document_model().objects.create(
        title="Weg", file=ContentFile(b"x", name="weg.txt")
    )
    product.resultaten = f'<p><a linktype="document" id="{document.pk}">rapport</a></p>'
    assert check("links_gepubliceerd", product).passed
    document.delete()
    result = check("links_gepubliceerd", product)
    assert not result.passed and result.field == "resultaten"


@pytest.mark.django_db
def test_manual_or_format_download_required(library, line, editor):
    page = make_complete_product(library, line, editor).get_latest_revision_as_object()
    assert check("download_handleiding", page).passed
    page.downloads.first().kind = "werkblad"
    result = check("download_handleiding", page)
    assert not result.passed and result.field == "downloads"
    assert "Handleiding" in result.message


@pytest.mark.django_db
def test_review_date_in_the_future_and_at_most_24_months(product):
    today = datetime.date.today()
    product.next_review_date = today
    assert not check("herziening", product).passed
    product.next_review_date = today + datetime.timedelta(days=800)
    assert "24 maanden" in check("herziening", product).message
    product.next_review_date = None
    assert check("herziening", product).field == "next_review_date"


@pytest.mark.django_db
def test_change_note_when_the_major_version_goes_up(product):
    live = publish(product)
    draft = live.get_latest_revision_as_object()
    draft.version = "2.0"
    draft.change_note = live.change_note
    result = check("wijzigingsnotitie", draft)
    assert not result.passed and result.field == "change_note"
    draft.change_note = "Nieuwe stap toegevoegd na de pilot."
    assert check("wijzigingsnotitie", draft).passed
    draft.version = "1.4"
    draft.change_note = live.change_note
    assert check("wijzigingsnotitie", draft).passed


def test_flesch_douma_formula():
    assert count_syllables("bijvoorbeeld") == 3
    assert count_syllables("niet") == 1
    # 4 words, 1 sentence, 4 syllables: 206.84 - 0.77 * 100 - 0.93 * 4
    assert flesch_douma("De kat zit hier.") == pytest.approx(206.84 - 77 - 3.72)
    hard = (
        "De implementatiestrategie betreffende arbeidsmarktfunctionaliteiten vereist "
        "interorganisationele afstemmingsmechanismen tussen uitvoeringsorganisaties."
    )
    assert flesch_douma(hard) < 60
    assert flesch_douma("") is None


@pytest.mark.django_db
def test_readability_is_advisory(product):
    product.summary = (
        "De implementatiestrategie betreffende arbeidsmarktfunctionaliteiten vereist "
        "interorganisationele afstemmingsmechanismen."
    )
    result = check("leesbaarheid", product)
    assert not result.passed and "Flesch-Douma" in result.message
