"""The workflow Kwaliteitsborging through the real admin (issue items 3 and 4)."""

from django.core import mail
from django.urls import reverse

from wagtail.models import Page, TaskState, WorkflowPage, WorkflowState

import pytest

from products.models import DevelopmentLineIndexPage, InnovationAgendaPage, ProductLibraryPage
from quality.models import QualityAssessment
from quality.tests.conftest import make_complete_product
from quality.tests.test_gate_paths import line_form
from quality.workflow import ensure_quality_workflow


def manual_codes(page) -> list[str]:
    from quality.gate import evaluate_page

    return [o.criterion.code for o in evaluate_page(page) if o.passed is None]


def judgement_form(page, fail: dict[str, str] | None = None, note: str = "") -> dict:
    fail = fail or {}
    data = {"note": note}
    for code in manual_codes(page):
        data[f"result_{code}"] = "voldoet_niet" if code in fail else "voldoet"
        data[f"note_{code}"] = fail.get(code, "")
    return data


def submit(client, user, line):
    client.force_login(user)
    url = reverse("wagtailadmin_pages:edit", args=(line.pk,))
    return client.post(url, {**line_form(line), "action-submit": "1"})


def current_state(page) -> WorkflowState:
    return WorkflowState.objects.active().get(object_id=str(page.pk))


def review_url(state) -> str:
    return reverse("quality_review", args=(state.current_task_state_id,))


@pytest.mark.django_db
def test_bootstrap_assigns_the_workflow_and_a_second_run_changes_nothing(hub):
    InnovationAgendaPage.objects.exists() or hub.add_child(
        instance=InnovationAgendaPage(title="Innovatieagenda", slug="agenda", live=False)
    )
    ensure_quality_workflow()
    assigned = set(
        WorkflowPage.objects.filter(workflow__name="Kwaliteitsborging").values_list(
            "page_id", flat=True
        )
    )
    assert ProductLibraryPage.objects.get().pk in assigned
    assert DevelopmentLineIndexPage.objects.get().pk in assigned
    assert InnovationAgendaPage.objects.get().pk in assigned
    assert ensure_quality_workflow() == []


@pytest.mark.django_db
def test_a_new_agenda_gets_the_workflow_straight_away(hub):
    agenda = hub.add_child(
        instance=InnovationAgendaPage(title="Agenda 2028-2029", slug="agenda-2028", live=False)
    )
    assert agenda.get_workflow().name == "Kwaliteitsborging"


@pytest.mark.django_db
def test_submit_review_and_final_approval_publish_the_assessed_revision(
    client, line, editor, reviewer, coordinator
):
    mail.outbox.clear()
    response = submit(client, editor, line)
    assert response.status_code == 302
    state = current_state(line)
    assert state.current_task_state.task.name == "Kwaliteitstoets"
    # The Kwaliteitsbewakers are notified of the revision waiting for them.
    assert any(reviewer.email in message.to for message in mail.outbox)

    client.force_login(reviewer)
    action = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(line.pk, "review", state.current_task_state_id),
    )
    form_url = client.post(action).url
    assert form_url == review_url(state)
    page_text = client.get(form_url).content.decode()
    assert "Actueel met wet en beleid" in page_text
    assert "Koppen in de juiste volgorde" in page_text  # automatic outcomes are shown too
    response = client.post(form_url, judgement_form(line, note="Helder en actueel."))
    assert response.status_code == 302
    assessment = QualityAssessment.objects.get()
    assert assessment.passed and assessment.reviewer == reviewer
    assert assessment.revision_id == state.current_task_state.revision_id
    assert assessment.judgements.count() == len(manual_codes(line)) + 4  # plus automatic ones
    state.refresh_from_db()
    assert state.current_task_state.task.name == "Eindgoedkeuring"
    assert not Page.objects.get(pk=line.pk).live

    client.force_login(coordinator)
    approve = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(line.pk, "approve", state.current_task_state_id),
    )
    assert client.post(approve).status_code == 302
    line.refresh_from_db()
    assert line.live and line.live_revision_id == assessment.revision_id


@pytest.mark.django_db
def test_the_automatic_check_sends_a_failing_revision_straight_back(library, line, editor):
    product = make_complete_product(library, line, editor, product_owner=None)
    from wagtail.models import Workflow

    state = Workflow.objects.get(name="Kwaliteitsborging").start(product, editor)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    comment = state.current_task_state.comment
    assert "Eigenaar bekend" in comment and "Kies een eigenaar" in comment


@pytest.mark.django_db
def test_a_failed_criterion_needs_a_note_and_sends_the_revision_back(
    client, line, editor, reviewer
):
    submit(client, editor, line)
    state = current_state(line)
    client.force_login(reviewer)
    url = review_url(state)
    response = client.post(url, judgement_form(line, fail={"taalniveau_b1": ""}))
    assert response.status_code == 200
    assert "Licht toe waarom" in response.content.decode()
    assert not QualityAssessment.objects.exists()

    fail = {"taalniveau_b1": "Te veel jargon in het doel."}
    response = client.post(url, judgement_form(line, fail=fail))
    assert response.status_code == 302
    assessment = QualityAssessment.objects.get()
    assert not assessment.passed
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert "Te veel jargon" in assessment.judgements.get(criterion__code="taalniveau_b1").note


@pytest.mark.django_db
def test_the_author_or_submitter_cannot_review_or_approve(
    client, line, editor_reviewer, reviewer, coordinator
):
    from django.contrib.auth.models import Group

    editor_reviewer.groups.add(Group.objects.get(name="Coördinator"))
    submit(client, editor_reviewer, line)
    state = current_state(line)
    client.force_login(editor_reviewer)
    response = client.post(review_url(state), judgement_form(line), follow=True)
    assert "alleen een kwaliteitsbewaker die de revisie niet zelf maakte" in (
        response.content.decode()
    )
    assert not QualityAssessment.objects.exists()

    client.force_login(reviewer)
    client.post(review_url(state), judgement_form(line))
    state.refresh_from_db()
    client.force_login(editor_reviewer)
    approve = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(line.pk, "approve", state.current_task_state_id),
    )
    response = client.post(approve)
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert not Page.objects.get(pk=line.pk).live
    state.refresh_from_db()
    assert state.current_task_state.status == "in_progress"


@pytest.mark.django_db
def test_editing_after_approval_needs_approval_again(
    client, line, editor, reviewer, coordinator, coordinator2
):
    submit(client, editor, line)
    state = current_state(line)
    client.force_login(reviewer)
    client.post(review_url(state), judgement_form(line))
    state.refresh_from_db()
    assert state.current_task_state.task.name == "Eindgoedkeuring"
    # Another coordinator edits the approved revision before the final approval.
    edited = Page.objects.get(pk=line.pk).specific.get_latest_revision_as_object()
    edited.summary = "Een gewijzigde samenvatting na de toets."
    edited.save_revision(user=coordinator2)
    client.force_login(coordinator)
    approve = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(line.pk, "approve", state.current_task_state_id),
    )
    client.post(approve)
    state.refresh_from_db()
    assert not Page.objects.get(pk=line.pk).live
    assert state.current_task_state.task.name == "Kwaliteitstoets"


def at_final_approval_with_a_passed_review(client, line, editor, reviewer) -> WorkflowState:
    submit(client, editor, line)
    state = current_state(line)
    client.force_login(reviewer)
    client.post(review_url(state), judgement_form(line, note="Helder en actueel."))
    state.refresh_from_db()
    assert state.current_task_state.task.name == "Eindgoedkeuring"
    return state


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["approve", "reject"])
def test_a_decision_with_an_unreadable_comment_says_so_and_decides_nothing(
    client, line, editor, reviewer, coordinator, action
):
    state = at_final_approval_with_a_passed_review(client, line, editor, reviewer)
    client.force_login(coordinator)
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=(line.pk, action, state.current_task_state_id)
    )
    text = client.post(url, {"comment": "Akkoord\x00"}, follow=True).content.decode()
    assert "de opmerking bij uw beslissing kon niet worden verwerkt" in text
    assert "zie de redenen bij het kwaliteitskader" not in text
    state.refresh_from_db()
    assert state.current_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert not Page.objects.get(pk=line.pk).live


@pytest.mark.django_db
def test_someone_who_may_not_approve_hears_nothing_about_the_gate(client, line, editor, reviewer):
    state = at_final_approval_with_a_passed_review(client, line, editor, reviewer)
    client.force_login(reviewer)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(line.pk, "approve", state.current_task_state_id),
    )
    text = client.post(url, follow=True).content.decode()
    assert "zie de redenen bij het kwaliteitskader" not in text
    assert "niets beslist" not in text
    assert not Page.objects.get(pk=line.pk).live
