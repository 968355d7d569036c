"""Fixtures for search tests: the product library and a helper that makes products live."""

import pytest

from hubcms.testing.factories import ProductPageFactory
from hubcms.testing.publishing import publish
from products.models import ProductLibraryPage


@pytest.fixture
def library(hub):
    return ProductLibraryPage.objects.get()


@pytest.fixture
def make_product(library):
    """Create a product under the library; publish it unless live=False."""

    def make(*, live: bool = True, themes: tuple[str, ...] = (), target_groups=(), **fields):
        page = ProductPageFactory(parent=library, **fields)
        if themes or target_groups:
            for theme in themes:
                page.themes.add(theme)
            for group in target_groups:
                page.target_groups.add(group)
            page.save()
        return publish(page) if live else page

    return make
