"""E-mail through the task queue: every message leaves the request and is retried when it fails.

In production `EMAIL_BACKEND` is `QueuedEmailBackend`: Wagtail's workflow notifications, the
knowledge-signal mail and Django's own mails are handed to `deliver_email_task`, which the worker
sends with the real backend (`HUBCMS_EMAIL_DELIVERY_BACKEND`, SMTP by default). A failed delivery
raises, so the task queue retries it (core.security.task_retries) and it is never lost silently.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend

from django_tasks import task

logger = logging.getLogger("hubcms.mail")


def one_line_subject(text: str) -> str:
    """A mail subject on one line: Django refuses a header with a line break (BadHeaderError),
    and a title or signal topic from outside may hold one."""
    return " ".join(str(text).split())


def message_to_dict(message: EmailMessage) -> dict:
    """The parts of a message that the queue stores as JSON."""
    return {
        "subject": one_line_subject(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        "alternatives": [
            [str(content), str(mimetype)]
            for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


def message_from_dict(data: dict) -> EmailMultiAlternatives:
    """Rebuild a queued message."""
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


def delivery_connection():
    return get_connection(settings.HUBCMS_EMAIL_DELIVERY_BACKEND, fail_silently=False)


@task()
def deliver_email_task(message: dict) -> int:
    """Send one queued message with the real backend; raises on failure so the queue retries."""
    return delivery_connection().send_messages([message_from_dict(message)])


class QueuedEmailBackend(BaseEmailBackend):
    """An e-mail backend that enqueues each message instead of sending it in the request."""

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            message.subject = one_line_subject(message.subject)
            if message.attachments:  # not stored in the queue: deliver now rather than lose them
                sent += delivery_connection().send_messages([message])
                continue
            try:
                deliver_email_task.enqueue(message_to_dict(message))
            except Exception:  # the queue itself is unreachable (database down): send directly
                logger.exception("E-mail kon niet in de wachtrij; direct verzonden")
                sent += delivery_connection().send_messages([message])
                continue
            sent += 1
        return sent
