"""Keeping the product index in step with the live product library.

A product enters the index when it is published, leaves it when it is unpublished or deleted, and
`rebuild_product_index` rebuilds everything (used by `manage.py update_index`). Only live content is
ever read: a live page's row holds its published revision, never its unpublished changes.
"""

import html
import re
from collections.abc import Callable

from content.models import ProductPage
from search.analysis import fold, stemmed_text
from search.models import ProductSearchDocument

BODY_FIELDS = [
    "aanleiding",
    "doel",
    "doelgroep",
    "randvoorwaarden",
    "uitvoering",
    "onderbouwing",
    "resultaten",
    "overdraagbaarheid",
]
CHUNK_SIZE = 500
TAG = re.compile(r"<[^>]*>")


def strip_tags(markup: str) -> str:
    """Text of rich-text HTML: tags become spaces, entities are decoded (fast enough for bulk)."""
    return html.unescape(TAG.sub(" ", markup))


UPDATE_FIELDS = [
    "title",
    "title_sort",
    "stemmed_title",
    "stemmed_summary",
    "stemmed_body",
    "published_at",
    "facet_keys",
    "indexed_at",
]


def _stream_text(value) -> str:
    """All text in a StreamField's raw data (the aanpak steps), tags stripped."""
    parts: list[str] = []

    def walk(node) -> None:
        if isinstance(node, str):
            parts.append(strip_tags(node))
        elif isinstance(node, dict):
            for key, item in node.items():
                if key not in ("type", "id"):
                    walk(item)
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)

    walk(list(getattr(value, "raw_data", []) or []))
    return " ".join(parts)


def _indexable_products():
    return ProductPage.objects.live().public()


def _relations(page_ids: list[int]) -> dict[int, dict[str, list]]:
    """What the index needs of each product's relations: four queries for a whole chunk."""
    from content.models import ProductPageTag

    relations: dict[int, dict[str, list]] = {
        pk: {"lines": [], "groups": [], "regions": [], "themes": []} for pk in page_ids
    }
    lines = ProductPage.development_lines.through.objects.filter(productpage_id__in=page_ids)
    for page_id, pk, title in lines.values_list(
        "productpage_id", "developmentlinepage_id", "developmentlinepage__title"
    ):
        relations[page_id]["lines"].append((pk, title))
    groups = ProductPage.target_groups.through.objects.filter(productpage_id__in=page_ids)
    for page_id, pk, name in groups.values_list(
        "productpage_id", "targetgroup_id", "targetgroup__name"
    ):
        relations[page_id]["groups"].append((pk, name))
    regions = ProductPage.regions.through.objects.filter(productpage_id__in=page_ids)
    for page_id, pk in regions.values_list("productpage_id", "region_id"):
        relations[page_id]["regions"].append(pk)
    themes = ProductPageTag.objects.filter(content_object_id__in=page_ids)
    for page_id, pk, name in themes.values_list("content_object_id", "tag_id", "tag__name"):
        relations[page_id]["themes"].append((pk, name))
    return relations


def build_document(page: ProductPage, relations: dict[str, list]) -> ProductSearchDocument:
    """The index entry for one live product, given its relations (see `_relations`)."""
    body = " ".join(
        [strip_tags(getattr(page, name) or "") for name in BODY_FIELDS]
        + [_stream_text(page.aanpak)]
        + [title for _, title in relations["lines"]]
        + [name for _, name in relations["groups"]]
    )
    facet_keys = [f"type:{page.product_type}", f"status:{page.lifecycle_status}"]
    facet_keys += [f"line:{pk}" for pk, _ in relations["lines"]]
    facet_keys += [f"group:{pk}" for pk, _ in relations["groups"]]
    facet_keys += [f"region:{pk}" for pk in relations["regions"]]
    facet_keys += [f"theme:{pk}" for pk, _ in relations["themes"]]
    summary = [page.summary or "", page.search_description or ""]
    return ProductSearchDocument(
        page_id=page.pk,
        title=page.title,
        title_sort=fold(page.title)[:255],
        stemmed_title=stemmed_text(page.title),
        stemmed_summary=stemmed_text(" ".join(summary + [n for _, n in relations["themes"]])),
        stemmed_body=stemmed_text(body),
        published_at=page.first_published_at,
        facet_keys=list(dict.fromkeys(facet_keys)),
    )


def _save_documents(documents: list[ProductSearchDocument]) -> None:
    ProductSearchDocument.objects.bulk_create(
        documents,
        update_conflicts=True,
        unique_fields=["page"],
        update_fields=UPDATE_FIELDS,
    )


def index_product(*, page_id: int) -> bool:
    """Bring one product's entry up to date; return whether it is in the index afterwards."""
    page = _indexable_products().filter(pk=page_id).first()
    if page is None:
        ProductSearchDocument.objects.filter(page_id=page_id).delete()
        return False
    _save_documents([build_document(page, _relations([page.pk])[page.pk])])
    return True


def remove_product(*, page_id: int) -> None:
    """Take a product out of the index (unpublished or deleted)."""
    ProductSearchDocument.objects.filter(page_id=page_id).delete()


def rebuild_product_index(*, progress: Callable[[int], None] | None = None) -> int:
    """Re-index every live, public product and drop stale entries; return the number indexed."""
    ids = list(_indexable_products().order_by("pk").values_list("pk", flat=True))
    indexed = 0
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start : start + CHUNK_SIZE]
        pages = list(_indexable_products().filter(pk__in=chunk).order_by("pk"))
        relations = _relations([page.pk for page in pages])
        _save_documents([build_document(page, relations[page.pk]) for page in pages])
        indexed += len(pages)
        if progress:
            progress(len(pages))
    ProductSearchDocument.objects.exclude(page_id__in=_indexable_products().values("pk")).delete()
    return indexed
