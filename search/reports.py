"""Admin reports of search analytics: the most frequent queries and the queries without results.

Both export to CSV and XLSX through Wagtail's ReportView, made in the background (Mijn exports).
They hold no personal data.
"""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from core.exports.views import BackgroundExportMixin
from search import analytics
from search.models import SearchQueryStat

PERIOD_DAYS = 90


class SearchQueryReportView(BackgroundExportMixin, ReportView):
    """Shared setup: permission to view the statistics, columns, export headings."""

    header_icon = "search"
    permission_policy = ModelPermissionPolicy(SearchQueryStat)
    permission_required = "view"
    columns = [
        Column("query", label="Zoekvraag"),
        Column("total_searches", label="Aantal keer gezocht"),
        Column("total_zero_results", label="Aantal keer zonder resultaat"),
        Column("last_result_count", label="Hoogste aantal resultaten"),
        Column("last_searched", label="Laatst gezocht"),
    ]
    list_export = [column.name for column in columns]
    export_headings = {column.name: column.label for column in columns}

    def since(self) -> datetime.date:
        return timezone.localdate() - datetime.timedelta(days=PERIOD_DAYS)

    def get_filename(self) -> str:
        return f"{self.filename_prefix}-{timezone.localdate():%Y-%m-%d}"


class FrequentQueriesView(SearchQueryReportView):
    page_title = f"Veelgezochte zoekvragen (laatste {PERIOD_DAYS} dagen)"
    index_url_name = "hubsearch_frequent_queries"
    index_results_url_name = "hubsearch_frequent_queries_results"
    filename_prefix = "veelgezochte-zoekvragen"

    def get_queryset(self) -> QuerySet[Any]:
        return analytics.frequent_queries(since=self.since())


class ZeroResultQueriesView(SearchQueryReportView):
    page_title = f"Zoekvragen zonder resultaat (laatste {PERIOD_DAYS} dagen)"
    index_url_name = "hubsearch_zero_result_queries"
    index_results_url_name = "hubsearch_zero_result_queries_results"
    filename_prefix = "zoekvragen-zonder-resultaat"

    def get_queryset(self) -> QuerySet[Any]:
        return analytics.zero_result_queries(since=self.since())
