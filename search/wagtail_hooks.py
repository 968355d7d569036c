"""Search in the admin: the synonym list (snippet) and the search analytics reports."""

from django.http import HttpRequest
from django.urls import URLPattern, path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from search.models import SearchQueryStat, SearchSynonym
from search.reports import FrequentQueriesView, ZeroResultQueriesView


class SearchSynonymViewSet(SnippetViewSet):
    model = SearchSynonym
    icon = "search"
    menu_label = "Synoniemen (zoeken)"
    menu_order = 900
    add_to_admin_menu = False
    list_display = ["__str__", "note"]
    search_fields = ["terms"]


register_snippet(SearchSynonymViewSet)


class SearchStatsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(f"hubsearch.view_{SearchQueryStat._meta.model_name}")


@hooks.register("register_admin_urls")
def register_search_report_urls() -> list[URLPattern]:
    return [
        path(
            "rapporten/zoekvragen/",
            FrequentQueriesView.as_view(),
            name="hubsearch_frequent_queries",
        ),
        path(
            "rapporten/zoekvragen/resultaten/",
            FrequentQueriesView.as_view(results_only=True),
            name="hubsearch_frequent_queries_results",
        ),
        path(
            "rapporten/zoekvragen-zonder-resultaat/",
            ZeroResultQueriesView.as_view(),
            name="hubsearch_zero_result_queries",
        ),
        path(
            "rapporten/zoekvragen-zonder-resultaat/resultaten/",
            ZeroResultQueriesView.as_view(results_only=True),
            name="hubsearch_zero_result_queries_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_frequent_queries_menu_item() -> SearchStatsMenuItem:
    return SearchStatsMenuItem(
        "Veelgezochte zoekvragen",
        reverse("hubsearch_frequent_queries"),
        name="hubsearch-frequent-queries",
        icon_name="search",
        order=1000,
    )


@hooks.register("register_reports_menu_item")
def register_zero_result_queries_menu_item() -> SearchStatsMenuItem:
    return SearchStatsMenuItem(
        "Zoekvragen zonder resultaat",
        reverse("hubsearch_zero_result_queries"),
        name="hubsearch-zero-result-queries",
        icon_name="warning",
        order=1001,
    )
