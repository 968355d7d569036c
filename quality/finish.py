"""What Wagtail does when a workflow is approved: publish the revision, if the gate lets it.

`WAGTAIL_FINISH_WORKFLOW_ACTION` points here instead of at Wagtail's `publish_workflow_state`.
Wagtail imports this module while it defines its own models, so it imports nothing at load time.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from wagtail.models import WorkflowState


def publish_if_the_gate_passes(workflow_state: "WorkflowState", user: "User | None" = None) -> None:
    """Publish the approved revision; a governed page's revision must pass the gate first.

    `revision.publish()` reaches the page type's own `publish`: for a governed page that is
    `GovernedPage.publish` (quality/pages.py), which asks the gate once; Wagtail's permission
    check and the backstop inside it reuse that decision. A refusal (`QualityGateRefused`,
    logged) rolls the approval back: `FinalApprovalTask.on_action` runs it in a transaction, and
    the task stays open for the Coördinator.
    """
    workflow_state.content_object.get_latest_revision().publish(user=user)
