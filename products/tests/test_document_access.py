"""Drafts never show: the public downloads only documents that live, public pages offer."""

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model

import pytest

from hubcms.testing.factories import ProductPageFactory, complete_product
from hubcms.testing.publishing import publish
from products.models import ProductDownload, ProductLibraryPage

pytestmark = pytest.mark.django_db


def attach_manual(product, name: str):
    document = get_document_model().objects.create(
        title=name, file=ContentFile(b"Handleiding", name=f"{name}.txt")
    )
    product.downloads.add(ProductDownload(document=document, kind="handleiding"))
    product.save()
    return document


def test_a_draft_products_document_is_not_found_by_the_public(client, editor, hub):
    library = ProductLibraryPage.objects.get()
    draft = ProductPageFactory(parent=library, title="Conceptscan")
    secret = attach_manual(draft, "geheime-handleiding")
    assert client.get(secret.url).status_code == 404
    client.force_login(editor)  # an editor working on the draft can open it
    assert client.get(secret.url).status_code == 200


def test_a_live_products_document_is_served(client, hub):
    library = ProductLibraryPage.objects.get()
    product = complete_product(parent=library, title="Openbare scan", manual=None)
    manual = attach_manual(product, "openbare-handleiding")
    publish(product)
    response = client.get(manual.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
