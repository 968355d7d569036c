"""The quality gate: the one place where "the one rule that matters most" lives.

Nothing goes live unless the exact revision going live has a passing quality assessment under the
framework version in force, made by a Kwaliteitsbewaker who is none of its makers (everyone who
saved or submitted a revision since the page was last live), whose fingerprint still matches the
content and the bytes of the media the revision shows (quality/binding.py), and every
blocking automatic criterion passes. Publishing is a final approval: no maker gives it, and while
a workflow runs it is recorded as that workflow's final approval (`publish_route`).

`gate_decision` applies the rule and `publication_unmet` adds who publishes. Wagtail meets them
through the governed pages' own seams (quality/pages.py: the permission tester, the
page's `publish`, one backstop on the live revision) and the workflow's finish action
(quality/finish.py); docs/quality-gate.md lists every path. Assessed or submitted
revisions are never overwritten, and media under governed pages never replaced in place (the
guards below). Every refusal is written to Wagtail's audit log.

Governed page types derive from `GovernedPage`. The structural pages (home, product library,
line overview, information pages) are exempt: they hold no product content and the framework has
no criteria for them. Alias pages are exempt too: they mirror a governed page whose own revision
passed the gate.
"""

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max, Model
from django.db.models.signals import pre_save
from django.dispatch import receiver

from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.log_actions import log
from wagtail.models import Page, PageLogEntry, Revision, TaskState, WorkflowState

from core import roles
from quality.binding import media_in_governed_use, revision_fingerprint
from quality.checks import get_check
from quality.models import (
    GOVERNED_PAGE_TYPES,
    CriterionKind,
    FinalApprovalTask,
    QualityAssessment,
    QualityCriterion,
    QualityFrameworkVersion,
)

logger = logging.getLogger(__name__)

GOVERNED_MODEL_NAMES = frozenset(name for name, _ in GOVERNED_PAGE_TYPES)
REFUSED_ACTION = "quality.gate.refused"
ASSESSED_ACTION = "quality.assessment"


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

    def __init__(
        self,
        *,
        page_title: str,
        unmet: list[str],
        page: Page | None = None,
        revision: Revision | None = None,
    ) -> None:
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


def is_governed(page_or_model: Page | type[Model]) -> bool:
    """Whether the gate governs this page (instance or class): a `GovernedPage` type."""
    model = page_or_model if isinstance(page_or_model, type) else None
    if model is None:
        page = page_or_model
        model = page.specific_class if type(page) is Page else type(page)
    return bool(model is not None and getattr(model, "governed_by_quality_gate", False))


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


# The log actions with which Wagtail records that a revision went live.
_WENT_LIVE_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")


def last_live_revision_id(*, revision: Revision) -> int:
    """The id of the last revision of the same page that went live before `revision` (0: none)."""
    went_live = PageLogEntry.objects.filter(
        page_id=revision.object_id, action__in=_WENT_LIVE_ACTIONS, revision_id__lt=revision.pk
    ).aggregate(last=Max("revision_id"))["last"]
    live = (
        Page.objects.filter(pk=revision.object_id)
        .values_list("live_revision_id", flat=True)
        .first()
    )
    candidates = [went_live or 0]
    if live and live < revision.pk:
        candidates.append(live)
    return max(candidates)


def revision_makers(*, revision: Revision) -> set[int]:
    """Everyone who changed the content that `revision` holds since the page was last live.

    That is the saver of every revision after the last live one, up to and including `revision`,
    and everyone who submitted one of those revisions for review.
    """
    changes = Revision.objects.filter(
        base_content_type_id=revision.base_content_type_id,
        object_id=revision.object_id,
        pk__gt=last_live_revision_id(revision=revision),
        pk__lte=revision.pk,
    )
    makers = set(changes.exclude(user=None).values_list("user_id", flat=True))
    if revision.user_id:
        makers.add(revision.user_id)
    makers |= set(
        WorkflowState.objects.filter(task_states__revision__in=changes.values("pk"))
        .exclude(requested_by=None)
        .values_list("requested_by_id", flat=True)
    )
    return makers


def eligible_reviewer(*, user: User | None, revision: Revision) -> str | None:
    """None when `user` may assess `revision`; otherwise the Dutch reason why not."""
    if user is None or not user.is_active:
        return "er is geen actieve kwaliteitsbewaker"
    if not user.groups.filter(name=roles.REVIEWER).exists():
        return f"{user.get_full_name() or user.get_username()} is geen kwaliteitsbewaker"
    if user.pk in revision_makers(revision=revision):
        return (
            "een maker of indiener van de inhoud toetst haar niet zelf (wie haar sinds de "
            "laatste publicatie wijzigde of indiende)"
        )
    return None


CONTENT_CHANGED = "de inhoud of een document of afbeelding erin is na de toets gewijzigd"


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
    reasons: list[str] = []
    # The assessment binds to what was judged: recompute the fingerprint now and compare.
    digest = revision_fingerprint(revision, page=page).digest if candidates else ""
    for candidate in candidates:
        reason = eligible_reviewer(user=candidate.reviewer, revision=revision)
        if reason is None and candidate.fingerprint != digest:
            reason = CONTENT_CHANGED
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


# --- Who publishes: the final approval ----------------------------------------------------------------


@dataclass(frozen=True)
class PublishRoute:
    """How `user` publishing a revision goes: straight, as a workflow's final approval, or refused."""

    final_approval: TaskState | None = None
    refusal: str | None = None


FINAL_APPROVAL_COMMENT = "Definitief goedgekeurd door te publiceren."


def publish_route(*, revision: Revision, user: User | None = None) -> PublishRoute:
    """Whether publishing `revision` as `user` is (or records) a final approval, or is refused.

    Publishing is a final approval: nobody who made the revision gives it. While the page is in
    a workflow, publishing is that workflow's final approval by `user`, never a silent cancel.
    """
    state = (
        WorkflowState.objects.active()
        .filter(base_content_type_id=revision.base_content_type_id, object_id=revision.object_id)
        .select_related("current_task_state__task")
        .first()
    )
    if state is None:
        if user is not None and user.pk in revision_makers(revision=revision):
            return PublishRoute(
                refusal="Wie de inhoud sinds de laatste publicatie wijzigde of indiende, keurt "
                "haar niet definitief goed en publiceert haar niet"
            )
        return PublishRoute()
    if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return PublishRoute(
            refusal="De workflow Kwaliteitsborging vraagt wijzigingen; dien de pagina opnieuw in"
        )
    task_state = state.current_task_state
    task = task_state.task.specific if task_state else None
    if not isinstance(task, FinalApprovalTask):
        step = task.name if task else "onbekend"
        return PublishRoute(
            refusal=f"De pagina wacht in de workflow op de stap '{step}'; publiceren kan pas bij "
            "de eindgoedkeuring"
        )
    page = revision.content_object
    latest = page.get_latest_revision()
    if task_state.revision_id != revision.pk or latest is None or latest.pk != revision.pk:
        return PublishRoute(
            refusal="Na het indienen is een nieuwe revisie opgeslagen; dien die in bij de workflow"
        )
    actions = task.get_actions(page, user) if user is not None else []
    if "approve" not in [name for name, *_ in actions]:
        return PublishRoute(
            refusal="Alleen een coördinator die de inhoud niet zelf wijzigde of indiende, geeft "
            "de eindgoedkeuring"
        )
    return PublishRoute(final_approval=task_state)


def publication_unmet(
    *, revision: Revision, user: User | None = None
) -> tuple[list[str], PublishRoute]:
    """The Dutch reasons why `user` may not publish `revision` now (empty: may), and the route."""
    decision = gate_decision(revision)
    route = publish_route(revision=revision, user=user)
    return [*decision.unmet, *([route.refusal] if route.refusal else [])], route


def ensure_may_publish(*, revision: Revision, user: User | None = None) -> PublishRoute:
    """Raise (and log) `QualityGateRefused` unless `user` may publish `revision`; else the route."""
    unmet, route = publication_unmet(revision=revision, user=user)
    if unmet:
        refusal = QualityGateRefused(
            page_title=revision.object_str or str(revision.content_object),
            unmet=unmet,
            page=revision.content_object,
            revision=revision,
        )
        log_refusal(refusal=refusal, user=user)
        raise refusal
    return route


# While `GovernedPage.publish` hands Wagtail a revision the gate has just let through, the checks
# made inside that same call (Wagtail's permission check through the tester, the backstop on the
# live revision) reuse the decision instead of making it again: (revision id, publishing user id).
_LET_THROUGH: ContextVar[tuple[int, int | None] | None] = ContextVar(
    "quality_gate_let_through", default=None
)


@contextmanager
def let_through(*, revision: Revision, user: User | None) -> Iterator[None]:
    """Within this block, `revision` published by `user` has passed `ensure_may_publish`."""
    token = _LET_THROUGH.set((revision.pk, user.pk if user is not None else None))
    try:
        yield
    finally:
        _LET_THROUGH.reset(token)


def gate_let_through(*, revision_id: int) -> bool:
    """Whether the publication now running is of `revision_id`, which passed the gate."""
    passed = _LET_THROUGH.get()
    return passed is not None and passed[0] == revision_id


def publication_let_through(*, revision_id: int, user: User | AnonymousUser) -> bool:
    """Whether the publication now running is `user` publishing `revision_id`, which passed
    `ensure_may_publish` (the gate and the route, which depends on who publishes)."""
    passed = _LET_THROUGH.get()
    return (
        passed is not None
        and passed[0] == revision_id
        and user.pk is not None
        and passed[1] == user.pk
    )


def approve_by_publishing(*, final_approval: TaskState, user: User | None) -> None:
    """Record `user`'s publication as the workflow's final approval (which then publishes)."""
    final_approval.approve(user=user, comment=FINAL_APPROVAL_COMMENT)


def log_refusal(
    *,
    refusal: QualityGateRefused,
    user: User | AnonymousUser | None = None,
    persist_again: bool = False,
) -> None:
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


# --- Guards on what was assessed ------------------------------------------------------------------

ALIAS_CONVERSION_REFUSED = (
    "Een gepubliceerde alias wordt bij omzetten een eigen pagina zonder kwaliteitstoets; "
    "depubliceer de alias eerst en dien de omgezette pagina in bij de workflow Kwaliteitsborging"
)


class RevisionLocked(PermissionDenied):
    """Raised when a submitted or assessed revision would be overwritten in place.

    A `PermissionDenied`, so that Wagtail's edit view shows the message and keeps the form.
    """


REVISION_LOCKED = (
    "Deze revisie is ingediend of getoetst en wordt daarom niet overschreven: wat getoetst is, "
    "blijft zoals het is. Er is niets gewijzigd; sla uw wijzigingen op als een nieuwe revisie."
)


def revision_is_locked(revision_id: int) -> bool:
    """Whether a revision has a quality assessment or is (or was) in a workflow."""
    return (
        QualityAssessment.objects.filter(revision_id=revision_id).exists()
        or TaskState.objects.filter(revision_id=revision_id).exists()
    )


def _canonical(content: object) -> str:
    return json.dumps(content, cls=DjangoJSONEncoder, sort_keys=True)


@receiver(pre_save, sender=Revision, dispatch_uid="quality_revision_overwrite_guard")
def guard_revision_overwrite(
    sender: type[Revision],
    instance: Revision,
    raw: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    """Refuse rewriting the content of a revision that is assessed or in a workflow."""
    if raw or instance.pk is None or instance._state.adding:
        return
    if update_fields is not None and not {"content", "object_str"} & set(update_fields):
        return
    stored = Revision.objects.filter(pk=instance.pk).values_list("content", flat=True).first()
    if stored is None or _canonical(stored) == _canonical(instance.content):
        return
    if revision_is_locked(instance.pk):
        logger.warning("Refused overwriting locked revision %s", instance.pk)
        raise RevisionLocked(REVISION_LOCKED)


class MediaInUse(ValidationError):
    """Raised when the file of a document or image under a live or submitted page would change."""


def media_replacement_refusal(obj: AbstractDocument | AbstractImage) -> str | None:
    """None when the file of document or image `obj` may be replaced in place; else why not."""
    if obj.pk is None:
        return None
    pages = media_in_governed_use(obj)
    if not pages:
        return None
    titles = ", ".join(f"'{page.get_admin_display_title()}'" for page in pages[:5])
    if len(pages) > 5:
        titles += f" en {len(pages) - 5} meer"
    return (
        f"Het bestand van '{obj.title}' wordt niet vervangen: het staat op een gepubliceerde of "
        f"ingediende pagina ({titles}), en wat getoetst is, blijft zoals het is. Upload de nieuwe "
        "versie als nieuw bestand en kies dat in een nieuwe revisie van de pagina; die gaat langs "
        "de kwaliteitstoets."
    )


def guard_media_replacement(
    sender: type[AbstractDocument | AbstractImage],
    instance: AbstractDocument | AbstractImage,
    raw: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    """Refuse replacing the file of a document or image that a live or submitted page shows."""
    if raw or instance.pk is None or instance._state.adding:
        return
    if update_fields is not None and "file" not in update_fields:
        return
    stored = type(instance).objects.filter(pk=instance.pk).values_list("file", flat=True).first()
    if stored is None:
        return
    new_upload = not getattr(instance.file, "_committed", True)
    if stored == (instance.file.name or "") and not new_upload:
        return
    reason = media_replacement_refusal(instance)
    if reason:
        raise MediaInUse(reason)


def connect_media_guards() -> None:
    """Connect `guard_media_replacement` to the document and image models (once)."""
    for model in (get_document_model(), get_image_model()):
        pre_save.connect(
            guard_media_replacement,
            sender=model,
            dispatch_uid=f"quality_media_guard_{model._meta.label_lower}",
        )
