"""Shared records for the operations tests: regions, a product, specialists."""

import datetime

import pytest

from hubcms.testing.factories import complete_product
from operations.models import Specialist
from products.models import Region

TODAY = datetime.date.today()
YEAR = datetime.timedelta(days=365)


@pytest.fixture
def product(hub):
    """An available product, complete in content; its pilots and specialists are the test's."""
    from products.models import ProductLibraryPage

    return complete_product(
        parent=ProductLibraryPage.objects.get(),
        title="Werkfit-scan",
        lifecycle_status="beschikbaar",
        operational=False,
    )


@pytest.fixture
def region():
    return Region.objects.get(code="twente")


def make_specialist(name: str, region_code: str = "twente", public: bool = True) -> Specialist:
    return Specialist.objects.create(
        name=name,
        organisation=f"SOB van {name}",
        region=Region.objects.get(code=region_code),
        email=f"{name.split()[0].lower()}@sob.example",
        public_listing=public,
    )
