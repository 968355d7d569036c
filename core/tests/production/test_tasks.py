"""Background tasks: the database backend in production; failed tasks are retried and logged."""

import logging

from django.core.management import call_command
from django.utils import timezone

import pytest
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

CALLS: list[str] = []


@task()
def flaky_export(report: str) -> str:
    """A task that always fails, like an export whose storage is unreachable."""
    CALLS.append(report)
    raise ConnectionError(f"opslag onbereikbaar voor {report}")


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.HUBCMS_TASK_MAX_ATTEMPTS = 3
    CALLS.clear()


def run_worker() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_task_is_kept_logged_and_retried_later(database_tasks, settings, caplog):
    settings.HUBCMS_TASK_RETRY_DELAY_SECONDS = 60
    result = flaky_export.enqueue("kwartaalrapportage-2026-Q3")
    with caplog.at_level(logging.WARNING, logger="hubcms.tasks"):
        run_worker()
    assert CALLS == ["kwartaalrapportage-2026-Q3"]
    failed = DBTaskResult.objects.get(pk=result.id)
    assert failed.status == TaskResultStatus.FAILED
    assert "opslag onbereikbaar" in failed.traceback
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs == failed.args_kwargs
    assert retry.run_after > timezone.now()  # not now: after a delay
    assert "attempt 1 of 3" in caplog.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_gives_up_after_its_attempts_with_an_error(database_tasks, settings, caplog):
    settings.HUBCMS_TASK_RETRY_DELAY_SECONDS = 0
    flaky_export.enqueue("export-signalen")
    with caplog.at_level(logging.WARNING, logger="hubcms.tasks"):
        run_worker()
    assert CALLS == ["export-signalen"] * 3
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 3
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    assert "failed 3 times; giving up" in caplog.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_wagtail_work_runs_on_the_worker(database_tasks, hub):
    """Wagtail's own tasks (reference index, search index) go through the queue and succeed."""
    from hubcms.testing.factories import ProductPageFactory
    from products.models import ProductLibraryPage

    ProductPageFactory(parent=ProductLibraryPage.objects.get())
    queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
    assert queued >= 1
    run_worker()
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()
