"""Reads for the product-library API: only live, public content, in a bounded number of queries.

Every function here starts from live querysets outside every view restriction (`public`), so a
draft, a page that was never published, an unpublished page or a view-restricted page (or anything
below one) never reaches a response. Preview is the one exception, and it goes through
`api.preview` with a token.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Prefetch, Q, TextChoices
from django.http import HttpRequest
from django.urls import reverse

from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.query import PageQuerySet
from wagtail.rich_text import expand_db_html

from api import schemas
from operations.choices import PilotOutcome, PilotPhase
from operations.selectors import QUALITY_LEVEL_CODES, evaluated_pilots, quality_level
from products.choices import (
    DevelopmentLineStatus,
    DownloadKind,
    LifecycleStatus,
    MilestoneStatus,
    PriorityStatus,
    ProductType,
)
from products.models import (
    AgendaPriority,
    DevelopmentLinePage,
    InnovationAgendaPage,
    Milestone,
    ProductDownload,
    ProductImage,
    ProductPage,
    Region,
)
from products.werkblad import werkblad as werkblad_sections
from website.cards import ProductCard

RENDITIONS = {"thumbnail": "max-400x300", "medium": "width-800", "large": "width-1600"}


def public_pages() -> PageQuerySet:
    """Pages the public may see: live and without a view restriction on them or above them."""
    return Page.objects.live().public()


def public_products() -> PageQuerySet:
    """Products the public may see."""
    return ProductPage.objects.live().public()


def public_development_lines() -> PageQuerySet:
    """Development lines the public may see."""
    return DevelopmentLinePage.objects.live().public()


def _coded(choices: type[TextChoices], value: str) -> schemas.CodedValue:
    # Two strings made here: constructed, not run through django-ninja's validation.
    labels = dict(choices.choices)
    return schemas.CodedValue.model_construct(
        code=value or "", label=str(labels.get(value, value or ""))
    )


def _html(value: object) -> str:
    html: str = expand_db_html(str(value or ""))
    return html


class Links:
    """Absolute URLs for the API's resources, built once per request."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self._products = request.build_absolute_uri(reverse("productbibliotheek-v1:list_products"))
        self._lines = request.build_absolute_uri(
            reverse("productbibliotheek-v1:list_development_lines")
        )

    def product(self, slug: str) -> str:
        return f"{self._products}/{slug}"

    def development_line(self, slug: str) -> str:
        return f"{self._lines}/{slug}"

    def website(self, page: Page) -> str | None:
        return page.get_full_url(self.request) if page.live else None

    def absolute(self, url: str) -> str:
        return self.request.build_absolute_uri(url)


def _line_reference(line: Any, links: Links) -> schemas.DevelopmentLineReference:
    """A development line (a page, or a card's `LineReference`) as the API refers to it."""
    return schemas.DevelopmentLineReference.model_construct(
        slug=line.slug, title=line.title, api_url=links.development_line(line.slug)
    )


def _product_reference(product: ProductPage, links: Links) -> schemas.ProductReference:
    return schemas.ProductReference(
        slug=product.slug,
        title=product.title,
        product_type=_coded(ProductType, product.product_type),
        api_url=links.product(product.slug),
    )


def product_references(
    products: list[ProductPage], *, request: HttpRequest
) -> list[schemas.ProductReference]:
    """Short references to products (slug, title, type, API address)."""
    links = Links(request)
    return [_product_reference(product, links) for product in products]


def _public_ids(ids: Iterable[int | None]) -> set[int]:
    wanted = {pk for pk in ids if pk}
    if not wanted:
        return set()
    return set(public_pages().filter(pk__in=wanted).values_list("pk", flat=True))


def _summary_fields(
    product: ProductPage, links: Links, *, lines: list[DevelopmentLinePage] | None = None
) -> dict[str, Any]:
    if lines is None:
        lines = list(product.development_lines.all())
    return {
        "id": product.pk,
        "slug": product.slug,
        "title": product.title,
        "summary": product.summary,
        "product_type": _coded(ProductType, product.product_type),
        "lifecycle_status": _coded(LifecycleStatus, product.lifecycle_status),
        "version": product.version,
        "themes": sorted(tag.name for tag in product.themes.all()),
        "target_groups": [
            schemas.TargetGroupValue(slug=group.slug, name=group.name)
            for group in product.target_groups.all()
        ],
        "development_lines": [_line_reference(line, links) for line in lines],
        "regions": [
            schemas.RegionValue(
                code=region.code,
                name=region.name,
                central_municipality=region.central_municipality,
            )
            for region in product.regions.all()
        ],
        "first_published_at": product.first_published_at,
        "last_published_at": product.last_published_at,
        "website_url": links.website(product),
        "api_url": links.product(product.slug),
    }


def card_summaries(
    cards: list[ProductCard], *, request: HttpRequest
) -> list[schemas.ProductSummary]:
    """Search results as the API lists them, from the search's cards (no further queries).

    Built with `model_construct`: the values come typed from the cards, and validating twenty
    results with their relations through django-ninja's attribute resolution cost more than
    the search itself. The OpenAPI snapshot and schema tests hold the shape.
    """
    links = Links(request)
    construct = schemas.ProductSummary.model_construct
    return [
        construct(
            id=card.pk,
            slug=card.slug,
            title=card.title,
            summary=card.summary,
            product_type=_coded(ProductType, card.product_type),
            lifecycle_status=_coded(LifecycleStatus, card.lifecycle_status),
            version=card.version,
            themes=sorted(card.themes),
            target_groups=[
                schemas.TargetGroupValue.model_construct(slug=group.slug, name=group.name)
                for group in card.target_groups
            ],
            development_lines=[_line_reference(line, links) for line in card.development_lines],
            regions=[
                schemas.RegionValue.model_construct(
                    code=region.code,
                    name=region.name,
                    central_municipality=region.central_municipality,
                )
                for region in card.regions
            ],
            first_published_at=card.first_published_at,
            last_published_at=card.last_published_at,
            website_url=card.full_url,
            api_url=links.product(card.slug),
        )
        for card in cards
    ]


def werkblad(product: ProductPage) -> list[dict[str, Any]]:
    """The filled werkblad sections in the databanks' order, as both APIs serve them.

    Each section has `key`, `heading` and `html`; `aanpak` has its `steps` instead
    (`title`, `description_html`, `duration`).
    """
    return [
        {
            "key": section.key,
            "heading": section.label,
            "html": section.html,
            "steps": [
                {
                    "title": step.title,
                    "description_html": step.description_html,
                    "duration": step.duration,
                }
                for step in section.steps
            ],
        }
        for section in werkblad_sections(product)
    ]


def _sections(product: ProductPage) -> list[schemas.WerkbladSection]:
    return [
        schemas.WerkbladSection(
            key=section["key"],
            heading=section["heading"],
            html=section["html"],
            steps=[schemas.ApproachStep(**step) for step in section["steps"]],
        )
        for section in werkblad(product)
    ]


def _downloads(downloads: list[ProductDownload], links: Links) -> list[schemas.Download]:
    result = []
    for download in downloads:
        document = download.document
        result.append(
            schemas.Download(
                title=download.title or document.title,
                kind=_coded(DownloadKind, download.kind),
                url=links.absolute(document.url),
                file_type=document.file_extension.lower(),
                size_bytes=document.get_file_size(),
            )
        )
    return result


def _rendition(image: Any, spec: str) -> schemas.Rendition:
    rendition = image.get_rendition(spec)
    return schemas.Rendition(url=rendition.full_url, width=rendition.width, height=rendition.height)


def _images(images: list[ProductImage]) -> list[schemas.ProductImageOut]:
    if not images:
        return []
    image_ids = [item.image_id for item in images]
    by_id = {
        image.pk: image
        for image in get_image_model()
        .objects.filter(pk__in=image_ids)
        .prefetch_renditions(*RENDITIONS.values())
    }
    result = []
    for item in images:
        image = by_id.get(item.image_id)
        if image is None:
            continue
        result.append(
            schemas.ProductImageOut(
                alt_text="" if item.decorative else (item.alt_text or image.default_alt_text),
                decorative=item.decorative,
                caption=item.caption,
                width=image.width,
                height=image.height,
                renditions=schemas.ImageRenditions(
                    **{name: _rendition(image, spec) for name, spec in RENDITIONS.items()}
                ),
            )
        )
    return result


def quality_label_of(
    product: ProductPage, *, revision_id: int | None = None
) -> schemas.QualityLabel | None:
    """The quality label of the live revision (or of `revision_id` in a preview), or None."""
    try:
        from quality.labels import label_text, live_assessment
        from quality.models import QualityAssessment
    except ImportError:  # the quality framework is not installed
        return None
    if revision_id is None:
        assessment = live_assessment(product)
    else:
        assessment = (
            QualityAssessment.objects.filter(revision_id=revision_id, passed=True)
            .select_related("framework_version")
            .order_by("-created_at", "-pk")
            .first()
        )
    if assessment is None:
        return None
    return schemas.QualityLabel(
        label=label_text(assessment),
        framework_version=str(assessment.framework_version.version),
        assessed_at=assessment.created_at,
        passed=assessment.passed,
    )


def evidence_level_of(product: ProductPage) -> schemas.CodedValue | None:
    """The product's evidence level (operations.selectors.quality_level), coded."""
    level = quality_level(product)
    return schemas.CodedValue(code=QUALITY_LEVEL_CODES[level], label=level) if level else None


def evidence_pilots_of(product: ProductPage) -> list[schemas.EvidencePilot]:
    """The evaluated pilots behind the evidence level, with their public facts only."""
    return [
        schemas.EvidencePilot(
            title=pilot.title,
            start_date=pilot.start_date,
            end_date=pilot.end_date,
            regions=[
                schemas.RegionValue(code=region.code, name=region.name)
                for region in pilot.regions.all()
            ],
            phase=_coded(PilotPhase, pilot.phase),
            outcome=_coded(PilotOutcome, pilot.outcome),
            evaluated_on=pilot.evaluated_on,
        )
        for pilot in evaluated_pilots(product)
    ]


def product_detail_of(
    product: ProductPage, *, request: HttpRequest, revision_id: int | None = None
) -> schemas.ProductDetail:
    """Everything about one product, from its live row or from a preview revision."""
    links = Links(request)
    line_ids = [line.pk for line in product.development_lines.all()]
    lines = list(
        public_development_lines().filter(pk__in=line_ids).order_by("title") if line_ids else []
    )
    related_links = list(product.related_products.all())
    related_ids = _public_ids(link.related_id for link in related_links)
    related = {
        page.pk: page
        for page in ProductPage.objects.filter(pk__in=related_ids).only(
            "id", "title", "slug", "product_type"
        )
    }
    downloads = list(product.downloads.all())
    document_ids = [d.document_id for d in downloads]
    if downloads:
        from wagtail.documents import get_document_model

        documents = get_document_model().objects.in_bulk(document_ids)
        downloads = [d for d in downloads if d.document_id in documents]
        for download in downloads:
            download.document = documents[download.document_id]
    return schemas.ProductDetail(
        **_summary_fields(product, links, lines=lines),
        sections=_sections(product),
        downloads=_downloads(downloads, links),
        images=_images(list(product.images.all())),
        related_products=[
            _product_reference(related[link.related_id], links)
            for link in related_links
            if link.related_id in related
        ],
        change_note=product.change_note,
        next_review_date=product.next_review_date,
        quality_label=quality_label_of(product, revision_id=revision_id),
        evidence_level=evidence_level_of(product),
        pilots=evidence_pilots_of(product),
    )


def live_product(slug: str) -> ProductPage | None:
    """The live, public product with this slug, or None."""
    product: ProductPage | None = (
        public_products()
        .filter(slug=slug)
        .prefetch_related("themes", "target_groups", "regions")
        .first()
    )
    return product


def _milestones(milestones: Iterable[Milestone]) -> list[schemas.Milestone]:
    return [
        schemas.Milestone(
            title=m.title,
            planned_quarter=m.planned_quarter,
            status=_coded(MilestoneStatus, m.status),
        )
        for m in milestones
    ]


def development_line_of(
    line: DevelopmentLinePage,
    *,
    request: HttpRequest,
    products: list[ProductPage] | None = None,
) -> schemas.DevelopmentLine:
    """A development line with its milestones and its live, public products."""
    links = Links(request)
    if products is None:
        products = list(public_products().filter(development_lines=line).order_by("title"))
    return schemas.DevelopmentLine(
        slug=line.slug,
        title=line.title,
        summary=line.summary,
        goal_html=_html(line.goal),
        lead=line.lead,
        status=_coded(DevelopmentLineStatus, line.status),
        milestones=_milestones(line.milestones.all()),
        products=[_product_reference(p, links) for p in products],
        website_url=links.website(line),
        api_url=links.development_line(line.slug),
    )


def _lines_with_products() -> PageQuerySet:
    return public_development_lines().prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("sort_order")),
        Prefetch(
            "products",
            queryset=public_products()
            .order_by("title")
            .only("id", "title", "slug", "product_type"),
            to_attr="public_products",
        ),
    )


def development_lines(*, request: HttpRequest) -> list[schemas.DevelopmentLine]:
    """All live, public development lines with their products, by title."""
    return [
        development_line_of(line, request=request, products=line.public_products)
        for line in _lines_with_products().order_by("title")
    ]


def live_development_line(slug: str) -> DevelopmentLinePage | None:
    """The live, public development line with this slug and its products, or None."""
    line: DevelopmentLinePage | None = _lines_with_products().filter(slug=slug).first()
    return line


def agenda_of(agenda: InnovationAgendaPage, *, request: HttpRequest) -> schemas.InnovationAgenda:
    """The agenda with its priorities; linked development lines only when they are public."""
    links = Links(request)
    priorities = list(agenda.priorities.all())
    line_ids = {line.pk for priority in priorities for line in priority.development_lines.all()}
    public_lines = {
        line.pk: line
        for line in public_development_lines().filter(pk__in=line_ids).only("id", "title", "slug")
    }
    return schemas.InnovationAgenda(
        title=agenda.title,
        period_start=agenda.period_start,
        period_end=agenda.period_end,
        intro_html=_html(agenda.intro),
        priorities=[
            schemas.AgendaPriority(
                title=p.title,
                description=p.description,
                owner=p.owner,
                planned_quarter=p.planned_quarter,
                status=_coded(PriorityStatus, p.status),
                development_lines=[
                    _line_reference(public_lines[line.pk], links)
                    for line in p.development_lines.all()
                    if line.pk in public_lines
                ],
                steering_mechanism=p.steering_mechanism,
            )
            for p in priorities
        ],
        website_url=links.website(agenda),
    )


def live_agenda() -> InnovationAgendaPage | None:
    """The live, public innovation agenda with the latest period."""
    agenda: InnovationAgendaPage | None = (
        InnovationAgendaPage.objects.live()
        .public()
        .prefetch_related(
            Prefetch(
                "priorities",
                queryset=AgendaPriority.objects.order_by("sort_order").prefetch_related(
                    "development_lines"
                ),
            )
        )
        .order_by("-period_start", "path")
        .first()
    )
    return agenda


def regions_with_counts() -> list[schemas.RegionWithCount]:
    """The 35 arbeidsmarktregio's, with how many live, public products each applies."""
    public_ids = public_products().values("pk")
    rows = Region.objects.annotate(
        product_count=Count("products", filter=Q(products__in=public_ids), distinct=True)
    ).order_by("name")
    return [
        schemas.RegionWithCount(
            code=r.code,
            name=r.name,
            central_municipality=r.central_municipality,
            product_count=r.product_count,
        )
        for r in rows
    ]


def product_types_with_counts() -> list[schemas.ProductTypeValue]:
    """Every product type with the number of live, public products of that type."""
    counts = dict(
        public_products()
        .order_by()
        .values_list("product_type")
        .annotate(n=Count("pk"))
        .values_list("product_type", "n")
    )
    return [
        schemas.ProductTypeValue(code=code, label=str(label), product_count=counts.get(code, 0))
        for code, label in ProductType.choices
    ]
