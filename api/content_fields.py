"""Serializer fields for the `api_fields` of the page types in Wagtail's content API (/api/v2/).

They give a front end what it needs to render a page from the API alone, and they never let a
draft, unpublished or view-restricted page through a relation: a link to such a page is left out.
The page types name their `api_fields`; `attach_serializers` (run by the api app's `ready()`) gives
the coded and computed ones their serializer (serializers_by_model), so the models never import
this layer.

Wagtail's admin API v3 builds its schema from each field's `to_representation` return annotation
(and validates against it), so those stay `Any`, as for the fields Wagtail ships; the values they
build are typed inside.
"""

from collections.abc import Iterable
from typing import Any, ClassVar, Protocol, TypedDict, TypeVar

from django.core.exceptions import ImproperlyConfigured

from wagtail.api import APIField
from wagtail.models import Page

from rest_framework.fields import Field

from api.selectors import (
    evidence_level_of,
    evidence_pilots_of,
    quality_label_of,
    werkblad,  # imported late: the page models import this
)
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
    Milestone,
    ProductDownload,
    ProductImage,
    ProductPage,
    RelatedProduct,
)

IMAGE_RENDITIONS = {"thumbnail": "max-400x300", "medium": "width-800", "large": "width-1600"}

_Row = TypeVar("_Row", covariant=True)


class _Rows(Protocol[_Row]):
    """A related manager as a serializer field receives it: its rows come from `all()`."""

    def all(self) -> Iterable[_Row]: ...


class _ServedByTheApi(Protocol):
    """A model that names the fields Wagtail's content API serves (bakerydemo's `api_fields`)."""

    api_fields: ClassVar[list[APIField]]


class PageLink(TypedDict):
    """A link to a live, public page."""

    id: int
    title: str
    slug: str


class ProductLink(PageLink):
    """A link to a live, public product, with its type for the front end's label."""

    product_type: str


def _public_page_ids(ids: Iterable[int | None]) -> set[int]:
    wanted = {pk for pk in ids if pk}
    if not wanted:
        return set()
    return set(Page.objects.live().public().filter(pk__in=wanted).values_list("pk", flat=True))


class CodedValueField(Field):
    """A choice as `{"code": ..., "label": ...}`, the label in Dutch."""

    def __init__(self, choices: Iterable[tuple[Any, Any]], **kwargs: Any) -> None:
        self.labels = {str(code): str(label) for code, label in choices}
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> Any:
        return {"code": value, "label": self.labels.get(str(value), str(value))}


class PublicPagesField(Field):
    """A many-to-many of pages, keeping only the live, public ones."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, manager: _Rows[Page]) -> Any:
        pages = list(manager.all())
        visible = _public_page_ids(page.pk for page in pages)
        links: list[PageLink] = [
            {"id": page.pk, "title": page.title, "slug": page.slug}
            for page in pages
            if page.pk in visible
        ]
        return links


class RelatedProductsField(Field):
    """The related products of a product, only those that are live and public."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, manager: _Rows[RelatedProduct]) -> Any:
        links = list(manager.all())
        visible = _public_page_ids(link.related_id for link in links)
        pages = ProductPage.objects.in_bulk(visible)
        related: list[ProductLink] = [
            {
                "id": pages[link.related_id].pk,
                "title": pages[link.related_id].title,
                "slug": pages[link.related_id].slug,
                "product_type": pages[link.related_id].product_type,
            }
            for link in links
            if link.related_id in pages
        ]
        return related


class LineProductsField(Field):
    """The live, public products of a development line."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, line: DevelopmentLinePage) -> Any:
        products = (
            ProductPage.objects.live()
            .public()
            .filter(development_lines__pk=line.pk)
            .order_by("title")
            .only("id", "title", "slug", "product_type")
        )
        links: list[ProductLink] = [
            {"id": p.pk, "title": p.title, "slug": p.slug, "product_type": p.product_type}
            for p in products
        ]
        return links


class NamedValuesField(Field):
    """A many-to-many of plain values (regions, target groups) as a list of small objects."""

    def __init__(self, *attributes: str, **kwargs: Any) -> None:
        self.attributes = attributes
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, manager: Any) -> Any:
        return [{name: getattr(item, name) for name in self.attributes} for item in manager.all()]


class WerkbladField(Field):
    """The werkblad of a product in the databanks' order, headings included; aanpak as steps."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, product: ProductPage) -> Any:
        return werkblad(product)


class DocumentFileField(Field):
    """A download's file: absolute URL, file type, size in bytes and title."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, document: Any) -> Any:
        request = self.context.get("request")
        url = document.url
        return {
            "title": document.title,
            "url": request.build_absolute_uri(url) if request else url,
            "file_type": document.file_extension.lower(),
            "size_bytes": document.get_file_size(),
        }


class ImageRenditionsField(Field):
    """An image in three sizes, each with URL, width and height."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, image: Any) -> Any:
        from wagtail.images.models import SourceImageIOError

        result: dict[str, dict[str, Any] | None] = {}
        for name, spec in IMAGE_RENDITIONS.items():
            try:
                rendition = image.get_rendition(spec)
            except SourceImageIOError:
                result[name] = None
                continue
            result[name] = {
                "url": rendition.full_url,
                "width": rendition.width,
                "height": rendition.height,
            }
        return result


class AltTextField(Field):
    """The text alternative of a product image; empty for a decorative image."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, item: Any) -> Any:
        if item.decorative:
            return ""
        return item.alt_text or item.image.default_alt_text


class QualityLabelField(Field):
    """The quality label a product earned under the quality framework, or null."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, product: ProductPage) -> Any:
        label = quality_label_of(product)
        return label.model_dump(mode="json") if label else None


class EvidenceLevelField(Field):
    """The product's evidence level as `{"code": ..., "label": ...}`, or null when not live."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, product: ProductPage) -> Any:
        level = evidence_level_of(product)
        return level.model_dump(mode="json") if level else None


class EvidencePilotsField(Field):
    """The evaluated pilots behind the evidence level: title, period, regions, phase, outcome."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, product: ProductPage) -> Any:
        # snake_case like the rest of Wagtail's API.
        return [
            pilot.model_dump(mode="json", by_alias=False) for pilot in evidence_pilots_of(product)
        ]


def serializers_by_model() -> dict[type[_ServedByTheApi], dict[str, Field]]:
    """The serializer of each coded or computed API field, per model (after the models are loaded)."""

    return {
        ProductPage: {
            "product_type": CodedValueField(ProductType.choices),
            "lifecycle_status": CodedValueField(LifecycleStatus.choices),
            "werkblad": WerkbladField(),
            "target_groups": NamedValuesField("slug", "name"),
            "development_lines": PublicPagesField(),
            "regions": NamedValuesField("code", "name"),
            "related_products": RelatedProductsField(),
            "quality_label": QualityLabelField(),
            "evidence_level": EvidenceLevelField(),
            "pilots": EvidencePilotsField(),
        },
        ProductDownload: {
            "kind": CodedValueField(DownloadKind.choices),
            "file": DocumentFileField(source="document"),
        },
        ProductImage: {
            "alt_text": AltTextField(),
            "renditions": ImageRenditionsField(source="image"),
        },
        DevelopmentLinePage: {
            "status": CodedValueField(DevelopmentLineStatus.choices),
            "products": LineProductsField(),
        },
        Milestone: {"status": CodedValueField(MilestoneStatus.choices)},
        AgendaPriority: {
            "status": CodedValueField(PriorityStatus.choices),
            "development_lines": PublicPagesField(),
        },
    }


def attach_serializers() -> None:
    """Give the models' named `api_fields` their serializers, keeping the models' order."""
    for model, serializers in serializers_by_model().items():
        declared = [field.name for field in model.api_fields]
        unknown = set(serializers) - set(declared)
        if unknown:
            raise ImproperlyConfigured(
                f"{model.__name__}.api_fields lacks {sorted(unknown)}, which the API serializes"
            )
        model.api_fields = [
            APIField(field.name, serializer=serializers[field.name], writable=field.writable)
            if field.name in serializers
            else field
            for field in model.api_fields
        ]
