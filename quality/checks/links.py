"""Checks that links lead somewhere: no links to unpublished or deleted pages or documents."""

import re

from wagtail.documents import get_document_model
from wagtail.models import Page

from quality.checks.registry import CheckResult, register_check
from quality.checks.text import rich_text_fields

_LINK = re.compile(r'<a\b[^>]*\blinktype="(page|document)"[^>]*>', re.IGNORECASE)
_ID = re.compile(r'\bid="(\d+)"')


def _linked_ids(html: str) -> list[tuple[str, int]]:
    links = []
    for match in _LINK.finditer(html or ""):
        found = _ID.search(match.group(0))
        if found:
            links.append((match.group(1).lower(), int(found.group(1))))
    return links


@register_check("links_gepubliceerd")
def links_resolve(page: Page) -> CheckResult:
    """No rich text link points to an unpublished or deleted page or document.

    Related products are not checked: the website shows only the live ones, and two products that
    refer to each other could otherwise never both be published.
    """
    fields = rich_text_fields(page)
    page_links: dict[int, tuple[str, str]] = {}
    document_links: dict[int, tuple[str, str]] = {}
    for field_name, label, html in fields:
        for kind, target_id in _linked_ids(html):
            target = page_links if kind == "page" else document_links
            target.setdefault(target_id, (field_name, label))
    live_pages = set(Page.objects.filter(pk__in=page_links, live=True).values_list("pk", flat=True))
    for target_id, (field_name, label) in page_links.items():
        if target_id not in live_pages:
            return CheckResult(
                False,
                f"'{label}' linkt naar een pagina die niet (meer) gepubliceerd is; verwijder of "
                "vervang de link.",
                field_name,
            )
    existing = set(
        get_document_model().objects.filter(pk__in=document_links).values_list("pk", flat=True)
    )
    for target_id, (field_name, label) in document_links.items():
        if target_id not in existing:
            return CheckResult(
                False,
                f"'{label}' linkt naar een document dat niet meer bestaat; verwijder of vervang "
                "de link.",
                field_name,
            )
    return CheckResult(
        True, "Alle links wijzen naar gepubliceerde pagina's en bestaande documenten."
    )
