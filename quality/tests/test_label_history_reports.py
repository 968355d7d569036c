"""The quality label (item 8), assessments and refusals in the audit log and history (items 4, 9),
the editor panel (item 2) and the assessment report with its exports (item 4)."""

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from wagtail.models import PageLogEntry

import pytest

from core.tests.exports.helpers import body, export_and_download, xlsx_rows
from hubcms.testing.publishing import publish
from quality.gate import ASSESSED_ACTION, REFUSED_ACTION, QualityGateRefused
from quality.labels import dutch_date, quality_label
from quality.models import QualityAssessment
from quality.tests.conftest import make_complete_product


@pytest.mark.django_db
def test_the_public_product_page_shows_its_quality_label(client, product):
    live = publish(product)
    assessment = QualityAssessment.objects.get(revision_id=live.live_revision_id)
    expected = (
        f"Getoetst aan kwaliteitskader v{assessment.framework_version.version} op "
        # The label gives the day in Dutch time: in the last hour of a UTC day it is the next.
        f"{dutch_date(timezone.localdate(assessment.created_at))}"
    )
    assert quality_label(live) == expected
    response = client.get(live.url)
    assert response.status_code == 200
    assert expected in response.content.decode()


@pytest.mark.django_db
def test_the_label_costs_one_query_and_is_absent_without_assessment(
    product, django_assert_num_queries
):
    assert quality_label(product) is None  # a draft has no label
    live = publish(product)
    with django_assert_num_queries(1):
        html = render_to_string("quality/includes/quality_label.html", {"page": live})
    assert "Getoetst aan kwaliteitskader" in html


@pytest.mark.django_db
def test_dutch_date():
    import datetime

    assert dutch_date(datetime.date(2026, 11, 29)) == "29 november 2026"


@pytest.mark.django_db
def test_assessments_and_refusals_are_in_the_audit_log_and_history(client, product, editor):
    revision = product.get_latest_revision()
    with pytest.raises(QualityGateRefused):
        revision.publish(user=editor)
    refusal = PageLogEntry.objects.get(page=product, action=REFUSED_ACTION)
    assert refusal.user == editor
    assert any("geen goedgekeurde kwaliteitstoets" in line for line in refusal.data["unmet"])
    publish(product)
    assessed = PageLogEntry.objects.get(page=product, action=ASSESSED_ACTION)
    assert assessed.data["passed"] is True
    client.force_login(editor)
    history = client.get(reverse("wagtailadmin_pages:history", args=(product.pk,)))
    text = history.content.decode()
    assert "Publicatie geweigerd door het kwaliteitskader" in text
    assert "Kwaliteitstoets onder kwaliteitskader v" in text


@pytest.mark.django_db
def test_assessments_are_append_only(product):
    publish(product)
    assessment = QualityAssessment.objects.get()
    assessment.note = "Achteraf aangepast"
    with pytest.raises(ValidationError):
        assessment.save()
    with pytest.raises(ValidationError):
        assessment.delete()
    with pytest.raises(ValidationError):
        QualityAssessment.objects.update(passed=False)
    with pytest.raises(ValidationError):
        QualityAssessment.objects.all().delete()
    assert QualityAssessment.objects.get().passed


@pytest.mark.django_db
def test_the_editor_panel_shows_every_criterion_and_follows_each_save(client, product, editor):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=(product.pk,))
    draft = product.get_latest_revision_as_object()
    draft.product_owner = None
    draft.save_revision(user=editor)
    text = client.get(url).content.decode()
    assert "Voldoet nog niet (blokkerend)" in text
    assert "Kies een eigenaar (tabblad Beheer, Eigenaar)." in text
    assert "(veld: eigenaar)" in text
    assert "Beoordeelt de kwaliteitsbewaker" in text
    assert "Geen persoonsgegevens of vertrouwelijke gegevens" in text
    draft.product_owner = editor
    draft.save_revision(user=editor)
    text = client.get(url).content.decode()
    assert "Kies een eigenaar" not in text
    assert "Er is een eigenaar gekozen." in text
    assert "Alle blokkerende automatische criteria voldoen" in text
    status = client.get(reverse("quality_gate_status", args=(product.pk,))).content.decode()
    assert "De laatste revisie kan niet live" in status
    assert "geen goedgekeurde kwaliteitstoets" in status


@pytest.mark.django_db
def test_the_assessment_report_filters_and_exports(
    client, library, line, editor, reviewer, coordinator
):
    publish(make_complete_product(library, line, editor, title="Scan goed"))
    client.force_login(coordinator)
    index = reverse("quality_assessments:index")
    text = client.get(index).content.decode()
    assert "Scan goed" in text and "Goedgekeurd" in text
    assert "Scan goed" not in client.get(index, {"passed": "false"}).content.decode()
    # Exports are made in the background and downloaded from "Mijn exports".
    csv_text = body(export_and_download(client, index, {"export": "csv"})).decode("utf-8")
    assert "Kwaliteitsbewaker" in csv_text and "Scan goed" in csv_text
    assert "Actueel met wet en beleid: voldoet" in csv_text
    rows = xlsx_rows(export_and_download(client, index, {"export": "xlsx"}))
    assert rows[0][0] == "Pagina" and rows[1][0] == "Scan goed"
    rejected = xlsx_rows(export_and_download(client, index, {"export": "xlsx", "passed": "false"}))
    assert rejected == [rows[0]]  # the filter holds: only the heading
    assessment = QualityAssessment.objects.get()
    inspect = client.get(reverse("quality_assessments:inspect", args=(assessment.pk,)))
    assert "Actueel met wet en beleid" in inspect.content.decode()
    version = reverse("quality_framework:inspect", args=(assessment.framework_version_id,))
    assert "Koppen in de juiste volgorde" in client.get(version).content.decode()
    # Nobody can add or change an assessment in the admin.
    assert client.get(reverse("quality_assessments:add")).status_code in (302, 403)


@pytest.mark.django_db
def test_editors_do_not_see_the_reports(client, editor):
    client.force_login(editor)
    assert client.get(reverse("quality_assessments:index")).status_code in (302, 403)
    assert client.get(reverse("quality_reassessment_report")).status_code in (302, 403)


@pytest.mark.django_db
def test_the_editor_panel_renders_while_creating_a_product(client, editor, library):
    client.force_login(editor)
    response = client.get(
        reverse("wagtailadmin_pages:add", args=("content", "productpage", library.pk))
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Vul de samenvatting in" in text and "Kies een eigenaar" in text


@pytest.mark.django_db
def test_deleting_a_page_keeps_its_assessments(product):
    live = publish(product)
    title = live.title
    live.delete()
    assessment = QualityAssessment.objects.get()
    assert assessment.page is None and assessment.revision is None
    assert assessment.page_title == title and assessment.judgements.exists()
