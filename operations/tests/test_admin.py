"""The coordinator's work in the Wagtail admin: listings, forms with Dutch errors, the dashboard,
the knowledge cycle and the quarterly report."""

import datetime

from django.db import connection
from django.urls import reverse

import pytest

from core.tests.exports.helpers import export_and_download, xlsx_rows
from operations.models import (
    Certification,
    KnowledgeSignal,
    PartnerConsultation,
    Pilot,
)
from operations.services import submit_knowledge_signal
from operations.tests.conftest import TODAY, YEAR, make_specialist
from products.models import Region

pytestmark = pytest.mark.django_db


def url(model: str, action: str, *args) -> str:
    return reverse(f"wagtailsnippets_operations_{model}:{action}", args=args)


def signal_form(**values) -> dict:
    """The knowledge signal's admin form: a signal from an SOB, with `values` filled in."""
    return {
        "organisation_kind": "sob",
        "topic": "Nazorg",
        "description": "Medewerkers vallen terug na plaatsing bij een werkgever.",
        "contact_name": "",
        "contact_email": "",
        "status_reason": "",
        "development_line": "",
        **values,
    }


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def test_the_coordinator_finds_every_listing_in_the_bedrijfsvoering_menu(coordinator_client):
    home = coordinator_client.get("/admin/").content.decode()
    assert "Bedrijfsvoering" in home
    for model in ("pilot", "specialist", "certification", "knowledgesignal", "partnerconsultation"):
        response = coordinator_client.get(url(model, "list"))
        assert response.status_code == 200, model


def test_an_editor_has_no_access_to_operations(client, editor):
    client.force_login(editor)
    assert client.get(url("knowledgesignal", "list")).status_code in (302, 403)
    assert client.get(reverse("operations_admin:quarterly_report")).status_code == 302
    assert "Dashboard van de hub" not in client.get("/admin/").content.decode()


def test_certifying_without_a_valid_trainer_shows_the_rule_in_the_form(coordinator_client, product):
    trainer, candidate = make_specialist("Anouk Trainer"), make_specialist("Bas Kandidaat")
    Certification.objects.create(
        specialist=trainer,
        product=product,
        role="trainer",
        certified_on=TODAY - 3 * YEAR,
        valid_until=TODAY - YEAR,
    )
    data = {
        "specialist": candidate.pk,
        "product": product.pk,
        "role": "uitvoerder",
        "certified_on": TODAY.isoformat(),
        "valid_until": (TODAY + YEAR).isoformat(),
        "certified_by": trainer.pk,
    }
    response = coordinator_client.post(url("certification", "add"), data)
    assert response.status_code == 200
    assert "geen geldige trainer" in response.content.decode()
    assert not Certification.objects.filter(specialist=candidate).exists()
    # Once the trainer's own certification is renewed, the same form goes through.
    Certification.objects.filter(specialist=trainer).update(valid_until=TODAY + YEAR)
    response = coordinator_client.post(url("certification", "add"), data)
    assert response.status_code == 302
    assert Certification.objects.filter(specialist=candidate, certified_by=trainer).exists()


def test_an_evaluated_pilot_needs_an_outcome(coordinator_client, product, region):
    data = {
        "product": product.pk,
        "title": "Pilot Twente",
        "regions": [region.pk],
        "organisations": "Werkbedrijf Twente",
        "start_date": "2026-01-05",
        "end_date": "2026-06-30",
        "phase": "geevalueerd",
        "evaluated_on": "2026-07-10",
        "outcome": "",
        "evaluation": "Goed ontvangen.",
        "lessons": "",
    }
    response = coordinator_client.post(url("pilot", "add"), data)
    assert response.status_code == 200
    assert "heeft een uitkomst" in response.content.decode()
    response = coordinator_client.post(url("pilot", "add"), {**data, "outcome": "positief"})
    assert response.status_code == 302
    assert list(Pilot.objects.get().regions.all()) == [region]


def test_triage_in_the_admin_needs_a_reason_to_reject(coordinator_client, product):
    signal = submit_knowledge_signal(
        region_code="twente",
        organisation_kind="sob",
        topic="Nazorg",
        description="Medewerkers vallen terug na plaatsing bij een werkgever.",
    )
    form = signal_form(
        region=signal.region_id,
        description=signal.description,
        received_at=signal.received_at.strftime("%Y-%m-%d %H:%M"),
        status="afgewezen",
        products=[product.pk],
    )
    response = coordinator_client.post(url("knowledgesignal", "edit", signal.pk), form)
    assert response.status_code == 200
    assert "Licht toe waarom" in response.content.decode()
    form.update(status="verwerkt", status_reason="Opgenomen in de werkfit-scan.")
    response = coordinator_client.post(url("knowledgesignal", "edit", signal.pk), form)
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.status == "verwerkt" and signal.decided_at is not None
    assert list(signal.products.all()) == [product]


def test_a_consultation_records_decisions_and_actions(coordinator_client):
    from operations.models import NationalPartner

    partners = list(NationalPartner.objects.filter(name__in=["Cedris", "Divosa"]))
    data = {
        "date": "2026-02-12",
        "title": "Partneroverleg februari",
        "partners": [p.pk for p in partners],
        "attendees": "Marieke\nPeter",
        "topics": "Agenda 2026\nKwaliteitskader",
        "notes": "",
        "decisions-TOTAL_FORMS": "1",
        "decisions-INITIAL_FORMS": "0",
        "decisions-MIN_NUM_FORMS": "0",
        "decisions-MAX_NUM_FORMS": "1000",
        "decisions-0-text": "De agenda is vastgesteld.",
        "decisions-0-ORDER": "1",
        "decisions-0-DELETE": "",
        "decisions-0-id": "",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        "actions-0-description": "Kwartaalrapportage opstellen",
        "actions-0-owner": "Carla (hub)",
        "actions-0-due_date": "2026-04-15",
        "actions-0-done": "",
        "actions-0-ORDER": "1",
        "actions-0-DELETE": "",
        "actions-0-id": "",
    }
    response = coordinator_client.post(url("partnerconsultation", "add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    consultation = PartnerConsultation.objects.get()
    assert {p.name for p in consultation.partners.all()} == {"Cedris", "Divosa"}
    assert consultation.decisions.get().text == "De agenda is vastgesteld."
    action = consultation.actions.get()
    assert (action.owner, action.due_date) == ("Carla (hub)", datetime.date(2026, 4, 15))


def test_the_dashboard_on_the_admin_home_page(coordinator_client, product):
    submit_knowledge_signal(
        region_code="zeeland",
        organisation_kind="gemeente",
        topic="Krimp",
        description="Scenario's voor het SOB bij een krimpende doelgroep.",
    )
    specialist = make_specialist("Anouk Trainer")
    Certification.objects.create(
        specialist=specialist,
        product=product,
        role="trainer",
        certified_on=TODAY,
        valid_until=TODAY + YEAR,
    )
    html = coordinator_client.get("/admin/").content.decode()
    assert "Dashboard van de hub" in html
    for heading in (
        "Producten per levensfase per ontwikkellijn",
        "Pilots naar fase en uitkomst",
        "Kennissignalen naar status",
        "Voortgang innovatieagenda",
        "Ontwikkellijnen opgeleverd en landelijk toegepast",
        "Stelseloverzicht",
    ):
        assert heading in html, heading
    assert "<strong>1</strong> van het doel 10–20" in html
    assert "nog onder het doel" in html
    assert "Zuidoost-Brabant" in html  # the 35 regions are listed
    assert "35 van de 35 regio" in html  # nothing is live, so no region applies a product yet
    assert "operations/dashboard.css" in html


def test_the_knowledge_cycle_page(coordinator_client, hub):
    submit_knowledge_signal(
        region_code="twente",
        organisation_kind="sob",
        topic="Nazorg",
        description="Medewerkers vallen terug na plaatsing bij een werkgever.",
    )
    signal = KnowledgeSignal.objects.get()
    response = coordinator_client.get(reverse("operations_admin:knowledge_cycle"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Per arbeidsmarktregio" in html and "Twente" in html
    assert url("knowledgesignal", "edit", signal.pk) in html


def test_the_quarterly_report_in_the_admin_with_xlsx_and_print(coordinator_client, hub):
    submit_knowledge_signal(
        region_code="twente",
        organisation_kind="sob",
        topic="Nazorg",
        description="Medewerkers vallen terug na plaatsing bij een werkgever.",
    )
    from operations.reports import Quarter

    quarter = str(Quarter.containing(datetime.date.today()))
    page = coordinator_client.get(
        reverse("operations_admin:quarterly_report"), {"kwartaal": quarter}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Kennissignalen ontvangen" in html and "Nazorg" in html
    # The XLSX is made in the background and downloaded from "Mijn exports".
    xlsx_url = reverse("operations_admin:quarterly_report_xlsx", args=[quarter])
    assert f'href="{xlsx_url}"' in html and "Exporteren als XLSX" in html
    xlsx = export_and_download(coordinator_client, xlsx_url)
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"kwartaalrapportage-innovatiehub-{quarter}.xlsx" in xlsx["Content-Disposition"]
    summary = dict(row[:2] for row in xlsx_rows(xlsx, "Samenvatting"))
    assert summary["Kennissignalen ontvangen"] == 1
    printable = coordinator_client.get(
        reverse("operations_admin:quarterly_report_print", args=[quarter])
    ).content.decode()
    assert "@page" in printable and "@media print" in printable
    assert "wagtailadmin" not in printable  # no admin chrome on paper
    bad = coordinator_client.get(reverse("operations_admin:quarterly_report"), {"kwartaal": "Q9"})
    assert bad.status_code == 200
    assert "geen kwartaal" in bad.content.decode()


@pytest.mark.parametrize(
    "model, parameter",
    [("pilot", "product"), ("certification", "product"), ("knowledgesignal", "development_line")],
)
def test_a_listing_filter_with_a_number_beyond_any_id_is_no_server_error(
    coordinator_client, model, parameter
):
    response = coordinator_client.get(url(model, "list"), {parameter: "9" * 20})
    # PostgreSQL finds no such record and the filter says so; SQLite cannot even send the
    # number, which is the request's fault: the Dutch 400 page.
    if connection.vendor == "sqlite":
        assert response.status_code == 400
        assert "Een waarde in dit verzoek kan niet worden verwerkt" in response.content.decode()
    else:
        assert response.status_code == 200


def test_a_received_moment_in_year_one_is_a_dutch_form_error(coordinator_client, hub):
    form = signal_form(
        region=Region.objects.get(code="twente").pk, received_at="0001-01-01 00:00", status="nieuw"
    )
    response = coordinator_client.post(url("knowledgesignal", "add"), form)
    assert response.status_code == 200
    assert "Kies een datum tussen 1900 en 9998." in response.content.decode()
    assert not KnowledgeSignal.objects.exists()
    form["received_at"] = "2026-03-02 09:30"
    assert coordinator_client.post(url("knowledgesignal", "add"), form).status_code == 302
