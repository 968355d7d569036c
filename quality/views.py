"""Admin views of the quality framework: the review form, a page's gate status and the note
for a Coördinator whose final approval came after another's decision."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from wagtail.admin import messages
from wagtail.models import Page, TaskState

from quality.gate import evaluate_page, framework_in_force, gate_decision
from quality.models import CriterionKind, QualityCriterion, QualityReviewTask
from quality.selectors import review_content
from quality.services import Judgement
from quality.workflow import record_review

PASS, FAIL = "voldoet", "voldoet_niet"


class AdminRequest(HttpRequest):
    """A request in the Wagtail admin, where the user is always signed in."""

    user: User


class ReviewForm(forms.Form):
    """One pass/fail choice and a note per manual criterion; a note is required on fail."""

    note = forms.CharField(
        label="Toelichting bij de toets",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optioneel: wat de redacteur moet weten. Verschijnt in de geschiedenis.",
    )

    def __init__(self, *args: Any, criteria: Sequence[QualityCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"result_{criterion.code}"] = forms.ChoiceField(
                label=criterion.title,
                help_text=criterion.explanation,
                choices=[(PASS, "Voldoet"), (FAIL, "Voldoet niet")],
                widget=forms.RadioSelect,
                error_messages={"required": f"Beoordeel '{criterion.title}'."},
            )
            self.fields[f"note_{criterion.code}"] = forms.CharField(
                label=f"Toelichting bij '{criterion.title}'",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for criterion in self.criteria:
            if (
                cleaned.get(f"result_{criterion.code}") == FAIL
                and not (cleaned.get(f"note_{criterion.code}") or "").strip()
            ):
                self.add_error(
                    f"note_{criterion.code}",
                    f"Licht toe waarom '{criterion.title}' niet voldoet.",
                )
        return cleaned

    def judgements(self) -> dict[str, Judgement]:
        return {
            criterion.code: Judgement(
                self.cleaned_data[f"result_{criterion.code}"] == PASS,
                self.cleaned_data.get(f"note_{criterion.code}", ""),
            )
            for criterion in self.criteria
        }

    def criterion_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """(result field, note field) per criterion, for the template."""
        return [
            (self[f"result_{criterion.code}"], self[f"note_{criterion.code}"])
            for criterion in self.criteria
        ]


def review(request: AdminRequest, task_state_id: int) -> HttpResponse:
    """The Kwaliteitsbewaker judges every manual criterion of the revision under review."""
    task_state = get_object_or_404(TaskState, pk=task_state_id).specific
    task = task_state.task.specific
    page = task_state.workflow_state.content_object.specific
    if not isinstance(task, QualityReviewTask):
        raise PermissionDenied
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        messages.error(request, "Deze kwaliteitstoets is al afgerond.")
        return redirect("wagtailadmin_home")
    if "review" not in [name for name, _, _ in task.get_actions(page, request.user)]:
        messages.error(
            request,
            "U kunt deze revisie niet toetsen: alleen een kwaliteitsbewaker die de revisie niet "
            "zelf maakte of indiende, toetst haar.",
        )
        return redirect("wagtailadmin_home")
    revision = task_state.revision
    version = framework_in_force()
    outcomes = evaluate_page(revision.as_object(), version=version)
    manual = [o.criterion for o in outcomes if o.criterion.kind == CriterionKind.MANUAL]
    automatic = [o for o in outcomes if o.criterion.kind == CriterionKind.AUTOMATIC]
    form = ReviewForm(request.POST or None, criteria=manual)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = record_review(
                task_state=task_state,
                reviewer=request.user,
                judgements=form.judgements(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            if assessment.passed:
                messages.success(
                    request,
                    f"'{page.get_admin_display_title()}' voldoet aan kwaliteitskader "
                    f"v{assessment.framework_version.version} en gaat naar de eindgoedkeuring.",
                )
            else:
                messages.warning(
                    request,
                    f"'{page.get_admin_display_title()}' voldoet niet en is teruggestuurd naar "
                    "de redacteur.",
                )
            return redirect("wagtailadmin_home")
    return TemplateResponse(
        request,
        "quality/review.html",
        {
            "page": page,
            "revision": revision,
            "version": version,
            "automatic": automatic,
            "form": form,
            "content": review_content(revision=revision, request=request),
            "revision_url": reverse(
                "wagtailadmin_pages:revisions_view", args=(page.pk, revision.pk)
            ),
            "header_title": f"Kwaliteitstoets: {page.get_admin_display_title()}",
        },
    )


def gate_status(request: AdminRequest, page_id: int) -> HttpResponse:
    """Why the latest revision of a page may or may not go live, criterion by criterion."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    revision = page.get_latest_revision()
    decision = gate_decision(revision) if revision else None
    outcomes = evaluate_page(revision.as_object() if revision else page)
    return TemplateResponse(
        request,
        "quality/gate_status.html",
        {
            "page": page,
            "revision": revision,
            "decision": decision,
            "outcomes": outcomes,
            "header_title": f"Kwaliteitskader: {page.get_admin_display_title()}",
        },
    )


DECISIONS = {
    TaskState.STATUS_APPROVED: "goedgekeurd",
    TaskState.STATUS_REJECTED: "teruggestuurd voor wijzigingen",
    TaskState.STATUS_CANCELLED: "geannuleerd",
    TaskState.STATUS_SKIPPED: "overgeslagen",
}


def final_approval_decided(request: AdminRequest, task_state_id: int) -> HttpResponse:
    """Where a final approval lands that another Coördinator beat: says so and shows the page."""
    task_state = get_object_or_404(TaskState, pk=task_state_id)
    page = get_object_or_404(Page, pk=task_state.workflow_state.object_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    decided_by = task_state.finished_by
    who = f" door {decided_by.get_full_name() or decided_by.get_username()}" if decided_by else ""
    decision = DECISIONS.get(task_state.status, "afgerond")
    messages.error(
        request,
        f"Over deze eindgoedkeuring is al beslist{who}: {decision}. Uw besluit is niet vastgelegd.",
    )
    return redirect("wagtailadmin_pages:edit", page.pk)
