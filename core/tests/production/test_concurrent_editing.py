"""Two editors saving the same product never silently overwrite each other (Wagtail admin)."""

import html
import re

from django.test import Client
from django.urls import reverse

import pytest

from conftest import make_user
from core import roles
from hubcms.testing.factories import ProductPageFactory
from products.models import ProductLibraryPage
from products.tests.test_admin_editing import product_form


def open_editor(client: Client, page) -> dict:
    """Load the edit view as a browser would; return the hidden revision fields and the ping URL."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    text = response.content.decode()

    def hidden(name: str) -> str:
        return html.unescape(re.search(rf'name="{name}" value="([^"]*)"', text).group(1))

    return {
        "loaded_revision_id": hidden("loaded_revision_id"),
        "loaded_revision_created_at": hidden("loaded_revision_created_at"),
        "ping_url": html.unescape(
            re.search(r'"(/admin/editing-sessions/ping/[^"]+)"', text).group(1)
        ),
    }


def save(client: Client, page, loaded: dict, *, follow: bool = False, **changes):
    headers = {k: changes.pop(k) for k in list(changes) if k.startswith("HTTP_")}
    data = product_form(slug=page.slug, **changes)
    data["loaded_revision_id"] = loaded["loaded_revision_id"]
    data["loaded_revision_created_at"] = loaded["loaded_revision_created_at"]
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    return client.post(url, data, follow=follow, **headers)


def latest_revision(page):
    page.refresh_from_db()
    return page.get_latest_revision()


@pytest.fixture
def two_editors(editor):
    anne, bert = Client(), Client()
    anne.force_login(editor)
    bert.force_login(make_user("redacteur2", roles.EDITOR))
    return anne, bert


@pytest.fixture
def product(hub):
    page = ProductPageFactory(parent=ProductLibraryPage.objects.get(), title="Werkgeversscan")
    page.save_revision()
    return page


@pytest.mark.django_db
def test_the_second_editor_is_told_and_nothing_is_overwritten_silently(two_editors, product):
    anne, bert = two_editors
    anne_form, bert_form = open_editor(anne, product), open_editor(bert, product)

    assert save(anne, product, anne_form, title="Werkgeversscan (Anne)").status_code == 302
    anne_revision = latest_revision(product)

    # Bert's editor is told, while he is still typing, that Anne saved a newer version
    # (with JavaScript, saving then asks for confirmation first).
    ping = bert.post(
        bert_form["ping_url"],
        {
            "revision_id": bert_form["loaded_revision_id"],
            "revision_created_at": bert_form["loaded_revision_created_at"],
            "is_editing": "1",
        },
    ).json()
    assert any(s["revision_id"] == anne_revision.pk for s in ping["other_sessions"])
    assert "heeft een nieuwere versie opgeslagen" in ping["html"]

    # His editor's autosave is refused outright.
    autosave = save(
        bert, product, bert_form, title="Werkgeversscan (Bert)", HTTP_ACCEPT="application/json"
    )
    assert autosave.json()["error_code"] == "invalid_revision"
    assert latest_revision(product).pk == anne_revision.pk

    # A plain submit (no JavaScript) is saved as a new version, with a warning and a comparison link;
    # Anne's version stays in the history.
    response = save(bert, product, bert_form, title="Werkgeversscan (Bert)", follow=True)
    page = response.content.decode()
    assert "had intussen een nieuwere versie opgeslagen" in page
    bert_revision = latest_revision(product)
    compare = reverse(
        "wagtailadmin_pages:revisions_compare",
        args=[product.pk, anne_revision.pk, bert_revision.pk],
    )
    assert compare in page
    assert bert.get(compare).status_code == 200
    assert anne_revision.as_object().title == "Werkgeversscan (Anne)"
    assert bert_revision.as_object().title == "Werkgeversscan (Bert)"


@pytest.mark.django_db
def test_an_editor_saving_twice_gets_no_warning(two_editors, product):
    anne, _ = two_editors
    first = open_editor(anne, product)
    assert save(anne, product, first, title="Eerste").status_code == 302
    second = open_editor(anne, product)
    response = save(anne, product, second, title="Tweede", follow=True)
    assert "nieuwere versie" not in response.content.decode()


@pytest.mark.django_db
def test_a_locked_product_cannot_be_saved_by_another_editor(two_editors, product):
    anne, bert = two_editors
    bert_form = open_editor(bert, product)
    assert anne.post(reverse("wagtailadmin_pages:lock", args=[product.pk])).status_code == 302
    before = latest_revision(product).pk

    response = save(bert, product, bert_form, title="Werkgeversscan (Bert)")
    assert (
        "De pagina kan niet worden opgeslagen omdat deze is vergrendeld"
        in response.content.decode()
    )
    assert latest_revision(product).pk == before
