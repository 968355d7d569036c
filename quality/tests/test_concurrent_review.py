"""Two people who decide the same task at once: one decision is recorded (issue 17, item 3).

The review form and the final approval lock their task's row (`select_for_update`). Two reviewers
post the real review form, or two Coördinatoren the real approve action of Wagtail's admin, each
from a thread of their own, with a database connection of their own, on PostgreSQL, where row
locks exist. Recording is slowed down once it is under way, so that without the lock both posts
would pass the "still open" check before either has written.
"""

import threading
import time
from unittest import mock

from django.db import connection
from django.test import Client
from django.urls import reverse

from wagtail.models import GroupApprovalTask, Page, PageLogEntry, TaskState, Workflow

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


def slowed_final_approval():
    """Wagtail's approve step, with a pause once the task has been read (and, with the lock, locked)."""
    real = GroupApprovalTask.on_action

    def slow(self, *args, **kwargs):
        time.sleep(SLOW_DOWN)
        return real(self, *args, **kwargs)

    return mock.patch.object(GroupApprovalTask, "on_action", slow)


@pytest.fixture
def line_awaiting_final_approval(submitted_line, reviewer):
    """The line, judged by a Kwaliteitsbewaker: its workflow waits for the Eindgoedkeuring."""
    line, state = submitted_line
    client = Client()
    client.force_login(reviewer)
    assert client.post(review_url(state), judgement_form(line)).status_code == 302
    state.refresh_from_db()
    assert state.current_task_state.task.name == "Eindgoedkeuring"
    return line, state


def approve_url(line, state) -> str:
    return reverse(
        "wagtailadmin_pages:workflow_action",
        args=(line.pk, "approve", state.current_task_state_id),
    )


def test_two_coordinators_cannot_both_approve_the_same_revision(line_awaiting_final_approval):
    line, state = line_awaiting_final_approval
    first = make_user("coordinator_een", roles.COORDINATOR)
    second = make_user("coordinator_twee", roles.COORDINATOR)
    url = approve_url(line, state)
    edit_url = reverse("wagtailadmin_pages:edit", args=(line.pk,))
    decided_url = reverse("quality_final_approval_decided", args=(state.current_task_state_id,))

    with slowed_final_approval():
        responses = post_at_once([(first, url, {}), (second, url, {})])

    assert not [r for r in responses if isinstance(r, Exception)], responses
    assert sorted(r.url for r in responses) == sorted([edit_url, decided_url])
    approval_state = TaskState.objects.get(pk=state.current_task_state_id)
    assert approval_state.status == TaskState.STATUS_APPROVED
    winner = approval_state.finished_by
    loser = second if winner == first else first
    final_approvals = PageLogEntry.objects.filter(
        page=line,
        action="wagtail.workflow.approve",
        data__workflow__task__title="Eindgoedkeuring",
    )
    assert list(final_approvals.values_list("user", flat=True)) == [winner.pk]
    assert PageLogEntry.objects.filter(page=line, action="wagtail.publish").count() == 1
    assert Page.objects.get(pk=line.pk).live

    # The Coördinator who came second reads why nothing happened, in Dutch, on the page's edit view.
    client = Client()
    client.force_login(loser)
    page = client.get(decided_url, follow=True)
    assert page.redirect_chain[-1][0] == edit_url
    assert (
        f"Over deze eindgoedkeuring is al beslist door {winner.get_full_name()}: goedgekeurd. "
        "Uw besluit is niet vastgelegd."
    ) in page.content.decode()


def test_one_coordinator_approves_alone(line_awaiting_final_approval, coordinator):
    """Positive control: the same approval, slowed down the same way, publishes when it is alone."""
    line, state = line_awaiting_final_approval
    with slowed_final_approval():
        (response,) = post_at_once([(coordinator, approve_url(line, state), {})])
    assert response.url == reverse("wagtailadmin_pages:edit", args=(line.pk,))
    assert TaskState.objects.get(pk=state.current_task_state_id).finished_by == coordinator
    assert Page.objects.get(pk=line.pk).live
