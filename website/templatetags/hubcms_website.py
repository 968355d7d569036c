"""Template tags of the public website: main menu, breadcrumbs and small formatting helpers."""

from django import template
from django.template.defaultfilters import filesizeformat

from wagtail.models import Page

from products.selectors import quarter_label, site_navigation

register = template.Library()


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
