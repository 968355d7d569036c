"""Checks added to the fields of every admin form that Wagtail builds (pages and snippets).

Wagtail builds its admin forms' fields through one registry (`register_form_field_override`);
its own entries for date-time fields and tags are repeated here with a check added:
- a moment must lie between 1900 and 9998: a moment in year 1 (a slip in the date picker)
  overflowed Python's datetime when it was turned into UTC on SQLite (a 500), and PostgreSQL
  would store a year Python cannot read back;
- a page holds at most MAX_TAGS themes: 5,000 comma-separated themes took 26 seconds to save,
  and 40,000 kept a worker busy for more than a quarter of an hour.
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import models

from taggit.managers import TaggableManager
from taggit.utils import parse_tags
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.forms.tags import TagField
from wagtail.admin.widgets import AdminDateTimeInput

EARLIEST_YEAR = 1900
LATEST_YEAR = 9998
MAX_TAGS = 30


def within_the_hubs_years(value: datetime.datetime | None) -> None:
    """Refuse a moment before EARLIEST_YEAR or after LATEST_YEAR, in Dutch."""
    if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            f"Kies een datum tussen {EARLIEST_YEAR} en {LATEST_YEAR}.", code="out_of_range"
        )


def at_most_max_tags(value: str | Sequence[str]) -> None:
    """Refuse more than MAX_TAGS themes, in Dutch. Taggit's field checks the text as typed
    ('"beschut werk", jobcoaching'), before it splits it into tags."""
    tags = parse_tags(value) if isinstance(value, str) else value
    if len(tags) > MAX_TAGS:
        raise ValidationError(
            f"Geef hoogstens {MAX_TAGS} thema's op; dit zijn er {len(tags)}.", code="too_many"
        )


def register() -> None:
    """Wagtail's own overrides for date-time fields and tags, each with its check added."""
    register_form_field_override(
        models.DateTimeField,
        override={"widget": AdminDateTimeInput, "validators": [within_the_hubs_years]},
    )
    register_form_field_override(
        TaggableManager,
        override=lambda db_field: {
            "form_class": TagField,
            "tag_model": db_field.related_model,
            "validators": [at_most_max_tags],
        },
    )
