"""A live, public product as an index document: its texts by weight, its path and facet keys.

Only products that are live and under no view restriction are ever turned into documents
(`indexable_products`); the texts are read from the live page row, which holds the published
revision, never unpublished changes. Rows are read as plain values, not page objects: building a
Wagtail page object costs more than the whole document (a full rebuild reads every product).
"""

from collections.abc import Iterable
from typing import Any

from search.documents import WERKBLAD_FIELDS, indexable_products, relations, stream_text, strip_tags
from search.facets import index_keys

# The page columns a document is built from.
COLUMNS = (
    "pk",
    "path",
    "title",
    "summary",
    "search_description",
    "first_published_at",
    "product_type",
    "lifecycle_status",
    "aanpak",
    *WERKBLAD_FIELDS,
)


def build_document(row: dict[str, Any], related: dict[str, list[Any]]) -> dict[str, Any]:
    """The index document of one live product, given its columns (`COLUMNS`) and its relations
    (see `relations`)."""
    body = " ".join(
        [strip_tags(row[name] or "") for name in WERKBLAD_FIELDS]
        + [stream_text(row["aanpak"])]
        + [title for _, title in related["lines"]]
        + [name for _, name in related["groups"]]
    )
    published = row["first_published_at"]
    return {
        "page_id": row["pk"],
        "path": row["path"],
        "title": row["title"],
        "summary": " ".join(filter(None, [row["summary"], row["search_description"]])),
        "themes_text": " ".join(name for _, name in related["themes"]),
        "body": " ".join(body.split()),
        "published_at": published.isoformat() if published else None,
        **index_keys(row, related),
    }


def documents_for(page_ids: Iterable[int]) -> list[dict[str, Any]]:
    """The documents of those of `page_ids` that are indexable, in id order (5 queries)."""
    rows = list(indexable_products().filter(pk__in=list(page_ids)).order_by("pk").values(*COLUMNS))
    related = relations([row["pk"] for row in rows])
    return [build_document(row, related[row["pk"]]) for row in rows]
