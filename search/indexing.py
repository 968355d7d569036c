"""Keeping the product index in step with the live product library.

A product enters the index when it is published, leaves it when it is unpublished or deleted, and
`rebuild_product_index` rebuilds everything (used by `manage.py update_index`). Only live content is
ever read: a live page's row holds its published revision, never its unpublished changes.
"""

import html
import re
from collections.abc import Callable, Iterable, Iterator

from django.db import connection, transaction

from content.models import ProductPage
from search.analysis import analyze, fold
from search.models import ProductSearchDocument
from search.query import phrase_tokens, synonym_phrases

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
# PostgreSQL: the index table and the narrow tables its triggers keep (migration hubsearch.0006).
POSTGRES_SEARCH_TABLES = [
    "hubsearch_productsearchdocument",
    "hubsearch_match",
    "hubsearch_rank",
    "hubsearch_summary",
]
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


def _stemmed(text: str, phrases: set[tuple[str, ...]]) -> str:
    """The stems of a text, followed by the phrase token of every synonym phrase it holds."""
    stems = analyze(text)
    return " ".join(stems + phrase_tokens(stems, phrases))


def build_document(
    page: ProductPage,
    relations: dict[str, list],
    phrases: set[tuple[str, ...]] | None = None,
) -> ProductSearchDocument:
    """The index entry for one live product, given its relations (see `_relations`).

    `phrases` are the multi-word synonyms (see `search.query.synonym_phrases`); each occurrence
    adds its phrase token, which is how PostgreSQL finds a phrase without reading positions.
    """
    phrases = phrases or set()
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
        stemmed_title=_stemmed(page.title, phrases),
        stemmed_summary=_stemmed(" ".join(summary + [n for _, n in relations["themes"]]), phrases),
        stemmed_body=_stemmed(body, phrases),
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
    _save_documents([build_document(page, _relations([page.pk])[page.pk], synonym_phrases())])
    return True


def remove_product(*, page_id: int) -> None:
    """Take a product out of the index (unpublished or deleted)."""
    ProductSearchDocument.objects.filter(page_id=page_id).delete()


def _chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _save_batch(batch: list[ProductSearchDocument]) -> int:
    with transaction.atomic():
        _save_documents(batch)
    return len(batch)


def _saved_by_a_writer_thread(batches: Iterable[list[ProductSearchDocument]]) -> Iterator[int]:
    """Save each batch from a second thread while the next is analysed; yield each one's size.

    One batch is in flight at a time, so memory stays bounded. The writer uses (and at the end
    closes) a connection of its own.
    """
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="hubsearch-index") as writer:
        pending = None
        try:
            for batch in batches:
                if pending is not None:
                    yield pending.result()
                pending = writer.submit(_save_batch, batch)
            if pending is not None:
                yield pending.result()
        finally:
            writer.submit(connections.close_all).result()


def rebuild_product_index(*, progress: Callable[[int], None] | None = None) -> int:
    """Re-index every live, public product and drop stale entries; return the number indexed.

    On PostgreSQL, outside a transaction, a second thread writes each chunk (on its own
    connection) while the next one is analysed: the stemming in Python and the index triggers
    in PostgreSQL then run side by side instead of in turn. In a transaction (as in tests)
    another connection would not see its pages: the chunks are saved in turn.
    """
    ids = list(_indexable_products().order_by("pk").values_list("pk", flat=True))
    phrases = synonym_phrases()

    def documents(chunk: list[int]) -> list[ProductSearchDocument]:
        pages = list(_indexable_products().filter(pk__in=chunk).order_by("pk"))
        relations = _relations([page.pk for page in pages])
        return [build_document(page, relations[page.pk], phrases) for page in pages]

    batches = (documents(chunk) for chunk in _chunks(ids, CHUNK_SIZE))
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        saved = _saved_by_a_writer_thread(batches)
    else:
        saved = map(_save_batch, batches)
    indexed = 0
    for size in saved:
        indexed += size
        if progress:
            progress(size)
    stale = ProductSearchDocument.objects.exclude(page_id__in=_indexable_products().values("pk"))
    stale.delete()
    if connection.vendor == "postgresql":
        # Fresh statistics, so the planner uses the GIN indexes right after a bulk rebuild, and
        # the GIN indexes' pending lists merged now: a bulk rebuild queues its entries there,
        # and every search would scan them until autovacuum gets round to it. Outside a
        # transaction, VACUUM also clears the old row versions the rebuild left (one per
        # product and table), which the GIN indexes would otherwise keep pointing to.
        with connection.cursor() as cursor:
            for table in POSTGRES_SEARCH_TABLES:
                if connection.in_atomic_block:
                    cursor.execute(f"ANALYZE {table}")
                else:
                    cursor.execute(f"VACUUM (ANALYZE) {table}")
            cursor.execute(
                "SELECT gin_clean_pending_list(indexrelid::regclass) FROM pg_index "
                "JOIN pg_class ON pg_class.oid = pg_index.indexrelid "
                "JOIN pg_am ON pg_am.oid = pg_class.relam "
                "WHERE pg_am.amname = 'gin' AND indrelid::regclass::text = ANY(%s)",
                [POSTGRES_SEARCH_TABLES],
            )
    return indexed
