"""Failed background tasks are retried with a growing delay and logged, never lost silently.

django-tasks records a failed task (with its traceback) in the database backend's table and logs it;
this handler enqueues the same call again after HUBCMS_TASK_RETRY_DELAY_SECONDS × 2^(n-1), up to
HUBCMS_TASK_MAX_ATTEMPTS attempts, and logs an error when it gives up. The failed rows stay in the
table for inspection (`prune_db_task_results` clears old ones).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone

from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished

logger = logging.getLogger("hubcms.tasks")


def failed_attempts(*, task_path: str, args_kwargs: dict, since_hours: int = 24) -> int:
    """How often this exact call failed in the database backend recently."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=task_path,
        args_kwargs=args_kwargs,
        status=TaskResultStatus.FAILED,
        enqueued_at__gte=timezone.now() - timedelta(hours=since_hours),
    ).count()


@receiver(task_finished, dispatch_uid="hubcms_retry_failed_tasks")
def retry_failed_task(sender, task_result, **kwargs) -> None:
    """Enqueue a failed task again, later, unless it has used up its attempts."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    task = task_result.task
    backend = task.get_backend()
    if not backend.supports_defer:  # the immediate backend in dev/tests: logged, not retried
        logger.error("Task %s failed (not retried on this backend)", task.module_path)
        return
    from django_tasks_db.compat import normalize_json

    attempts = failed_attempts(
        task_path=task.module_path,
        args_kwargs=normalize_json({"args": task_result.args, "kwargs": task_result.kwargs}),
    )
    maximum = settings.HUBCMS_TASK_MAX_ATTEMPTS
    if attempts >= maximum:
        logger.error(
            "Task %s id=%s failed %d times; giving up (see the failed task results)",
            task.module_path,
            task_result.id,
            attempts,
        )
        return
    delay = settings.HUBCMS_TASK_RETRY_DELAY_SECONDS * 2 ** (attempts - 1)
    retry = task.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
        *task_result.args, **task_result.kwargs
    )
    logger.warning(
        "Task %s id=%s failed (attempt %d of %d); retry %s in %d s",
        task.module_path,
        task_result.id,
        attempts,
        maximum,
        retry.id,
        delay,
    )
