"""Writes of the quality framework: assessing revisions, publishing migrated content, versions.

Other areas call these functions; views and commands stay thin:

- `assess_revision(revision=, reviewer=, judgements=, note=)` records a quality assessment;
- `publish_migrated_revision(revision=, reviewer=, note=)` assesses and publishes imported content;
- `ensure_framework_version(version=, effective_date=, change_note=, criteria=, copy_from=)`
  creates and publishes a framework version once.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from wagtail.log_actions import log
from wagtail.models import Page, Revision

from quality.binding import revision_fingerprint
from quality.gate import (
    ASSESSED_ACTION,
    CriterionOutcome,
    QualityGateRefused,
    blocking_failures,
    describe_failure,
    eligible_reviewer,
    evaluate_page,
    framework_in_force,
    log_refusal,
)
from quality.models import (
    AssessmentSource,
    CriterionJudgement,
    CriterionKind,
    FrameworkStatus,
    QualityAssessment,
    QualityCriterion,
    QualityFrameworkVersion,
)


@dataclass(frozen=True)
class Judgement:
    """A reviewer's judgement of one manual criterion."""

    passed: bool
    note: str = ""


def _reviewer_name(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


@transaction.atomic
def assess_revision(
    *,
    revision: Revision,
    reviewer: User,
    judgements: dict[str, Judgement],
    note: str = "",
    source: str = AssessmentSource.REVIEW,
) -> QualityAssessment:
    """Record `reviewer`'s assessment of `revision` under the framework version in force.

    `judgements` maps the code of every applicable manual criterion to a `Judgement`; a failed
    judgement needs a note. Automatic criteria are evaluated here and stored with their message.
    The assessment passes when every blocking criterion passes.
    """
    # Lock the revision: what is judged does not change while the judgement is written.
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    version = framework_in_force()
    if version is None:
        raise ValidationError("Er is geen kwaliteitskader van kracht.")
    reason = eligible_reviewer(user=reviewer, revision=revision)
    if reason:
        raise ValidationError(f"Deze toets kan niet worden vastgelegd: {reason}.")
    page = revision.as_object()
    outcomes = evaluate_page(page, version=version)
    return _record_assessment(
        revision=revision,
        page=page,
        version=version,
        outcomes=outcomes,
        reviewer=reviewer,
        judgements=judgements,
        note=note,
        source=source,
    )


def _record_assessment(
    *,
    revision: Revision,
    page: Page,
    version: QualityFrameworkVersion,
    outcomes: list[CriterionOutcome],
    reviewer: User,
    judgements: dict[str, Judgement],
    note: str,
    source: str,
) -> QualityAssessment:
    """Write `reviewer`'s assessment of the locked `revision`.

    The caller has locked `revision`, built `page` from it, evaluated it under `version` into
    `outcomes` and checked that `reviewer` may assess it.
    """
    rows: list[tuple[QualityCriterion, bool, str]] = []
    errors: list[str] = []
    for outcome in outcomes:
        criterion = outcome.criterion
        if criterion.kind == CriterionKind.AUTOMATIC:
            rows.append((criterion, bool(outcome.passed), outcome.message))
            continue
        judgement = judgements.get(criterion.code)
        if judgement is None:
            errors.append(f"Beoordeel het criterium '{criterion.title}'.")
        elif not judgement.passed and not judgement.note.strip():
            errors.append(f"Licht toe waarom '{criterion.title}' niet voldoet.")
        else:
            rows.append((criterion, judgement.passed, judgement.note.strip()))
    if errors:
        raise ValidationError(errors)
    passed = all(ok for criterion, ok, _ in rows if criterion.is_blocking)
    # Bind the judgement to exactly what was judged: the content and the bytes of its media.
    fingerprint = revision_fingerprint(revision, page=page)
    assessment = QualityAssessment.objects.create(
        page=Page.objects.get(pk=revision.object_id),
        page_title=str(page.title),
        revision=revision,
        framework_version=version,
        reviewer=reviewer,
        reviewer_name=_reviewer_name(reviewer),
        passed=passed,
        source=source,
        note=note,
        fingerprint=fingerprint.digest,
        bound_media=fingerprint.media_text,
    )
    CriterionJudgement.objects.bulk_create(
        [
            CriterionJudgement(assessment=assessment, criterion=criterion, passed=ok, note=text)
            for criterion, ok, text in rows
        ]
    )
    log(
        instance=page,
        action=ASSESSED_ACTION,
        user=reviewer,
        revision=revision,
        data={
            "assessment_id": assessment.pk,
            "version": version.version,
            "passed": passed,
            "reviewer": assessment.reviewer_name,
            "failed": [criterion.title for criterion, ok, _ in rows if not ok],
            "note": note,
        },
    )
    return assessment


def publish_migrated_revision(
    *, revision: Revision, reviewer: User, note: str
) -> QualityAssessment:
    """Assess migrated content as `reviewer` and publish it, or refuse with the reasons.

    Refuses (`QualityGateRefused`) unless every blocking automatic criterion passes and `reviewer`
    is a Kwaliteitsbewaker who did not make the revision. Manual criteria are recorded as passed
    with `note` (e.g. "Gemigreerde inhoud"). Returns the assessment.
    """
    with transaction.atomic():
        # Lock the revision once and build its page once: the refusal check and the assessment
        # judge the same content (`assess_revision` would lock and build it again).
        locked = Revision.objects.select_for_update().get(pk=revision.pk)
        version = framework_in_force()
        page = locked.as_object()
        outcomes = evaluate_page(page, version=version) if version is not None else []
        unmet = [describe_failure(outcome) for outcome in blocking_failures(outcomes)]
        if version is None:
            unmet.append("Er is geen kwaliteitskader van kracht")
        reason = eligible_reviewer(user=reviewer, revision=locked)
        if reason:
            unmet.append(f"Goedkeuren kan niet: {reason}")
        if not unmet and version is not None:
            judgements = {
                outcome.criterion.code: Judgement(True, note)
                for outcome in outcomes
                if outcome.criterion.kind == CriterionKind.MANUAL
            }
            assessment = _record_assessment(
                revision=locked,
                page=page,
                version=version,
                outcomes=outcomes,
                reviewer=reviewer,
                judgements=judgements,
                note=note,
                source=AssessmentSource.MIGRATION,
            )
            revision.publish(user=reviewer, skip_permission_checks=True)
            return assessment
    # Logged outside the block above, so that the refusal's log entry is kept.
    refusal = QualityGateRefused(
        page_title=str(page.title),
        unmet=unmet,
        page=revision.content_object,
        revision=revision,
    )
    log_refusal(refusal=refusal, user=reviewer)
    raise refusal


_CRITERION_FIELDS = (
    "title",
    "explanation",
    "kind",
    "severity",
    "check_code",
    "page_types",
    "product_types",
    "lifecycle_stages",
)


@transaction.atomic
def ensure_framework_version(
    *,
    version: str,
    effective_date: datetime.date,
    change_note: str,
    criteria: list[dict[str, Any]],
    copy_from: str | None = None,
) -> list[str]:
    """Create and publish framework `version` once; a second call changes nothing.

    With `copy_from`, the criteria of that version are copied first; each dict in `criteria` then
    adds a criterion or, for an existing code, replaces its fields (`{"code": ..., "remove": True}`
    drops it). Publishing supersedes older versions; live content stays live. Returns Dutch lines.
    """
    if QualityFrameworkVersion.objects.filter(version=version).exists():
        return []
    merged: dict[str, dict[str, Any]] = {}
    if copy_from:
        source = QualityFrameworkVersion.objects.get(version=copy_from)
        for criterion in source.criteria.all():
            merged[criterion.code] = {
                "code": criterion.code,
                **{name: getattr(criterion, name) for name in _CRITERION_FIELDS},
            }
    for item in criteria:
        if item.get("remove"):
            merged.pop(item["code"], None)
        else:
            merged[item["code"]] = {**merged.get(item["code"], {}), **item}
    framework = QualityFrameworkVersion.objects.create(
        version=version,
        effective_date=effective_date,
        change_note=change_note,
        status=FrameworkStatus.DRAFT,
    )
    for order, item in enumerate(merged.values()):
        criterion = QualityCriterion(
            version=framework,
            sort_order=order,
            code=item["code"],
            title=item["title"],
            explanation=item.get("explanation", ""),
            kind=item.get("kind", CriterionKind.MANUAL),
            severity=item.get("severity", "blocking"),
            check_code=item.get("check_code", ""),
            page_types=list(item.get("page_types", [])),
            product_types=list(item.get("product_types", [])),
            lifecycle_stages=list(item.get("lifecycle_stages", [])),
        )
        criterion.full_clean(exclude=["version"])
        criterion.save()
    framework.status = FrameworkStatus.PUBLISHED
    framework.save()
    return [
        f"Kwaliteitskader v{version} vastgesteld met {len(merged)} criteria, geldig vanaf "
        f"{effective_date:%d-%m-%Y}"
    ]


def _next_version_number(version: str) -> str:
    major, minor = (int(part) for part in version.split(".")[:2])
    candidate = f"{major}.{minor + 1}"
    while QualityFrameworkVersion.objects.filter(version=candidate).exists():
        minor += 1
        candidate = f"{major}.{minor + 1}"
    return candidate


@transaction.atomic
def draft_next_version(*, source: QualityFrameworkVersion) -> QualityFrameworkVersion:
    """A draft of the next minor version with a copy of `source`'s criteria, for the Beheerder."""
    draft = QualityFrameworkVersion.objects.create(
        version=_next_version_number(source.version),
        effective_date=datetime.date.today(),
        change_note="",
        status=FrameworkStatus.DRAFT,
    )
    for criterion in source.criteria.all():
        QualityCriterion.objects.create(
            version=draft,
            sort_order=criterion.sort_order,
            code=criterion.code,
            **{name: getattr(criterion, name) for name in _CRITERION_FIELDS},
        )
    return draft


FRAMEWORK_ADOPTED_ACTION = "quality.framework.adopted"


@transaction.atomic
def adopt_framework_version(
    *, version: QualityFrameworkVersion, user: User
) -> QualityFrameworkVersion:
    """Adopt the draft `version` (it supersedes older ones) and write it to the audit log."""
    locked = QualityFrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != FrameworkStatus.DRAFT:
        raise ValidationError(f"Kwaliteitskader v{locked.version} is al vastgesteld.")
    if not locked.change_note.strip():
        raise ValidationError(
            "Vul eerst de wijzigingsnotitie in: wat is er veranderd ten opzichte van de vorige "
            "versie?"
        )
    if not locked.criteria.exists():
        raise ValidationError("Een kwaliteitskader zonder criteria kan niet worden vastgesteld.")
    superseded = list(
        QualityFrameworkVersion.objects.filter(status=FrameworkStatus.PUBLISHED).values_list(
            "version", flat=True
        )
    )
    locked.status = FrameworkStatus.PUBLISHED
    locked.save()
    log(
        instance=locked,
        action=FRAMEWORK_ADOPTED_ACTION,
        user=user,
        data={
            "version": locked.version,
            "effective_date": locked.effective_date.isoformat(),
            "superseded": superseded,
            "criteria": locked.criteria.count(),
        },
    )
    version.refresh_from_db()
    return version
