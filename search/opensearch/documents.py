"""A live, public product as an index document: its texts by weight, its path and facet keys.

Only products that are live and under no view restriction are ever turned into documents
(`indexable_products`); the texts are read from the live page row, which holds the published
revision, never unpublished changes.
"""

import html
import re
from collections.abc import Iterable

from content.models import ProductPage

# The werkblad: the sections of the intervention description, besides the summary.
WERKBLAD_FIELDS = [
    "aanleiding",
    "doel",
    "doelgroep",
    "randvoorwaarden",
    "uitvoering",
    "onderbouwing",
    "resultaten",
    "overdraagbaarheid",
]
TAG = re.compile(r"<[^>]*>")


def strip_tags(markup: str) -> str:
    """Text of rich-text HTML: tags become spaces, entities are decoded."""
    return html.unescape(TAG.sub(" ", markup))


def stream_text(value) -> str:
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


def indexable_products():
    """The products search may show: live and outside every view restriction."""
    return ProductPage.objects.live().public()


def relations(page_ids: list[int]) -> dict[int, dict[str, list]]:
    """Each product's development lines, target groups, regions and themes: four queries."""
    from content.models import ProductPageTag

    found: dict[int, dict[str, list]] = {
        pk: {"lines": [], "groups": [], "regions": [], "themes": []} for pk in page_ids
    }
    lines = ProductPage.development_lines.through.objects.filter(productpage_id__in=page_ids)
    for page_id, pk, title in lines.values_list(
        "productpage_id", "developmentlinepage_id", "developmentlinepage__title"
    ):
        found[page_id]["lines"].append((pk, title))
    groups = ProductPage.target_groups.through.objects.filter(productpage_id__in=page_ids)
    for page_id, pk, name in groups.values_list(
        "productpage_id", "targetgroup_id", "targetgroup__name"
    ):
        found[page_id]["groups"].append((pk, name))
    regions = ProductPage.regions.through.objects.filter(productpage_id__in=page_ids)
    for page_id, pk in regions.values_list("productpage_id", "region_id"):
        found[page_id]["regions"].append(pk)
    themes = ProductPageTag.objects.filter(content_object_id__in=page_ids)
    for page_id, pk, name in themes.values_list("content_object_id", "tag_id", "tag__name"):
        found[page_id]["themes"].append((pk, name))
    return found


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
