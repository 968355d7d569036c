"""Result cards: what a search result shows of a product, read in two statements.

A card holds the product's own fields and its development lines, target groups, themes and
regions as plain values. The search page and the product-library API both show cards; reading
them as plain rows (one statement for the products, one for all their relations) costs a
fraction of building page objects and prefetching four relations through the ORM.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import Truncator

from taggit.models import Tag
from wagtail.models import Page, Site

from products.choices import LifecycleStatus, ProductType
from products.models import ProductPage, ProductPageTag, Region, TargetGroup
from search.engines import outside_restrictions_sql

PRODUCT_TYPE_LABELS = dict(ProductType.choices)
LIFECYCLE_STATUS_LABELS = dict(LifecycleStatus.choices)
SUMMARY_EXCERPT = 300


@dataclass(frozen=True)
class LineReference:
    slug: str
    title: str


@dataclass(frozen=True)
class TargetGroupReference:
    slug: str
    name: str


@dataclass(frozen=True)
class RegionReference:
    code: str
    name: str
    central_municipality: str


@dataclass
class ProductCard:
    """One live product as a search result shows it; `url` and `full_url` as Wagtail gives them."""

    pk: int
    slug: str
    title: str
    summary: str
    product_type: str
    lifecycle_status: str
    version: str
    url_path: str
    first_published_at: datetime | None
    last_published_at: datetime | None
    url: str | None = None
    full_url: str | None = None
    development_lines: list[LineReference] = field(default_factory=list)
    target_groups: list[TargetGroupReference] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    regions: list[RegionReference] = field(default_factory=list)
    # The search engine's highlighted excerpt (field, safe HTML), set by search_products.
    snippet: tuple[str, str] | None = None

    @property
    def id(self) -> int:
        return self.pk

    @property
    def summary_excerpt(self) -> str:
        """The summary, cut at SUMMARY_EXCERPT characters (with an ellipsis) when longer."""
        if len(self.summary) <= SUMMARY_EXCERPT:
            return self.summary  # no need to walk the text
        if self.summary.isascii():  # no combining characters: Truncator's result, directly
            return self.summary[: SUMMARY_EXCERPT - 1] + "…"
        return Truncator(self.summary).chars(SUMMARY_EXCERPT)

    def get_product_type_display(self) -> str:
        return str(PRODUCT_TYPE_LABELS.get(self.product_type, self.product_type))

    def get_lifecycle_status_display(self) -> str:
        return str(LIFECYCLE_STATUS_LABELS.get(self.lifecycle_status, self.lifecycle_status))


def load_cards(
    ids: list[int], *, restricted_paths: list[str], request: HttpRequest | None = None
) -> dict[int, ProductCard]:
    """The cards of the live products among `ids`, by id.

    The ids were checked for visibility by the search; `live` guards against a page unpublished
    a moment ago. Development lines that are not live or lie under a view restriction
    (`restricted_paths`) are left off the card.
    """
    ids = [int(pk) for pk in ids]
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    page_table = Page._meta.db_table
    product_table = ProductPage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.id, p.slug, p.title, p.url_path, p.first_published_at, "
            f"p.last_published_at, pp.summary, pp.product_type, pp.lifecycle_status, pp.version "
            f"FROM {page_table} p JOIN {product_table} pp ON pp.page_ptr_id = p.id "
            f"WHERE p.id IN ({marks}) AND p.live",
            ids,
        )
        rows = cursor.fetchall()
        cards = {row[0]: _card(row) for row in rows}
        if not cards:
            return {}
        relation_sql, relation_params = _relations_sql(list(cards), restricted_paths)
        cursor.execute(relation_sql, relation_params)
        relations = cursor.fetchall()
    # In the order the ORM gave: lines by title, groups, themes and regions by name.
    for kind, product_id, first, second, third in sorted(relations, key=lambda r: (r[0], r[3])):
        card = cards[product_id]
        if kind == "line":
            card.development_lines.append(LineReference(slug=first, title=second))
        elif kind == "group":
            card.target_groups.append(TargetGroupReference(slug=first, name=second))
        elif kind == "theme":
            card.themes.append(second)
        else:
            card.regions.append(
                RegionReference(code=first, name=second, central_municipality=third or "")
            )
    _add_urls(cards.values(), request)
    return cards


def _card(row: tuple[Any, ...]) -> ProductCard:
    pk, slug, title, url_path, first, last, summary, product_type, status, version = row
    return ProductCard(
        pk=pk,
        slug=slug,
        title=title,
        summary=summary or "",
        product_type=product_type or "",
        lifecycle_status=status or "",
        version=version or "",
        url_path=url_path,
        first_published_at=_datetime(first),
        last_published_at=_datetime(last),
    )


def _datetime(value: datetime | str | None) -> datetime | None:
    """A timestamp as the ORM gives it: SQLite hands raw SQL a naive one (or a string)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, connection.timezone)
    return value


def _relations_sql(ids: list[int], restricted_paths: list[str]) -> tuple[str, list[Any]]:
    """One statement for the lines, target groups, themes and regions of the cards.

    Rows are (kind, product id, slug or code, title or name, a region's central municipality).
    """
    marks = ", ".join(["%s"] * len(ids))
    lines = ProductPage.development_lines.through._meta.db_table
    groups = ProductPage.target_groups.through._meta.db_table
    regions = ProductPage.regions.through._meta.db_table
    page_table = Page._meta.db_table
    restricted, restricted_params = outside_restrictions_sql("l.path", restricted_paths)
    sql = (
        f"SELECT 'line', t.productpage_id, l.slug, l.title, NULL "
        f"FROM {lines} t JOIN {page_table} l ON l.id = t.developmentlinepage_id "
        f"WHERE t.productpage_id IN ({marks}) AND l.live{restricted} "
        "UNION ALL "
        f"SELECT 'group', t.productpage_id, g.slug, g.name, NULL "
        f"FROM {groups} t JOIN {TargetGroup._meta.db_table} g ON g.id = t.targetgroup_id "
        f"WHERE t.productpage_id IN ({marks}) "
        "UNION ALL "
        f"SELECT 'theme', t.content_object_id, g.slug, g.name, NULL "
        f"FROM {ProductPageTag._meta.db_table} t JOIN {Tag._meta.db_table} g ON g.id = t.tag_id "
        f"WHERE t.content_object_id IN ({marks}) "
        "UNION ALL "
        f"SELECT 'region', t.productpage_id, g.code, g.name, g.central_municipality "
        f"FROM {regions} t JOIN {Region._meta.db_table} g ON g.id = t.region_id "
        f"WHERE t.productpage_id IN ({marks})"
    )
    params = ids + restricted_params + ids * 3
    return sql, params


def _add_urls(cards: Iterable[ProductCard], request: HttpRequest | None) -> None:
    """Each card's URL as `Page.get_url` and `get_full_url` give it, from its url_path."""
    current_site = Site.find_for_request(request) if request is not None else None
    # Wagtail keeps the sites' root paths on the object it is given: without a request, on one
    # made for these cards, so that they are read once rather than once per card.
    holder = request if request is not None else SimpleNamespace()
    # One unsaved page, its url_path set per card: `get_url_parts` reads nothing else of it, and
    # building a page object per card (defaults, a new UUID) cost more than the URLs themselves.
    page = Page()
    one_site = len({root[0] for root in page._get_site_root_paths(holder)}) == 1
    for card in cards:
        page.url_path = card.url_path
        parts = page.get_url_parts(request=holder)
        if parts is None or parts[2] is None:
            continue
        site_id, root_url, page_path = parts
        card.full_url = root_url + page_path
        relative = one_site or (current_site is not None and current_site.pk == site_id)
        card.url = page_path if relative else card.full_url
