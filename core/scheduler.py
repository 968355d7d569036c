"""What runs on a clock: scheduled publication every minute, export cleanup every hour, re-review
reminders once a day. One loop, used by `manage.py run_scheduler` in production and by `make run`."""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.management import call_command
from django.utils import timezone

from operations.reminders import send_review_reminders

logger = logging.getLogger("hubcms.scheduler")


def publish_scheduled() -> None:
    call_command("publish_scheduled")


def cleanup_exports() -> None:
    call_command("cleanup_exports")


def review_reminders() -> None:
    send_review_reminders()


@dataclass
class Job:
    name: str
    every: datetime.timedelta
    run: Callable[[], None]
    last_run: datetime.datetime | None = field(default=None)

    def due(self, now: datetime.datetime) -> bool:
        return self.last_run is None or now - self.last_run >= self.every


def default_jobs() -> list[Job]:
    return [
        Job("publicatie volgens planning", datetime.timedelta(minutes=1), publish_scheduled),
        Job("verlopen exports opruimen", datetime.timedelta(hours=1), cleanup_exports),
        Job("herinneringen herziening", datetime.timedelta(days=1), review_reminders),
    ]


def run_due_jobs(jobs: list[Job], *, now: datetime.datetime | None = None) -> list[str]:
    """Run every job that is due; a failing job is logged and retried on its next turn."""
    now = now or timezone.now()
    ran = []
    for job in jobs:
        if not job.due(now):
            continue
        job.last_run = now
        try:
            job.run()
        except Exception:
            logger.exception("geplande taak '%s' mislukt", job.name)
            continue
        ran.append(job.name)
    return ran
