"""Template tags of the public website: main menu, breadcrumbs, the library's facet checkboxes
and small formatting helpers."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from wagtail.models import Page

from products.selectors import quarter_label, site_navigation

if TYPE_CHECKING:
    from search.facets import Facet
    from search.services import FacetValue

register = template.Library()

CHECKBOX = (
    '<div class="utrecht-form-field utrecht-form-field--checkbox">'
    '<input class="utrecht-checkbox utrecht-checkbox--html-input" type="checkbox" id="f-{0}-{1}" '
    'name="{0}" value="{2}"{3}><label class="utrecht-form-label utrecht-form-label--checkbox" '
    'for="f-{0}-{1}">{4} <span class="hubsearch-count">({5}'
    '<span class="hubcms-visually-hidden"> {6}</span>)</span></label></div>'
)


@register.simple_tag(takes_context=True, name="site_navigation")
def site_navigation_tag(context) -> dict:
    """The main menu and footer links for this request (one query, cached on the request)."""
    request = context.get("request")
    if request is None:
        return {"items": [], "accessibility_statement_url": "/toegankelijkheid/"}
    return site_navigation(request=request)


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page: Page) -> dict:
    """The live ancestors of a page below the tree's root, then the page itself."""
    request = context.get("request")
    ancestors = []
    if page is not None and page.pk and page.depth > 2:
        ancestors = list(
            page.get_ancestors().filter(depth__gte=2).live().public().specific(defer=True)
        )
    return {"ancestors": ancestors, "page": page, "request": request}


@register.simple_tag
def facet_fieldsets(groups: Iterable[tuple["Facet", list["FacetValue"]]]) -> SafeString:
    """A fieldset of checkboxes per facet with values, each saying its count ("1 product",
    "2 producten"). Built here, not in a template: the library page shows about a hundred
    checkboxes, and the template language spent about 3.5 ms per page on them."""
    fieldsets = [
        format_html(
            '<fieldset class="utrecht-form-fieldset hubsearch-facet"><legend class="'
            'utrecht-form-fieldset__legend utrecht-heading-3">{}</legend>\n{}</fieldset>\n',
            facet.label,
            format_html_join(
                "\n",
                CHECKBOX,
                (
                    (
                        facet.parameter,
                        number,
                        value.value,
                        mark_safe(" checked") if value.selected else "",
                        value.label,
                        value.count,
                        "product" if value.count == 1 else "producten",
                    )
                    for number, value in enumerate(values, start=1)
                ),
            ),
        )
        for facet, values in groups
        if values
    ]
    return mark_safe("".join(fieldsets))


@register.filter
def quarter(value: str) -> str:
    """'2026-Q3' as '3e kwartaal 2026'."""
    return quarter_label(value)


@register.filter
def document_size(document) -> str:
    """The file size of a document in Dutch units, or '' when it is unknown."""
    size = getattr(document, "file_size", None)
    if not size:
        return ""
    return filesizeformat(size)
