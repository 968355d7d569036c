"""Admin views of report exports: starting one from a report, "Mijn exports" and the download.

Report views opt in with `BackgroundExportMixin` (Wagtail listings and reports with `list_export`)
or `export_in_background` (a function view that answers with a file). A click on an export link then
stores a `ReportExport`, enqueues the task and sends the user to "Mijn exports"; the task replays
the same request and the view makes the file as it always did.
"""

import datetime
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from core.exports.models import ExportStatus, ReportExport
from core.exports.replay import is_export_run
from core.exports.services import request_report_export

INDEX_URL_NAME = "report_exports:index"
YES_NO = {"True": "ja", "False": "nee"}  # how Wagtail's active filters show a boolean


def local_naive_datetime(value: datetime.datetime) -> datetime.datetime:
    """A moment as the hub's local (Europe/Amsterdam) wall-clock time, without a time zone, as
    spreadsheet cells hold it."""
    if timezone.is_naive(value):
        return value
    return timezone.make_naive(value)


def start_export(
    request: HttpRequest,
    *,
    title: str,
    export_format: str,
    filter_summary: str = "",
    report_url: str = "",
) -> HttpResponse:
    """Answer an export click: store and enqueue the export, then show "Mijn exports"."""
    outcome = request_report_export(
        request=request,
        title=title,
        export_format=export_format,
        filter_summary=filter_summary,
        report_url=report_url,
    )
    export = outcome.export
    name = f"{export.title} ({export.get_format_display()})"
    if not outcome.created:
        messages.info(request, f"Uw export {name} wordt al gemaakt. U vindt hem hieronder.")
    elif export.status == ExportStatus.READY:  # tasks that run at once (development)
        messages.success(
            request,
            f"Uw export {name} is klaar.",
            buttons=[messages.button(download_url(export), "Downloaden")],
        )
    elif export.status == ExportStatus.FAILED:
        messages.error(request, f"Uw export {name} is mislukt: {export.error_message}")
    else:
        messages.success(
            request,
            f"Uw export {name} wordt gemaakt. U vindt hem hieronder zodra hij klaar is; "
            "vernieuw deze pagina om te zien of hij klaar is.",
        )
    return redirect(INDEX_URL_NAME)


class BackgroundExportMixin:
    """For a Wagtail listing or report with `list_export`: "?export=xlsx|csv" starts a background
    export instead of answering with the spreadsheet. Put it before the view class."""

    # Wagtail writes moments in UTC (a naive UTC datetime in XLSX, "2026-12-05 07:50:58+00:00" in
    # CSV) and booleans as True/False; the hub's exports give Dutch local time and Ja/Nee.
    custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        datetime.datetime: {
            SpreadsheetExportMixin.FORMAT_XLSX: local_naive_datetime,
            SpreadsheetExportMixin.FORMAT_CSV: lambda value: local_naive_datetime(value).strftime(
                "%d-%m-%Y %H:%M"
            ),
        },
        bool: {
            SpreadsheetExportMixin.FORMAT_XLSX: lambda value: "Ja" if value else "Nee",
            SpreadsheetExportMixin.FORMAT_CSV: lambda value: "Ja" if value else "Nee",
        },
    }

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if self.is_export and not is_export_run(request):
            return start_export(
                request,
                title=str(self.get_page_title()),
                export_format=request.GET["export"],
                filter_summary=self.describe_export_filters(),
            )
        return super().get(request, *args, **kwargs)

    def describe_export_filters(self) -> str:
        """The search and the filters the user chose, in words, for "Mijn exports"."""
        parts = []
        if self.search_query:
            parts.append(f"Zoekterm: {self.search_query}")
        # Wagtail's active filters read the form's cleaned data, which only validation makes.
        if self.filters and self.filters.is_valid():
            parts.extend(
                f"{active.field_label}: {YES_NO.get(str(active.value), active.value)}"
                for active in self.active_filters
            )
        return "; ".join(parts)


def export_in_background(
    *,
    title: Callable[..., str],
    export_format: str,
    report_url: Callable[..., str] | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """For a function view that answers with a file: a click starts a background export, the task
    runs the view. `title(**view_kwargs)` names the export in Dutch; `report_url(**view_kwargs)`
    is the page that shows the report."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if is_export_run(request):
                return view(request, *args, **kwargs)
            return start_export(
                request,
                title=title(**kwargs),
                export_format=export_format,
                report_url=report_url(**kwargs) if report_url else "",
            )

        return wrapper

    return decorator


def download_url(export: ReportExport) -> str:
    return reverse("report_exports:download", args=[export.pk])


class MyExportsView(WagtailAdminTemplateMixin, TemplateView):
    """The signed-in user's exports, newest first, with their state and a download when ready."""

    page_title = "Mijn exports"
    header_icon = "download"
    template_name = "exports/admin/index.html"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        exports = ReportExport.objects.filter(requested_by=self.request.user)
        page = Paginator(exports, 25).get_page(self.request.GET.get("p"))
        context.update(
            page_obj=page,
            exports=page.object_list,
            any_pending=any(export.is_pending for export in page.object_list),
            retention_days=settings.HUBCMS_EXPORTS_RETENTION_DAYS,
        )
        return context


my_exports = never_cache(MyExportsView.as_view())


@never_cache
def download_export(request: HttpRequest, export_id: int) -> HttpResponse:
    """The export's file, to the user who asked for it only; a Dutch 404 when it is gone."""
    export = ReportExport.objects.filter(pk=export_id).first()
    if export is None:
        return _gone(request)
    if export.requested_by_id != request.user.pk:
        return render(request, "exports/admin/forbidden.html", status=403)
    if export.is_pending:
        messages.info(request, f"Uw export {export.title} is nog niet klaar.")
        return redirect(INDEX_URL_NAME)
    if not export.is_ready:
        return _gone(request)
    try:
        handle = export.file.open("rb")
    except FileNotFoundError:
        return _gone(request)
    response = FileResponse(
        handle, as_attachment=True, filename=export.filename, content_type=export.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _gone(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "exports/admin/not_found.html",
        {"retention_days": settings.HUBCMS_EXPORTS_RETENTION_DAYS},
        status=404,
    )
