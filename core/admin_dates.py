"""Date and time fields in every admin form: only moments the hub can store and read back.

A moment in year 1 (a slip in the date picker) overflowed Python's datetime when it was turned
into UTC on SQLite (a 500), and on PostgreSQL it would be stored as a year Python cannot read
back. Wagtail builds its admin forms' fields through one registry; this module adds a check to
its date-time fields (pages' go-live and expiry, knowledge signals' received moment, …).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models

from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import AdminDateTimeInput

EARLIEST_YEAR = 1900
LATEST_YEAR = 9998


def within_the_hubs_years(value: datetime.datetime | None) -> None:
    """Refuse a moment before EARLIEST_YEAR or after LATEST_YEAR, in Dutch."""
    if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            f"Kies een datum tussen {EARLIEST_YEAR} en {LATEST_YEAR}.", code="out_of_range"
        )


def register() -> None:
    """Wagtail's own override for date-time fields (its widget), with the check added."""
    register_form_field_override(
        models.DateTimeField,
        override={"widget": AdminDateTimeInput, "validators": [within_the_hubs_years]},
    )
