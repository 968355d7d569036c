"""A line break in a signal's topic or a page title never stops a mail: Django refuses a subject
with a line break (BadHeaderError, a guard against header injection), so the hub puts the subject
on one line before sending."""

from django.core import mail
from django.urls import reverse

import pytest

from operations.models import KnowledgeSignal

pytestmark = pytest.mark.django_db

TOPIC = "Nazorg na plaatsing\r\nBcc: iedereen@example.org\nen meer"


def test_a_signal_with_a_line_break_in_its_topic_is_still_mailed(client, coordinator):
    response = client.post(
        reverse("operations:knowledge_signal"),
        {
            "region": "twente",
            "organisation_kind": "gemeente",
            "topic": TOPIC,
            "description": "Medewerkers vallen na drie maanden terug bij de werkgever.",
        },
    )

    assert response.status_code == 302
    signal = KnowledgeSignal.objects.get()
    (sent,) = mail.outbox
    assert sent.subject == (
        "Nieuw kennissignaal: Nazorg na plaatsing Bcc: iedereen@example.org en meer"
    )
    assert sent.to == [coordinator.email]
    assert sent.bcc == []
    signal.refresh_from_db()
    assert signal.notification_sent_at is not None


def test_the_queued_backend_puts_every_subject_on_one_line(settings):
    """Wagtail's own notifications (a page title in the subject) go through the same backend."""
    settings.EMAIL_BACKEND = "core.mail.QueuedEmailBackend"
    settings.HUBCMS_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    sent = mail.send_mail(
        "Ter beoordeling: Werkfit\nscan", "Tekst", "hub@example.org", ["kwaliteit@example.org"]
    )

    assert sent == 1
    (delivered,) = mail.outbox
    assert delivered.subject == "Ter beoordeling: Werkfit scan"
