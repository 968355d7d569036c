"""The demo hub: `bootstrap_hub --demo` loads it once, through the import and the quality gate.

Loading the demo takes a few seconds, so the session loads it once (hubcms/testing/demo.py: on a
hub that was never set up, with its documents in a temporary media folder; the `demo_hub` fixture)
and every test reads from it, in a transaction that rolls back.
"""

import json
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from wagtail.models import Page, Revision

import pytest

from hubcms.testing.demo import DEMO_HUB_GROUP
from operations.dashboard import quality_status
from products.choices import LifecycleStatus, ProductType
from products.demo.loader import FILES_DIR, PRODUCTS_FILE, current_review_date
from products.models import DevelopmentLinePage, InnovationAgendaPage, ProductPage
from quality.gate import (
    blocking_failures,
    evaluate_page,
    framework_in_force,
    gate_decision,
)
from quality.models import QualityAssessment
from quality.selectors import live_pages_needing_reassessment

pytestmark = pytest.mark.xdist_group(DEMO_HUB_GROUP)


def run_bootstrap() -> str:
    out = StringIO()
    call_command("bootstrap_hub", "--demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_db(demo_hub, db):
    """The session's demo hub (one `bootstrap_hub --demo` on a hub that was never set up)."""
    return demo_hub


def test_second_run_changes_nothing(demo_db):
    assert "Demohub: 5 ontwikkellijnen aangemaakt, 5 gepubliceerd" in demo_db.output
    assert "Innovatieagenda 2026-2027 met 10 prioriteiten aangemaakt en gepubliceerd" in (
        demo_db.output
    )
    assert "Demohub: 35 producten geïmporteerd, 31 gepubliceerd" in demo_db.output
    assert "blijft concept" not in demo_db.output  # nothing meant to be live was refused
    assert Revision.objects.count() == demo_db.revisions
    assert run_bootstrap().strip() == "Niets gewijzigd: de hub was al ingericht."
    assert Revision.objects.count() == demo_db.revisions
    print(f"bootstrap_hub --demo took {demo_db.seconds:.1f} s")


def test_lines_products_and_agenda_cover_the_hub(demo_db):
    lines = DevelopmentLinePage.objects.live()
    assert {"arbeidsmarktfunctionaliteiten", "governance", "financien", "scenarios"} <= set(
        lines.values_list("slug", flat=True)
    )
    statuses = set(lines.values_list("status", flat=True))
    assert statuses == {"gepland", "in_ontwikkeling", "opgeleverd", "landelijk_toegepast"}
    assert all(line.milestones.count() >= 3 for line in lines)

    products = ProductPage.objects.all()
    assert products.count() >= 30
    assert set(products.values_list("product_type", flat=True)) == set(ProductType.values)
    assert set(products.values_list("lifecycle_status", flat=True)) == set(LifecycleStatus.values)
    assert products.filter(regions__isnull=False).distinct().count() >= 20
    widely_used = [p for p in products.live() if p.regions.count() >= 5]
    assert len(widely_used) >= 10

    agenda = InnovationAgendaPage.objects.live().get()
    assert agenda.period == "2026-2027"
    priorities = list(agenda.priorities.all())
    assert len(priorities) >= 8
    assert all(
        p.owner and p.steering_mechanism and p.development_lines.exists() for p in priorities
    )


def test_every_live_page_passed_the_quality_gate(demo_db):
    live = [
        *ProductPage.objects.live(),
        *DevelopmentLinePage.objects.live(),
        *InnovationAgendaPage.objects.live(),
    ]
    assert len(live) == 31 + 5 + 1
    in_force = framework_in_force()
    assert in_force.version == "1.1"
    for page in live:
        revision = page.live_revision
        assessments = list(QualityAssessment.objects.filter(revision=revision))
        # Published under 1.0, then assessed again under 1.1 once the operations it reads exist.
        assert sorted(a.framework_version.version for a in assessments) == ["1.0", "1.1"]
        for assessment in assessments:
            assert assessment.passed
            assert assessment.reviewer.username == "kwaliteit"
        assert revision.user.username == "redacteur"  # never assessed by its own author
        # The gate itself accepts the live revision under the version in force.
        decision = gate_decision(revision)
        assert decision.allowed, (page.slug, decision.unmet)
        assert decision.assessment.framework_version == in_force
        content = revision.as_object()
        for assessment in assessments:
            failures = blocking_failures(
                evaluate_page(content, version=assessment.framework_version)
            )
            assert not failures, (page.slug, assessment.framework_version.version, failures)
        # The demo follows the hub's advice too: no advisory criterion (readability) unmet.
        outcomes = evaluate_page(content, version=in_force)
        unmet = [o.message for o in outcomes if o.passed is False]
        assert not unmet, (page.slug, unmet)


def test_the_coordinator_sees_every_live_product_assessed_under_the_framework_in_force(
    demo_db, client
):
    assert "Demohub: 37 gepubliceerde pagina's getoetst aan kwaliteitskader v1.1" in (
        demo_db.output
    )
    status = quality_status()
    assert status.framework_version == "1.1"
    assert status.live_products == 31
    assert status.assessed_current == 31
    assert live_pages_needing_reassessment() == []

    client.force_login(get_user_model().objects.get(username="coordinator"))
    dashboard = " ".join(client.get("/admin/").content.decode().split())
    assert "Getoetst onder het geldende kader 1.1</dt><dd>31 van 31</dd>" in dashboard
    assert "Alleen getoetst onder een eerdere versie" not in dashboard
    report = client.get(reverse("quality_reassessment_report"))
    assert report.status_code == 200
    assert "getoetst onder v1.0" not in report.content.decode()


def test_ideas_stay_drafts_and_one_product_has_a_next_version_in_progress(demo_db):
    ideas = ProductPage.objects.filter(lifecycle_status=LifecycleStatus.IDEE)
    assert ideas.exists() and not ideas.filter(live=True).exists()
    pending = ProductPage.objects.get(slug="handreiking-begeleiding-naar-regulier-werk")
    assert pending.live and pending.has_unpublished_changes
    assert pending.version == "1.1"
    assert pending.get_latest_revision_as_object().version == "1.2"


def test_visitor_sees_a_demo_product_with_its_downloads_but_not_a_draft(demo_db, client):
    product = ProductPage.objects.get(slug="scan-arbeidsmarktfunctionaliteiten")
    response = client.get(product.url)
    assert response.status_code == 200
    page_text = response.content.decode()
    assert "Handleiding scan arbeidsmarktfunctionaliteiten" in page_text
    assert product.related_products.count() == 2
    idea = ProductPage.objects.get(slug="scan-datavolwassenheid-sob")
    draft_url = Page.objects.get(pk=product.get_parent().pk).url + idea.slug + "/"
    assert client.get(draft_url).status_code == 404


def test_download_files_exist_and_stay_small():
    records = json.loads(PRODUCTS_FILE.read_text(encoding="utf-8"))
    paths = [PRODUCTS_FILE.parent / d["file"] for r in records for d in r["downloads"]]
    assert paths and all(path.is_file() for path in paths)
    assert all(path.read_bytes().startswith((b"%PDF-", b"PK\x03\x04")) for path in paths)
    assert sum(path.stat().st_size for path in FILES_DIR.iterdir()) < 1_000_000


def test_review_dates_move_forward_when_the_demo_is_loaded_later():
    import datetime

    today = datetime.date(2028, 3, 1)
    assert current_review_date("2027-06-30", today=today) == "2028-06-30"
    assert current_review_date("2028-12-31", today=today) == "2028-12-31"


def test_this_module_shares_a_worker_with_the_round_trip(request):
    """Under `--dist loadgroup` the module's tests carry their xdist group, so that the round
    trip reuses this module's export instead of loading the demo hub a second time (pytest 9.2
    silently dropped the group: pytest-dev/pytest-xdist#1386)."""
    grouped = getattr(request.config.option, "loadgroup", False)  # set on xdist's workers
    assert request.node.nodeid.endswith(f"@{DEMO_HUB_GROUP}") == grouped
