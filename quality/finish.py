"""What Wagtail does when a workflow is approved: publish the revision, if the gate lets it.

`WAGTAIL_FINISH_WORKFLOW_ACTION` points here instead of at Wagtail's `publish_workflow_state`.
Wagtail imports this module while it defines its own models, so the gate is imported when the
action runs, not when this module loads.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from wagtail.models import WorkflowState


def publish_if_the_gate_passes(workflow_state: "WorkflowState", user: "User | None" = None) -> None:
    """Publish the approved revision; a governed page's revision must pass the gate first.

    A refusal (`QualityGateRefused`, logged) rolls the approval back: `WorkflowState.finish`
    runs in a transaction, and the task stays open for the Coördinator.
    """
    from quality.gate import ensure_may_publish, is_governed

    revision = workflow_state.content_object.get_latest_revision()
    if is_governed(workflow_state.content_object):
        ensure_may_publish(revision=revision, user=user)
    revision.publish(user=user)
