"""Reads of the quality framework for the admin: a page's criteria, assessments and the reports."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from django.utils import timezone

from wagtail.models import Page, Revision

from quality.gate import CriterionOutcome, blocking_failures, describe_failure, evaluate_page
from quality.models import (
    GOVERNED_PAGE_TYPES,
    CriterionKind,
    QualityAssessment,
    QualityCriterion,
    QualityFrameworkVersion,
)


@dataclass(frozen=True)
class OutcomeRow:
    """A criterion outcome with the Dutch label of the field it points at."""

    outcome: CriterionOutcome
    field_label: str


@dataclass(frozen=True)
class QualityOverview:
    blocking: list[OutcomeRow]
    advisory: list[OutcomeRow]
    manual: list[OutcomeRow]
    met: list[OutcomeRow]

    @property
    def ready_for_review(self) -> bool:
        return not self.blocking


def _field_label(page: Page, name: str) -> str:
    if not name:
        return ""
    try:
        return str(page._meta.get_field(name).verbose_name)
    except Exception:  # a child relation such as "images" or "downloads"
        relation = getattr(page, name, None)
        model = getattr(relation, "model", None)
        return str(model._meta.verbose_name_plural) if model is not None else name


def page_quality_overview(
    *, page: Page, version: QualityFrameworkVersion | None
) -> QualityOverview:
    """The page's criteria grouped as the editor needs them: what blocks, what advises, what is done."""
    rows = [
        OutcomeRow(outcome, _field_label(page, outcome.field))
        for outcome in (evaluate_page(page, version=version) if version else [])
    ]
    return QualityOverview(
        blocking=[r for r in rows if r.outcome.passed is False and r.outcome.criterion.is_blocking],
        advisory=[
            r for r in rows if r.outcome.passed is False and not r.outcome.criterion.is_blocking
        ],
        manual=[r for r in rows if r.outcome.passed is None],
        met=[r for r in rows if r.outcome.passed],
    )


def live_pages_needing_reassessment() -> list[Page]:
    """Live governed pages assessed under an older framework version or past their review date.

    Each page gets `assessed_version` (the version its live revision passed under, or "") and
    `reassessment_reason` (Dutch). A new version leaves these pages live; their next publication
    needs an assessment under the version in force.
    """
    version = QualityFrameworkVersion.objects.in_force()
    current = QualityAssessment.objects.filter(
        revision_id=OuterRef("live_revision_id"), passed=True, framework_version=version
    )
    today = timezone.localdate()
    pages = list(
        Page.objects.live()
        .filter(
            content_type__app_label="content",
            content_type__model__in=[name for name, _ in GOVERNED_PAGE_TYPES],
        )
        .annotate(assessed_current=Exists(current))
        .filter(Q(assessed_current=False) | Q(productpage__next_review_date__lt=today))
        .select_related("productpage")
        .order_by("title")
    )
    passing = {}
    for assessment in (
        QualityAssessment.objects.filter(
            revision_id__in=[page.live_revision_id for page in pages], passed=True
        )
        .select_related("framework_version")
        .order_by("created_at")
    ):
        passing[assessment.revision_id] = assessment
    for page in pages:
        assessment = passing.get(page.live_revision_id)
        page.assessed_version = f"v{assessment.framework_version.version}" if assessment else ""
        page.assessed_at = assessment.created_at if assessment else None
        review_date = getattr(getattr(page, "productpage", None), "next_review_date", None)
        page.next_review_date = review_date
        reasons = []
        if not page.assessed_current:
            reasons.append(
                f"getoetst onder {page.assessed_version}" if assessment else "niet getoetst"
            )
        if review_date and review_date < today:
            reasons.append(f"herziening verlopen op {review_date:%d-%m-%Y}")
        page.reassessment_reason = "; ".join(reasons)
    return pages


# --- The impact of a new framework version ---------------------------------------------------------

_CRITERION_SIGNATURE = (
    "kind",
    "severity",
    "title",
    "explanation",
    "check_code",
    "page_types",
    "product_types",
    "lifecycle_stages",
)


def _signature(criterion: QualityCriterion) -> tuple[Any, ...]:
    return tuple(
        tuple(value) if isinstance(value, list) else value
        for value in (getattr(criterion, name) for name in _CRITERION_SIGNATURE)
    )


@dataclass(frozen=True)
class PageImpact:
    """What a new framework version means for one live page."""

    page: Page
    assessed_version: str
    failing: list[str]
    to_review: list[str]


@dataclass(frozen=True)
class FrameworkImpact:
    """The live pages a new version would fail or send back to review, and what changed."""

    version: QualityFrameworkVersion
    in_force: QualityFrameworkVersion | None
    added: list[str]
    changed: list[str]
    removed: list[str]
    failing: list[PageImpact]
    to_review: list[PageImpact]
    unaffected: int

    @property
    def total(self) -> int:
        return len(self.failing) + len(self.to_review) + self.unaffected


def framework_impact(*, version: QualityFrameworkVersion) -> FrameworkImpact:
    """Evaluate every live governed page against `version` (usually a draft).

    A page *fails* when its live content misses a blocking automatic criterion of `version`; it
    needs *re-review* when a manual criterion of `version` that applies to it is new or changed
    since the version its live revision was assessed under (or it was never assessed).
    """

    in_force = QualityFrameworkVersion.objects.in_force()
    new_criteria = {criterion.code: criterion for criterion in version.criteria.all()}
    old_criteria = {c.code: c for c in in_force.criteria.all()} if in_force else {}
    pages = list(
        Page.objects.live()
        .filter(
            content_type__app_label="content",
            content_type__model__in=[name for name, _ in GOVERNED_PAGE_TYPES],
        )
        .specific()
        .order_by("title")
    )
    assessed: dict[int, QualityFrameworkVersion] = {}
    for assessment in (
        QualityAssessment.objects.filter(
            revision_id__in=[page.live_revision_id for page in pages], passed=True
        )
        .select_related("framework_version")
        .order_by("created_at")
    ):
        assessed[assessment.revision_id] = assessment.framework_version
    baselines: dict[int, dict[str, tuple[Any, ...]]] = {}
    for earlier in {v.pk: v for v in assessed.values()}.values():
        baselines[earlier.pk] = {c.code: _signature(c) for c in earlier.criteria.all()}
    failing, to_review, unaffected = [], [], 0
    for page in pages:
        outcomes = evaluate_page(page, version=version)
        failures = [describe_failure(outcome) for outcome in blocking_failures(outcomes)]
        baseline_version = assessed.get(page.live_revision_id)
        baseline = baselines.get(baseline_version.pk, {}) if baseline_version else {}
        review = [
            outcome.criterion.title
            for outcome in outcomes
            if outcome.criterion.kind == CriterionKind.MANUAL
            and baseline.get(outcome.criterion.code) != _signature(outcome.criterion)
        ]
        impact = PageImpact(
            page=page,
            assessed_version=f"v{baseline_version.version}" if baseline_version else "",
            failing=failures,
            to_review=review,
        )
        if failures:
            failing.append(impact)
        elif review:
            to_review.append(impact)
        else:
            unaffected += 1
    return FrameworkImpact(
        version=version,
        in_force=in_force if in_force and in_force.pk != version.pk else None,
        added=[c.title for code, c in new_criteria.items() if code not in old_criteria],
        changed=[
            c.title
            for code, c in new_criteria.items()
            if code in old_criteria and _signature(old_criteria[code]) != _signature(c)
        ],
        removed=[c.title for code, c in old_criteria.items() if code not in new_criteria],
        failing=failing,
        to_review=to_review,
        unaffected=unaffected,
    )


# --- The content under review -------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewContent:
    """A revision's fields rendered readably, and what changed against the live version."""

    fields: list[Any]
    changes: list[Any] | None  # None: nothing of this page is live yet

    @property
    def is_new(self) -> bool:
        return self.changes is None


def review_content(*, revision: Revision, request: HttpRequest) -> ReviewContent:
    """The revision's content and its difference from the live revision, with Wagtail's own
    comparison classes (wagtail.admin.compare), as the admin's revision comparison shows them."""
    page = Page.objects.get(pk=revision.object_id).specific
    under_review = revision.as_object()
    live = page.live_revision.as_object() if page.live and page.live_revision_id else None
    comparers = (
        page.get_edit_handler()
        .get_bound_panel(instance=page, request=request, form=None)
        .get_comparison()
    )
    fields, changes = [], []
    for comparer in comparers:
        shown = comparer(under_review, under_review)
        if _has_content(shown):
            fields.append(shown)
        if live is not None:
            diff = comparer(live, under_review)
            if diff.has_changed():
                changes.append(diff)
    return ReviewContent(fields=fields, changes=changes if live is not None else None)


def _has_content(comparison: Any) -> bool:
    if comparison.is_child_relation:
        return bool(comparison.get_child_comparisons())
    return bool(str(comparison.htmldiff()).strip())


# --- What waits for a user in the workflow -------------------------------------------------------


def task_states_awaiting(*, user: Any, task_model: type[Any] | None = None) -> list[Any]:
    """In-progress task states `user` may act on now (never their own work), oldest first.

    Uses each task's `get_actions`, which refuses the revision's makers, so the queue and the
    buttons always agree. `task_model` narrows to one kind of task (e.g. `FinalApprovalTask`).
    """
    from wagtail.models import TaskState

    states = (
        TaskState.objects.reviewable_by(user)
        .select_related("revision", "revision__user", "workflow_state")
        .order_by("started_at")
    )
    result = []
    for state in states:
        task = state.task.specific
        if task_model is not None and not isinstance(task, task_model):
            continue
        page = state.revision.content_object
        if page is None:
            continue
        if task.get_actions(page, user):
            state.page = page
            result.append(state)
    return result
