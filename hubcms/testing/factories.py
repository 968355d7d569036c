"""Factories for the hub's pages and snippets (wagtail-factories over factory_boy)."""

import datetime

from django.utils.text import slugify

import factory
import wagtail_factories

from products.models import (
    DevelopmentLinePage,
    InnovationAgendaPage,
    ProductPage,
    TargetGroup,
)


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


class ProductPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ProductPage

    live = False  # publish with hubcms.testing.publishing.publish(), which honours the quality gate
    title = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    product_type = "scan"
    lifecycle_status = (
        "pilot"  # framework 1.1 asks more of "beschikbaar": see hubcms.testing.publishing
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


class InnovationAgendaPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = InnovationAgendaPage

    live = False
    title = "Innovatieagenda 2026-2027"
    slug = "innovatieagenda"
