"""Re-run a report view as the user who asked for an export, to capture the file it answers with.

The task does not copy any report's export code: it replays the stored GET request through the
admin's own URL, so the view's filters, columns and permission checks (Wagtail's admin access, the
view's permission policy or decorator) apply exactly as they did in the request.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.messages.storage.base import BaseStorage
from django.http import HttpRequest, HttpResponseBase
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation

# Set on a replayed request: the view makes the file now instead of starting another export.
EXPORT_RUN_ATTRIBUTE = "hubcms_report_export"


class DiscardedMessages(BaseStorage):
    """Messages that a replayed view adds (e.g. "no permission") have no one to show them to."""

    def _get(self, *args, **kwargs):
        return [], True

    def _store(self, messages, response, *args, **kwargs):
        return []


def is_export_run(request: HttpRequest) -> bool:
    """Whether this request is an export's replay in the task, not a user's click."""
    return getattr(request, EXPORT_RUN_ATTRIBUTE, None) is not None


def replay_request(export) -> HttpResponseBase:
    """The response of the export's view to its stored request, made as its requester."""
    from importlib import import_module

    match = resolve(export.path)
    if match.view_name != export.kind:
        raise LookupError(f"{export.path} is no longer the view {export.kind}")
    base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    request = RequestFactory().get(
        export.path,
        data={**export.parameters, "export": export.format},
        secure=base.scheme == "https",
        HTTP_HOST=base.netloc or "localhost",
    )
    request.user = export.requested_by
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    request._messages = DiscardedMessages(request)
    request.resolver_match = match
    setattr(request, EXPORT_RUN_ATTRIBUTE, export)
    with translation.override(settings.LANGUAGE_CODE):
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
    return response
