"""Reads for the public website: what a page shows, fetched in a bounded number of queries."""

from django.http import HttpRequest

from content.models import ProductPage


def product_page_context(page: ProductPage, *, request: HttpRequest | None = None) -> dict:
    """Everything a product page shows beyond its own fields."""
    return {
        "downloads": list(page.downloads.select_related("document")),
        "development_lines": list(page.development_lines.live().public()),
        "related": [
            link.related
            for link in page.related_products.select_related("related")
            if link.related.live
        ],
    }
