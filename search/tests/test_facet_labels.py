"""Facet checkboxes say their count in correct Dutch: one product, two products."""

from django.template.loader import render_to_string

from search.facets import BY_NAME
from search.services import FacetValue


def test_count_is_singular_for_one_product_and_plural_otherwise():
    values = [
        FacetValue(value=f"v{n}", label=f"Waarde {n}", count=count, selected=False)
        for n, count in enumerate((1, 2, 0))
    ]
    groups = [(BY_NAME["product_type"], values)]
    html = render_to_string("includes/facet_fieldsets.html", {"groups": groups})
    assert '(1<span class="hubcms-visually-hidden"> product</span>)' in html
    assert '(2<span class="hubcms-visually-hidden"> producten</span>)' in html
    assert '(0<span class="hubcms-visually-hidden"> producten</span>)' in html
    assert "1 producten" not in html.replace('<span class="hubcms-visually-hidden">', "")
    assert 'id="f-type-1"' in html and 'for="f-type-3"' in html
