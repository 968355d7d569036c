"""How tests make content live: the same way the rule of DESIGN.md allows it.

Every test that needs live content calls `publish(page)` instead of creating pages with live=True,
so that the quality gate (content/quality) is honoured in tests too.
"""

from wagtail.models import Page


def publish(page: Page) -> Page:
    """Publish the page's latest content and return it refreshed from the database."""
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    return page.specific
