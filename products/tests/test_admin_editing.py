"""Editors create and edit every page type through the real Wagtail admin; they cannot publish."""

from django.urls import reverse

from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest

from hubcms.testing.factories import DevelopmentLinePageFactory
from products.models import (
    DevelopmentLineIndexPage,
    DevelopmentLinePage,
    HomePage,
    InnovationAgendaPage,
    ProductLibraryPage,
    ProductPage,
    TargetGroup,
)


def add_url(model, parent: Page) -> str:
    return reverse(
        "wagtailadmin_pages:add",
        args=(model._meta.app_label, model._meta.model_name, parent.pk),
    )


def product_form(**overrides) -> dict:
    data = {
        "title": "Scan arbeidsmarktfunctionaliteiten",
        "slug": "scan-arbeidsmarktfunctionaliteiten",
        "product_type": "scan",
        "lifecycle_status": "in_ontwikkeling",
        "summary": "Brengt in kaart welke functies het SOB voor de regio vervult.",
        "aanleiding": rich_text("<p>Gemeenten vroegen erom.</p>"),
        "doel": rich_text("<p>Inzicht.</p>"),
        "doelgroep": rich_text("<p>Beleidsadviseurs.</p>"),
        "aanpak": streamfield(
            [
                (
                    "step",
                    {
                        "title": "Voorbereiden",
                        "description": rich_text("<p>Plan.</p>"),
                        "duration": "",
                    },
                ),
                (
                    "step",
                    {"title": "Uitvoeren", "description": rich_text("<p>Doe.</p>"), "duration": ""},
                ),
            ]
        ),
        "randvoorwaarden": rich_text(""),
        "uitvoering": rich_text(""),
        "onderbouwing": rich_text(""),
        "resultaten": rich_text(""),
        "overdraagbaarheid": rich_text(""),
        "version": "0.1",
        "change_note": "",
        "images": inline_formset([]),
        "downloads": inline_formset([]),
        "related_products": inline_formset([]),
        "themes": '"beschut werk"',
    }
    multi = {k: overrides.pop(k) for k in list(overrides) if isinstance(overrides[k], list)}
    data.update(overrides)
    form = nested_form_data(data)
    form.update(multi)  # nested_form_data would flatten a multiple choice into indexed keys
    return form


@pytest.mark.django_db
def test_editor_creates_and_edits_a_product_draft(client, editor, hub):
    library = ProductLibraryPage.objects.get()
    line = DevelopmentLinePageFactory(parent=DevelopmentLineIndexPage.objects.get())
    group = TargetGroup.objects.create(name="Beleidsadviseurs", slug="beleidsadviseurs")
    client.force_login(editor)
    response = client.post(
        add_url(ProductPage, library),
        product_form(development_lines=[line.pk], target_groups=[group.pk]),
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    product = ProductPage.objects.get(slug="scan-arbeidsmarktfunctionaliteiten")
    assert not product.live
    draft = product.get_latest_revision_as_object()
    assert list(draft.development_lines.all()) == [line]
    assert list(draft.target_groups.all()) == [group]
    assert [t.name for t in draft.themes.all()] == ["beschut werk"]
    assert len(draft.aanpak) == 2

    edit_url = reverse("wagtailadmin_pages:edit", args=(product.pk,))
    assert client.get(edit_url).status_code == 200
    response = client.post(edit_url, product_form(summary="Nieuwe samenvatting."))
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.get_latest_revision_as_object().summary == "Nieuwe samenvatting."


@pytest.mark.django_db
def test_editor_cannot_publish(client, editor, hub):
    library = ProductLibraryPage.objects.get()
    client.force_login(editor)
    response = client.post(add_url(ProductPage, library), product_form(**{"action-publish": "1"}))
    product = ProductPage.objects.get(slug="scan-arbeidsmarktfunctionaliteiten")
    assert not product.live
    assert response.status_code in (302, 403)
    assert not product.get_latest_revision().approved_go_live_at


@pytest.mark.django_db
def test_invalid_version_gets_a_dutch_message(client, editor, hub):
    client.force_login(editor)
    response = client.post(
        add_url(ProductPage, ProductLibraryPage.objects.get()), product_form(version="versie één")
    )
    assert response.status_code == 200
    assert "Schrijf de versie als hoofdversie.subversie" in response.content.decode()
    assert not ProductPage.objects.exists()


@pytest.mark.django_db
def test_editor_creates_a_development_line_with_milestones(client, editor, hub):
    client.force_login(editor)
    data = nested_form_data(
        {
            "title": "Governance",
            "slug": "governance",
            "summary": "Sturing op de sociale infrastructuur.",
            "goal": rich_text("<p>Heldere rollen.</p>"),
            "lead": "Sanne Bakker (VNG)",
            "status": "in_ontwikkeling",
            "milestones": inline_formset(
                [{"title": "Model vastgesteld", "planned_quarter": "2026-Q3", "status": "gepland"}]
            ),
        }
    )
    response = client.post(
        add_url(DevelopmentLinePage, DevelopmentLineIndexPage.objects.get()), data
    )
    assert response.status_code == 302
    line = DevelopmentLinePage.objects.get(slug="governance")
    assert line.milestones.get().planned_quarter == "2026-Q3"


@pytest.mark.django_db
def test_milestone_quarter_is_validated(client, editor, hub):
    client.force_login(editor)
    data = nested_form_data(
        {
            "title": "Governance",
            "slug": "governance",
            "status": "gepland",
            "milestones": inline_formset(
                [{"title": "Model", "planned_quarter": "Q3 2026", "status": "gepland"}]
            ),
        }
    )
    response = client.post(
        add_url(DevelopmentLinePage, DevelopmentLineIndexPage.objects.get()), data
    )
    assert response.status_code == 200
    assert "Schrijf het kwartaal als jaar-kwartaal" in response.content.decode()


@pytest.mark.django_db
def test_editor_creates_the_agenda_with_priorities(client, editor, hub):
    line = DevelopmentLinePageFactory(parent=DevelopmentLineIndexPage.objects.get())
    client.force_login(editor)
    data = nested_form_data(
        {
            "title": "Innovatieagenda 2026-2027",
            "slug": "innovatieagenda",
            "period_start": "2026",
            "period_end": "2027",
            "intro": rich_text("<p>De agenda.</p>"),
            "priorities": inline_formset(
                [
                    {
                        "title": "Arbeidsmarktfunctionaliteiten landelijk",
                        "description": "",
                        "owner": "Cedris",
                        "planned_quarter": "2026-Q4",
                        "status": "lopend",
                        "steering_mechanism": "Kwartaaloverleg partners",
                    }
                ]
            ),
        }
    )
    data["priorities-0-development_lines"] = [line.pk]
    response = client.post(add_url(InnovationAgendaPage, HomePage.objects.get()), data)
    assert response.status_code == 302
    draft = InnovationAgendaPage.objects.get().get_latest_revision_as_object()
    (priority,) = draft.priorities.all()
    assert list(priority.development_lines.all()) == [line]


@pytest.mark.django_db
def test_more_themes_than_a_product_can_hold_is_a_dutch_form_error(client, editor, hub):
    library = ProductLibraryPage.objects.get()
    client.force_login(editor)
    many = ", ".join(f"thema {number}" for number in range(31))
    response = client.post(add_url(ProductPage, library), product_form(themes=many))
    assert response.status_code == 200
    assert "Geef hoogstens 30 thema&#x27;s op; dit zijn er 31." in response.content.decode()
    assert not ProductPage.objects.filter(slug="scan-arbeidsmarktfunctionaliteiten").exists()
    thirty = ", ".join(f"thema {number}" for number in range(30))
    assert (
        client.post(add_url(ProductPage, library), product_form(themes=thirty)).status_code == 302
    )
    assert ProductPage.objects.get(slug="scan-arbeidsmarktfunctionaliteiten").themes.count() == 30
