"""The rule holds on every path to going live (issue item 5).

Each path is tried with a revision that has no assessment, and with one whose only passing
assessment was made by its own author ("self-made"); each is refused with nothing changed. A
positive control per path shows the test can fail: with an honest assessment the path works.
"""

import datetime
import io
from unittest import mock

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page, PageLogEntry, Revision, TaskState, Workflow

import pytest

from conftest import make_user
from core import roles
from hubcms.testing.publishing import publish
from products.models import ProductPage
from quality.gate import REFUSED_ACTION, QualityGateRefused, framework_in_force
from quality.models import QualityAssessment
from quality.services import Judgement, assess_revision, ensure_framework_version
from quality.tests.conftest import make_complete_product

VARIANTS = ["no_assessment", "self_made_assessment"]


@pytest.fixture
def author(hub):
    """An editor who is also a Kwaliteitsbewaker and a Coördinator: may still not pass own work."""
    user = make_user("alleskunner", roles.EDITOR)
    user.groups.add(Group.objects.get(name=roles.REVIEWER))
    user.groups.add(Group.objects.get(name=roles.COORDINATOR))
    return user


def self_assess(revision: Revision, user) -> QualityAssessment:
    """Write a passing assessment by the revision's own author, bypassing the service's checks."""
    return QualityAssessment.objects.create(
        page_id=revision.object_id,
        page_title=revision.object_str,
        revision=revision,
        framework_version=framework_in_force(),
        reviewer=user,
        reviewer_name=user.get_username(),
        passed=True,
    )


def honest_assessment(revision: Revision, reviewer) -> QualityAssessment:
    page = revision.as_object()
    from quality.gate import evaluate_page

    judgements = {
        o.criterion.code: Judgement(True)
        for o in evaluate_page(page)
        if o.criterion.kind == "manual"
    }
    return assess_revision(revision=revision, reviewer=reviewer, judgements=judgements)


def prepare(variant: str, revision: Revision, author) -> None:
    if variant == "self_made_assessment":
        self_assess(revision, author)


def snapshot(page: Page) -> tuple:
    page = Page.objects.get(pk=page.pk)
    return (
        page.live,
        page.live_revision_id,
        page.title,
        PageLogEntry.objects.filter(page=page, action="wagtail.publish").count(),
    )


def refusals(page: Page) -> int:
    return PageLogEntry.objects.filter(page_id=page.pk, action=REFUSED_ACTION).count()


@pytest.fixture
def draft(library, line, author):
    return make_complete_product(library, line, author, title="Scan werkgeversdienstverlening")


# --- revision.publish() in code ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("variant", VARIANTS)
def test_revision_publish_in_code_is_refused(draft, author, variant):
    revision = draft.get_latest_revision()
    prepare(variant, revision, author)
    before = snapshot(draft)
    with pytest.raises(QualityGateRefused) as refused:
        revision.publish()
    assert "kwaliteitskader" in str(refused.value)
    assert snapshot(draft) == before
    assert refusals(draft) == 1


@pytest.mark.django_db
def test_revision_publish_in_code_with_an_honest_assessment(draft, reviewer):
    revision = draft.get_latest_revision()
    honest_assessment(revision, reviewer)
    revision.publish()
    draft.refresh_from_db()
    assert draft.live and draft.live_revision_id == revision.pk


@pytest.mark.django_db
def test_a_live_page_saved_with_changed_content_is_refused(draft, reviewer):
    live = publish(draft)
    live.title = "Stiekem gewijzigd"
    with pytest.raises(QualityGateRefused):
        live.save()
    assert Page.objects.get(pk=live.pk).title != "Stiekem gewijzigd"


@pytest.mark.django_db
def test_a_new_governed_page_cannot_be_created_live(library):
    page = ProductPage(title="Direct live", slug="direct-live", product_type="scan", live=True)
    with pytest.raises(QualityGateRefused):
        library.add_child(instance=page)
    assert not ProductPage.objects.filter(slug="direct-live").exists()


# --- The admin's publish button ---------------------------------------------------------------------


def line_form(line, **overrides):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    data = {
        "title": line.title,
        "slug": line.slug,
        "summary": "Een lijn van producten rond één opgave.",
        "goal": rich_text("<p>Gemeenten en SOB's werken met dezelfde taal.</p>"),
        "lead": "Marieke de Vries (Divosa)",
        "lead_user": "",
        "status": "gepland",
        "milestones": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


@pytest.mark.django_db
@pytest.mark.parametrize("variant", VARIANTS)
def test_publish_button_is_refused_with_a_dutch_message(client, line, author, variant):
    line.save_revision(user=author)
    prepare(variant, line.get_latest_revision(), author)
    before = snapshot(line)
    client.force_login(author)
    edit_url = reverse("wagtailadmin_pages:edit", args=(line.pk,))
    response = client.post(edit_url, {**line_form(line), "action-publish": "1"}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "het kwaliteitskader is niet gehaald" in text
    assert "geen goedgekeurde kwaliteitstoets" in text
    assert snapshot(line) == before
    assert refusals(line) == 1


@pytest.mark.django_db
def test_publish_button_is_not_offered_on_governed_pages(client, line, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("wagtailadmin_pages:edit", args=(line.pk,)))
    assert 'name="action-publish"' not in response.content.decode()
    assert "Kwaliteitskader v" in response.content.decode()  # the editor panel is there


# --- Workflow approval ------------------------------------------------------------------------------


def at_final_approval(page, submitter, review_user, variant, author):
    """Start Kwaliteitsborging and push past the review task without an honest assessment."""
    workflow = Workflow.objects.get(name="Kwaliteitsborging")
    state = workflow.start(page, submitter)
    review_state = state.current_task_state.specific
    assert review_state.task.name == "Kwaliteitstoets"
    prepare(variant, review_state.revision, author)
    # Wagtail alone lets a task be approved without any assessment; the gate must still hold.
    review_state.approve(user=review_user)
    state.refresh_from_db()
    assert state.current_task_state.task.name == "Eindgoedkeuring"
    return state


@pytest.mark.django_db
@pytest.mark.parametrize("variant", VARIANTS)
def test_workflow_approval_is_refused(client, draft, author, reviewer, coordinator, variant):
    state = at_final_approval(draft, author, reviewer, variant, author)
    before = snapshot(draft)
    client.force_login(coordinator)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(draft.pk, "approve", state.current_task_state_id),
    )
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == reverse("quality_gate_status", args=(draft.pk,))
    status_page = client.get(response.url).content.decode()
    assert "De laatste revisie kan niet live" in status_page
    assert snapshot(draft) == before
    state.refresh_from_db()
    assert state.status == "in_progress"
    assert TaskState.objects.get(pk=state.current_task_state_id).status == "in_progress"
    assert refusals(draft) >= 1


# --- Bulk publish -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("variant", VARIANTS)
def test_bulk_publish_is_refused_and_publishes_nothing(
    client, library, line, draft, author, reviewer, variant
):
    honest = make_complete_product(library, line, author, title="Eerlijk getoetst")
    honest_assessment(honest.get_latest_revision(), reviewer)
    prepare(variant, draft.get_latest_revision(), author)
    before = snapshot(draft), snapshot(honest)
    client.force_login(author)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    response = client.post(
        f"{url}?id={draft.pk}&id={honest.pk}", {"include_descendants": ""}, follow=True
    )
    assert response.status_code == 200
    assert "Er is niets gepubliceerd" in response.content.decode()
    assert (snapshot(draft), snapshot(honest)) == before
    assert refusals(draft) == 1


# --- Scheduling -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("variant", VARIANTS)
def test_scheduling_is_refused_when_the_date_is_set(draft, author, variant):
    draft.go_live_at = timezone.now() + datetime.timedelta(days=2)
    revision = draft.save_revision(user=author)
    prepare(variant, revision, author)
    with pytest.raises(QualityGateRefused):
        revision.publish()
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None
    assert not Page.objects.get(pk=draft.pk).live


@pytest.mark.django_db
def test_at_go_live_a_refused_page_does_not_stop_the_others(library, line, author, reviewer):
    pages = []
    for title in ("Eerst goed, later niet", "Blijft goed"):
        page = make_complete_product(library, line, author, title=title)
        page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
        revision = page.save_revision(user=author)
        honest_assessment(revision, reviewer)
        revision.publish()  # scheduled: the gate passes now
        revision.refresh_from_db()
        assert revision.approved_go_live_at is not None
        pages.append((page, revision))
    # A new framework version comes into force before go-live; only the second page is re-assessed.
    ensure_framework_version(
        version="9.0",
        effective_date=datetime.date.today(),
        change_note="Test",
        criteria=[],
        copy_from=framework_in_force().version,
    )
    honest_assessment(pages[1][1], reviewer)
    later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled", stderr=io.StringIO())
    refused, published = (Page.objects.get(pk=p.pk) for p, _ in pages)
    assert not refused.live
    assert published.live and published.live_revision_id == pages[1][1].pk
    assert Revision.objects.get(pk=pages[0][1].pk).approved_go_live_at is None
    assert refusals(refused) == 1


# --- Wagtail's pages API actions -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("variant", VARIANTS)
def test_admin_api_publish_action_is_refused(client, draft, author, variant):
    prepare(variant, draft.get_latest_revision(), author)
    before = snapshot(draft)
    client.force_login(author)
    response = client.post(reverse("wagtailadmin_api:pages:action", args=(draft.pk, "publish")))
    assert response.status_code == 400
    assert "kwaliteitskader" in response.content.decode()
    assert snapshot(draft) == before
    assert refusals(draft) == 1


# --- Copy with "keep live" --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("variant", VARIANTS)
def test_copy_kept_live_is_refused_in_the_admin(client, library, draft, author, variant):
    live = publish(draft)
    prepare(variant, live.get_latest_revision(), author)
    count = ProductPage.objects.count()
    client.force_login(author)
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=(live.pk,)),
        {
            "new_title": "Kopie",
            "new_slug": "kopie",
            "new_parent_page": library.pk,
            "publish_copies": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Een kopie is een nieuwe pagina zonder kwaliteitstoets" in response.content.decode()
    assert ProductPage.objects.count() == count


@pytest.mark.django_db
def test_copy_kept_live_is_refused_in_code(draft):
    live = publish(draft)
    count = ProductPage.objects.count()
    with pytest.raises(QualityGateRefused):
        live.copy(keep_live=True, update_attrs={"title": "Kopie", "slug": "kopie"})
    assert ProductPage.objects.count() == count
    # Without "keep live" the copy is an ordinary draft.
    copy = live.copy(keep_live=False, update_attrs={"title": "Kopie", "slug": "kopie"})
    assert not copy.live


# --- Unpublishing -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_coordinator_can_always_unpublish(client, draft, coordinator):
    live = publish(draft)
    client.force_login(coordinator)
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=(live.pk,)))
    assert response.status_code == 302
    assert not Page.objects.get(pk=live.pk).live


@pytest.mark.django_db
@pytest.mark.parametrize("variant", VARIANTS)
def test_workflow_approval_from_the_editor_is_refused(
    client, line, author, reviewer, coordinator, variant
):
    line.save_revision(user=author)
    at_final_approval(line, author, reviewer, variant, author)
    before = snapshot(line)
    client.force_login(coordinator)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(line.pk,)),
        {**line_form(line), "action-workflow-action": "1", "workflow-action-name": "approve"},
        follow=True,
    )
    text = response.content.decode()
    assert "het kwaliteitskader is niet gehaald" in text
    assert "De laatste revisie kan niet live" in text
    assert snapshot(line) == before
    assert refusals(line) == 1


@pytest.mark.django_db
def test_a_refused_approval_from_the_editor_keeps_the_coordinators_edits(
    client, line, author, reviewer, coordinator
):
    line.save_revision(user=author)
    at_final_approval(line, author, reviewer, "no_assessment", author)
    before = snapshot(line)
    client.force_login(coordinator)
    from wagtail.test.utils.form_data import rich_text

    rewritten = "De coördinator herschreef de samenvatting."
    # A goal that survives Draftail's round trip unchanged, so that the second post is the
    # same form as the revision it saved.
    form = {
        **line_form(line, summary=rewritten, goal=rich_text("<p>Een gedeelde taal.</p>")),
        "action-workflow-action": "1",
        "workflow-action-name": "approve",
    }
    edit_url = reverse("wagtailadmin_pages:edit", args=(line.pk,))
    response = client.post(edit_url, form, follow=True)
    text = response.content.decode()
    assert "het kwaliteitskader is niet gehaald" in text
    assert "Uw wijzigingen zijn bewaard als concept." in text
    latest = Page.objects.get(pk=line.pk).specific.get_latest_revision_as_object()
    assert latest.summary == rewritten
    assert snapshot(line) == before  # saved, not published
    assert refusals(line) == 1

    # The same form again changes nothing: refused, and no further revision.
    revisions = Revision.objects.filter(object_id=str(line.pk)).count()
    again = client.post(edit_url, form)
    assert again["Location"] == reverse("quality_gate_status", args=(line.pk,))
    assert Revision.objects.filter(object_id=str(line.pk)).count() == revisions
    assert refusals(line) == 2

    # A changed form that is not valid is shown again with what was typed, and not called saved.
    invalid = client.post(edit_url, {**form, "title": "", "summary": "Nog een versie."})
    text = invalid.content.decode()
    assert invalid.status_code == 200
    assert "Nog een versie." in text and "bewaard als concept" not in text
    assert Revision.objects.filter(object_id=str(line.pk)).count() == revisions


@pytest.mark.django_db
def test_a_live_alias_is_not_converted_into_an_unassessed_live_page(client, draft, author):
    live = publish(draft)
    alias = live.create_alias(update_slug="alias-van-de-scan")
    assert alias.live and alias.alias_of_id == live.pk  # an alias mirrors assessed content
    client.force_login(author)
    response = client.post(
        reverse("wagtailadmin_pages:convert_alias", args=(alias.pk,)), follow=True
    )
    assert "Een gepubliceerde alias wordt bij omzetten" in response.content.decode()
    assert Page.objects.get(pk=alias.pk).alias_of_id == live.pk
    assert refusals(alias) == 1


@pytest.mark.django_db
def test_scheduling_through_the_admin_is_refused(client, line, author):
    client.force_login(author)
    go_live = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(line.pk,)),
        {**line_form(line, go_live_at=go_live), "action-publish": "1"},
        follow=True,
    )
    assert "het kwaliteitskader is niet gehaald" in response.content.decode()
    assert Page.objects.get(pk=line.pk).get_latest_revision().content["go_live_at"]
    assert not Revision.objects.filter(
        object_id=str(line.pk), approved_go_live_at__isnull=False
    ).exists()
    assert not Page.objects.get(pk=line.pk).live


@pytest.mark.django_db
def test_a_go_live_moment_in_year_one_is_a_dutch_form_error(client, line, author):
    client.force_login(author)
    revisions = Revision.objects.filter(object_id=str(line.pk)).count()
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(line.pk,)),
        line_form(line, go_live_at="0001-01-01 00:00"),
    )
    assert response.status_code == 200
    assert "Kies een datum tussen 1900 en 9998." in response.content.decode()
    assert Revision.objects.filter(object_id=str(line.pk)).count() == revisions
