"""Reads for the public website: what a page shows, fetched in a bounded number of queries.

Every list here holds live, public pages only, so a draft never reaches a visitor. The page
itself may come from a revision (an admin preview); then its relations are in memory and
only their ids are used.
"""

import json
from dataclasses import dataclass
from itertools import groupby

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from wagtail.models import Page, PageViewRestriction, Site

from products.choices import QUARTER_PATTERN
from products.models import (
    DevelopmentLineIndexPage,
    DevelopmentLinePage,
    HomePage,
    InnovationAgendaPage,
    ProductDownload,
    ProductLibraryPage,
    ProductPage,
)
from products.werkblad import werkblad

SITE_NAME = "Innovatiehub Sociale Infrastructuur"
NEWEST_PRODUCTS_ON_HOME = 6

# Django's json_script escapes these so that JSON can sit inside a <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@dataclass(frozen=True)
class QuarterGroup:
    """Items (milestones or priorities) planned in one quarter."""

    quarter: str
    label: str
    items: list


def quarter_label(quarter: str) -> str:
    """'2026-Q3' as '3e kwartaal 2026'; anything else unchanged."""
    match = QUARTER_PATTERN.match(quarter or "")
    if not match:
        return quarter
    year, number = match.groups()
    return f"{number}e kwartaal {year}"


def group_by_quarter(items) -> list[QuarterGroup]:
    """Items with a `planned_quarter`, grouped per quarter, earliest first, order kept inside."""
    ordered = sorted(items, key=lambda item: item.planned_quarter)
    return [
        QuarterGroup(quarter=quarter, label=quarter_label(quarter), items=list(group))
        for quarter, group in groupby(ordered, key=lambda item: item.planned_quarter)
    ]


def _ids(manager) -> list[int]:
    """The ids behind a relation; works for a page from the database and one from a revision."""
    return [obj.pk for obj in manager.all()]


def restricted_paths(request: HttpRequest | None = None) -> list[str]:
    """The paths of the pages under a view restriction (hidden with all below them).

    The search engines filter by them (a path prefix each); read once per request. Pages shown
    on the website are filtered with Wagtail's own `public()`.
    """
    cached = getattr(request, "_hubcms_restricted_paths", None)
    if cached is None:
        with connection.cursor() as cursor:
            # Driven by the (small) restriction table: as a join, SQLite without statistics
            # for an empty restriction table walks every page instead.
            cursor.execute(
                f"SELECT path FROM {Page._meta.db_table} WHERE id IN "
                f"(SELECT page_id FROM {PageViewRestriction._meta.db_table})"
            )
            cached = [path for (path,) in cursor.fetchall()]
        if request is not None:
            request._hubcms_restricted_paths = cached
    return cached


def live_products(request: HttpRequest | None = None):
    """Live, public products, with what a product card shows."""
    return ProductPage.objects.defer_streamfields().live().public()


def _downloads(page: ProductPage) -> list[ProductDownload]:
    return list(page.downloads.select_related("document").order_by("sort_order"))


def product_json_ld(
    page: ProductPage,
    *,
    url: str,
    downloads: list[ProductDownload],
    development_lines: list,
    target_groups: list,
    themes: list,
    request: HttpRequest | None,
) -> SafeString:
    """schema.org JSON-LD of a product, safe to place inside a <script> element."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "name": page.title,
        "description": page.search_description or page.summary,
        "url": url,
        "inLanguage": "nl",
        "genre": page.get_product_type_display(),
        "version": page.version,
        "creativeWorkStatus": page.get_lifecycle_status_display(),
        "publisher": {"@type": "Organization", "name": SITE_NAME},
    }
    if page.first_published_at:
        data["datePublished"] = page.first_published_at.isoformat()
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.isoformat()
    if themes:
        data["keywords"] = ", ".join(tag.name for tag in themes)
    if target_groups:
        data["audience"] = [
            {"@type": "Audience", "audienceType": group.name} for group in target_groups
        ]
    if development_lines:
        data["isPartOf"] = [
            {"@type": "CreativeWork", "name": line.title, "url": line.get_full_url(request)}
            for line in development_lines
        ]
    if downloads and request is not None:
        data["associatedMedia"] = [
            {
                "@type": "MediaObject",
                "name": download.display_title,
                "contentUrl": request.build_absolute_uri(download.document.url),
                "encodingFormat": download.document.file_extension.lower(),
                **(
                    {"contentSize": f"{download.document.file_size} B"}
                    if download.document.file_size
                    else {}
                ),
            }
            for download in downloads
        ]
    text = json.dumps(data, ensure_ascii=False, indent=2).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 - escaped above for a <script> element


def product_page_context(page: ProductPage, *, request: HttpRequest | None = None) -> dict:
    """Everything a product page shows beyond its own fields."""
    downloads = _downloads(page)
    if getattr(request, "is_preview", False) or not page.pk:
        lines = DevelopmentLinePage.objects.filter(pk__in=_ids(page.development_lines))
    else:
        lines = DevelopmentLinePage.objects.filter(products=page)
    development_lines = list(lines.live().public().order_by("title"))
    related_ids = [link.related_id for link in page.related_products.all()]
    related_by_id = {
        product.pk: product
        for product in live_products(request).filter(pk__in=related_ids).exclude(pk=page.pk)
    }
    related = [related_by_id[pk] for pk in related_ids if pk in related_by_id]
    target_groups = list(page.target_groups.all())
    regions = sorted(page.regions.all(), key=lambda region: region.name)
    themes = sorted(page.themes.all(), key=lambda tag: tag.name.lower())
    images = list(
        page.images.select_related("image")
        .prefetch_related("image__renditions")
        .order_by("sort_order")
    )
    url = page.get_full_url(request) or ""
    return {
        "werkblad_sections": werkblad(page),
        "downloads": downloads,
        "development_lines": development_lines,
        "related": related,
        "target_groups": target_groups,
        "regions": regions,
        "themes": themes,
        "images": images,
        "page_url": url,
        "json_ld": product_json_ld(
            page,
            url=url,
            downloads=downloads,
            development_lines=development_lines,
            target_groups=target_groups,
            themes=themes,
            request=request,
        ),
    }


def home_page_context(page: HomePage, *, request: HttpRequest | None = None) -> dict:
    """The home page: the product library to search, the development lines, the newest products."""
    library = ProductLibraryPage.objects.descendant_of(page).live().public().first()
    lines = development_lines_with_counts(
        DevelopmentLinePage.objects.descendant_of(page).live().public(), request=request
    )
    newest = list(
        live_products(request)
        .descendant_of(page)
        .order_by("-first_published_at", "-pk")[:NEWEST_PRODUCTS_ON_HOME]
    )
    agenda = InnovationAgendaPage.objects.descendant_of(page).live().public().first()
    return {
        "library": library,
        "development_lines": lines,
        "newest_products": newest,
        "agenda": agenda,
    }


def development_lines_with_counts(
    lines, *, request: HttpRequest | None = None
) -> list[DevelopmentLinePage]:
    """Lines in menu order, each with `product_count`: how many live, public products it has."""
    public_products = live_products(request).values_list("pk", flat=True)
    return list(
        lines.annotate(
            product_count=Count("products", filter=Q(products__in=public_products), distinct=True)
        ).order_by("path")
    )


def development_line_index_context(
    page: DevelopmentLineIndexPage, *, request: HttpRequest | None = None
) -> dict:
    """The overview of development lines: every live line with its status and product count."""
    lines = DevelopmentLinePage.objects.child_of(page).live().public()
    return {"development_lines": development_lines_with_counts(lines, request=request)}


def development_line_context(
    page: DevelopmentLinePage, *, request: HttpRequest | None = None
) -> dict:
    """A development line: its milestones by quarter and its live products."""
    products = list(
        live_products(request).filter(development_lines__pk=page.pk).distinct().order_by("title")
    )
    index = page.get_parent() if page.pk else None
    return {
        "milestones_by_quarter": group_by_quarter(page.milestones.all()),
        "products": products,
        "index_page": index.specific if index is not None and index.live else None,
    }


def agenda_context(page: InnovationAgendaPage, *, request: HttpRequest | None = None) -> dict:
    """The innovation agenda: priorities by quarter, each with its live development lines."""
    priorities = list(page.priorities.prefetch_related("development_lines"))
    line_ids = {pk for priority in priorities for pk in _ids(priority.development_lines)}
    lines_by_id = {
        line.pk: line
        for line in DevelopmentLinePage.objects.filter(pk__in=line_ids).live().public()
    }
    for priority in priorities:
        priority.public_lines = [
            lines_by_id[pk] for pk in _ids(priority.development_lines) if pk in lines_by_id
        ]
    return {"priorities_by_quarter": group_by_quarter(priorities)}


@dataclass(frozen=True)
class NavigationItem:
    """A link in the site's main menu."""

    title: str
    url: str
    current: bool


def site_navigation(*, request: HttpRequest) -> dict:
    """The main menu and the accessibility statement link, resolved once per request."""
    cached = getattr(request, "_hubcms_navigation", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request)
    pages = {}
    statement_url = "/toegankelijkheid/"
    if site is not None:
        root = site.root_page
        # Filter on the indexed content type and slug first: "children of the root" alone
        # matches every page of the site by path, which is a scan at 100,000 products.
        menu_types = ContentType.objects.get_for_models(
            ProductLibraryPage, DevelopmentLineIndexPage, InnovationAgendaPage
        ).values()
        children = (
            Page.objects.child_of(root)
            .live()
            .public()
            .filter(
                Q(content_type_id__in=[content_type.pk for content_type in menu_types])
                | Q(slug="toegankelijkheid")
            )
            .select_related("content_type")
            # Sorted here, not by the database: ORDER BY path makes SQLite walk the path
            # index over every page (0.2 s at 100,000 products) instead of the two indexes.
            .order_by()
        )
        for child in sorted(children, key=lambda page: page.path):
            url = child.get_url(request)
            if child.slug == "toegankelijkheid":
                statement_url = url
            else:
                pages.setdefault(child.content_type.model, (child.title, url))
    order = ["productlibrarypage", "developmentlineindexpage", "innovationagendapage"]
    titles = {
        "productlibrarypage": "Productbibliotheek",
        "developmentlineindexpage": "Ontwikkellijnen",
        "innovationagendapage": "Innovatieagenda",
    }
    path = request.path
    items = [
        NavigationItem(
            title=titles[model], url=pages[model][1], current=path.startswith(pages[model][1])
        )
        for model in order
        if model in pages and pages[model][1]
    ]
    try:
        signal_url = reverse("operations:knowledge_signal")
    except NoReverseMatch:
        signal_url = "/kennissignaal/"
    items.append(
        NavigationItem(
            title="Kennissignaal melden", url=signal_url, current=path.startswith(signal_url)
        )
    )
    result = {"items": items, "accessibility_statement_url": statement_url}
    request._hubcms_navigation = result
    return result
