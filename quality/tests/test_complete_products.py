"""The test factories: an incomplete product stays incomplete, a complete one is asked for by name.

`hubcms.testing.publishing.publish` adds nothing to make a product pass the gate; it refuses a product that
misses a blocking criterion, and the page stays a draft.
"""

import pytest

from hubcms.testing.factories import ProductPageFactory, complete_product
from hubcms.testing.publishing import IncompleteForTheGate, publish
from operations.models import Certification, Pilot
from products.models import ProductLibraryPage
from quality.gate import blocking_failures, evaluate_page


@pytest.fixture
def library(hub):
    return ProductLibraryPage.objects.get()


def failing_codes(page) -> set[str]:
    return {outcome.criterion.check_code for outcome in blocking_failures(evaluate_page(page))}


def test_a_plain_factory_product_stays_incomplete_and_publish_refuses_it(library):
    page = ProductPageFactory(parent=library, title="Half af")
    assert failing_codes(page) == {"eigenaar", "indeling", "download_handleiding"}
    with pytest.raises(IncompleteForTheGate, match="eigenaar"):
        publish(page)
    page.refresh_from_db()
    assert not page.live and page.live_revision_id is None
    assert page.product_owner_id is None and not page.target_groups.exists()


def test_an_available_product_without_pilot_or_specialist_is_refused(library):
    page = complete_product(
        parent=library, title="Zonder praktijk", lifecycle_status="beschikbaar", operational=False
    )
    assert failing_codes(page) == {"positieve_pilot", "gecertificeerde_specialist"}
    with pytest.raises(IncompleteForTheGate):
        publish(page)


def test_a_complete_product_names_each_requirement_and_goes_live(library):
    page = complete_product(parent=library, title="Compleet", lifecycle_status="beschikbaar")
    assert failing_codes(page) == set()
    assert page.product_owner.username == "testeigenaar"
    assert [line.slug for line in page.development_lines.all()] == ["testontwikkellijn"]
    assert [group.slug for group in page.target_groups.all()] == ["gemeenten"]
    assert [download.kind for download in page.downloads.all()] == ["handleiding"]
    assert Pilot.objects.filter(product=page, outcome="positief").exists()
    assert Certification.objects.filter(product=page, role="uitvoerder").exists()
    assert publish(page).live


def test_the_factory_trait_takes_the_tests_own_requirements(library, editor):
    handreiking = ProductPageFactory(
        parent=library,
        title="Handreiking",
        product_type="handreiking",
        complete=True,
        complete__owner=editor,
    )
    assert failing_codes(handreiking) == set()
    assert handreiking.product_owner == editor
    assert not handreiking.downloads.exists()  # a handreiking needs no manual
