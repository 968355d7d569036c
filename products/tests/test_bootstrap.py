"""`bootstrap_hub` sets up the hub once; a second run changes nothing and says so."""

from io import StringIO

from django.contrib.auth.models import Group
from django.core.management import call_command

from wagtail.models import Site

import pytest

from products.models import HomePage, ProductLibraryPage, Region


def run(*args: str) -> str:
    out = StringIO()
    call_command("bootstrap_hub", *args, stdout=out)
    return out.getvalue()


def test_bootstrap_is_idempotent(blank_database):
    assert not HomePage.objects.exists() and not Group.objects.exists()
    first = run()
    assert "Productbibliotheek aangemaakt" in first
    assert "Groep Redacteur aangemaakt" in first
    assert "Demogebruiker" not in first  # demo users only with --demo
    second = run()
    assert second.strip() == "Niets gewijzigd: de hub was al ingericht."
    assert HomePage.objects.count() == 1
    assert ProductLibraryPage.objects.count() == 1
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class is HomePage
    assert {g.name for g in Group.objects.all()} >= {
        "Redacteur",
        "Kwaliteitsbewaker",
        "Coördinator",
        "Beheerder",
    }


@pytest.mark.django_db
def test_regions_are_the_35_arbeidsmarktregios():
    assert Region.objects.count() == 35
    assert Region.objects.filter(name="Rijnmond", central_municipality="Rotterdam").exists()
