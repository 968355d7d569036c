"""Factories for the hub's pages and snippets (wagtail-factories over factory_boy).

A plain `ProductPageFactory(...)` is a product with a full werkblad but without what the quality
framework's blocking criteria also ask (an owner, a development line, a target group, a manual,
and for a 'beschikbaar' product a positive pilot and a certified specialist): it stays incomplete,
and `hubcms.testing.publishing.publish` refuses it. A test that wants a publishable product asks for one by
name: `complete_product(parent=..., ...)` or `ProductPageFactory(complete=True, ...)`.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from wagtail.documents import get_document_model
from wagtail.models import Page

import factory
import wagtail_factories

from products.choices import LifecycleStatus, ProductType
from products.models import (
    DevelopmentLineIndexPage,
    DevelopmentLinePage,
    InnovationAgendaPage,
    ProductDownload,
    ProductPage,
    Region,
    TargetGroup,
)

TEST_OWNER = "testeigenaar"


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Doelgroep {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class DevelopmentLinePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = DevelopmentLinePage

    live = False  # publish with hubcms.testing.publishing.publish(), which honours the quality gate
    title = factory.Sequence(lambda n: f"Ontwikkellijn {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "Een lijn van producten rond één opgave."
    goal = "<p>Gemeenten en SOB's werken met dezelfde taal.</p>"
    lead = "Marieke de Vries (Divosa)"


def test_owner():
    """The product owner of complete test products unless a test names one."""
    return get_user_model().objects.get_or_create(
        username=TEST_OWNER, defaults={"email": "testeigenaar@example.org"}
    )[0]


test_owner.__test__ = False  # not a pytest test


def test_line() -> DevelopmentLinePage:
    """The (draft) development line of complete test products unless a test names one."""
    line = DevelopmentLinePage.objects.filter(slug="testontwikkellijn").first()
    if line is None:
        line = DevelopmentLineIndexPage.objects.get().add_child(
            instance=DevelopmentLinePage(
                title="Testontwikkellijn", slug="testontwikkellijn", live=False
            )
        )
    return line


test_line.__test__ = False  # not a pytest test


_DEFAULT = object()


def write_gate_requirements(
    page: ProductPage,
    *,
    owner=_DEFAULT,
    development_lines=_DEFAULT,
    target_groups=_DEFAULT,
    manual=_DEFAULT,
    operational: bool | None = None,
) -> ProductPage:
    """Give a product every item the framework's blocking automatic criteria ask, one by one.

    Each can be named by the test; the defaults are the test owner, the draft line
    "Testontwikkellijn", the target group "Gemeenten", a generated manual (handreikingen need none)
    and, for a product that is 'beschikbaar' (framework 1.1; `operational=False` leaves them out),
    an evaluated positive pilot and a specialist certified as uitvoerder for a year.
    """
    # eigenaar: someone answers questions about the product
    page.product_owner = test_owner() if owner is _DEFAULT else owner
    # indeling: at least one development line and one target group
    lines = [test_line()] if development_lines is _DEFAULT else development_lines
    groups = (
        [TargetGroup.objects.get_or_create(slug="gemeenten", defaults={"name": "Gemeenten"})[0]]
        if target_groups is _DEFAULT
        else target_groups
    )
    page.development_lines.add(*lines)
    page.target_groups.add(*groups)
    # download_handleiding: a manual or format to download (not asked of a handreiking)
    if manual is _DEFAULT:
        manual = None
        if page.product_type != ProductType.HANDREIKING:
            manual = get_document_model().objects.create(
                title=f"Handleiding {page.title}",
                file=ContentFile(b"Handleiding", name="handleiding.txt"),
            )
    if manual is not None:
        page.downloads.add(ProductDownload(document=manual, kind="handleiding"))
    # herziening: the factory's next_review_date is a year ahead
    page.save()
    if operational is None:
        operational = page.lifecycle_status == LifecycleStatus.BESCHIKBAAR
    if operational:
        add_operational_evidence(page)
    return page


def add_operational_evidence(page: Page) -> None:
    """Framework 1.1 for 'beschikbaar': an evaluated positive pilot and a certified specialist."""
    from operations.models import Certification, Pilot, Specialist

    today = timezone.localdate()
    Pilot.objects.create(
        product=page,
        title=f"Testpilot {page.title}",
        phase="geevalueerd",
        outcome="positief",
        evaluated_on=today,
    )
    specialist = Specialist.objects.create(
        name=f"Testspecialist {page.pk}",
        organisation="Test-SOB",
        region=Region.objects.first(),
    )
    Certification.objects.create(
        specialist=specialist,
        product=page,
        role="uitvoerder",
        certified_on=today,
        valid_until=today + datetime.timedelta(days=365),
    )


class ProductPageFactory(wagtail_factories.PageFactory):
    """A draft product; `complete=True` (with `complete__owner=...` etc.) makes it publishable."""

    class Meta:
        model = ProductPage
        skip_postgeneration_save = True

    live = False  # publish with hubcms.testing.publishing.publish(), which honours the quality gate
    title = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    product_type = "scan"
    lifecycle_status = (
        "pilot"  # framework 1.1 asks more of "beschikbaar": see write_gate_requirements
    )
    version = "1.0"
    summary = "Een korte scan waarmee een gemeente in kaart brengt wat haar SOB al doet."
    aanleiding = "<p>Gemeenten vroegen om een gedeelde taal.</p>"
    doel = "<p>Na de scan weet de gemeente waar zij staat.</p>"
    doelgroep = "<p>Beleidsadviseurs van gemeenten.</p>"
    aanpak = [
        (
            "step",
            {"title": "Voorbereiden", "description": "<p>Plan het gesprek.</p>", "duration": ""},
        ),
        ("step", {"title": "Uitvoeren", "description": "<p>Vul de scan in.</p>", "duration": ""}),
    ]
    randvoorwaarden = "<p>Een dagdeel tijd.</p>"
    uitvoering = "<p>Een maatwerkspecialist begeleidt.</p>"
    onderbouwing = "<p>Gebaseerd op de Participatiewet.</p>"
    resultaten = "<p>Getest in drie regio's.</p>"
    overdraagbaarheid = "<p>Handleiding beschikbaar.</p>"
    next_review_date = factory.LazyFunction(
        lambda: datetime.date.today() + datetime.timedelta(days=365)
    )

    @factory.post_generation
    def complete(obj, create, extracted, **requirements):  # noqa: N805 (factory_boy's signature)
        if create and extracted:
            write_gate_requirements(obj, **requirements)


def complete_product(
    *,
    parent: Page,
    owner=_DEFAULT,
    development_lines=_DEFAULT,
    target_groups=_DEFAULT,
    manual=_DEFAULT,
    operational: bool | None = None,
    **fields,
) -> ProductPage:
    """A draft product under `parent` that meets every blocking criterion of the framework in
    force; `fields` go to ProductPageFactory, the rest to `write_gate_requirements`."""
    requirements = {
        "owner": owner,
        "development_lines": development_lines,
        "target_groups": target_groups,
        "manual": manual,
        "operational": operational,
    }
    named = {f"complete__{k}": v for k, v in requirements.items() if v is not _DEFAULT}
    return ProductPageFactory(parent=parent, complete=True, **named, **fields)


class InnovationAgendaPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = InnovationAgendaPage

    live = False
    title = "Innovatieagenda 2026-2027"
    slug = "innovatieagenda"
