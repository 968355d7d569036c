"""How tests make content live: the same way the rule of DESIGN.md allows it.

Every test that needs live content calls `publish(page)` instead of creating pages with live=True.
It saves a revision, has a Kwaliteitsbewaker who is not its author record a passing quality
assessment of exactly that revision, and publishes it, so the quality gate (quality/gate.py)
is honoured in tests too.

`publish` adds nothing: a product that misses what a blocking automatic criterion asks (an owner,
a development line, a target group, a manual, for 'beschikbaar' a pilot and a certified
specialist) is refused with the gate's own reasons. Build publishable products with
`hubcms.testing.factories.complete_product(...)` or `ProductPageFactory(complete=True)`.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from wagtail.models import Page

TEST_REVIEWER = "testkwaliteitsbewaker"


class IncompleteForTheGate(AssertionError):
    """A test tried to publish content that the quality gate's blocking criteria refuse."""


def _framework_in_force():
    from quality.framework import ensure_framework_v1
    from quality.gate import framework_in_force

    if framework_in_force() is None:
        ensure_framework_v1()
    return framework_in_force()


def test_reviewer():
    """A Kwaliteitsbewaker that no test page is authored by."""
    from core import roles

    user, created = get_user_model().objects.get_or_create(
        username=TEST_REVIEWER,
        defaults={"email": "testkwaliteit@example.org", "first_name": "Test"},
    )
    if created:
        user.groups.add(Group.objects.get_or_create(name=roles.REVIEWER)[0])
    return user


test_reviewer.__test__ = False  # not a pytest test


def publish(page: Page) -> Page:
    """Publish the page's latest content honestly and return it refreshed from the database."""
    from quality.gate import blocking_failures, evaluate_page, is_governed
    from quality.models import CriterionKind
    from quality.services import Judgement, assess_revision

    page = page.specific
    if not is_governed(page):
        revision = page.save_revision()
        revision.publish()
        page.refresh_from_db()
        return page.specific
    _framework_in_force()
    revision = page.save_revision()
    outcomes = evaluate_page(revision.as_object())
    failing = blocking_failures(outcomes)
    if failing:
        reasons = "; ".join(f"{o.criterion.check_code}: {o.message}" for o in failing)
        raise IncompleteForTheGate(
            f"{page.title!r} does not meet the blocking criteria ({reasons}). Build it with "
            "hubcms.testing.factories.complete_product(...) or ProductPageFactory(complete=True)."
        )
    judgements = {
        outcome.criterion.code: Judgement(True, "Getoetst in de test")
        for outcome in outcomes
        if outcome.criterion.kind == CriterionKind.MANUAL
    }
    assess_revision(revision=revision, reviewer=test_reviewer(), judgements=judgements)
    revision.publish()
    page.refresh_from_db()
    return page.specific
