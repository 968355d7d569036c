"""Two reviewers who record the same task at once: one assessment, one decision (issue 17, item 3).

The review form and the final approval lock their task's row (`select_for_update`). Each reviewer
posts the real review form from a thread of their own, with a database connection of their own,
on PostgreSQL, where row locks exist. Recording is slowed down once it is under way, so that
without the lock both posts would pass the "still open" check before either has written.
"""

import threading
import time
from unittest import mock

from django.db import connection
from django.test import Client

from wagtail.models import TaskState, Workflow

import pytest

from conftest import make_user
from core import roles
from quality import workflow as quality_workflow
from quality.models import QualityAssessment
from quality.tests.test_workflow import judgement_form, review_url

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL; runs in the PostgreSQL pass of .ci/run",
    ),
]

SLOW_DOWN = 0.5  # seconds between reading the task and writing the assessment


def post_at_once(posts: list[tuple]) -> list:
    """Run each (user, url, data) POST in its own thread, released together; the responses."""
    barrier = threading.Barrier(len(posts))
    results: list = [None] * len(posts)

    def run(index: int, user, url: str, data: dict) -> None:
        try:
            client = Client()
            client.force_login(user)
            barrier.wait(timeout=10)
            results[index] = client.post(url, data)
        except Exception as error:  # surfaced by the assertions below
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, *post)) for index, post in enumerate(posts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def slowed_assessment():
    """`assess_revision`, with a pause once the task has been read and (with the lock) locked."""
    real = quality_workflow.assess_revision

    def slow(**kwargs):
        time.sleep(SLOW_DOWN)
        return real(**kwargs)

    return mock.patch.object(quality_workflow, "assess_revision", side_effect=slow)


@pytest.fixture
def submitted_line(line, editor):
    line.save_revision(user=editor)
    state = Workflow.objects.get(name="Kwaliteitsborging").start(line, editor)
    assert state.current_task_state.task.name == "Kwaliteitstoets"
    return line, state


def test_two_reviewers_cannot_both_record_the_same_task(submitted_line):
    line, state = submitted_line
    first = make_user("kwaliteit_een", roles.REVIEWER)
    second = make_user("kwaliteit_twee", roles.REVIEWER)
    url = review_url(state)
    data = judgement_form(line)

    with slowed_assessment():
        responses = post_at_once([(first, url, data), (second, url, data)])

    assert not [r for r in responses if isinstance(r, Exception)], responses
    recorded = [r for r in responses if r.status_code == 302]
    refused = [r for r in responses if r.status_code == 200]
    assert len(recorded) == 1 and len(refused) == 1
    assert "Deze kwaliteitstoets is al afgerond." in refused[0].content.decode()
    assert QualityAssessment.objects.count() == 1
    review_state = TaskState.objects.get(pk=state.current_task_state_id)
    assert review_state.status == TaskState.STATUS_APPROVED
    assert review_state.finished_by == QualityAssessment.objects.get().reviewer


def test_one_reviewer_records_the_task_alone(submitted_line, reviewer):
    """Positive control: the same post, slowed down the same way, records when it is alone."""
    line, state = submitted_line
    with slowed_assessment():
        (response,) = post_at_once([(reviewer, review_url(state), judgement_form(line))])
    assert response.status_code == 302
    assert QualityAssessment.objects.get().reviewer == reviewer
