"""Automatic quality criteria of framework 1.1 that read the hub's operational records."""

from django.utils import timezone

from wagtail.models import Page

from operations.choices import CertificationRole, PilotOutcome, PilotPhase
from operations.models import Certification, Pilot
from products.choices import LifecycleStatus
from quality.checks.registry import CheckResult, register_check
from quality.services import ensure_framework_version

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


FRAMEWORK_V1_1_VERSION = "1.1"
FRAMEWORK_V1_1_CHANGE_NOTE = (
    "Versie 1.1 voegt twee automatische criteria toe voor beschikbare producten, gebaseerd op de "
    "bedrijfsvoering van de hub: ten minste één positief geëvalueerde pilot, en ten minste één "
    "maatwerkspecialist met een geldige certificering. Alle criteria van 1.0 blijven gelden."
)
# Blocking: a product is only published as 'beschikbaar' once it has been tested in practice and
# someone can deliver it. Live content stays live when 1.1 is adopted; the reassessment report
# lists it, and its next publication must meet 1.1.
FRAMEWORK_V1_1_SEVERITY = "blocking"

FRAMEWORK_V1_1_CRITERIA: list[dict] = [
    {
        "code": POSITIVE_PILOT_CODE,
        "title": "Positief geëvalueerde pilot",
        "explanation": "Een beschikbaar product is in de praktijk getoetst: er is ten minste één "
        "geëvalueerde pilot met uitkomst 'positief'. Leg pilots vast onder Bedrijfsvoering › Pilots.",
        "kind": "automatic",
        "severity": FRAMEWORK_V1_1_SEVERITY,
        "check_code": POSITIVE_PILOT_CODE,
        "page_types": ["productpage"],
        "lifecycle_stages": [LifecycleStatus.BESCHIKBAAR.value],
    },
    {
        "code": CERTIFIED_SPECIALIST_CODE,
        "title": "Gecertificeerde maatwerkspecialist",
        "explanation": "Een beschikbaar product kan worden uitgevoerd: ten minste één "
        "maatwerkspecialist heeft er een geldige certificering voor (uitvoerder of trainer).",
        "kind": "automatic",
        "severity": FRAMEWORK_V1_1_SEVERITY,
        "check_code": CERTIFIED_SPECIALIST_CODE,
        "page_types": ["productpage"],
        "lifecycle_stages": [LifecycleStatus.BESCHIKBAAR.value],
    },
]


def ensure_framework_v1_1() -> list[str]:
    """Bootstrap step: framework 1.1, a copy of 1.0 plus the two operational criteria (once).

    It takes effect on the day it is first loaded, so content assessed earlier that day under 1.0
    (the demo hub) honestly shows up as assessed under an older version.
    """

    return ensure_framework_version(
        version=FRAMEWORK_V1_1_VERSION,
        effective_date=timezone.localdate(),
        change_note=FRAMEWORK_V1_1_CHANGE_NOTE,
        criteria=FRAMEWORK_V1_1_CRITERIA,
        copy_from="1.0",
    )
