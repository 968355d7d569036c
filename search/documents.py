"""The texts and relations of a live, public product, as every search index reads them.

The database index (`search.indexing`) and the OpenSearch index (`search.opensearch.documents`)
both build their documents from these; only live products outside every view restriction are read.
They are read as rows of the live page's columns, which hold the published revision (never
unpublished changes), not as page objects: building a Wagtail page object costs more than a
whole document, and a full rebuild reads every product.
"""

import html
import re
from collections.abc import Iterable
from typing import Any

from wagtail.query import PageQuerySet

from products.choices import WERKBLAD_SECTIONS
from products.models import ProductPage, ProductPageTag

# The werkblad's rich-text sections, in werkblad order; the aanpak steps are a StreamField
# (`stream_text`).
WERKBLAD_FIELDS = [name for name, _ in WERKBLAD_SECTIONS if name != "aanpak"]
TAG = re.compile(r"<[^>]*>")
# The page columns an index entry is built from.
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


def strip_tags(markup: str) -> str:
    """Text of rich-text HTML: tags become spaces, entities are decoded."""
    return html.unescape(TAG.sub(" ", markup))


def stream_text(value: object) -> str:
    """All text in a StreamField's raw data (the aanpak steps), tags stripped."""
    parts: list[str] = []

    def walk(node: object) -> None:
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


def indexable_products() -> PageQuerySet:
    """The products search may show: live and outside every view restriction."""
    return ProductPage.objects.live().public()


def product_rows(page_ids: Iterable[int]) -> list[dict[str, Any]]:
    """The columns (`COLUMNS`) of those of `page_ids` that are indexable, in id order."""
    return list(indexable_products().filter(pk__in=list(page_ids)).order_by("pk").values(*COLUMNS))


def body_text(row: dict[str, Any], related: dict[str, list[Any]]) -> str:
    """What a product holds besides its title, summary and themes: the werkblad's sections, the
    aanpak steps, and the names of its development lines and target groups."""
    return " ".join(
        [strip_tags(row[name] or "") for name in WERKBLAD_FIELDS]
        + [stream_text(row["aanpak"])]
        + [title for _, title in related["lines"]]
        + [name for _, name in related["groups"]]
    )


def relations(page_ids: list[int]) -> dict[int, dict[str, list[Any]]]:
    """Each product's development lines, target groups, regions and themes: four queries."""

    found: dict[int, dict[str, list[Any]]] = {
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
