"""A live, public product as an OpenSearch document: its texts by weight, its path and facet
keys (the rows and texts come from `search.documents`)."""

from collections.abc import Iterable
from typing import Any

from search.documents import body_text, product_rows, relations
from search.facets import index_keys


def build_document(row: dict[str, Any], related: dict[str, list[Any]]) -> dict[str, Any]:
    """The index document of one live product, given its columns (`search.documents.COLUMNS`)
    and its relations (`search.documents.relations`)."""
    published = row["first_published_at"]
    return {
        "page_id": row["pk"],
        "path": row["path"],
        "title": row["title"],
        "summary": " ".join(filter(None, [row["summary"], row["search_description"]])),
        "themes_text": " ".join(name for _, name in related["themes"]),
        "body": " ".join(body_text(row, related).split()),
        "published_at": published.isoformat() if published else None,
        **index_keys(row, related),
    }


def documents_for(page_ids: Iterable[int]) -> list[dict[str, Any]]:
    """The documents of those of `page_ids` that are indexable, in id order (5 queries)."""
    rows = product_rows(page_ids)
    related = relations([row["pk"] for row in rows])
    return [build_document(row, related[row["pk"]]) for row in rows]
