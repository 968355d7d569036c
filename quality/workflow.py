"""The workflow "Kwaliteitsborging": automatic check, quality review, final approval.

`ensure_quality_workflow` is a bootstrap step; `run_automatic_check` is what the automatic task
does when it starts; `record_review` is what the review form does with the reviewer's judgements.
"""

from typing import Any

from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from wagtail.models import Task, TaskState, Workflow, WorkflowPage, WorkflowTask

from core import roles
from products.models import DevelopmentLineIndexPage, InnovationAgendaPage, ProductLibraryPage
from quality.gate import blocking_failures, describe_failure, evaluate_page
from quality.models import (
    AutomaticCheckTask,
    FinalApprovalTask,
    QualityAssessment,
    QualityReviewTask,
)
from quality.services import Judgement, assess_revision

WORKFLOW_NAME = "Kwaliteitsborging"
AUTOMATIC_TASK_NAME = "Automatische controle"
REVIEW_TASK_NAME = "Kwaliteitstoets"
FINAL_TASK_NAME = "Eindgoedkeuring"


def run_automatic_check(*, task_state: TaskState) -> None:
    """Approve the task when every blocking automatic criterion passes; else send it back."""
    page = task_state.revision.as_object()
    failures = blocking_failures(evaluate_page(page))
    if failures:
        comment = "Niet ingediend: los eerst deze punten op. " + " ".join(
            f"{describe_failure(outcome)}" for outcome in failures
        )
        task_state.reject(user=None, update=False, comment=comment)
    else:
        task_state.approve(
            user=None, update=False, comment="Alle blokkerende automatische criteria voldoen."
        )


@transaction.atomic
def record_review(
    *,
    task_state: TaskState,
    reviewer: User,
    judgements: dict[str, Judgement],
    note: str = "",
) -> QualityAssessment:
    """Store the reviewer's assessment of the task's revision; approve or send back the task.

    The task's row is locked first: of two reviewers who record the same task at once, the second
    waits, then finds it finished.
    """
    task_state = TaskState.objects.select_for_update().get(pk=task_state.pk)
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        raise ValidationError("Deze kwaliteitstoets is al afgerond.")
    assessment = assess_revision(
        revision=task_state.revision, reviewer=reviewer, judgements=judgements, note=note
    )
    failed = [row.criterion.title for row in assessment.judgements.all() if not row.passed]
    if assessment.passed:
        comment = note or "Voldoet aan het kwaliteitskader."
        task_state.approve(user=reviewer, comment=comment)
    else:
        comment = "Voldoet niet aan: " + ", ".join(failed) + (f". {note}" if note else ".")
        task_state.reject(user=reviewer, comment=comment)
    return assessment


def _task(model: type[Task], name: str, group_name: str | None, changes: list[str]) -> Task:
    task = model.objects.filter(name=name).first()
    if task is None:
        task = model.objects.create(name=name)
        changes.append(f"Workflowtaak '{name}' aangemaakt")
    if group_name:
        group = Group.objects.get(name=group_name)
        if not task.groups.filter(pk=group.pk).exists():
            task.groups.add(group)
            changes.append(f"Workflowtaak '{name}' toegewezen aan groep {group_name}")
    return task


def ensure_quality_workflow() -> list[str]:
    """Bootstrap step: the workflow and its three tasks, assigned to library, lines and agenda."""
    changes: list[str] = []
    tasks = [
        _task(AutomaticCheckTask, AUTOMATIC_TASK_NAME, None, changes),
        _task(QualityReviewTask, REVIEW_TASK_NAME, roles.REVIEWER, changes),
        _task(FinalApprovalTask, FINAL_TASK_NAME, roles.COORDINATOR, changes),
    ]
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if created:
        changes.append(f"Workflow '{WORKFLOW_NAME}' aangemaakt")
    for order, task in enumerate(tasks):
        _, made = WorkflowTask.objects.get_or_create(
            workflow=workflow, task=task, defaults={"sort_order": order}
        )
        if made:
            changes.append(f"Stap '{task.name}' toegevoegd aan '{WORKFLOW_NAME}'")
    targets = [
        *ProductLibraryPage.objects.all(),
        *DevelopmentLineIndexPage.objects.all(),
        *InnovationAgendaPage.objects.all(),
    ]
    for page in targets:
        assignment = WorkflowPage.objects.filter(page=page).first()
        if assignment is None:
            WorkflowPage.objects.create(page=page, workflow=workflow)
            changes.append(f"Workflow '{WORKFLOW_NAME}' toegewezen aan '{page.title}'")
        elif assignment.workflow_id != workflow.pk:
            assignment.workflow = workflow
            assignment.save()
            changes.append(f"Workflow '{WORKFLOW_NAME}' toegewezen aan '{page.title}'")
    return changes


@receiver(post_save, sender=InnovationAgendaPage, dispatch_uid="quality_assign_agenda_workflow")
def assign_workflow_to_new_agenda(
    sender: type[Any], instance: Any, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    """A new agenda page (its own root for workflows) gets Kwaliteitsborging straight away."""
    if raw or not created:
        return
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME, active=True).first()
    if workflow is not None and not WorkflowPage.objects.filter(page=instance).exists():
        WorkflowPage.objects.create(page=instance, workflow=workflow)
