"""Listing columns for the Dutch admin that show values exactly.

Wagtail's ``DateColumn`` renders every value relative to now ("3 dagen geleden"), and a date in the
future comes out as "Zojuist" (``timesince`` of a negative interval is "0 minuten"). A certificate
valid until next year, a pilot starting in 2027 or a review due next spring must show as a date.
"""

import datetime

from django.utils import timezone

from wagtail.admin.ui.tables import Column


def shows_as_calendar_date(value: datetime.date, now: datetime.datetime | None = None) -> bool:
    """Whether a value is shown as a plain date (d-m-Y) rather than relative to now.

    A calendar date (a ``DateField``) is always exact; a moment (a ``DateTimeField``) is shown
    relative ("2 uur geleden") only when it lies in the past, where that helps.
    """
    if not isinstance(value, datetime.datetime):
        return True
    now = now or timezone.now()
    if timezone.is_naive(value) and timezone.is_aware(now):
        value = timezone.make_aware(value)
    return value > now


class ExactDateColumn(Column):
    """A date column: future moments and calendar dates as d-m-Y, past moments relative."""

    cell_template_name = "hubcms/tables/exact_date_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        value = context.get("value")
        context["as_date"] = bool(value) and shows_as_calendar_date(value)
        context["is_datetime"] = isinstance(value, datetime.datetime)
        return context


class YesNoColumn(Column):
    """A boolean column shown as 'Ja' or 'Nee' instead of Python's True/False."""

    def get_value(self, instance):
        value = super().get_value(instance)
        if value is None or value == "":
            return ""
        return "Ja" if value else "Nee"
