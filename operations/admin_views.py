"""Admin views of the hub's operations: the knowledge cycle and the quarterly report."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from wagtail.admin.auth import permission_required
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from core.exports.views import export_in_background
from operations.dashboard import knowledge_cycle
from operations.reports import Quarter, quarterly_report, report_as_xlsx

REPORT_PERMISSION = "operations.view_hub_reports"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class KnowledgeCycleView(WagtailAdminTemplateMixin, TemplateView):
    """Signals per region and per line, and the time from intake to decision."""

    page_title = "Kenniscyclus"
    header_icon = "help"
    template_name = "operations/admin/knowledge_cycle.html"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cycle"] = knowledge_cycle()
        return context


class QuarterlyReportView(WagtailAdminTemplateMixin, TemplateView):
    """The quarterly report of a chosen quarter, with links to XLSX and the print page."""

    page_title = "Kwartaalrapportage"
    header_icon = "doc-full"
    template_name = "operations/admin/quarterly_report.html"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_quarter(self) -> Quarter:
        asked = self.request.GET.get("kwartaal", "").strip()
        default = Quarter.containing(timezone.localdate()).previous()
        if not asked:
            return default
        try:
            return Quarter.parse(asked)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return default

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        quarter = self.get_quarter()
        this_quarter = Quarter.containing(timezone.localdate())
        choices = [this_quarter]
        for _ in range(7):
            choices.append(choices[-1].previous())
        context.update(
            report=quarterly_report(quarter=quarter),
            quarter=quarter,
            quarter_choices=[str(q) for q in choices],
            xlsx_url=reverse("operations_admin:quarterly_report_xlsx", args=[str(quarter)]),
            print_url=reverse("operations_admin:quarterly_report_print", args=[str(quarter)]),
        )
        return context


def _report_or_404(quarter: str):
    try:
        return quarterly_report(quarter=quarter)
    except ValidationError as error:
        raise Http404(" ".join(error.messages)) from error


@export_in_background(
    title=lambda quarter: f"Kwartaalrapportage {quarter}",
    export_format="xlsx",
    report_url=lambda quarter: f"{reverse('operations_admin:quarterly_report')}?kwartaal={quarter}",
)
def quarterly_report_xlsx(request: HttpRequest, quarter: str) -> HttpResponse:
    """The quarter's report as an XLSX file, made in the background (Mijn exports)."""
    report = _report_or_404(quarter)
    response = HttpResponse(report_as_xlsx(report), content_type=XLSX_CONTENT_TYPE)
    filename = f"kwartaalrapportage-innovatiehub-{report.quarter}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def quarterly_report_print(request: HttpRequest, quarter: str) -> HttpResponse:
    """A standalone page with print styles, to print or save as a clean PDF."""
    return render(
        request, "operations/admin/quarterly_report_print.html", {"report": _report_or_404(quarter)}
    )


knowledge_cycle_view = permission_required(REPORT_PERMISSION)(KnowledgeCycleView.as_view())
quarterly_report_view = permission_required(REPORT_PERMISSION)(QuarterlyReportView.as_view())
quarterly_report_xlsx_view = permission_required(REPORT_PERMISSION)(quarterly_report_xlsx)
quarterly_report_print_view = permission_required(REPORT_PERMISSION)(quarterly_report_print)
