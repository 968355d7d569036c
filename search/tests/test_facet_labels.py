"""Facet checkboxes say their count in correct Dutch (one product, two products), keep what was
chosen checked, and show editors' labels as text, never as markup."""

from django.template.loader import render_to_string

from search.facets import BY_NAME
from search.services import FacetValue


def facet_fieldsets(groups) -> str:
    return render_to_string("includes/facet_fieldsets.html", {"groups": groups})


def test_count_is_singular_for_one_product_and_plural_otherwise():
    values = [
        FacetValue(value=f"v{n}", label=f"Waarde {n}", count=count, selected=False)
        for n, count in enumerate((1, 2, 0))
    ]
    html = facet_fieldsets([(BY_NAME["product_type"], values)])
    assert '(1<span class="hubcms-visually-hidden"> product</span>)' in html
    assert '(2<span class="hubcms-visually-hidden"> producten</span>)' in html
    assert '(0<span class="hubcms-visually-hidden"> producten</span>)' in html
    assert "1 producten" not in html.replace('<span class="hubcms-visually-hidden">', "")
    assert 'id="f-type-1"' in html and 'for="f-type-3"' in html


def test_a_selected_value_is_checked_and_labels_and_values_are_escaped():
    values = [
        FacetValue(value='a"b', label="<script>alert(1)</script>", count=3, selected=True),
        FacetValue(value="c", label="Gewoon & goed", count=1, selected=False),
    ]
    html = facet_fieldsets([(BY_NAME["theme"], values), (BY_NAME["region"], [])])
    assert html.count("<fieldset") == 1  # a facet without values shows no fieldset
    assert 'value="a&quot;b" checked>' in html
    assert 'value="c">' in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Gewoon &amp; goed" in html
    assert f">{BY_NAME['theme'].label}</legend>" in html
