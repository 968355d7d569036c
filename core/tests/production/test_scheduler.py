"""The clock: one scheduler loop runs scheduled publication, export cleanup and reminders."""

import datetime
import io
from unittest import mock

from django.core.management import call_command
from django.utils import timezone

import pytest

from core.scheduler import Job, default_jobs, run_due_jobs


def test_each_job_runs_when_due_and_a_failing_one_does_not_stop_the_others():
    calls = []
    now = timezone.now()

    def boom():
        raise RuntimeError("kapot")

    jobs = [
        Job("elke minuut", datetime.timedelta(minutes=1), lambda: calls.append("minuut")),
        Job("faalt", datetime.timedelta(minutes=1), boom),
        Job("elk uur", datetime.timedelta(hours=1), lambda: calls.append("uur")),
    ]
    assert run_due_jobs(jobs, now=now) == ["elke minuut", "elk uur"]
    assert run_due_jobs(jobs, now=now + datetime.timedelta(seconds=61)) == ["elke minuut"]
    assert calls == ["minuut", "uur", "minuut"]


def test_default_jobs_cover_publication_cleanup_and_reminders():
    assert [job.name for job in default_jobs()] == [
        "publicatie volgens planning",
        "verlopen exports opruimen",
        "herinneringen herziening",
    ]


@pytest.mark.django_db
def test_run_scheduler_once_publishes_what_is_due(hub):
    with (
        mock.patch("core.scheduler.publish_scheduled") as publish,
        mock.patch("core.scheduler.review_reminders") as remind,
    ):
        out = io.StringIO()
        call_command("run_scheduler", once=True, stdout=out)
    publish.assert_called_once()
    remind.assert_called_once()
    assert "uitgevoerd: publicatie volgens planning" in out.getvalue()


def test_make_run_starts_web_server_worker_and_scheduler_together():
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[3] / "Makefile").read_text()
    run_recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "manage.py run_hub" in run_recipe
    from core.management.commands.run_hub import Command

    with mock.patch("subprocess.Popen") as popen:
        popen.return_value.poll.side_effect = [None, None, None, 0, 0, 0, 0, 0, 0, 0]
        popen.return_value.wait.return_value = 0
        Command().handle(addrport="127.0.0.1:8999")
    started = [call.args[0][2] for call in popen.call_args_list]
    assert started == ["runserver", "db_worker", "run_scheduler"]
    env = popen.call_args_list[0].kwargs["env"]
    assert env["TASKS_BACKEND"] == "django_tasks_db.DatabaseBackend"
