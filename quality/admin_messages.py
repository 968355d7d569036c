"""What Wagtail tells editors and reviewers about the workflow Kwaliteitsborging, made true for it.

Wagtail's own texts assume a plain approval workflow: it says "submitted for moderation" even when
the automatic check sent the submission straight back, and its lock banner says that "reviewers
for this task" may edit while nobody edits during the quality review. The functions here replace
those texts; `wagtail_hooks` calls them from Wagtail's page hooks.
"""

from dataclasses import dataclass

from django.contrib import messages as django_messages
from django.contrib.messages.storage.base import BaseStorage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from wagtail.admin import messages
from wagtail.models import Page, TaskState, WorkflowState

from quality.gate import blocking_failures, describe_failure, evaluate_page, gate_decision
from quality.models import (
    AutomaticCheckTask,
    FinalApprovalTask,
    QualityAssessment,
    QualityReviewTask,
)

REVIEW_LOCK_MESSAGE = (
    "Deze pagina wacht op de kwaliteitstoets in de workflow Kwaliteitsborging. Tijdens de toets "
    "bewerkt niemand haar, ook de kwaliteitsbewakers niet: zij beoordelen deze revisie in het "
    "toetsformulier. Wilt u nog iets wijzigen, trek de indiening dan in."
)
FINAL_APPROVAL_LOCK_MESSAGE = (
    "Deze pagina wacht op de eindgoedkeuring in de workflow Kwaliteitsborging. Alleen een "
    "coördinator kan haar nu bewerken, en een wijziging gaat opnieuw naar de kwaliteitstoets."
)


@dataclass(frozen=True)
class SentBack:
    """A submission the workflow sent back to the editor, with the reasons."""

    task_name: str
    automatic: bool
    reasons: list[str]
    by: str


def sent_back(page: Page) -> SentBack | None:
    """Why the page's current workflow sent its submission back, or None when it did not."""
    # Not `page.current_workflow_state`: the edit view's page may carry it prefetched from
    # before the submission.
    state = page.workflow_states.active().order_by("-created_at").first()
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    task_state = state.current_task_state
    if task_state is None or task_state.status != TaskState.STATUS_REJECTED:
        return None
    task = task_state.task.specific
    automatic = isinstance(task, AutomaticCheckTask)
    reasons: list[str] = []
    if automatic:
        outcomes = evaluate_page(task_state.revision.as_object())
        reasons = [describe_failure(outcome) for outcome in blocking_failures(outcomes)]
    elif isinstance(task, QualityReviewTask):
        reasons = _review_reasons(task_state)
    if not reasons and task_state.comment:
        reasons = [task_state.comment]
    user = task_state.finished_by
    by = (user.get_full_name() or user.get_username()) if user else ""
    return SentBack(task_name=task.name, automatic=automatic, reasons=reasons, by=by)


def _review_reasons(task_state: TaskState) -> list[str]:
    """The criteria the reviewer judged unmet, with their notes, and the review's own note."""
    assessment = (
        QualityAssessment.objects.filter(revision_id=task_state.revision_id, passed=False)
        .order_by("-created_at")
        .first()
    )
    if assessment is None:
        return []
    reasons = [
        f"{judgement.criterion.title}: {judgement.note}"
        if judgement.note
        else judgement.criterion.title
        for judgement in assessment.judgements.select_related("criterion")
        if not judgement.passed
    ]
    if assessment.note:
        reasons.append(assessment.note)
    return reasons


def _reasons_html(intro: str, reasons: list[str]) -> SafeString:
    return format_html(
        "{}<ul>{}</ul>", intro, format_html_join("", "<li>{}</li>", ((r,) for r in reasons))
    )


def correct_submission_message(request: HttpRequest, page: Page) -> HttpResponse | None:
    """After a submission: if the automatic check sent it back, say so instead of 'ingediend'."""
    if not (request.POST.get("action-submit") or request.POST.get("action-restart-workflow")):
        return None
    refusal = sent_back(page)
    if refusal is None or not refusal.automatic:
        return None
    drop_success_messages(request)
    messages.error(
        request,
        _reasons_html(
            f"'{page.get_admin_display_title()}' is niet ingediend: de automatische controle "
            "stuurde de indiening terug. Los deze punten op en dien opnieuw in.",
            refusal.reasons,
        ),
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


def show_sent_back_reasons(request: HttpRequest, page: Page) -> None:
    """On the edit page: why the last submission came back, as long as it is waiting for changes."""
    refusal = sent_back(page)
    if refusal is None:
        return
    if refusal.automatic:
        intro = (
            "De automatische controle stuurde de laatste indiening terug. Los deze punten op en "
            "dien opnieuw in."
        )
    else:
        who = f" ({refusal.by})" if refusal.by else ""
        intro = f"Bij de stap '{refusal.task_name}'{who} zijn wijzigingen gevraagd."
    messages.warning(request, _reasons_html(intro, refusal.reasons))


def true_lock_message(page: Page) -> str | None:
    """The lock banner's text for this workflow's task, or None to keep Wagtail's."""
    task = page.current_workflow_task
    if isinstance(task, QualityReviewTask):
        return REVIEW_LOCK_MESSAGE
    if isinstance(task, FinalApprovalTask):
        return FINAL_APPROVAL_LOCK_MESSAGE
    return None


def rewrite_lock_message(request: HttpRequest, text: str) -> None:
    """Make Wagtail's lock banner on this request's edit page say `text`.

    Wagtail adds the banner as a message tagged "lock" after the before_edit_page hook ran, from
    a text it builds itself; this request's message storage replaces that one text.
    """
    storage = django_messages.get_messages(request)
    if not isinstance(storage, BaseStorage):  # no message storage on this request
        return
    original_add = storage.add

    def add(level: int, message: str, extra_tags: str | None = "") -> None:
        if "lock" in str(extra_tags or "").split():
            message = messages.render(text, None)
        original_add(level, message, extra_tags)

    # On purpose, this one request's storage only (see above); mypy forbids method assignment.
    storage.add = add  # type: ignore[method-assign]


def workflow_outcome_message(
    request: HttpRequest, *, task_state_id: int, action: str, report_refusal: bool = True
) -> None:
    """Confirm what a workflow action by this user did to the page, as a Wagtail message."""
    task_state = TaskState.objects.filter(pk=task_state_id).select_related("revision").first()
    if task_state is None:
        return
    page = Page.objects.filter(pk=task_state.revision.object_id).first()
    if page is None:
        return
    title = page.get_admin_display_title()
    if task_state.status == TaskState.STATUS_APPROVED:
        newer = (
            page.workflow_states.active()
            .exclude(current_task_state__revision_id=task_state.revision_id)
            .exists()
        )
        if page.live and page.live_revision_id == task_state.revision_id:
            messages.success(request, f"'{title}' is goedgekeurd en gepubliceerd.")
        elif newer:
            messages.warning(
                request,
                f"'{title}' is niet gepubliceerd: bij het goedkeuren is de inhoud gewijzigd, en "
                "die nieuwe revisie gaat eerst opnieuw naar de kwaliteitstoets.",
            )
        elif task_state.revision.approved_go_live_at:
            when = timezone.localtime(task_state.revision.approved_go_live_at)
            messages.success(
                request, f"'{title}' is goedgekeurd en wordt gepubliceerd op {when:%d-%m-%Y %H:%M}."
            )
        else:
            messages.success(request, f"'{title}' is goedgekeurd.")
    elif task_state.status == TaskState.STATUS_REJECTED:
        messages.success(
            request,
            f"Wijzigingen gevraagd voor '{title}'. De redacteur krijgt bericht en ziet uw "
            "opmerking op de bewerkpagina.",
        )
    elif report_refusal and task_state.status == TaskState.STATUS_IN_PROGRESS:
        _undecided_message(request, task_state, page.specific, title, action)


def _undecided_message(
    request: HttpRequest, task_state: TaskState, page: Page, title: str, action: str
) -> None:
    """Why an approval or a request for changes left the task open: the gate, or a comment that
    could not be read. Someone who may not take the action has heard so from Wagtail."""
    offered = [
        name for name, _label, _modal in task_state.task.specific.get_actions(page, request.user)
    ]
    if action not in offered or action not in ("approve", "reject"):
        return
    if action == "approve" and not gate_decision(task_state.revision).allowed:
        messages.error(
            request,
            f"'{title}' is niet goedgekeurd en niet gepubliceerd; zie de redenen bij het "
            "kwaliteitskader van de pagina.",
        )
    else:
        messages.error(
            request,
            f"Over '{title}' is niets beslist: de opmerking bij uw beslissing kon niet worden "
            "verwerkt, bijvoorbeeld door een ongeldig teken. Pas haar aan en probeer het opnieuw.",
        )


def drop_success_messages(request: HttpRequest) -> None:
    """Remove the success messages queued so far (Wagtail's generic 'gewijzigd')."""
    storage = django_messages.get_messages(request)
    kept = [message for message in storage if message.level != django_messages.SUCCESS]
    for message in kept:
        django_messages.add_message(request, message.level, message.message, message.extra_tags)
