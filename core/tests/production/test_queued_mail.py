"""In production every e-mail leaves the request through the task queue and is retried."""

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


@pytest.fixture
def queued_mail(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "core.mail.QueuedEmailBackend"
    settings.HUBCMS_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.HUBCMS_TASK_RETRY_DELAY_SECONDS = 60


def run_worker() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_notification_is_queued_then_delivered_by_the_worker(queued_mail):
    message = mail.EmailMultiAlternatives(
        "Ter beoordeling: Werkfit-scan", "Tekst", "hub@example.org", ["kwaliteit@example.org"]
    )
    message.attach_alternative("<p>Tekst</p>", "text/html")
    assert message.send() == 1
    assert mail.outbox == []  # nothing sent inside the request
    assert DBTaskResult.objects.filter(task_path__endswith="deliver_email_task").count() == 1
    run_worker()
    (delivered,) = mail.outbox
    assert delivered.subject == "Ter beoordeling: Werkfit-scan"
    assert delivered.to == ["kwaliteit@example.org"]
    assert delivered.alternatives[0][1] == "text/html"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_delivery_is_retried_later(queued_mail, settings):
    settings.HUBCMS_EMAIL_DELIVERY_BACKEND = "core.tests.production.test_queued_mail.BrokenBackend"
    mail.send_mail("Onderwerp", "Tekst", "hub@example.org", ["coordinator@example.org"])
    run_worker()
    tasks = DBTaskResult.objects.filter(task_path__endswith="deliver_email_task")
    assert tasks.filter(status=TaskResultStatus.FAILED).count() == 1
    assert tasks.filter(status=TaskResultStatus.READY).count() == 1  # queued again, for later


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("smtp down")
