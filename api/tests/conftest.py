"""A small published hub for the API tests, plus content the public must never see.

Every secret page holds the word SECRET_WORD and nothing public does, so a test can search every
response for it: a draft never published, a published product with an unpublished newer
revision, an unpublished product, and a view-restricted product.
"""

import io

from django.core.cache import cache
from django.core.files.images import ImageFile

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

import pytest
from PIL import Image as PILImage

from hubcms.testing.factories import (
    DevelopmentLinePageFactory,
    InnovationAgendaPageFactory,
    ProductPageFactory,
    TargetGroupFactory,
    complete_product,
    write_gate_requirements,
)
from hubcms.testing.publishing import publish
from products.models import (
    AgendaPriority,
    DevelopmentLineIndexPage,
    Milestone,
    ProductDownload,
    ProductImage,
    ProductLibraryPage,
    Region,
    RelatedProduct,
)

SECRET_WORD = "zwijgplicht"
API = "/api/productbibliotheek/v1"


def make_image(title: str):
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 480), (200, 80, 40)).save(buffer, format="PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{title}.png")
    )


def make_document(title: str, content: bytes = b"%PDF-1.4 handleiding"):
    from django.core.files.base import ContentFile

    return get_document_model().objects.create(
        title=title, file=ContentFile(content, name=f"{title}.pdf")
    )


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def library(hub):
    return ProductLibraryPage.objects.get()


@pytest.fixture
def published(hub, library):
    """A published line, two published products (one with download and image) and the agenda."""
    line_index = DevelopmentLineIndexPage.objects.get()
    line = DevelopmentLinePageFactory(
        parent=line_index,
        title="Arbeidsmarktfunctionaliteiten",
        slug="arbeidsmarktfunctionaliteiten",
    )
    Milestone.objects.create(page=line, title="Eerste scan", planned_quarter="2026-Q3")
    line = publish(line)
    group = TargetGroupFactory(name="Beleidsadviseurs gemeenten")
    region = Region.objects.order_by("name").first()

    scan = ProductPageFactory(
        parent=library,
        title="Scan sociale infrastructuur",
        slug="scan-sociale-infrastructuur",
        lifecycle_status="beschikbaar",
    )
    scan.development_lines.add(line)
    scan.target_groups.add(group)
    scan.regions.add(region)
    scan.themes.add("beschut werk")
    document = make_document("Handleiding scan")
    image = make_image("groepsgesprek")
    ProductDownload.objects.create(page=scan, document=document, kind="handleiding")
    ProductImage.objects.create(page=scan, image=image, alt_text="Een groepsgesprek aan tafel")
    scan.save()
    # Line, group and manual are above; the owner, pilot and certification ('beschikbaar') here.
    write_gate_requirements(scan, development_lines=[], target_groups=[], manual=None)
    scan = publish(scan)

    training = ProductPageFactory(
        parent=library,
        title="Training jobcoaching",
        slug="training-jobcoaching",
        product_type="training",
        lifecycle_status="pilot",
    )
    governance = publish(
        DevelopmentLinePageFactory(parent=line_index, title="Governance", slug="governance")
    )
    training.development_lines.add(governance)
    training.target_groups.add(TargetGroupFactory(name="Jobcoaches SOB"))
    RelatedProduct.objects.create(page=training, related=scan)
    training.save()
    write_gate_requirements(training, development_lines=[], target_groups=[])  # owner, manual
    training = publish(training)

    agenda = InnovationAgendaPageFactory(parent=hub)
    priority = AgendaPriority.objects.create(
        page=agenda,
        title="Eén taal voor functionaliteiten",
        owner="Divosa",
        planned_quarter="2026-Q4",
    )
    priority.development_lines.add(line)
    priority.save()
    agenda = publish(agenda)
    return {
        "line": line,
        "scan": scan,
        "training": training,
        "agenda": agenda,
        "region": region,
        "group": group,
        "document": document,
        "image": image,
    }


@pytest.fixture
def secrets(hub, library, published):
    """Content that holds SECRET_WORD and must stay invisible to the public."""
    line_index = DevelopmentLineIndexPage.objects.get()
    never = ProductPageFactory(
        parent=library,
        title=f"Concept {SECRET_WORD}",
        slug="concept-product",
        summary=f"Nog niet gepubliceerd: {SECRET_WORD}.",
    )
    never.development_lines.add(published["line"])
    never.save()
    secret_document = make_document(f"Bijlage {SECRET_WORD}")
    ProductDownload.objects.create(page=never, document=secret_document, kind="format")
    secret_line = DevelopmentLinePageFactory(
        parent=line_index, title=f"Lijn {SECRET_WORD}", slug="nieuwe-lijn"
    )

    scan = published["scan"]
    scan.summary = f"Nieuwe concepttekst met {SECRET_WORD}."
    scan.save_revision()  # a newer draft revision of a live page

    classified = {
        "development_lines": [published["line"]],
        "target_groups": [published["group"]],
    }
    gone = publish(
        complete_product(
            parent=library,
            title=f"Teruggetrokken {SECRET_WORD}",
            slug="teruggetrokken",
            **classified,
        )
    )
    gone.unpublish()

    restricted = publish(
        complete_product(
            **classified,
            parent=library,
            title=f"Besloten {SECRET_WORD}",
            slug="besloten-product",
            summary=f"Alleen voor ingelogde gebruikers: {SECRET_WORD}.",
        )
    )
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")

    training = published["training"]
    RelatedProduct.objects.create(page=training, related=never)
    return {
        "never": never,
        "secret_line": secret_line,
        "gone": gone,
        "restricted": restricted,
        "secret_document": secret_document,
    }
