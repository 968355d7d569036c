"""Accessibility checks: alternative text of images and the order of headings."""

import re

from wagtail.models import Page

from quality.checks.registry import CheckResult, register_check
from quality.checks.text import plain_text, rich_text_fields

ALT_TEXT_MAX_LENGTH = 125
_HEADING = re.compile(r"<h([1-6])[^>]*>(.*?)</h\1>", re.IGNORECASE | re.DOTALL)


@register_check("alt_tekst")
def images_have_alt_text(page: Page) -> CheckResult:
    """Every image has alt text of at most 125 characters, or is marked decorative."""
    for number, item in enumerate(page.images.all(), start=1):
        if item.decorative:
            continue
        alt = (item.alt_text or "").strip()
        if not alt:
            return CheckResult(
                False,
                f"Afbeelding {number} heeft geen alternatieve tekst: beschrijf haar of vink "
                "'decoratief' aan (tabblad Inhoud, Afbeeldingen).",
                "images",
            )
        if len(alt) > ALT_TEXT_MAX_LENGTH:
            return CheckResult(
                False,
                f"De alternatieve tekst van afbeelding {number} is {len(alt)} tekens; maak haar "
                f"hoogstens {ALT_TEXT_MAX_LENGTH} tekens (tabblad Inhoud, Afbeeldingen).",
                "images",
            )
    return CheckResult(
        True, "Elke afbeelding heeft een alternatieve tekst of is decoratief.", "images"
    )


def heading_problem(html: str) -> str | None:
    """A Dutch description of the first heading problem in `html`, or None.

    The page title is the h1, so the first heading in a text is an h2 and each next heading is
    at most one level deeper than the one before it.
    """
    previous = 1
    for match in _HEADING.finditer(html or ""):
        level, text = int(match.group(1)), plain_text(match.group(2))
        if not text:
            return f"er staat een lege kop (h{level})"
        if level > previous + 1:
            return f"de kop '{text}' (h{level}) slaat een niveau over na h{previous}"
        previous = level
    return None


@register_check("koppen")
def headings_in_order(page: Page) -> CheckResult:
    """Headings in rich text skip no level and are not empty."""
    for field_name, label, html in rich_text_fields(page):
        problem = heading_problem(html)
        if problem:
            return CheckResult(False, f"In '{label}' {problem}. Pas de koppen aan.", field_name)
    return CheckResult(True, "De koppen slaan geen niveau over en zijn niet leeg.")
