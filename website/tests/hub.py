"""A small public hub for the website tests: lines, products with downloads, an agenda.

Pages are created as drafts by the factories and made live with `hubcms.testing.publishing.publish`, so
the quality gate is honoured. `build_public_hub` returns the pages by name.
"""

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile

from wagtail.documents.models import Document
from wagtail.images.models import Image

from hubcms.testing.factories import (
    DevelopmentLinePageFactory,
    InnovationAgendaPageFactory,
    ProductPageFactory,
    TargetGroupFactory,
    write_gate_requirements,
)
from hubcms.testing.publishing import publish
from products.models import (
    AgendaPriority,
    DevelopmentLineIndexPage,
    DevelopmentLinePage,
    HomePage,
    InnovationAgendaPage,
    Milestone,
    ProductDownload,
    ProductImage,
    ProductLibraryPage,
    ProductPage,
    Region,
    RelatedProduct,
)

STEPS = [
    (
        "step",
        {
            "title": "Breng de uitgangssituatie in kaart",
            "description": "<p>De beleidsadviseur verzamelt cijfers over beschut werk.</p>",
            "duration": "een dagdeel",
        },
    ),
    (
        "step",
        {
            "title": "Voer het gesprek met het SOB",
            "description": "<p>Bespreek de uitkomsten met het sociaal ontwikkelbedrijf.</p>",
            "duration": "twee uur",
        },
    ),
    (
        "step",
        {
            "title": "Maak afspraken",
            "description": "<p>Leg de afspraken vast in het regionaal werkplan.</p>",
            "duration": "",
        },
    ),
]


@dataclass
class PublicHub:
    """The pages of the fixture hub, by role in the tests."""

    home: HomePage
    library: ProductLibraryPage
    line_index: DevelopmentLineIndexPage
    line: DevelopmentLinePage
    other_line: DevelopmentLinePage
    product: ProductPage
    related: list[ProductPage]
    draft_product: ProductPage
    agenda: InnovationAgendaPage

    def fresh(self) -> "PublicHub":
        """The same pages read again from the database, for a test that changes them."""

        def reload(page):
            return type(page).objects.get(pk=page.pk)

        return PublicHub(
            home=reload(self.home),
            library=reload(self.library),
            line_index=reload(self.line_index),
            line=reload(self.line),
            other_line=reload(self.other_line),
            product=reload(self.product),
            related=[reload(page) for page in self.related],
            draft_product=reload(self.draft_product),
            agenda=reload(self.agenda),
        )


def make_document(title: str, filename: str, content: bytes) -> Document:
    """A Wagtail document with its size and hash recorded, as the admin's upload does."""
    document = Document(title=title, file=ContentFile(content, name=filename))
    document._set_document_file_metadata()
    document.save()
    return document


def make_image(title: str) -> Image:
    """A small PNG as a Wagtail image."""
    from PIL import Image as PillowImage

    buffer = io.BytesIO()
    PillowImage.new("RGB", (640, 360), (21, 66, 115)).save(buffer, format="PNG")
    return Image.objects.create(
        title=title, file=ContentFile(buffer.getvalue(), name=f"{title.lower()}.png")
    )


def region_names(count: int) -> list[Region]:
    """Some arbeidsmarktregio's; made when a flushed test database has lost the loaded ones."""
    regions = list(Region.objects.order_by("name")[:count])
    for number in range(len(regions), count):
        region, _ = Region.objects.get_or_create(
            code=f"testregio-{number}", defaults={"name": f"Testregio {number}"}
        )
        regions.append(region)
    return regions


def add_downloads(product: ProductPage, count: int, *, prefix: str = "Bijlage") -> None:
    """`count` downloads on a product (the first a handleiding), as unsaved child objects."""
    for number in range(count):
        kind = "handleiding" if number == 0 else "format"
        extension = "docx" if number == 0 else "xlsx"
        document = make_document(
            f"{prefix} {number + 1}",
            f"{prefix.lower()}-{number + 1}.{extension}",
            b"hubcms test document " * (50 + number),
        )
        # In the given order, as the admin's ordering sets it (null sort orders have none).
        product.downloads.add(ProductDownload(document=document, kind=kind, sort_order=number))


def build_public_hub(home: HomePage, *, downloads: int = 2, related: int = 2) -> PublicHub:
    """Lines, products and an agenda under the bootstrapped home page, published."""
    library = ProductLibraryPage.objects.get()
    line_index = DevelopmentLineIndexPage.objects.get()
    line = DevelopmentLinePageFactory.build(
        title="Arbeidsmarktfunctionaliteiten",
        slug="arbeidsmarktfunctionaliteiten",
        summary="Eén taal voor wat iemand kan, voor gemeenten en SOB's.",
        goal="<p>In 2027 beschrijven alle regio's werk in dezelfde functionaliteiten.</p>",
        status="in_ontwikkeling",
    )
    line_index.add_child(instance=line)
    for title, quarter, status in [
        ("Begrippenkader vastgesteld", "2026-Q1", "gereed"),
        ("Pilot in drie regio's", "2026-Q3", "lopend"),
        ("Landelijke uitrol", "2027-Q2", "gepland"),
        ("Evaluatie pilot", "2026-Q3", "gepland"),
    ]:
        line.milestones.add(Milestone(title=title, planned_quarter=quarter, status=status))
    line = publish(line)
    other_line = DevelopmentLinePageFactory.build(
        title="Governance", slug="governance", status="gepland"
    )
    line_index.add_child(instance=other_line)
    other_line = publish(other_line)

    groups = [
        TargetGroupFactory(name="Beleidsadviseurs gemeenten", slug="beleidsadviseurs"),
        TargetGroupFactory(name="Jobcoaches SOB", slug="jobcoaches"),
    ]
    related_products = []
    for number in range(related):
        item = ProductPageFactory.build(
            title=f"Werkvorm gesprek {number + 1}",
            slug=f"werkvorm-gesprek-{number + 1}",
            product_type="werkvorm",
        )
        library.add_child(instance=item)
        write_gate_requirements(item, development_lines=[line], target_groups=groups[:1])
        related_products.append(publish(item))

    product = ProductPageFactory.build(
        title="Scan sociale infrastructuur",
        slug="scan-sociale-infrastructuur",
        product_type="scan",
        lifecycle_status="beschikbaar",
        summary="Met deze scan brengt een gemeente samen met haar SOB in kaart wat er al is.",
        aanpak=STEPS,
        search_description="Scan voor gemeenten en SOB's.",
    )
    library.add_child(instance=product)
    product.development_lines.set([line, other_line])
    product.target_groups.set(groups)
    product.regions.set(region_names(3))
    product.themes.add("beschut werk", "samenwerking")
    add_downloads(product, downloads, prefix="Handleiding scan")
    product.images.add(
        ProductImage(
            image=make_image("Gespreksplaat"),
            alt_text="Een gemeente en een SOB bespreken de uitkomsten van de scan.",
            caption="De scan in gebruik",
        )
    )
    for item in related_products:
        product.related_products.add(RelatedProduct(related=item))
    product.save()
    # Lines, groups and the manual are set above; the owner, pilot and certification here.
    write_gate_requirements(product, development_lines=[], target_groups=[], manual=None)
    product = publish(product)

    draft = ProductPageFactory.build(
        title="Geheim concept", slug="geheim-concept", summary="Nog niet klaar."
    )
    library.add_child(instance=draft)

    agenda = InnovationAgendaPageFactory.build(
        title="Innovatieagenda 2026-2027", intro="<p>Zo sturen we op de agenda.</p>"
    )
    home.add_child(instance=agenda)
    for title, quarter, status, lines in [
        ("Functionaliteiten landelijk", "2027-Q1", "gepland", [line]),
        ("Scenario's voor financiering", "2026-Q2", "lopend", [other_line]),
        ("Pilot beschut werk", "2026-Q2", "vertraagd", []),
    ]:
        priority = AgendaPriority(
            title=title,
            owner="Carla Coördinator (VNG)",
            planned_quarter=quarter,
            status=status,
            steering_mechanism="Het kernteam besluit elk kwartaal.",
        )
        priority.development_lines.set(lines)
        agenda.priorities.add(priority)
    agenda.save()
    agenda = publish(agenda)
    return PublicHub(
        home=home,
        library=library,
        line_index=line_index,
        line=line,
        other_line=other_line,
        product=product,
        related=related_products,
        draft_product=draft,
        agenda=agenda,
    )
