"""Keeping the product index in step with the live product library.

A product enters the index when it is published, leaves it when it is unpublished or deleted, and
`rebuild_product_index` rebuilds everything (used by `manage.py update_index`). Only live content is
ever read: a live page's row holds its published revision, never its unpublished changes.
"""

from collections.abc import Callable
from typing import Any

from products.models import ProductPage
from search import documents
from search.analysis import fold, stemmed_text
from search.facets import index_keys
from search.models import ProductSearchDocument

CHUNK_SIZE = 500


def build_document(page: ProductPage, relations: dict[str, list[Any]]) -> ProductSearchDocument:
    """The index entry for one live product, given its relations (see `search.documents.relations`)."""
    body = " ".join(
        [documents.strip_tags(getattr(page, name) or "") for name in documents.WERKBLAD_FIELDS]
        + [documents.stream_text(page.aanpak)]
        + [title for _, title in relations["lines"]]
        + [name for _, name in relations["groups"]]
    )
    summary = [page.summary or "", page.search_description or ""]
    return ProductSearchDocument(
        page_id=page.pk,
        title=page.title,
        title_sort=fold(page.title)[:255],
        stemmed_title=stemmed_text(page.title),
        stemmed_summary=stemmed_text(" ".join(summary + [n for _, n in relations["themes"]])),
        stemmed_body=stemmed_text(body),
        published_at=page.first_published_at,
        facet_keys=[key for keys in index_keys(page, relations).values() for key in keys],
    )


def _save_documents(documents: list[ProductSearchDocument]) -> None:
    ProductSearchDocument.objects.bulk_create(
        documents,
        update_conflicts=True,
        unique_fields=["page"],
        update_fields=[
            f.name for f in ProductSearchDocument._meta.concrete_fields if f.name != "page"
        ],
    )


def index_product(*, page_id: int) -> bool:
    """Bring one product's entry up to date; return whether it is in the index afterwards."""
    page = documents.indexable_products().filter(pk=page_id).first()
    if page is None:
        remove_product(page_id=page_id)
        return False
    _save_documents([build_document(page, documents.relations([page.pk])[page.pk])])
    return True


def remove_product(*, page_id: int) -> None:
    """Take a product out of the index (unpublished or deleted)."""
    ProductSearchDocument.objects.filter(page_id=page_id).delete()


def rebuild_product_index(*, progress: Callable[[int], object] | None = None) -> int:
    """Re-index every live, public product and drop stale entries; return the number indexed."""
    ids = list(documents.indexable_products().order_by("pk").values_list("pk", flat=True))
    indexed = 0
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start : start + CHUNK_SIZE]
        pages = list(documents.indexable_products().filter(pk__in=chunk).order_by("pk"))
        relations = documents.relations([page.pk for page in pages])
        _save_documents([build_document(page, relations[page.pk]) for page in pages])
        indexed += len(pages)
        if progress:
            progress(len(pages))
    ProductSearchDocument.objects.exclude(
        page_id__in=documents.indexable_products().values("pk")
    ).delete()
    return indexed
