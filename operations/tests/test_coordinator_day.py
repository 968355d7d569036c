"""The Coördinator's day through the real admin (issue 15, item 3): what waits for them first,
a confirmation after each workflow action, and quality in the quarterly report."""

import datetime

from django.urls import reverse
from django.utils import timezone

from wagtail.models import Workflow

import pytest

from hubcms.testing.factories import ProductPageFactory
from hubcms.testing.publishing import publish
from operations.models import ConsultationAction, KnowledgeSignal, PartnerConsultation
from operations.reports import Quarter, quarterly_report
from products.models import ProductLibraryPage, ProductPage, Region
from quality.models import QualityAssessment
from quality.tests.conftest import line, make_complete_product  # noqa: F401 (fixture)
from quality.tests.test_gate_paths import line_form
from quality.tests.test_workflow import current_state, judgement_form, review_url, submit

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def at_final_approval(client, line, editor, reviewer):  # noqa: F811
    submit(client, editor, line)
    client.force_login(reviewer)
    client.post(review_url(current_state(line)), judgement_form(line))
    state = current_state(line)
    assert state.current_task_state.task.name == "Eindgoedkeuring"
    return state


def queue_section(html: str) -> str:
    return html.split('id="ops-queue-title"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def waiting(client, line, editor, reviewer):  # noqa: F811
    at_final_approval(client, line, editor, reviewer)
    KnowledgeSignal.objects.create(
        region=Region.objects.get(code="twente"),
        organisation_kind="gemeente",
        topic="Vraag naar een scan voor jongeren",
        description="Gemeenten vragen om een scan voor jongeren.",
    )
    overdue = publish(
        ProductPageFactory(
            parent=ProductLibraryPage.objects.get(), title="Verlopen scan", complete=True
        )
    )
    ProductPage.objects.filter(pk=overdue.pk).update(
        next_review_date=TODAY - datetime.timedelta(days=3)
    )
    consultation = PartnerConsultation.objects.create(
        title="Partneroverleg november", topics="Scans", date=TODAY
    )
    ConsultationAction.objects.create(
        consultation=consultation,
        description="Divosa levert de cijfers over Q3",
        owner="Divosa",
        due_date=TODAY - datetime.timedelta(days=1),
    )
    ConsultationAction.objects.create(
        consultation=consultation,
        description="VNG plant de regiosessies",
        owner="VNG",
        due_date=TODAY + datetime.timedelta(days=30),
    )
    ConsultationAction.objects.create(
        consultation=consultation,
        description="Al afgerond",
        owner="SZW",
        due_date=TODAY - datetime.timedelta(days=9),
        done=True,
    )
    return line


def test_the_dashboard_leads_with_what_waits_for_the_coordinator(client, waiting, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    queue = queue_section(html)
    assert waiting.title in queue.split('id="ops-queue-signals"')[0]  # final approval
    assert "Vraag naar een scan voor jongeren" in queue
    assert "Verlopen scan" in queue
    assert "Divosa levert de cijfers over Q3" in queue and "VNG plant de regiosessies" in queue
    assert "Al afgerond" not in queue
    assert "2 open, waarvan" in queue and "1 te laat" in queue
    # What waits comes first, the figures and charts last.
    assert html.index('id="ops-queue-title"') < html.index('id="ops-dashboard-title"')
    assert html.index('id="awaiting-review-section"') < html.index('id="ops-dashboard-title"')


def test_the_queue_is_not_shown_to_editors(client, waiting, editor):
    client.force_login(editor)
    assert 'id="ops-queue-title"' not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_an_empty_queue_says_so(client, hub, coordinator):
    client.force_login(coordinator)
    queue = queue_section(client.get(reverse("wagtailadmin_home")).content.decode())
    assert "Er wacht niets op je" in queue


def test_approving_from_the_dashboard_is_confirmed(client, line, editor, reviewer, coordinator):  # noqa: F811
    state = at_final_approval(client, line, editor, reviewer)
    client.force_login(coordinator)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(line.pk, "approve", state.current_task_state_id),
    )
    response = client.post(url, {"next": reverse("wagtailadmin_home")}, follow=True)
    assert f"&#x27;{line.title}&#x27; is goedgekeurd en gepubliceerd." in response.content.decode()
    line.refresh_from_db()
    assert line.live


def test_approving_a_changed_page_says_it_goes_back_to_review(
    client,
    line,  # noqa: F811
    editor,
    reviewer,
    coordinator,
):
    at_final_approval(client, line, editor, reviewer)
    client.force_login(coordinator)
    changed = line_form(line, summary="Een nieuwe samenvatting.")
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(line.pk,)),
        {**changed, "action-workflow-action": "1", "workflow-action-name": "approve"},
        follow=True,
    )
    html = response.content.decode()
    assert "is niet gepubliceerd: bij het goedkeuren is de inhoud gewijzigd" in html
    assert "is goedgekeurd en gepubliceerd" not in html
    assert "is gewijzigd." not in html  # Wagtail's generic text after a workflow action
    line.refresh_from_db()
    assert not line.live


@pytest.mark.parametrize("modal", [False, True])
def test_asking_for_changes_is_confirmed(client, line, editor, reviewer, coordinator, modal):  # noqa: F811
    state = at_final_approval(client, line, editor, reviewer)
    client.force_login(coordinator)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(line.pk, "reject", state.current_task_state_id),
    )
    # The dashboard's modal posts with XMLHttpRequest and gets JSON; without script, a redirect.
    headers = {"x-requested-with": "XMLHttpRequest"} if modal else {}
    response = client.post(url, {"comment": "Doel scherper graag."}, headers=headers)
    assert response.status_code == (200 if modal else 302)
    assert current_state(line).status == "needs_changes"
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert f"Wijzigingen gevraagd voor &#x27;{line.title}&#x27;" in html


def test_the_quarterly_report_covers_quality(client, line, editor, reviewer, coordinator):  # noqa: F811
    library = ProductLibraryPage.objects.get()
    publish(ProductPageFactory(parent=library, title="Goed beschreven product", complete=True))
    overdue = publish(ProductPageFactory(parent=library, title="Te laat herzien", complete=True))
    ProductPage.objects.filter(pk=overdue.pk).update(
        next_review_date=TODAY - datetime.timedelta(days=1)
    )
    # A reviewer sends one revision back.
    submit(client, editor, line)
    client.force_login(reviewer)
    fail = {"taalniveau_b1": "Te veel jargon."}
    client.post(review_url(current_state(line)), judgement_form(line, fail=fail))
    # The automatic check sends one submission back.
    incomplete = make_complete_product(library, line, editor, product_owner=None)
    Workflow.objects.get(name="Kwaliteitsborging").start(incomplete, editor)
    # The publish button is refused once.
    client.force_login(coordinator)
    client.post(
        reverse("wagtailadmin_pages:edit", args=(line.pk,)),
        {**line_form(line), "action-publish": "1"},
    )

    quarter = Quarter.containing(timezone.localdate())
    figures = quarterly_report(quarter=quarter).figures
    assessments = QualityAssessment.objects.count()
    assert figures["assessments_made"] == assessments
    assert figures["assessments_failed"] == 1
    assert figures["assessments_passed"] == assessments - 1
    assert figures["automatic_refusals"] == 1
    assert figures["gate_refusals"] >= 1
    assert figures["reviews_overdue"] == 1
    assert figures["level_goed_beschreven"] == 2
    assert figures["level_landelijk_toegepast"] == 0
    # The same in the admin, as the Coördinator reads it.
    page = client.get(reverse("operations_admin:quarterly_report"), {"kwartaal": str(quarter)})
    html = page.content.decode()
    assert "Kwaliteitstoetsen gedaan" in html
    assert "Live producten per kwaliteitsniveau (stand nu)" in html
    assert "Te laat herzien" in html
    # The report of an earlier quarter holds none of this quarter's assessments.
    assert quarterly_report(quarter=quarter.previous()).figures["assessments_made"] == 0
