"""Framework 1.1: the two automatic criteria that read pilots and certifications."""

import pytest

from operations.models import Certification, Pilot
from operations.quality_checks import (
    CERTIFIED_SPECIALIST_CODE,
    POSITIVE_PILOT_CODE,
    ensure_framework_v1_1,
)
from operations.tests.conftest import TODAY, YEAR, make_specialist
from quality.gate import evaluate_page
from quality.models import QualityFrameworkVersion

pytestmark = pytest.mark.django_db


def outcomes_by_code(page) -> dict:
    return {outcome.criterion.code: outcome for outcome in evaluate_page(page)}


def test_bootstrap_puts_version_1_1_in_force_with_all_of_1_0(hub):
    v1, v11 = (QualityFrameworkVersion.objects.get(version=v) for v in ("1.0", "1.1"))
    assert QualityFrameworkVersion.objects.in_force() == v11
    codes_10 = set(v1.criteria.values_list("code", flat=True))
    codes_11 = set(v11.criteria.values_list("code", flat=True))
    assert codes_11 == codes_10 | {POSITIVE_PILOT_CODE, CERTIFIED_SPECIALIST_CODE}
    pilot_criterion = v11.criteria.get(code=POSITIVE_PILOT_CODE)
    assert (pilot_criterion.kind, pilot_criterion.page_types, pilot_criterion.lifecycle_stages) == (
        "automatic",
        ["productpage"],
        ["beschikbaar"],
    )
    assert ensure_framework_v1_1() == []  # idempotent


def test_an_available_product_needs_a_positive_pilot_and_a_valid_certification(product):
    outcomes = outcomes_by_code(product)
    assert outcomes[POSITIVE_PILOT_CODE].passed is False
    assert "positief" in outcomes[POSITIVE_PILOT_CODE].message
    assert outcomes[CERTIFIED_SPECIALIST_CODE].passed is False

    Pilot.objects.create(
        product=product, title="Bijstellen", phase="geevalueerd", outcome="bijstellen"
    )
    Certification.objects.create(
        specialist=make_specialist("Verlopen Specialist"),
        product=product,
        role="trainer",
        certified_on=TODAY - 3 * YEAR,
        valid_until=TODAY - YEAR,
    )
    outcomes = outcomes_by_code(product)
    assert outcomes[POSITIVE_PILOT_CODE].passed is False
    assert outcomes[CERTIFIED_SPECIALIST_CODE].passed is False

    Pilot.objects.create(product=product, title="Positief", phase="geevalueerd", outcome="positief")
    Certification.objects.create(
        specialist=make_specialist("Geldige Specialist"),
        product=product,
        role="uitvoerder",
        certified_on=TODAY,
        valid_until=TODAY + YEAR,
    )
    outcomes = outcomes_by_code(product)
    assert outcomes[POSITIVE_PILOT_CODE].passed is True
    assert outcomes[CERTIFIED_SPECIALIST_CODE].passed is True


def test_the_criteria_do_not_apply_before_a_product_is_available(product):
    product.lifecycle_status = "pilot"
    codes = outcomes_by_code(product)
    assert POSITIVE_PILOT_CODE not in codes and CERTIFIED_SPECIALIST_CODE not in codes


def test_under_1_1_an_available_product_without_pilot_or_specialist_is_not_published(
    product, reviewer
):
    from quality.gate import QualityGateRefused
    from quality.services import publish_migrated_revision

    # The fixture's product has what 1.0 needs (owner, group, line, manual), no pilot or specialist.
    revision = product.save_revision()
    with pytest.raises(QualityGateRefused) as refused:
        publish_migrated_revision(revision=revision, reviewer=reviewer, note="Migratie")
    assert "pilot" in refused.value.summary
    product.refresh_from_db()
    assert not product.live

    Pilot.objects.create(product=product, title="Positief", phase="geevalueerd", outcome="positief")
    Certification.objects.create(
        specialist=make_specialist("Geldige Specialist"),
        product=product,
        role="uitvoerder",
        certified_on=TODAY,
        valid_until=TODAY + YEAR,
    )
    publish_migrated_revision(revision=product.save_revision(), reviewer=reviewer, note="Migratie")
    product.refresh_from_db()
    assert product.live
