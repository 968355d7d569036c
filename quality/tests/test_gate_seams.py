"""The gate holds through Wagtail's own seams, not through patches of Wagtail (issue 17, item 3).

Governed page types share `GovernedPage`; its permission tester asks the gate; the workflow's
finish action is gated; one backstop on the live revision catches code that writes the page row
itself. Each refusal has a positive control beside it.
"""

from unittest import mock

from django.apps import apps
from django.conf import settings
from django.urls import reverse

from wagtail.actions.copy_page import CopyPageAction
from wagtail.models import Page, Revision, WorkflowState

import pytest

import quality.gate
from hubcms.testing.factories import TargetGroupFactory
from hubcms.testing.publishing import publish
from products.models import DevelopmentLinePage, InnovationAgendaPage, ProductPage
from quality.finish import publish_if_the_gate_passes
from quality.gate import QualityGateRefused
from quality.models import GOVERNED_PAGE_TYPES
from quality.pages import LIVE_CONTENT_CHANGED, GovernedPage, GovernedPagePermissionTester
from quality.tests.conftest import make_complete_product
from quality.tests.test_content_binding import approve, pass_review
from quality.tests.test_gate_paths import at_final_approval, honest_assessment, refusals
from quality.tests.test_workflow import submit


def test_wagtail_is_not_patched():
    """Page.publish and Page.copy are Wagtail's own: the gate lives on the governed pages."""
    assert Page.publish.__module__ == "wagtail.models.pages"
    assert Page.copy.__module__ == "wagtail.models.pages"
    assert not hasattr(Page.publish, "quality_gated")


def test_governed_page_types_share_one_base_class():
    governed = {
        model._meta.model_name
        for model in apps.get_models()
        if issubclass(model, GovernedPage) and not model._meta.abstract
    }
    assert governed == {"productpage", "developmentlinepage", "innovationagendapage"}
    # The framework's page-type vocabulary names exactly these types.
    assert governed == {name for name, _ in GOVERNED_PAGE_TYPES}
    for model in (ProductPage, DevelopmentLinePage, InnovationAgendaPage):
        assert GovernedPage in model.__mro__


def test_workflow_finish_action_is_gated():
    assert settings.WAGTAIL_FINISH_WORKFLOW_ACTION == ("quality.finish.publish_if_the_gate_passes")
    assert WorkflowState.on_finish is publish_if_the_gate_passes


@pytest.mark.django_db
def test_the_tester_asks_the_gate(library, line, editor, reviewer, coordinator):
    product = make_complete_product(library, line, editor, title="Getoetst of niet")
    tester = product.permissions_for_user(coordinator)
    assert isinstance(tester, GovernedPagePermissionTester)
    assert not tester.can_publish()
    assert "geen goedgekeurde kwaliteitstoets" in " ".join(tester.publication_unmet)
    # Setting view restrictions and unscheduling make nothing live: Wagtail's own answer.
    assert tester.can_set_view_restrictions() and tester.can_unschedule()

    honest_assessment(product.get_latest_revision(), reviewer)
    assert product.permissions_for_user(coordinator).can_publish()  # positive control
    # The author never publishes their own work, assessed or not.
    assert not product.permissions_for_user(editor).can_publish()


@pytest.mark.django_db
def test_finishing_a_workflow_in_code_without_an_assessment_is_refused(
    line, editor, reviewer, coordinator
):
    line.save_revision(user=editor)
    state = at_final_approval(line, editor, reviewer, "no_assessment", editor)
    with pytest.raises(QualityGateRefused):
        state.finish(user=coordinator)
    assert not Page.objects.get(pk=line.pk).live


class GateCounter:
    """Counts the gate's decisions (`gate_decision`, wherever it is called from)."""

    def __init__(self) -> None:
        self.revisions: list[int] = []
        self._decide = quality.gate.gate_decision

    def __call__(self, revision):
        self.revisions.append(revision.pk)
        return self._decide(revision)

    def patched(self):
        return mock.patch.multiple("quality.gate", gate_decision=self), mock.patch.multiple(
            "quality.pages", gate_decision=self
        )


@pytest.mark.django_db
def test_workflow_approval_asks_the_gate_once(client, line, editor, reviewer, coordinator):
    """The finish action publishes through `GovernedPage.publish`, which asks the gate; Wagtail's
    permission check and the backstop inside it reuse that decision (they made three more)."""
    submit(client, editor, line)
    state = pass_review(client, reviewer, line)
    revision_id = state.current_task_state.revision_id
    counter = GateCounter()
    in_gate, in_pages = counter.patched()
    with in_gate, in_pages:
        response = approve(client, coordinator, line, state)
    assert response.status_code == 302
    page = Page.objects.get(pk=line.pk)
    assert page.live and page.live_revision_id == revision_id
    assert counter.revisions == [revision_id]

    # The reuse ends with that publication: an unassessed revision published next is refused.
    line.refresh_from_db()
    line.summary = "Een nieuwe, ongetoetste samenvatting."
    unassessed = line.save_revision(user=editor)
    with in_gate, in_pages, pytest.raises(QualityGateRefused):
        unassessed.publish(user=coordinator)
    assert Page.objects.get(pk=line.pk).live_revision_id == revision_id
    assert counter.revisions[-1] == unassessed.pk


@pytest.mark.django_db
def test_a_refused_workflow_approval_asks_the_gate_once_and_says_why(
    client, line, editor, reviewer, coordinator
):
    line.save_revision(user=editor)
    state = at_final_approval(line, editor, reviewer, "no_assessment", editor)
    counter = GateCounter()
    in_gate, in_pages = counter.patched()
    with in_gate, in_pages:
        response = approve(client, coordinator, line, state)
    assert response.status_code == 302
    assert counter.revisions == [state.current_task_state.revision_id]
    status_page = client.get(response.url).content.decode()
    assert "De laatste revisie kan niet live" in status_page
    assert "geen goedgekeurde kwaliteitstoets" in status_page
    assert refusals(line) == 1
    assert not Page.objects.get(pk=line.pk).live
    state.refresh_from_db()
    assert state.status == "in_progress"


# --- The backstop on the live revision --------------------------------------------------------------


@pytest.mark.django_db
def test_copy_action_kept_live_is_refused_and_leaves_the_tree_whole(library, line, editor):
    """Wagtail's copy action itself (no admin hook in between): the backstop refuses the copy."""
    live = publish(make_complete_product(library, line, editor, title="Te kopiëren"))
    children = Page.objects.get(pk=library.pk).numchild
    count = ProductPage.objects.count()
    with pytest.raises(QualityGateRefused):
        CopyPageAction(
            live, to=library, update_attrs={"title": "Kopie", "slug": "kopie"}, keep_live=True
        ).execute()
    assert ProductPage.objects.count() == count
    assert Page.objects.get(pk=library.pk).numchild == children
    # Positive control: a copy that is not kept live is an ordinary draft.
    copy = CopyPageAction(
        live, to=library, update_attrs={"title": "Kopie", "slug": "kopie"}, keep_live=False
    ).execute()
    assert not copy.live


@pytest.mark.django_db
def test_writing_one_content_field_of_a_live_page_is_refused(library, line, editor):
    live = publish(make_complete_product(library, line, editor, title="Live product"))
    before = live.summary
    live.summary = "Ongetoetst, rechtstreeks in de rij geschreven."
    with pytest.raises(QualityGateRefused):
        live.save(update_fields=["summary"])
    assert ProductPage.objects.get(pk=live.pk).summary == before


def without_in_live_revision(page, key: str) -> None:
    """Drop `key` from the page's live revision, as if the revision was made before the field."""
    revision = Revision.objects.get(pk=page.live_revision_id)
    content = dict(revision.content)
    del content[key]
    Revision.objects.filter(pk=revision.pk).update(content=content)


@pytest.mark.django_db
def test_a_field_the_live_revision_does_not_hold_cannot_be_written(library, line, editor):
    live = publish(make_complete_product(library, line, editor, title="Zonder samenvatting"))
    before = live.summary
    without_in_live_revision(live, "summary")
    page = ProductPage.objects.get(pk=live.pk)
    page.summary = "Door niemand getoetst."
    with pytest.raises(QualityGateRefused) as refused:
        page.save(update_fields=["summary"])
    assert LIVE_CONTENT_CHANGED in refused.value.unmet
    with pytest.raises(QualityGateRefused):
        ProductPage.objects.get(pk=live.pk).save()  # the whole row: summary is not held either
    assert ProductPage.objects.get(pk=live.pk).summary == before


@pytest.mark.django_db
def test_the_order_of_many_to_many_ids_in_the_live_revision_does_not_count(library, line, editor):
    product = make_complete_product(library, line, editor, title="Twee doelgroepen")
    product.target_groups.add(TargetGroupFactory(name="Werkgevers"))
    product.save_revision(user=editor)
    live = publish(product)
    revision = Revision.objects.get(pk=live.live_revision_id)
    held = revision.content["target_groups"]
    assert len(held) == 2
    content = {**revision.content, "target_groups": list(reversed(held))}
    Revision.objects.filter(pk=revision.pk).update(content=content)  # as an editor ordered them

    page = ProductPage.objects.get(pk=live.pk)
    page.save()  # the same two target groups, listed the other way round: no change
    assert ProductPage.objects.get(pk=live.pk).live

    # Control: a third target group written into the row is a change.
    page.target_groups.add(TargetGroupFactory(name="SOB's"))
    with pytest.raises(QualityGateRefused):
        page.save()
    assert ProductPage.objects.get(pk=live.pk).target_groups.count() == 2


@pytest.mark.django_db
def test_bookkeeping_saves_of_a_live_page_pass(client, library, line, editor, coordinator):
    """Positive control: locking, a new draft and a plain re-save leave the live page live."""
    live = publish(make_complete_product(library, line, editor, title="Blijft live"))
    client.force_login(coordinator)
    response = client.post(reverse("wagtailadmin_pages:lock", args=(live.pk,)))
    assert response.status_code == 302
    page = ProductPage.objects.get(pk=live.pk)
    assert page.locked and page.live
    page.summary = "Een nieuwe versie, als concept."
    page.save_revision(user=editor)  # a draft of a live page: the live row stays as it was
    fresh = ProductPage.objects.get(pk=live.pk)
    fresh.save()  # the row as its live revision holds it
    assert fresh.live and fresh.summary == live.summary


@pytest.mark.django_db
def test_a_live_revision_pointed_at_an_unassessed_revision_is_refused(library, line, editor):
    live = publish(make_complete_product(library, line, editor, title="Omgebogen"))
    draft = live.save_revision(user=editor)
    page = ProductPage.objects.get(pk=live.pk)
    page.live_revision = draft
    with pytest.raises(QualityGateRefused):
        page.save(update_fields=["live_revision"])
    assert ProductPage.objects.get(pk=live.pk).live_revision_id == live.live_revision_id


# --- Creating a governed page with "publish" ----------------------------------------------------------


@pytest.mark.django_db
def test_publish_on_a_new_page_saves_a_draft_and_says_why(client, line, coordinator):
    from types import SimpleNamespace

    from quality.tests.test_gate_paths import line_form

    index = line.get_parent()
    client.force_login(coordinator)
    url = reverse("wagtailadmin_pages:add", args=("content", "developmentlinepage", index.pk))
    new = SimpleNamespace(title="Nieuwe lijn", slug="nieuwe-lijn")
    response = client.post(url, {**line_form(new), "action-publish": "1"}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "het kwaliteitskader is niet gehaald" in text
    assert "geen goedgekeurde kwaliteitstoets" in text
    created = DevelopmentLinePage.objects.get(slug="nieuwe-lijn")
    assert not created.live  # kept as a draft: nothing the editor wrote is lost
    assert created.get_latest_revision().content["title"] == "Nieuwe lijn"
