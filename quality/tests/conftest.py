"""Fixtures for the quality tests: a complete product that meets every blocking criterion."""

import datetime

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from wagtail.documents import get_document_model

import pytest

from conftest import make_user
from core import roles
from hubcms.testing.factories import (
    DevelopmentLinePageFactory,
    ProductPageFactory,
    TargetGroupFactory,
)
from products.models import DevelopmentLineIndexPage, ProductDownload, ProductLibraryPage


@pytest.fixture
def library(hub):
    return ProductLibraryPage.objects.get()


@pytest.fixture
def line(hub):
    index = DevelopmentLineIndexPage.objects.get()
    return DevelopmentLinePageFactory(parent=index, title="Arbeidsmarktfunctionaliteiten")


@pytest.fixture
def coordinator2(hub):
    return make_user("coordinator2", roles.COORDINATOR)


@pytest.fixture
def editor_reviewer(hub):
    """A user who is both editor and Kwaliteitsbewaker: may never judge their own revision."""
    user = make_user("redacteur_en_kwaliteit", roles.EDITOR)
    user.groups.add(Group.objects.get(name=roles.REVIEWER))
    return user


def make_complete_product(library, line, editor, **fields):
    """A draft product that meets every blocking automatic criterion, saved as a revision by editor."""
    fields = {"product_owner": editor, "owner": editor, **fields}
    product = ProductPageFactory(parent=library, **fields)
    product.development_lines.add(line)
    product.target_groups.add(TargetGroupFactory(name="Gemeenten"))
    document = get_document_model().objects.create(
        title="Handleiding", file=ContentFile(b"Handleiding", name="handleiding.txt")
    )
    product.downloads.add(ProductDownload(document=document, kind="handleiding"))
    product.next_review_date = datetime.date.today() + datetime.timedelta(days=200)
    product.save()
    product.save_revision(user=editor)
    return product


@pytest.fixture
def product(library, line, editor):
    return make_complete_product(library, line, editor)
