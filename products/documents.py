"""Which documents the public may download: only those a live, public page offers."""

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest

from wagtail.documents.models import AbstractDocument
from wagtail.models import Page, ReferenceIndex

from products.models import ProductPage


def document_is_public(document: AbstractDocument) -> bool:
    """True when a live, public product offers it as a download or a live, public page links it."""
    if ProductPage.objects.live().public().filter(downloads__document=document).exists():
        return True
    source_page_ids = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(document),
        to_object_id=str(document.pk),
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values_list("object_id", flat=True)
    return (
        Page.objects.live()
        .public()
        .filter(pk__in=[int(pk) for pk in source_page_ids if str(pk).isdigit()])
        .exists()
    )


def may_download(document: AbstractDocument, request: HttpRequest) -> bool:
    """Admin users may download every document; the public only what live, public pages offer."""
    user = request.user
    if user.is_authenticated and user.has_perm("wagtailadmin.access_admin"):
        return True
    return document_is_public(document)
