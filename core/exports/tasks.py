"""The background task that makes a report export's file."""

from django.conf import settings

from django_tasks import task

from core.exports.models import ReportExport
from core.exports.services import produce_report_export


@task()
def produce_report_export_task(export_id: int) -> str:
    """Make export `export_id`'s file in the worker; raises on failure so the queue retries it."""
    can_retry = produce_report_export_task.get_backend().supports_defer
    return produce_report_export(
        export_id=export_id,
        can_retry=can_retry and _attempts_left(export_id),
    )


def _attempts_left(export_id: int) -> bool:
    attempts = ReportExport.objects.filter(pk=export_id).values_list("attempts", flat=True).first()
    return (attempts or 0) + 1 < settings.HUBCMS_TASK_MAX_ATTEMPTS
