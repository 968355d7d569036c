"""Keeping the product index in step with the live product library.

A product enters the index when it is published, leaves it when it is unpublished or deleted, and
`rebuild_product_index` rebuilds everything (used by `manage.py update_index`). Only live content is
ever read: a live page's row holds its published revision, never its unpublished changes.
An entry also holds the tokens of the synonym phrases its product contains; a changed synonym
list brings them up to date (`refresh_phrases`).
"""

from collections.abc import Callable
from typing import Any

from search import documents
from search.analysis import fold, stemmed_text
from search.facets import index_keys
from search.models import ProductSearchDocument
from search.query import load_synonyms, phrases_in, synonym_phrases

CHUNK_SIZE = 500


def build_document(
    row: dict[str, Any], related: dict[str, list[Any]], phrases: list[tuple[str, ...]]
) -> ProductSearchDocument:
    """The index entry for one live product, given its columns (`search.documents.COLUMNS`), its
    relations (`search.documents.relations`) and the synonym list's phrases (`current_phrases`)."""
    summary = [row["summary"] or "", row["search_description"] or ""]
    stemmed = [
        stemmed_text(row["title"]),
        stemmed_text(" ".join(summary + [name for _, name in related["themes"]])),
        stemmed_text(documents.body_text(row, related)),
    ]
    return ProductSearchDocument(
        page_id=row["pk"],
        title=row["title"],
        title_sort=fold(row["title"])[:255],
        stemmed_title=stemmed[0],
        stemmed_summary=stemmed[1],
        stemmed_body=stemmed[2],
        stemmed_phrases=phrases_in(stemmed, phrases),
        published_at=row["first_published_at"],
        facet_keys=[key for keys in index_keys(row, related).values() for key in keys],
    )


def current_phrases() -> list[tuple[str, ...]]:
    """The phrases of the synonym list as it is now (see `search.query.synonym_phrases`)."""
    return synonym_phrases(load_synonyms())


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
    rows = documents.product_rows([page_id])
    if not rows:
        remove_product(page_id=page_id)
        return False
    relations = documents.relations([page_id])[page_id]
    _save_documents([build_document(rows[0], relations, current_phrases())])
    return True


def remove_product(*, page_id: int) -> None:
    """Take a product out of the index (unpublished or deleted)."""
    ProductSearchDocument.objects.filter(page_id=page_id).delete()


def rebuild_product_index(*, progress: Callable[[int], object] | None = None) -> int:
    """Re-index every live, public product and drop stale entries; return the number indexed."""
    ids = list(documents.indexable_products().order_by("pk").values_list("pk", flat=True))
    phrases = current_phrases()
    indexed = 0
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start : start + CHUNK_SIZE]
        rows = documents.product_rows(chunk)
        relations = documents.relations([row["pk"] for row in rows])
        _save_documents([build_document(row, relations[row["pk"]], phrases) for row in rows])
        indexed += len(rows)
        if progress:
            progress(len(rows))
    ProductSearchDocument.objects.exclude(
        page_id__in=documents.indexable_products().values("pk")
    ).delete()
    return indexed


def refresh_phrases() -> int:
    """Bring every entry's synonym phrase tokens up to date with the synonym list (after a
    change to it); returns the number of entries changed. Reads the stems, writes only changes."""
    phrases = current_phrases()
    fields = ("stemmed_title", "stemmed_summary", "stemmed_body", "stemmed_phrases")
    changed = []
    for entry in ProductSearchDocument.objects.only(*fields).iterator(chunk_size=CHUNK_SIZE):
        tokens = phrases_in(
            [entry.stemmed_title, entry.stemmed_summary, entry.stemmed_body], phrases
        )
        if tokens != entry.stemmed_phrases:
            entry.stemmed_phrases = tokens
            changed.append(entry)
    ProductSearchDocument.objects.bulk_update(changed, ["stemmed_phrases"], batch_size=CHUNK_SIZE)
    return len(changed)
