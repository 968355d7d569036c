"""Fixtures for search tests: the product library, a helper that makes products live, and the
search contract's catalogue."""

import functools

from django.db import transaction

import pytest

from hubcms.testing.factories import ProductPageFactory, complete_product
from hubcms.testing.publishing import publish
from products.models import ProductLibraryPage


@pytest.fixture
def library(hub):
    return ProductLibraryPage.objects.get()


def make_library_product(
    library, *, live: bool = True, themes: tuple[str, ...] = (), target_groups=(), **fields
):
    """Create a product under the library; a complete one, published, unless live=False (then a
    draft as the factory leaves it). A live product without target groups gets "Gemeenten"."""
    if live:
        groups = {"target_groups": list(target_groups)} if target_groups else {}
        page = complete_product(parent=library, **groups, **fields)
    else:
        page = ProductPageFactory(parent=library, **fields)
        page.target_groups.add(*target_groups)
    if themes or target_groups:
        page.themes.add(*themes)
        page.save()
    return publish(page) if live else page


@pytest.fixture
def make_product(library):
    """`make_library_product` under the hub's product library."""
    return functools.partial(make_library_product, library)


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker):
    """The search contract's catalogue (search/tests/test_search_contract.py), live, built once per
    module inside a transaction that is rolled back after it."""
    from search.tests.test_search_contract import build_catalogue

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_catalogue()
        transaction.set_rollback(True)
