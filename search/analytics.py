"""Search analytics without personal data: per query and day, how often and with how many results.

Nothing about the visitor is stored: no IP address, no session, no user agent.
"""

from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone

from search.analysis import fold
from search.models import SearchQueryStat

MAX_LENGTH = 200


def normalize_query(text: str) -> str:
    """How a query is counted: lower case without diacritics, whitespace collapsed, capped."""
    return " ".join(fold(text).split())[:MAX_LENGTH]


def record_search(*, query: str, result_count: int, day: date | None = None) -> None:
    """Count one search for `query` on `day` (today) with its number of results."""
    normalized = normalize_query(query)
    if not normalized:
        return
    day = day or timezone.localdate()
    # One statement (an upsert, on SQLite and PostgreSQL alike): this runs on every search.
    table = SearchQueryStat._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A count lost in a crash is acceptable; every search waiting for the disk is not.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(
            f"INSERT INTO {table} (query, day, searches, zero_result_searches, last_result_count) "
            "VALUES (%s, %s, 1, %s, %s) ON CONFLICT (query, day) DO UPDATE SET "
            f"searches = {table}.searches + 1, "
            f"zero_result_searches = {table}.zero_result_searches + excluded.zero_result_searches, "
            "last_result_count = excluded.last_result_count",
            [normalized, day, 1 if result_count == 0 else 0, result_count],
        )


def frequent_queries(*, since: date | None = None) -> QuerySet[Any]:
    """Queries by how often they were searched (since a day), with their latest result count."""
    stats = SearchQueryStat.objects.all()
    if since:
        stats = stats.filter(day__gte=since)
    return (
        stats.values("query")
        .annotate(
            total_searches=Sum("searches"),
            total_zero_results=Sum("zero_result_searches"),
            last_searched=Max("day"),
            last_result_count=Max("last_result_count"),
        )
        .order_by("-total_searches", "query")
    )


def zero_result_queries(*, since: date | None = None) -> QuerySet[Any]:
    """Queries that found nothing, most frequent first: what the library is missing."""
    return (
        frequent_queries(since=since)
        .filter(total_zero_results__gt=0)
        .order_by("-total_zero_results", "query")
    )


def popular_queries(*, limit: int = 6, since: date | None = None) -> list[str]:
    """Frequent queries that found something: the suggestions on an empty result page."""
    return [
        row["query"]
        for row in frequent_queries(since=since).filter(last_result_count__gt=0)[:limit]
    ]
