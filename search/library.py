"""The product library's search page: query, facets, sorting and pagination."""

from django.http import HttpRequest

from content.models import ProductLibraryPage, ProductPage


def library_page_context(request: HttpRequest, *, library: ProductLibraryPage) -> dict:
    """The context of the product library page for this request."""
    products = ProductPage.objects.child_of(library).live().public().order_by("title")
    return {"products": products}
