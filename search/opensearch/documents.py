"""A live, public product as an index document: its texts by weight, its path and facet keys.

Only products that are live and under no view restriction are ever turned into documents
(`indexable_products`); the texts are read from the live page row, which holds the published
revision, never unpublished changes.
"""

from collections.abc import Iterable

from products.models import ProductPage
from search.documents import (  # noqa: F401 - indexable_products is used by search.opensearch.indexing
    WERKBLAD_FIELDS,
    indexable_products,
    relations,
    stream_text,
    strip_tags,
)


def build_document(page: ProductPage, related: dict[str, list]) -> dict:
    """The index document of one live product, given its relations (see `relations`)."""
    body = " ".join(
        [strip_tags(getattr(page, name) or "") for name in WERKBLAD_FIELDS]
        + [stream_text(page.aanpak)]
        + [title for _, title in related["lines"]]
        + [name for _, name in related["groups"]]
    )
    return {
        "page_id": page.pk,
        "path": page.path,
        "title": page.title,
        "summary": " ".join(filter(None, [page.summary, page.search_description])),
        "themes_text": " ".join(name for _, name in related["themes"]),
        "body": " ".join(body.split()),
        "published_at": page.first_published_at.isoformat() if page.first_published_at else None,
        "type": [f"type:{page.product_type}"],
        "status": [f"status:{page.lifecycle_status}"],
        "line": sorted({f"line:{pk}" for pk, _ in related["lines"]}),
        "group": sorted({f"group:{pk}" for pk, _ in related["groups"]}),
        "region": sorted({f"region:{pk}" for pk in related["regions"]}),
        "theme": sorted({f"theme:{pk}" for pk, _ in related["themes"]}),
    }


def documents_for(page_ids: Iterable[int]) -> list[dict]:
    """The documents of those of `page_ids` that are indexable, in id order (5 queries)."""
    pages = list(indexable_products().filter(pk__in=list(page_ids)).order_by("pk"))
    related = relations([page.pk for page in pages])
    return [build_document(page, related[page.pk]) for page in pages]
