"""Field validators with Dutch messages."""

import re

from django.core.exceptions import ValidationError

from products.choices import QUARTER_PATTERN

VERSION_PATTERN = re.compile(r"^\d+\.\d+(\.\d+)?$")


def validate_quarter(value: str) -> None:
    """A planned quarter is written as 2026-Q3."""
    if not QUARTER_PATTERN.match(value or ""):
        raise ValidationError(
            "Schrijf het kwartaal als jaar-kwartaal, bijvoorbeeld 2026-Q3.", code="invalid_quarter"
        )


def validate_version(value: str) -> None:
    """A product version is written as major.minor, e.g. 1.0 or 2.1."""
    if not VERSION_PATTERN.match(value or ""):
        raise ValidationError(
            "Schrijf de versie als hoofdversie.subversie, bijvoorbeeld 1.0 of 2.1.",
            code="invalid_version",
        )
