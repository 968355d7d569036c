"""Certifying specialists (train-de-trainer) and receiving knowledge signals."""

import datetime
import logging

from django.core import mail
from django.core.exceptions import ValidationError

import pytest

from operations.models import Certification, KnowledgeSignal
from operations.services import certify_specialist, submit_knowledge_signal, triage_signal
from operations.tests.conftest import TODAY, YEAR, make_specialist

pytestmark = pytest.mark.django_db


def certify(specialist, product, by=None, role="uitvoerder", on=None, until=None):
    return certify_specialist(
        specialist=specialist,
        product=product,
        role=role,
        certified_on=on or TODAY,
        valid_until=until or TODAY + YEAR,
        certified_by=by,
    )


class TestTrainDeTrainer:
    def test_the_hub_certifies_the_first_trainer_and_that_trainer_certifies_others(self, product):
        anouk, bas, chantal = (make_specialist(n) for n in ("Anouk A", "Bas B", "Chantal C"))
        certify(anouk, product, role="trainer")
        certify(bas, product, by=anouk, role="trainer")
        certify(chantal, product, by=bas)
        assert Certification.objects.filter(product=product).count() == 3

    def test_an_uitvoerder_cannot_certify_anyone(self, product):
        anouk, bas, chantal = (make_specialist(n) for n in ("Anouk A", "Bas B", "Chantal C"))
        certify(anouk, product, role="trainer")
        certify(bas, product, by=anouk)
        with pytest.raises(ValidationError) as error:
            certify(chantal, product, by=bas)
        message = error.value.message_dict["certified_by"][0]
        assert "Bas B" in message and "geen geldige trainer" in message
        assert not Certification.objects.filter(specialist=chantal).exists()

    def test_an_expired_trainer_cannot_certify(self, product):
        anouk, bas = make_specialist("Anouk A"), make_specialist("Bas B")
        certify(anouk, product, role="trainer", on=TODAY - 3 * YEAR, until=TODAY - YEAR)
        with pytest.raises(ValidationError, match="geen geldige trainer"):
            certify(bas, product, by=anouk)

    def test_a_trainer_for_another_product_cannot_certify(self, product, hub):
        from hubcms.testing.factories import ProductPageFactory
        from products.models import ProductLibraryPage

        other = ProductPageFactory(parent=ProductLibraryPage.objects.get(), title="Ander product")
        anouk, bas = make_specialist("Anouk A"), make_specialist("Bas B")
        certify(anouk, other, role="trainer")
        with pytest.raises(ValidationError, match="geen geldige trainer"):
            certify(bas, product, by=anouk)

    def test_the_hub_may_not_bypass_an_existing_trainer(self, product):
        anouk, bas = make_specialist("Anouk A"), make_specialist("Bas B")
        certify(anouk, product, role="trainer")
        with pytest.raises(ValidationError, match="heeft al een geldige trainer"):
            certify(bas, product)

    def test_validity_must_end_after_it_starts(self, product):
        anouk = make_specialist("Anouk A")
        with pytest.raises(ValidationError) as error:
            certify(anouk, product, role="trainer", until=TODAY - datetime.timedelta(days=1))
        assert "valid_until" in error.value.message_dict


VALID_SIGNAL = {
    "region_code": "twente",
    "organisation_kind": "sob",
    "topic": "Nazorg na plaatsing",
    "description": "Medewerkers vallen na drie maanden terug bij de werkgever.",
}


class TestSubmitKnowledgeSignal:
    def test_stores_the_signal_and_mails_the_coordinators(self, coordinator):
        signal = submit_knowledge_signal(**VALID_SIGNAL, contact_email="adviseur@regio.example")
        assert KnowledgeSignal.objects.get().pk == signal.pk
        assert signal.status == "nieuw" and signal.region.code == "twente"
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == [coordinator.email]
        assert "Nazorg na plaatsing" in mail.outbox[0].subject
        assert f"/kennissignalen/edit/{signal.pk}/" in mail.outbox[0].body
        signal.refresh_from_db()
        assert signal.notification_sent_at is not None

    def test_a_failing_mail_server_never_loses_the_signal(self, coordinator, monkeypatch, caplog):
        def broken(**kwargs):
            raise ConnectionRefusedError("smtp down")

        monkeypatch.setattr("operations.services.send_mail", broken)
        with caplog.at_level(logging.ERROR, logger="operations.services"):
            signal = submit_knowledge_signal(**VALID_SIGNAL)
        stored = KnowledgeSignal.objects.get(pk=signal.pk)
        assert stored.notification_sent_at is None
        assert "melding kon niet worden verstuurd" in caplog.text

    def test_every_bad_field_gets_its_own_dutch_message(self, hub):
        with pytest.raises(ValidationError) as error:
            submit_knowledge_signal(
                region_code="atlantis",
                organisation_kind="bank",
                topic="",
                description="kort",
                contact_email="geen-adres",
            )
        errors = error.value.message_dict
        assert set(errors) == {
            "region_code",
            "organisation_kind",
            "topic",
            "description",
            "contact_email",
        }
        assert "geen bekende arbeidsmarktregio" in errors["region_code"][0]
        assert "ten minste 20 tekens" in errors["description"][0]
        assert not KnowledgeSignal.objects.exists()

    def test_an_address_longer_than_its_column_is_refused_at_the_field(self, hub):
        # Valid by the e-mail rules (a 64-letter name, domain labels of 63), but 290 characters.
        address = "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".nl"
        with pytest.raises(ValidationError) as error:
            submit_knowledge_signal(**VALID_SIGNAL, contact_email=address)
        assert error.value.message_dict == {
            "contact_email": ["Het e-mailadres is te lang: hoogstens 254 tekens."]
        }
        assert not KnowledgeSignal.objects.exists()


class TestTriage:
    def test_a_decision_needs_a_reason_and_records_its_time(self, hub):
        signal = submit_knowledge_signal(**VALID_SIGNAL)
        with pytest.raises(ValidationError) as error:
            triage_signal(signal=signal, status="afgewezen")
        assert "status_reason" in error.value.message_dict
        signal.refresh_from_db()
        assert signal.decided_at is None
        triage_signal(signal=signal, status="afgewezen", reason="Buiten de opdracht van de hub.")
        signal.refresh_from_db()
        assert signal.decided_at is not None
        triage_signal(signal=signal, status="in_analyse")
        signal.refresh_from_db()
        assert signal.decided_at is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_signal_mail_is_queued_and_retried_when_the_mail_server_is_down(
    coordinator, settings, monkeypatch
):
    from django.core.management import call_command

    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.HUBCMS_TASK_RETRY_DELAY_SECONDS = 60

    def broken(**kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("operations.services.send_mail", broken)
    signal = submit_knowledge_signal(**VALID_SIGNAL)
    assert len(mail.outbox) == 0  # nothing is sent inside the request
    mail_tasks = DBTaskResult.objects.filter(task_path__endswith="notify_coordinators_task")
    (queued,) = mail_tasks

    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)
    assert DBTaskResult.objects.get(pk=queued.pk).status == TaskResultStatus.FAILED
    retry = mail_tasks.get(status=TaskResultStatus.READY)  # queued again, for later
    assert retry.args_kwargs == queued.args_kwargs
    assert KnowledgeSignal.objects.get(pk=signal.pk).notification_sent_at is None
