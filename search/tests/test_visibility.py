"""Only live, public products are ever found: by the service, the page and the suggestions."""

from django.contrib.auth.models import Group

from wagtail.models import PageViewRestriction

import pytest

from hubcms.testing.publishing import publish
from products.models import ProductPage
from search.services import ProductQuery, autocomplete_titles, search_products

pytestmark = pytest.mark.django_db


def found_anywhere(client, library, word: str) -> list[str]:
    """Where a word is found: service, search page, suggestions."""
    places = []
    if search_products(ProductQuery(query=word)).total:
        places.append("service")
    response = client.get(library.url, {"q": word})
    assert response.status_code == 200
    if response.context["search"].total:
        places.append("page")
    if autocomplete_titles(word):
        places.append("autocomplete")
    if client.get("/zoeken/suggesties", {"q": word}).json()["suggestions"]:
        places.append("suggestions")
    return places


def test_non_public_content_is_never_found(client, library, make_product):
    visible = make_product(title="Zichtbaar product", summary="Gewone tekst.")
    # A draft, never published.
    make_product(live=False, title="Zwijgplicht concept", summary="Zwijgplicht.")
    # Published, then unpublished.
    unpublished = make_product(title="Teruggetrokken xylofoonscan", summary="Xylofoonscan.")
    unpublished.unpublish()
    # The unpublished changes of a live page.
    changed = make_product(title="Bestaand product", summary="Oude samenvatting.")
    changed.summary = "Kwartelkoning staat alleen in de nieuwe versie."
    changed.title = "Kwartelkoning titel"
    changed.save_revision()
    # A live page behind a view restriction (password and groups).
    restricted = make_product(title="Afgeschermd pelikaanplan", summary="Pelikaanplan.")
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    group_only = make_product(title="Groepsproduct flamingoroute", summary="Flamingoroute.")
    restriction = PageViewRestriction.objects.create(
        page=group_only, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.first())

    for word in ["zwijgplicht", "xylofoonscan", "kwartelkoning", "pelikaanplan", "flamingoroute"]:
        assert found_anywhere(client, library, word) == [], word
    assert found_anywhere(client, library, "zichtbaar") == [
        "service",
        "page",
        "autocomplete",
        "suggestions",
    ]
    # The live version of the changed page is still found by its live words, and shown as live.
    found = search_products(ProductQuery(query="oude samenvatting")).products
    assert [(card.pk, card.summary) for card in found] == [(changed.pk, "Oude samenvatting.")]
    assert visible.pk in [p.pk for p in search_products(ProductQuery()).products]


def test_unpublishing_removes_a_product_at_once(library, make_product):
    product = make_product(title="Snel weg product", summary="Eekhoornnest.")
    assert search_products(ProductQuery(query="eekhoornnest")).total == 1
    product.unpublish()
    assert search_products(ProductQuery(query="eekhoornnest")).total == 0
    publish(ProductPage.objects.get(pk=product.pk))
    assert search_products(ProductQuery(query="eekhoornnest")).total == 1


def test_deleted_product_leaves_the_index(library, make_product):
    product = make_product(title="Verdwijnend product", summary="Mierenhoop.")
    ProductPage.objects.get(pk=product.pk).delete()
    assert search_products(ProductQuery(query="mierenhoop")).total == 0
