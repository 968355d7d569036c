"""Revising the quality framework in the admin, as the Beheerder does it (issue 15, item 1)."""

import re

from django.test import Client
from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from hubcms.testing.factories import ProductPageFactory
from hubcms.testing.publishing import publish
from products.models import ProductLibraryPage
from quality.gate import framework_in_force
from quality.models import FrameworkStatus, QualityCriterion, QualityFrameworkVersion
from quality.services import draft_next_version

pytestmark = pytest.mark.django_db

ADOPTED = "quality.framework.adopted"


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def form_token(html: str, action: str) -> str:
    """The CSRF token inside the form that posts to `action`."""
    form = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', html, re.S)
    assert form, f"no form posting to {action}"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(1))
    assert token, "the form carries no CSRF token"
    return token.group(1)


def test_new_version_from_the_list_works_with_csrf_protection(administrator):
    client = csrf_client(administrator)
    current = framework_in_force()
    html = client.get(reverse("quality_framework:index")).content.decode()
    action = reverse("quality_new_framework_version", args=(current.pk,))
    response = client.post(action, {"csrfmiddlewaretoken": form_token(html, action)})
    assert response.status_code == 302
    draft = QualityFrameworkVersion.objects.get(status=FrameworkStatus.DRAFT)
    assert response.url == reverse("quality_framework:edit", args=(draft.pk,))
    copied = list(draft.criteria.values_list("code", "title", "kind", "severity"))
    assert copied == list(current.criteria.values_list("code", "title", "kind", "severity"))


def test_a_published_version_is_viewed_with_all_its_criteria(administrator, reviewer):
    current = framework_in_force()
    inspect = reverse("quality_framework:inspect", args=(current.pk,))
    client = csrf_client(administrator)
    index = client.get(reverse("quality_framework:index")).content.decode()
    # The version's title opens its read-only page, not an editor that refuses it.
    assert f'href="{inspect}"' in index
    page = client.get(inspect).content.decode()
    for title in current.criteria.values_list("title", flat=True):
        assert title in page
    action = reverse("quality_new_framework_version", args=(current.pk,))
    response = client.post(action, {"csrfmiddlewaretoken": form_token(page, action)})
    assert response.status_code == 302
    # A Kwaliteitsbewaker reads the criteria too, without the buttons of the Beheerder.
    reviewer_page = csrf_client(reviewer).get(inspect).content.decode()
    assert current.criteria.first().title in reviewer_page
    assert "Nieuwe versie op basis hiervan" not in reviewer_page


@pytest.fixture
def live_content(hub):
    library = ProductLibraryPage.objects.get()
    ownerless = publish(
        ProductPageFactory(parent=library, title="Scan zonder eigenaar", complete=True)
    )
    complete = publish(ProductPageFactory(parent=library, title="Complete scan", complete=True))
    # The live content of one product loses its owner (as an old import might have left it).
    type(ownerless).objects.filter(pk=ownerless.pk).update(product_owner=None)
    return ownerless, complete


def stricter_draft() -> QualityFrameworkVersion:
    """A draft with one new manual criterion for products."""
    draft = draft_next_version(source=framework_in_force())
    draft.change_note = "Onderbouwing wordt getoetst."
    draft.save()
    QualityCriterion.objects.create(
        version=draft,
        sort_order=99,
        code="onderbouwing",
        title="Onderbouwing aannemelijk",
        explanation="De onderbouwing maakt aannemelijk dat het product werkt.",
        kind="manual",
        severity="blocking",
        page_types=["productpage"],
    )
    return draft


def test_the_impact_preview_lists_what_would_fail_or_need_review(administrator, live_content):
    ownerless, complete = live_content
    draft = stricter_draft()
    client = csrf_client(administrator)
    url = reverse("quality_adopt_framework_version", args=(draft.pk,))
    html = client.get(url).content.decode()
    failing = html.split('id="impact-failing"')[1].split('id="impact-review"')[0]
    review = html.split('id="impact-review"')[1]
    assert ownerless.title in failing and "Kies een eigenaar" in failing
    assert complete.title not in failing
    assert complete.title in review and "Onderbouwing aannemelijk" in review
    assert "Nieuwe criteria: Onderbouwing aannemelijk" in html
    # Looking changes nothing.
    draft.refresh_from_db()
    assert draft.status == FrameworkStatus.DRAFT
    assert not ModelLogEntry.objects.filter(action=ADOPTED).exists()


def test_adoption_is_one_confirmed_post_in_the_audit_log(administrator, live_content):
    draft = stricter_draft()
    previous = framework_in_force()
    client = csrf_client(administrator)
    url = reverse("quality_adopt_framework_version", args=(draft.pk,))
    page = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(url, {"csrfmiddlewaretoken": token}, follow=True)
    assert "is vastgesteld" in response.content.decode()
    draft.refresh_from_db()
    previous.refresh_from_db()
    assert draft.status == FrameworkStatus.PUBLISHED
    assert previous.status == FrameworkStatus.SUPERSEDED
    assert framework_in_force() == draft
    entry = ModelLogEntry.objects.get(action=ADOPTED)
    assert entry.user_id == administrator.pk
    assert entry.data["superseded"] == [previous.version]
    history = client.get(reverse("quality_framework:history", args=(draft.pk,)))
    assert "vastgesteld" in history.content.decode()
    # A second confirmation changes nothing.
    client.post(url, {"csrfmiddlewaretoken": token})
    assert ModelLogEntry.objects.filter(action=ADOPTED).count() == 1


def test_saving_the_form_never_adopts_a_version(administrator):
    draft = draft_next_version(source=framework_in_force())
    client = csrf_client(administrator)
    html = client.get(reverse("quality_framework:edit", args=(draft.pk,))).content.decode()
    assert 'name="status"' not in html
    assert reverse("quality_adopt_framework_version", args=(draft.pk,)) in html


def test_a_draft_without_change_note_is_not_adopted(administrator):
    draft = draft_next_version(source=framework_in_force())
    client = csrf_client(administrator)
    url = reverse("quality_adopt_framework_version", args=(draft.pk,))
    page = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert "Vul eerst de wijzigingsnotitie in" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == FrameworkStatus.DRAFT


@pytest.mark.parametrize("role", ["editor", "reviewer", "coordinator"])
def test_only_the_beheerder_adopts(request, role):
    user = request.getfixturevalue(role)
    draft = draft_next_version(source=framework_in_force())
    client = Client()
    client.force_login(user)
    url = reverse("quality_adopt_framework_version", args=(draft.pk,))
    assert client.get(url).status_code in (302, 403)
    client.post(url)
    draft.refresh_from_db()
    assert draft.status == FrameworkStatus.DRAFT
