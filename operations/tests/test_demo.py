"""The demo operations attach to the demo products by slug, skip what is missing, run once."""

import pytest

from hubcms.testing.factories import DevelopmentLinePageFactory, ProductPageFactory
from hubcms.testing.publishing import publish
from operations.demo import load_demo_operations
from operations.models import (
    Certification,
    KnowledgeSignal,
    PartnerConsultation,
    Pilot,
    Specialist,
)
from products.models import DevelopmentLineIndexPage, ProductLibraryPage

pytestmark = pytest.mark.django_db


def test_without_products_the_step_says_why_it_skips(hub):
    assert load_demo_operations() == [
        "Bedrijfsvoering overgeslagen: de demo-hub bevat nog geen producten."
    ]
    assert not Specialist.objects.exists()


def test_the_demo_records_cover_every_chart_and_run_only_once(hub):
    line = publish(
        DevelopmentLinePageFactory(
            parent=DevelopmentLineIndexPage.objects.get(),
            title="Arbeidsmarktfunctionaliteiten",
            slug="arbeidsmarktfunctionaliteiten",
        )
    )
    library = ProductLibraryPage.objects.get()
    for slug in (
        "format-diagnosegesprek-arbeidsvermogen",
        "instrument-jobcarving-analyse",
        "werkvorm-werkgeverstafel",
    ):
        product = ProductPageFactory(
            parent=library,
            title=slug.replace("-", " "),
            slug=slug,
            lifecycle_status="beschikbaar",
        )
        product.development_lines.set([line])
        if slug == "werkvorm-werkgeverstafel":
            product.lifecycle_status = "pilot"
        product.save()

    changes = load_demo_operations()
    assert "Demo-bedrijfsvoering: 14 maatwerkspecialisten toegevoegd" in changes
    assert any("product 'scan-arbeidsmarktfunctionaliteiten' ontbreekt" in c for c in changes)
    assert Specialist.objects.count() >= 12
    roles = set(Certification.objects.values_list("role", flat=True))
    assert roles == {"trainer", "uitvoerder"}
    assert any(not c.is_valid for c in Certification.objects.all())  # some expired
    assert any(c.is_valid for c in Certification.objects.all())
    assert set(KnowledgeSignal.objects.values_list("status", flat=True)) == {
        "nieuw",
        "in_analyse",
        "verwerkt",
        "afgewezen",
    }
    assert PartnerConsultation.objects.count() == 3
    assert set(Pilot.objects.values_list("phase", flat=True)) >= {"geevalueerd"}
    counts = (Specialist.objects.count(), Certification.objects.count(), Pilot.objects.count())

    assert load_demo_operations() == []
    assert counts == (
        Specialist.objects.count(),
        Certification.objects.count(),
        Pilot.objects.count(),
    )
