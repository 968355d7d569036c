"""A confirmation after each workflow action taken outside the edit page.

Wagtail's workflow action view (the buttons on the dashboard) approves or sends back without a
word. This middleware notes such a request and, after it ran, adds a Dutch message saying what
happened to the task. Actions from the edit page are confirmed by the `after_edit_page` hook.
It sits after Django's MessageMiddleware, so that its message is stored with the response.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from quality.admin_messages import workflow_outcome_message

WORKFLOW_ACTION_VIEW = "wagtailadmin_pages:workflow_action"


class WorkflowActionConfirmationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        acted = getattr(request, "_hubcms_workflow_action", None)
        if acted is not None and response.status_code in (200, 302):
            task_state_id, action = acted
            workflow_outcome_message(
                request,
                task_state_id=task_state_id,
                action=action,
                # A 200 is the modal asking again (a form error): nothing happened yet.
                report_refusal=response.status_code == 302,
            )
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: list[Any],
        view_kwargs: dict[str, Any],
    ) -> None:
        match = request.resolver_match
        if request.method == "POST" and match and match.view_name == WORKFLOW_ACTION_VIEW:
            try:
                task_state_id = int(view_kwargs.get("task_state_id", ""))
            except (TypeError, ValueError):
                return None
            # Read back in __call__; HttpRequest has no such attribute in django-stubs.
            request._hubcms_workflow_action = (  # type: ignore[attr-defined]
                task_state_id,
                view_kwargs.get("action_name", ""),
            )
        return None
