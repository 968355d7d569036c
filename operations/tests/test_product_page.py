"""What a product page shows of pilots and specialists, and the public quality level."""

import datetime

from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

import pytest

from hubcms.testing.publishing import publish
from operations.models import Certification, Pilot
from operations.selectors import quality_level, quality_levels
from operations.tests.conftest import TODAY, YEAR, make_specialist
from products.models import Region

pytestmark = pytest.mark.django_db


def add_pilot(product, title, phase="geevalueerd", outcome="positief", regions=("twente",)):
    pilot = Pilot.objects.create(
        product=product,
        title=title,
        phase=phase,
        outcome=outcome if phase == "geevalueerd" else "",
        evaluated_on=TODAY if phase == "geevalueerd" else None,
        evaluation="Deelnemers waren positief." if phase == "geevalueerd" else "",
        lessons="Begin klein.",
        start_date=TODAY - YEAR,
    )
    pilot.regions.set(Region.objects.filter(code__in=regions))
    return pilot


def certify(specialist, product, role="uitvoerder", until=None, on=None):
    # Written directly: these tests are about what is shown, the rules are tested elsewhere.
    return Certification.objects.create(
        specialist=specialist,
        product=product,
        role=role,
        certified_on=on or TODAY - YEAR,
        valid_until=until or TODAY + YEAR,
    )


def render(product) -> str:
    return render_to_string("operations/includes/product_operations.html", {"page": product})


def test_shows_evaluated_pilots_and_listed_valid_specialists_by_region(product):
    add_pilot(product, "Pilot Twente", regions=("twente", "zeeland"))
    add_pilot(product, "Lopende pilot Drenthe", phase="lopend")
    certify(make_specialist("Anouk Trainer", "twente"), product, role="trainer")
    certify(make_specialist("Bas Uitvoerder", "zeeland"), product)
    certify(
        make_specialist("Chris Verlopen", "twente"),
        product,
        until=TODAY - datetime.timedelta(days=1),
    )
    certify(make_specialist("Dirk Geheim", "twente", public=False), product)
    html = render(product)
    assert "Pilot Twente" in html and "Begin klein." in html
    assert "Lopende pilot Drenthe" not in html
    assert "Anouk Trainer" in html and "(ook trainer)" in html
    assert "Bas Uitvoerder" in html
    assert "Chris Verlopen" not in html  # expired
    assert "Dirk Geheim" not in html  # did not agree to be listed
    assert html.index('<h3 class="utrecht-heading-3">Twente') < html.index("Anouk Trainer")
    assert html.index("Anouk Trainer") < html.index("Zeeland</h3>") < html.index("Bas Uitvoerder")


def test_queries_do_not_grow_with_pilots_and_specialists(product):
    add_pilot(product, "Pilot 1")
    certify(make_specialist("Specialist 1"), product)
    with CaptureQueriesContext(connection) as few:
        render(product)
    for n in range(2, 7):
        add_pilot(product, f"Pilot {n}", regions=("twente", "zeeland", "drenthe"))
        certify(make_specialist(f"Specialist {n}", "zeeland"), product)
    with CaptureQueriesContext(connection) as many:
        html = render(product)
    assert "Specialist 6" in html and "Pilot 6" in html
    assert len(many) == len(few) <= 5


def test_quality_level_is_a_ladder_for_live_products(product):
    # A product in its pilot stage: framework 1.1 asks a positive pilot only once 'beschikbaar'.
    product.lifecycle_status = "pilot"
    product.save()
    assert quality_level(product) is None  # not live: has not passed the framework
    product = publish(product)
    assert quality_level(product) == "Goed beschreven"
    add_pilot(product, "Bijstellen", outcome="bijstellen")
    assert quality_level(product) == "Goed beschreven"
    add_pilot(product, "Positief")
    assert quality_level(product) == "Getoetst in de praktijk"
    product.regions.set(Region.objects.order_by("code")[:5])
    product = publish(product)
    assert quality_level(product) == "Landelijk toegepast"
    assert quality_levels([product]) == {product.pk: "Landelijk toegepast"}


def test_the_public_product_page_includes_pilots_and_specialists(client, product):
    add_pilot(product, "Pilot op de website")
    certify(make_specialist("Esra Zichtbaar"), product)
    product = publish(product)
    response = client.get(product.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pilot op de website" in html and "Esra Zichtbaar" in html
    assert "Getoetst in de praktijk" in html
