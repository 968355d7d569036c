"""How tests make content live: the same way the rule of DESIGN.md allows it.

Every test that needs live content calls `publish(page)` instead of creating pages with live=True.
It saves a revision, has a Kwaliteitsbewaker who is not its author record a passing quality
assessment of exactly that revision, and publishes it, so the quality gate (quality/gate.py)
is honoured in tests too.

The factories leave out a few things the framework requires of a product (an owner, a target group,
a development line, a manual to download). When such a blocking automatic criterion fails,
`publish` adds the missing item, the way an editor would, before it saves the revision.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from wagtail.documents import get_document_model
from wagtail.models import Page

TEST_REVIEWER = "testkwaliteitsbewaker"
TEST_OWNER = "testeigenaar"


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


def _complete_product(page, *, operational: bool = True) -> None:
    """Add what the factories leave out and the framework's blocking criteria require.

    With `operational=False` only the content is completed, not the pilot and certification
    that framework 1.1 asks of an available product.
    """
    from products.models import DevelopmentLineIndexPage, DevelopmentLinePage, TargetGroup
    from quality.gate import blocking_failures, evaluate_page

    failing = {outcome.criterion.check_code for outcome in blocking_failures(evaluate_page(page))}
    if "eigenaar" in failing:
        page.product_owner = get_user_model().objects.get_or_create(
            username=TEST_OWNER, defaults={"email": "testeigenaar@example.org"}
        )[0]
    if "indeling" in failing:
        if not page.target_groups.exists():
            group = TargetGroup.objects.first() or TargetGroup.objects.create(
                name="Gemeenten", slug="gemeenten"
            )
            page.target_groups.add(group)
        if not page.development_lines.exists():
            line = DevelopmentLinePage.objects.first()
            if line is None:
                index = DevelopmentLineIndexPage.objects.first()
                line = index.add_child(
                    instance=DevelopmentLinePage(
                        title="Testontwikkellijn", slug="testontwikkellijn", live=False
                    )
                )
            page.development_lines.add(line)
    if "download_handleiding" in failing:
        from products.models import ProductDownload

        document = get_document_model().objects.create(
            title=f"Handleiding {page.title}",
            file=ContentFile(b"Handleiding", name="handleiding.txt"),
        )
        page.downloads.add(ProductDownload(document=document, kind="handleiding"))
    if operational and failing & {"positieve_pilot", "gecertificeerde_specialist"}:
        _add_operational_evidence(page, failing)
    if failing & {"eigenaar", "indeling", "download_handleiding"} and not page.live:
        page.save()  # a draft keeps its working copy in the page row


def _add_operational_evidence(page, failing: set[str]) -> None:
    """Framework 1.1: an available product has a positive pilot and a certified specialist."""
    import datetime

    from django.utils import timezone

    from operations.models import Certification, Pilot, Specialist
    from products.models import Region

    today = timezone.localdate()
    if "positieve_pilot" in failing:
        Pilot.objects.create(
            product=page,
            title=f"Testpilot {page.title}",
            phase="geevalueerd",
            outcome="positief",
            evaluated_on=today,
        )
    if "gecertificeerde_specialist" in failing:
        specialist = Specialist.objects.create(
            name=f"Testspecialist {page.pk}",
            organisation="Test-SOB",
            region=Region.objects.first(),
        )
        Certification.objects.create(
            specialist=specialist,
            product=page,
            role="uitvoerder",
            certified_on=today,
            valid_until=today + datetime.timedelta(days=365),
        )


def publish(page: Page) -> Page:
    """Publish the page's latest content honestly and return it refreshed from the database."""
    from quality.gate import evaluate_page, is_governed
    from quality.models import CriterionKind
    from quality.services import Judgement, assess_revision

    page = page.specific
    if not is_governed(page):
        revision = page.save_revision()
        revision.publish()
        page.refresh_from_db()
        return page.specific
    _framework_in_force()
    if page._meta.model_name == "productpage":
        _complete_product(page)
    revision = page.save_revision()
    judgements = {
        outcome.criterion.code: Judgement(True, "Getoetst in de test")
        for outcome in evaluate_page(revision.as_object())
        if outcome.criterion.kind == CriterionKind.MANUAL
    }
    assess_revision(revision=revision, reviewer=test_reviewer(), judgements=judgements)
    revision.publish()
    page.refresh_from_db()
    return page.specific
