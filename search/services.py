"""Searching the public product library: query, facets, sorting and pagination.

Only live, public products are ever returned. The website's search page and the product-library
API both call `search_products` and `autocomplete_titles`.
"""

import math
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from content.choices import LifecycleStatus, ProductType
from content.models import DevelopmentLinePage, ProductPage, Region, TargetGroup

SORTS = ("relevance", "newest", "title")
MAX_PAGE_SIZE = 100
MAX_QUERY_LENGTH = 200


@dataclass
class ProductQuery:
    """What a visitor asks for: free text, facet selections, sort order and page."""

    query: str = ""
    product_types: list[str] = field(default_factory=list)
    development_lines: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    lifecycle_statuses: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20


@dataclass
class FacetValue:
    """One value of a facet with the number of products it would show."""

    value: str
    label: str
    count: int
    selected: bool


@dataclass
class ProductSearchResult:
    """One page of products, the total, and the facets with their counts."""

    products: list[ProductPage]
    total: int
    page: int
    page_size: int
    num_pages: int
    facets: dict[str, list[FacetValue]]


def _public_products():
    return ProductPage.objects.live().public()


def _with_card_relations(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "development_lines",
            queryset=DevelopmentLinePage.objects.live().public().only("id", "title", "slug"),
        ),
        "target_groups",
        "themes",
    )


def search_products(params: ProductQuery, *, record_query: bool = False) -> ProductSearchResult:
    """Search the live, public products; unknown facet values are ignored."""
    queryset = _public_products()
    if params.product_types:
        queryset = queryset.filter(product_type__in=params.product_types)
    if params.lifecycle_statuses:
        queryset = queryset.filter(lifecycle_status__in=params.lifecycle_statuses)
    if params.development_lines:
        queryset = queryset.filter(development_lines__slug__in=params.development_lines)
    if params.target_groups:
        queryset = queryset.filter(target_groups__slug__in=params.target_groups)
    if params.regions:
        queryset = queryset.filter(regions__code__in=params.regions)
    if params.themes:
        queryset = queryset.filter(themes__slug__in=params.themes)
    queryset = queryset.distinct()
    text = " ".join(params.query.split())[:MAX_QUERY_LENGTH]
    ordered_ids = None
    if text:
        ordered_ids = [
            page.pk for page in _public_products().search(text, operator="and").results()
        ]
        queryset = queryset.filter(pk__in=ordered_ids)
    ids = list(queryset.values_list("pk", flat=True))
    if ordered_ids is not None and params.sort == "relevance":
        position = {pk: i for i, pk in enumerate(ordered_ids)}
        ids.sort(key=lambda pk: position[pk])
    elif params.sort == "newest":
        ids = list(
            ProductPage.objects.filter(pk__in=ids)
            .order_by("-first_published_at", "pk")
            .values_list("pk", flat=True)
        )
    else:
        ids = list(
            ProductPage.objects.filter(pk__in=ids)
            .order_by("title", "pk")
            .values_list("pk", flat=True)
        )
    page_size = max(1, min(params.page_size, MAX_PAGE_SIZE))
    total = len(ids)
    num_pages = max(1, math.ceil(total / page_size))
    page = max(1, min(params.page, num_pages))
    window = ids[(page - 1) * page_size : page * page_size]
    by_id = {p.pk: p for p in _with_card_relations(ProductPage.objects.filter(pk__in=window))}
    products = [by_id[pk] for pk in window if pk in by_id]
    return ProductSearchResult(
        products=products,
        total=total,
        page=page,
        page_size=page_size,
        num_pages=num_pages,
        facets=_facets(ids, params),
    )


def _facets(ids: list[int], params: ProductQuery) -> dict[str, list[FacetValue]]:
    matching = ProductPage.objects.filter(pk__in=ids)
    facets: dict[str, list[FacetValue]] = {}
    type_counts = dict(
        matching.values_list("product_type")
        .annotate(n=Count("pk"))
        .values_list("product_type", "n")
    )
    facets["product_type"] = [
        FacetValue(value, label, type_counts.get(value, 0), value in params.product_types)
        for value, label in ProductType.choices
    ]
    line_counts = dict(
        DevelopmentLinePage.objects.live()
        .public()
        .filter(products__in=matching)
        .annotate(n=Count("products"))
        .values_list("slug", "n")
    )
    facets["development_line"] = [
        FacetValue(
            line.slug,
            line.title,
            line_counts.get(line.slug, 0),
            line.slug in params.development_lines,
        )
        for line in DevelopmentLinePage.objects.live().public().order_by("title")
    ]
    group_counts = dict(
        TargetGroup.objects.filter(products__in=matching)
        .annotate(n=Count("products"))
        .values_list("slug", "n")
    )
    facets["target_group"] = [
        FacetValue(
            group.slug,
            group.name,
            group_counts.get(group.slug, 0),
            group.slug in params.target_groups,
        )
        for group in TargetGroup.objects.all()
    ]
    status_counts = dict(
        matching.values_list("lifecycle_status")
        .annotate(n=Count("pk"))
        .values_list("lifecycle_status", "n")
    )
    facets["lifecycle_status"] = [
        FacetValue(value, label, status_counts.get(value, 0), value in params.lifecycle_statuses)
        for value, label in LifecycleStatus.choices
    ]
    region_counts = dict(
        Region.objects.filter(products__in=matching)
        .annotate(n=Count("products"))
        .values_list("code", "n")
    )
    facets["region"] = [
        FacetValue(
            region.code,
            region.name,
            region_counts.get(region.code, 0),
            region.code in params.regions,
        )
        for region in Region.objects.all()
    ]
    from content.models import ProductPageTag

    theme_rows = (
        ProductPageTag.objects.filter(content_object__in=matching)
        .values_list("tag__slug", "tag__name")
        .annotate(n=Count("id"))
        .order_by("tag__name")
    )
    facets["theme"] = [
        FacetValue(slug, name, n, slug in params.themes) for slug, name, n in theme_rows
    ]
    return facets


def autocomplete_titles(prefix: str, *, limit: int = 8) -> list[ProductPage]:
    """Live, public products whose title starts with (a word starting with) the prefix."""
    prefix = " ".join(prefix.split())[:MAX_QUERY_LENGTH]
    if not prefix:
        return []
    return list(
        _public_products()
        .filter(title__icontains=prefix)
        .order_by("title")[: max(1, min(limit, 20))]
    )
