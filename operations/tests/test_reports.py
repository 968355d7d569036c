"""The quarterly report against a fixture with known numbers for 2026-Q1."""

import datetime
import io
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.core.management.base import CommandError

from wagtail.models import PageLogEntry

import pytest
from openpyxl import load_workbook

from hubcms.testing.factories import (
    DevelopmentLinePageFactory,
    InnovationAgendaPageFactory,
    ProductPageFactory,
)
from hubcms.testing.publishing import publish
from operations.models import (
    Certification,
    ConsultationAction,
    KnowledgeSignal,
    PartnerConsultation,
    Pilot,
)
from operations.reports import Quarter, quarterly_report, report_as_xlsx
from operations.tests.conftest import make_specialist
from products.models import AgendaPriority, Milestone, ProductLibraryPage, ProductPage, Region

AMS = ZoneInfo("Europe/Amsterdam")
D = datetime.date


def at(year, month, day, hour=12, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=AMS)


def published_at(page, moment):
    """Move the page's publication (and its audit log entry) to `moment`."""
    PageLogEntry.objects.filter(page=page, action="wagtail.publish").update(timestamp=moment)
    ProductPage.objects.filter(pk=page.pk).update(first_published_at=moment)


@pytest.fixture
def records(hub):
    library = ProductLibraryPage.objects.get()
    new = publish(ProductPageFactory(parent=library, title="Nieuw in Q1", complete=True))
    published_at(new, at(2026, 2, 3))
    updated = publish(ProductPageFactory(parent=library, title="Bijgewerkt in Q1", complete=True))
    published_at(updated, at(2026, 3, 10))
    ProductPage.objects.filter(pk=updated.pk).update(first_published_at=at(2025, 10, 1))
    later = publish(ProductPageFactory(parent=library, title="Pas in Q2", complete=True))
    published_at(later, at(2026, 4, 1, 0, 30))

    twente = Region.objects.filter(code="twente")
    for title, start, phase, outcome, evaluated in [
        ("Gestart in januari", D(2026, 1, 5), "lopend", "", None),
        ("Gestart in maart", D(2026, 3, 31), "gepland", "", None),
        ("Positief geëvalueerd", D(2025, 10, 1), "geevalueerd", "positief", D(2026, 2, 20)),
        ("Gestopt", D(2025, 9, 1), "geevalueerd", "stoppen", D(2026, 1, 30)),
        ("Gestart in april", D(2026, 4, 1), "lopend", "", None),
    ]:
        pilot = Pilot.objects.create(
            product=new,
            title=title,
            start_date=start,
            phase=phase,
            outcome=outcome,
            evaluated_on=evaluated,
            evaluation="Klaar." if evaluated else "",
        )
        pilot.regions.set(twente)

    trainer, first, second, later_one = (
        make_specialist(n) for n in ("Tess Trainer", "Umar Een", "Vera Twee", "Wim April")
    )
    for specialist, product, role, on, by in [
        (trainer, new, "trainer", D(2026, 1, 10), None),
        (first, new, "uitvoerder", D(2026, 2, 1), trainer),
        (first, updated, "uitvoerder", D(2026, 2, 1), None),
        (second, new, "uitvoerder", D(2026, 3, 31), trainer),
        (later_one, new, "uitvoerder", D(2026, 4, 1), trainer),
    ]:
        Certification.objects.create(
            specialist=specialist,
            product=product,
            role=role,
            certified_on=on,
            valid_until=on + datetime.timedelta(days=730),
            certified_by=by,
        )

    region = Region.objects.get(code="zeeland")
    for topic, received, status, decided in [
        ("Uit december, besloten in januari", at(2025, 12, 20), "verwerkt", at(2026, 1, 9)),
        ("Januari, afgewezen", at(2026, 1, 5), "afgewezen", at(2026, 1, 15)),
        ("Februari, besloten in april", at(2026, 2, 10), "verwerkt", at(2026, 4, 2)),
        ("Laat op 31 maart", at(2026, 3, 31, 23, 30), "nieuw", None),
        ("Vroeg op 1 april", at(2026, 4, 1, 0, 30), "nieuw", None),
    ]:
        KnowledgeSignal.objects.create(
            region=region,
            organisation_kind="gemeente",
            topic=topic,
            description="Een beschrijving van het signaal.",
            received_at=received,
            status=status,
            status_reason="Besloten." if decided else "",
            decided_at=decided,
        )

    for date, actions in [(D(2026, 2, 12), 2), (D(2026, 5, 19), 1)]:
        consultation = PartnerConsultation.objects.create(
            date=date, title=f"Partneroverleg {date:%B}", topics="Agenda\nKader"
        )
        for n in range(actions):
            ConsultationAction.objects.create(
                consultation=consultation, description=f"Actie {n}", owner="Carla", due_date=date
            )

    agenda = InnovationAgendaPageFactory(parent=hub)
    for title, status in [("Kader", "gereed"), ("Specialisten", "lopend"), ("Data", "gepland")]:
        AgendaPriority.objects.create(
            page=agenda, title=title, owner="Carla", planned_quarter="2026-Q2", status=status
        )
    line = DevelopmentLinePageFactory(parent=_line_index(hub))
    for title, quarter, status in [
        ("Scan gereed", "2026-Q1", "gereed"),
        ("Module gestart", "2026-Q1", "lopend"),
        ("Uitrol", "2026-Q2", "gepland"),
    ]:
        Milestone.objects.create(page=line, title=title, planned_quarter=quarter, status=status)


def _line_index(hub):
    from products.models import DevelopmentLineIndexPage

    return DevelopmentLineIndexPage.objects.get()


EXPECTED_Q1 = {
    "products_published": 1,
    "products_updated": 1,
    "lines_published": 0,
    "pilots_started": 2,
    "pilots_evaluated": 2,
    "pilots_positive": 1,
    "certifications": 4,
    "specialists_certified": 3,
    "trainers_certified": 1,
    "signals_received": 3,
    "signals_decided": 2,
    "signals_processed": 1,
    "signals_rejected": 1,
    "median_days_to_decision": 15.0,
    "consultations": 1,
    "consultation_actions": 2,
    "priorities_done": 1,
    "priorities_total": 3,
    "milestones_planned": 2,
    "milestones_done": 1,
}


@pytest.mark.django_db
def test_the_figures_of_a_quarter_come_from_the_records(records):
    report = quarterly_report(quarter="2026-Q1")
    # The quality figures are tested in test_coordinator_day.py.
    assert {code: report.figures[code] for code in EXPECTED_Q1} == EXPECTED_Q1
    sections = {section.title: section for section in report.sections}
    published = [row[1] for row in sections["Gepubliceerd en bijgewerkt"].rows]
    assert published == ["Nieuw in Q1", "Bijgewerkt in Q1"]
    received = [row[3] for row in sections["Kennissignalen ontvangen"].rows]
    assert received == ["Januari, afgewezen", "Februari, besloten in april", "Laat op 31 maart"]

    # The next quarter counts what crossed the boundary.
    figures = quarterly_report(quarter="2026-Q2").figures
    assert figures["products_published"] == 1
    assert figures["pilots_started"] == 1
    assert figures["signals_received"] == 1
    assert figures["signals_decided"] == 1
    assert figures["certifications"] == 1
    assert figures["consultations"] == 1


@pytest.mark.django_db
def test_the_command_prints_the_report_and_writes_xlsx(records, tmp_path):
    out = io.StringIO()
    target = tmp_path / "q1.xlsx"
    call_command("quarterly_report", "2026-Q1", "--xlsx", str(target), stdout=out)
    text = out.getvalue()
    assert "Kwartaalrapportage 2026-Q1 (01-01-2026 t/m 31-03-2026)" in text
    assert "Kennissignalen ontvangen" in text and "Nieuw in Q1" in text
    workbook = load_workbook(target)
    summary = {row[0]: row[1] for row in workbook["Samenvatting"].iter_rows(values_only=True)}
    assert summary["Pilots gestart"] == 2
    assert summary["Mediaan dagen van ontvangst tot besluit"] == 15
    assert "Specialisten gecertificeerd" in workbook.sheetnames
    rows = list(workbook["Specialisten gecertificeerd"].iter_rows(values_only=True))
    assert len(rows) == 1 + 4


@pytest.mark.django_db
def test_a_bad_quarter_is_a_dutch_error(hub):
    with pytest.raises(CommandError, match="geen kwartaal"):
        call_command("quarterly_report", "2026-Q5")


def test_quarter_boundaries():
    q = Quarter.parse("2026-q4")
    assert (q.first_day, q.last_day, str(q.next()), str(q.previous())) == (
        D(2026, 10, 1),
        D(2026, 12, 31),
        "2027-Q1",
        "2026-Q3",
    )


@pytest.mark.django_db
def test_an_empty_quarter_still_makes_a_workbook(hub):
    workbook = load_workbook(io.BytesIO(report_as_xlsx(quarterly_report(quarter="2024-Q1"))))
    assert workbook.sheetnames[0] == "Samenvatting"
