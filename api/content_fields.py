"""Serializer fields for the `api_fields` of the page types in Wagtail's content API (/api/v2/).

They give a front end what it needs to render a page from the API alone, and they never let a
draft, unpublished or view-restricted page through a relation: a link to such a page is left out.
Model imports are lazy because the page models import this module.
"""

from rest_framework.fields import Field

IMAGE_RENDITIONS = {"thumbnail": "max-400x300", "medium": "width-800", "large": "width-1600"}


def _public_page_ids(ids) -> set[int]:
    from wagtail.models import Page

    ids = {pk for pk in ids if pk}
    if not ids:
        return set()
    return set(Page.objects.live().public().filter(pk__in=ids).values_list("pk", flat=True))


class CodedValueField(Field):
    """A choice as `{"code": ..., "label": ...}`, the label in Dutch."""

    def __init__(self, choices, **kwargs):
        self.labels = {str(code): str(label) for code, label in choices}
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return {"code": value, "label": self.labels.get(str(value), str(value))}


class PublicPagesField(Field):
    """A many-to-many of pages, keeping only the live, public ones."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, manager):
        pages = list(manager.all())
        visible = _public_page_ids(page.pk for page in pages)
        return [
            {"id": page.pk, "title": page.title, "slug": page.slug}
            for page in pages
            if page.pk in visible
        ]


class RelatedProductsField(Field):
    """The related products of a product, only those that are live and public."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, manager):
        from products.models import ProductPage

        links = list(manager.all())
        visible = _public_page_ids(link.related_id for link in links)
        pages = ProductPage.objects.in_bulk(visible)
        return [
            {
                "id": pages[link.related_id].pk,
                "title": pages[link.related_id].title,
                "slug": pages[link.related_id].slug,
                "product_type": pages[link.related_id].product_type,
            }
            for link in links
            if link.related_id in pages
        ]


class LineProductsField(Field):
    """The live, public products of a development line."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, line):
        from products.models import ProductPage

        products = (
            ProductPage.objects.live()
            .public()
            .filter(development_lines__pk=line.pk)
            .order_by("title")
            .only("id", "title", "slug", "product_type")
        )
        return [
            {"id": p.pk, "title": p.title, "slug": p.slug, "product_type": p.product_type}
            for p in products
        ]


class NamedValuesField(Field):
    """A many-to-many of plain values (regions, target groups) as a list of small objects."""

    def __init__(self, *attributes: str, **kwargs):
        self.attributes = attributes
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, manager):
        return [{name: getattr(item, name) for name in self.attributes} for item in manager.all()]


class WerkbladField(Field):
    """The werkblad of a product in the databanks' order, headings included; aanpak as steps."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, product):
        from api.selectors import werkblad  # imported late: the page models import this

        return werkblad(product)


class DocumentFileField(Field):
    """A download's file: absolute URL, file type, size in bytes and title."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, document):
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

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, image):
        from wagtail.images.models import SourceImageIOError

        result = {}
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

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, item):
        if item.decorative:
            return ""
        return item.alt_text or item.image.default_alt_text


class QualityLabelField(Field):
    """The quality label a product earned under the quality framework, or null."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, product):
        from api.selectors import quality_label_of

        label = quality_label_of(product)
        return label.model_dump(mode="json") if label else None


class EvidenceLevelField(Field):
    """The product's evidence level as `{"code": ..., "label": ...}`, or null when not live."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, product):
        from api.selectors import evidence_level_of

        level = evidence_level_of(product)
        return level.model_dump(mode="json") if level else None


class EvidencePilotsField(Field):
    """The evaluated pilots behind the evidence level: title, period, regions, phase, outcome."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, product):
        from api.selectors import evidence_pilots_of

        # snake_case like the rest of Wagtail's API.
        return [
            pilot.model_dump(mode="json", by_alias=False) for pilot in evidence_pilots_of(product)
        ]
