"""Automatic quality criteria of framework 1.1 that read the hub's operational records."""

from wagtail.models import Page

from content.choices import LifecycleStatus
from content.operations.choices import CertificationRole, PilotOutcome, PilotPhase
from content.operations.models import Certification, Pilot
from content.quality.checks.registry import CheckResult, register_check

POSITIVE_PILOT_CODE = "positieve_pilot"
CERTIFIED_SPECIALIST_CODE = "gecertificeerde_specialist"


def _applies(page: Page) -> bool:
    return getattr(page, "lifecycle_status", None) == LifecycleStatus.BESCHIKBAAR


@register_check(POSITIVE_PILOT_CODE)
def has_positive_pilot(page: Page) -> CheckResult:
    """A product that is 'beschikbaar' has at least one evaluated pilot with outcome 'positief'."""
    if not _applies(page):
        return CheckResult(True, "Geldt alleen voor producten met levensfase 'Beschikbaar'.")
    exists = Pilot.objects.filter(
        product_id=page.pk, phase=PilotPhase.GEEVALUEERD, outcome=PilotOutcome.POSITIEF
    ).exists()
    if exists:
        return CheckResult(True, "Er is ten minste één positief geëvalueerde pilot.")
    return CheckResult(
        False,
        "Een beschikbaar product heeft ten minste één geëvalueerde pilot met uitkomst 'positief'. "
        "Leg de pilot vast onder Bedrijfsvoering › Pilots.",
        "lifecycle_status",
    )


@register_check(CERTIFIED_SPECIALIST_CODE)
def has_certified_specialist(page: Page) -> CheckResult:
    """A product that is 'beschikbaar' has at least one specialist with a valid certification."""
    if not _applies(page):
        return CheckResult(True, "Geldt alleen voor producten met levensfase 'Beschikbaar'.")
    exists = (
        Certification.objects.valid()
        .filter(
            product_id=page.pk,
            role__in=[CertificationRole.UITVOERDER, CertificationRole.TRAINER],
        )
        .exists()
    )
    if exists:
        return CheckResult(True, "Er is ten minste één specialist met een geldige certificering.")
    return CheckResult(
        False,
        "Een beschikbaar product heeft ten minste één maatwerkspecialist met een geldige "
        "certificering. Leg die vast onder Bedrijfsvoering › Certificeringen.",
        "lifecycle_status",
    )
