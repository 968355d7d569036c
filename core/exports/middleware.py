"""Every spreadsheet export of the admin runs in the background, Wagtail's own reports included.

The hub's listings and reports start their exports through `BackgroundExportMixin`. Wagtail's
built-in reports (locked pages, aging pages, workflows, site history, …) are Wagtail's views on
Wagtail's URLs; this middleware gives their "?export=csv|xlsx" the same treatment: the view is
first asked for the report itself, as the user (so its own permission check answers a refusal),
and only then is the export stored and queued, and the user sent to "Mijn exports".
"""

import copy
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from wagtail.admin.views.mixins import SpreadsheetExportMixin

from core.exports.replay import is_export_run
from core.exports.views import BackgroundExportMixin, start_export

FORMATS = ("csv", "xlsx")


class BackgroundReportExportMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        export_format = request.GET.get("export")
        if request.method != "GET" or export_format not in FORMATS or is_export_run(request):
            return None
        view_class = getattr(view_func, "view_class", None)
        if (
            view_class is None
            or not issubclass(view_class, SpreadsheetExportMixin)
            or issubclass(view_class, BackgroundExportMixin)  # starts its own exports
        ):
            return None
        # Ask for the report without the export: a refusal (403, a redirect to the login) is
        # the view's answer to the export as well.
        probe = copy.copy(request)
        probe.GET = request.GET.copy()
        del probe.GET["export"]
        answer = view_func(probe, *view_args, **view_kwargs)
        if answer.status_code != 200:
            return answer
        title = getattr(answer, "context_data", None) or {}
        page_title = title.get("page_title") or getattr(view_class, "page_title", "") or "Rapport"
        return start_export(request, title=str(page_title), export_format=export_format)
