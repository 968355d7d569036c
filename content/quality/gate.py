"""The quality gate: the one place where "the one rule that matters most" lives.

Nothing goes live unless the exact revision going live has a passing quality assessment under the
framework version in force, made by a Kwaliteitsbewaker other than its author or submitter, and
every blocking automatic criterion passes. `gate_decision` applies the rule; the `pre_save` guards
below enforce it at the model level, so every path (admin, workflow, bulk actions, scheduling, the
API, commands and `revision.publish()` in a shell) meets it, and `install_precheck` refuses before
Wagtail's publish and copy actions change anything. Admin hooks check first and show the Dutch
message of `QualityGateRefused`; every refusal is written to Wagtail's audit log.

Governed page types are those in `GOVERNED_PAGE_TYPES` (products, development lines, the agenda).
The structural pages (home, product library, line overview, information pages) are exempt: they hold
no product content and the framework has no criteria for them. Alias pages are exempt too: they
mirror a governed page whose own revision passed the gate.
"""

import inspect
import logging
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save
from django.dispatch import receiver

from wagtail.log_actions import log
from wagtail.models import Page, PageLogEntry, Revision, WorkflowState

from content.quality.checks import get_check
from content.quality.models import (
    GOVERNED_PAGE_TYPES,
    CriterionKind,
    QualityAssessment,
    QualityCriterion,
    QualityFrameworkVersion,
)
from hubcms import roles

logger = logging.getLogger(__name__)

GOVERNED_MODEL_NAMES = frozenset(name for name, _ in GOVERNED_PAGE_TYPES)
REFUSED_ACTION = "quality.gate.refused"
ASSESSED_ACTION = "quality.assessment"

# Page fields that make up what the public sees; the rest is Wagtail's bookkeeping.
_PAGE_CONTENT_FIELDS = {"title", "slug", "seo_title", "search_description"}
_PAGE_BOOKKEEPING_FIELDS = {
    f.name for f in Page._meta.concrete_fields if f.name not in _PAGE_CONTENT_FIELDS
}


@dataclass(frozen=True)
class CriterionOutcome:
    """How one criterion applies to one page: passed (automatic) or awaiting a judgement (manual)."""

    criterion: QualityCriterion
    passed: bool | None
    message: str
    field: str = ""

    @property
    def blocks(self) -> bool:
        """True when this outcome stops publication: a failing blocking automatic criterion."""
        return self.passed is False and self.criterion.is_blocking


@dataclass(frozen=True)
class GateDecision:
    """Whether a revision may go live, and if not, the unmet conditions in Dutch."""

    allowed: bool
    version: QualityFrameworkVersion | None
    assessment: QualityAssessment | None = None
    unmet: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        return "; ".join(self.unmet)


class QualityGateRefused(ValidationError):
    """Raised when a revision would go live without meeting the quality framework."""

    def __init__(self, *, page_title: str, unmet: list[str], page=None, revision=None):
        self.page_title = page_title
        self.unmet = list(unmet)
        self.page = page
        self.revision = revision
        self.log_entry_id: int | None = None
        super().__init__({"kwaliteitskader": [self.summary]})

    @property
    def summary(self) -> str:
        return (
            f"'{self.page_title}' kan niet live: het kwaliteitskader is niet gehaald. "
            + " ".join(f"{line}." if not line.endswith(".") else line for line in self.unmet)
        )

    def __str__(self) -> str:
        return self.summary


# --- Reading the framework -----------------------------------------------------------------------


def is_governed(page_or_model) -> bool:
    """Whether the gate governs this page (instance or class)."""
    model = page_or_model if isinstance(page_or_model, type) else None
    if model is None:
        page = page_or_model
        model = page.specific_class if type(page) is Page else type(page)
    if model is None:
        return False
    return model._meta.app_label == "content" and model._meta.model_name in GOVERNED_MODEL_NAMES


def framework_in_force() -> QualityFrameworkVersion | None:
    """The framework version in force today."""
    return QualityFrameworkVersion.objects.in_force()


def applicable_criteria(*, page: Page, version: QualityFrameworkVersion) -> list[QualityCriterion]:
    """The criteria of `version` that apply to `page` (a specific instance)."""
    return [criterion for criterion in version.criteria.all() if criterion.applies_to(page)]


def evaluate_page(
    page: Page, *, version: QualityFrameworkVersion | None = None
) -> list[CriterionOutcome]:
    """Every criterion in force that applies to `page`, with the result of its automatic check."""
    version = version or framework_in_force()
    if version is None:
        return []
    page = page.specific if type(page) is Page else page
    outcomes: list[CriterionOutcome] = []
    for criterion in applicable_criteria(page=page, version=version):
        if criterion.kind == CriterionKind.MANUAL:
            outcomes.append(
                CriterionOutcome(criterion, None, "Een kwaliteitsbewaker beoordeelt dit.")
            )
            continue
        check = get_check(criterion.check_code)
        if check is None:
            outcomes.append(
                CriterionOutcome(
                    criterion, False, f"De controle '{criterion.check_code}' bestaat niet."
                )
            )
            continue
        try:
            result = check(page)
        except Exception:  # a broken check must never let content through, nor crash a view
            logger.exception("Quality check %s failed on page %s", criterion.check_code, page.pk)
            outcomes.append(
                CriterionOutcome(criterion, False, "De controle kon niet worden uitgevoerd.")
            )
            continue
        outcomes.append(CriterionOutcome(criterion, result.passed, result.message, result.field))
    return outcomes


def blocking_failures(outcomes: list[CriterionOutcome]) -> list[CriterionOutcome]:
    """The outcomes that stop publication."""
    return [outcome for outcome in outcomes if outcome.blocks]


def describe_failure(outcome: CriterionOutcome) -> str:
    """One unmet criterion as a Dutch line: its title and what to fix."""
    return f"{outcome.criterion.title}: {outcome.message}"


def revision_makers(*, revision: Revision) -> set[int]:
    """The ids of the users who made `revision` or submitted it for review."""
    makers = {revision.user_id} if revision.user_id else set()
    makers |= set(
        WorkflowState.objects.filter(task_states__revision=revision)
        .exclude(requested_by=None)
        .values_list("requested_by_id", flat=True)
    )
    return makers


def eligible_reviewer(*, user, revision: Revision) -> str | None:
    """None when `user` may assess `revision`; otherwise the Dutch reason why not."""
    if user is None or not user.is_active:
        return "er is geen actieve kwaliteitsbewaker"
    if not user.groups.filter(name=roles.REVIEWER).exists():
        return f"{user.get_full_name() or user.get_username()} is geen kwaliteitsbewaker"
    if user.pk in revision_makers(revision=revision):
        return "de maker of indiener van een revisie toetst haar niet zelf"
    return None


# --- The rule --------------------------------------------------------------------------------------


def gate_decision(revision: Revision) -> GateDecision:
    """Whether `revision` may go live now, under the framework version in force."""
    version = framework_in_force()
    if version is None:
        return GateDecision(
            False, None, unmet=["Er is geen kwaliteitskader van kracht; vraag de beheerder"]
        )
    page = revision.as_object()
    unmet = [
        describe_failure(outcome)
        for outcome in blocking_failures(evaluate_page(page, version=version))
    ]
    candidates = list(
        QualityAssessment.objects.filter(
            revision=revision, framework_version=version, passed=True
        ).select_related("reviewer")
    )
    assessment = None
    reasons = []
    for candidate in candidates:
        reason = eligible_reviewer(user=candidate.reviewer, revision=revision)
        if reason is None:
            assessment = candidate
            break
        reasons.append(reason)
    if assessment is None:
        if reasons:
            unmet.append(f"De kwaliteitstoets van deze revisie telt niet: {reasons[0]}")
        else:
            unmet.append(
                f"Deze revisie heeft geen goedgekeurde kwaliteitstoets onder kwaliteitskader "
                f"v{version.version}; dien haar in bij de workflow Kwaliteitsborging"
            )
    return GateDecision(not unmet, version, assessment, unmet)


def ensure_may_go_live(*, revision: Revision, user=None) -> GateDecision:
    """Raise (and log) `QualityGateRefused` unless `revision` may go live; else the decision."""
    decision = gate_decision(revision)
    if not decision.allowed:
        page = revision.content_object
        refusal = QualityGateRefused(
            page_title=revision.object_str or str(page),
            unmet=decision.unmet,
            page=page,
            revision=revision,
        )
        log_refusal(refusal=refusal, user=user)
        raise refusal
    return decision


def log_refusal(*, refusal: QualityGateRefused, user=None, persist_again: bool = False) -> None:
    """Write a refusal to Wagtail's audit log (again, when a rollback took the first entry)."""
    if persist_again and refusal.log_entry_id:
        if PageLogEntry.objects.filter(pk=refusal.log_entry_id).exists():
            return
    logger.warning("Quality gate refused: %s", refusal.summary)
    page = refusal.page
    if page is None or page.pk is None:
        return
    revision = refusal.revision if refusal.revision and refusal.revision.pk else None
    entry = log(
        instance=page.specific if type(page) is Page else page,
        action=REFUSED_ACTION,
        user=user,
        data={"unmet": refusal.unmet, "revision_id": revision.pk if revision else None},
        revision=revision,
    )
    refusal.log_entry_id = getattr(entry, "pk", None)


# --- The model-level guards --------------------------------------------------------------------------


def _content_field_names(model) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if f.name not in _PAGE_BOOKKEEPING_FIELDS and not f.primary_key
    ]


def _content_changed(instance: Page, written: set[str] | None) -> bool:
    model = type(instance)
    names = _content_field_names(model)
    if written is not None:
        names = [name for name in names if name in written or name.removesuffix("_id") in written]
    if not names:
        return False
    stored = model.objects.filter(pk=instance.pk).values(*names).first()
    if stored is None:
        return True
    for name in names:
        field_object = model._meta.get_field(name)
        current = field_object.get_prep_value(getattr(instance, name))
        before = field_object.get_prep_value(stored[name])
        if current != before:
            return True
    return False


def _refuse_page_save(instance: Page, unmet: list[str], revision: Revision | None) -> None:
    refusal = QualityGateRefused(
        page_title=instance.title, unmet=unmet, page=instance, revision=revision
    )
    if instance.pk is None:
        # A new live page (e.g. a copy kept live) has no history yet: log on its parent.
        parent_path = (instance.path or "")[: -Page.steplen]
        refusal.page = Page.objects.filter(path=parent_path).first() if parent_path else None
    log_refusal(refusal=refusal)
    raise refusal


@receiver(pre_save, dispatch_uid="quality_gate_page_guard")
def guard_page_going_live(sender, instance, raw=False, update_fields=None, **kwargs):
    """Refuse any save that would make new content of a governed page live without a pass."""
    if raw or not isinstance(instance, Page) or not instance.live:
        return
    if instance.alias_of_id or not is_governed(instance):
        return
    written = set(update_fields) if update_fields is not None else None
    if written is not None and not (
        {"live", "live_revision", "live_revision_id"} & written
        or set(_content_field_names(type(instance))) & {*written, *(f"{w}_id" for w in written)}
    ):
        return
    if instance.pk is None or instance._state.adding:
        _refuse_page_save(
            instance,
            ["Een nieuwe pagina gaat alleen live via een goedgekeurde revisie"],
            None,
        )
    stored = Page.objects.filter(pk=instance.pk).values("live", "live_revision_id").first()
    if (
        stored
        and stored["live"]
        and stored["live_revision_id"] == instance.live_revision_id
        and instance.live_revision_id is not None
    ):
        if _content_changed(instance, written):
            _refuse_page_save(
                instance,
                ["Live inhoud verandert alleen door een goedgekeurde revisie te publiceren"],
                None,
            )
        return
    revision = instance.live_revision if instance.live_revision_id else None
    if revision is None or str(revision.object_id) != str(instance.pk):
        _refuse_page_save(
            instance, ["Een pagina gaat alleen live via een goedgekeurde revisie"], None
        )
    decision = gate_decision(revision)
    if not decision.allowed:
        _refuse_page_save(instance, decision.unmet, revision)


@receiver(pre_save, sender=Revision, dispatch_uid="quality_gate_schedule_guard")
def guard_revision_scheduled(sender, instance, raw=False, update_fields=None, **kwargs):
    """Refuse scheduling a revision of a governed page for publication without a pass."""
    if raw or instance.approved_go_live_at is None:
        return
    if update_fields is not None and "approved_go_live_at" not in update_fields:
        return
    model = ContentType.objects.get_for_id(instance.content_type_id).model_class()
    if model is None or not issubclass(model, Page) or not is_governed(model):
        return
    if instance.pk is not None:
        stored = (
            Revision.objects.filter(pk=instance.pk)
            .values_list("approved_go_live_at", flat=True)
            .first()
        )
        if stored == instance.approved_go_live_at:
            return
    decision = gate_decision(instance)
    if not decision.allowed:
        refusal = QualityGateRefused(
            page_title=instance.object_str,
            unmet=["Inplannen kan alleen voor een goedgekeurde revisie", *decision.unmet],
            page=instance.content_object,
            revision=instance if instance.pk else None,
        )
        log_refusal(refusal=refusal)
        raise refusal


# --- Refusing before Wagtail changes anything ------------------------------------------------------
#
# `Page.publish()` (behind `revision.publish()`) clears other revisions' schedules before it saves
# the page, and `Page.save()` runs in a transaction whose rollback would also take a refusal's
# audit-log entry with it. Wagtail has no hook before its publish action starts, so the gate wraps
# `Page.publish` and `Page.copy` once: a refusal is then logged and raised before anything changes.
# The `pre_save` guards above stay as the backstop for every other path.


def _gated_publish(original):
    def publish(self, revision, user=None, *args, **kwargs):
        if is_governed(self) and not self.alias_of_id:
            ensure_may_go_live(revision=revision, user=user)
        return original(self, revision, user, *args, **kwargs)

    publish.__doc__ = original.__doc__
    publish.quality_gated = True
    return publish


def _gated_copy(original):
    signature = inspect.signature(original)

    def copy(self, *args, **kwargs):
        arguments = signature.bind(self, *args, **kwargs)
        arguments.apply_defaults()
        if arguments.arguments["keep_live"] and self.live:
            governed = is_governed(self) or (
                arguments.arguments["recursive"]
                and any(is_governed(page) for page in self.get_descendants().live().specific())
            )
            if governed:
                refusal = QualityGateRefused(
                    page_title=self.title,
                    unmet=["Een kopie gaat niet live mee: zij heeft nog geen kwaliteitstoets"],
                    page=self,
                )
                log_refusal(refusal=refusal, user=arguments.arguments["user"])
                raise refusal
        return original(self, *args, **kwargs)

    copy.__doc__ = original.__doc__
    copy.quality_gated = True
    return copy


def install_precheck() -> None:
    """Wrap `Page.publish` and `Page.copy` with the gate (once)."""
    if not getattr(Page.publish, "quality_gated", False):
        Page.publish = _gated_publish(Page.publish)
    if not getattr(Page.copy, "quality_gated", False):
        Page.copy = _gated_copy(Page.copy)
