"""Facet checkboxes say their count in correct Dutch: one product, two products."""

from types import SimpleNamespace

from website.templatetags.hubsearch import facet_fieldsets


def _group(*counts: int):
    values = [
        SimpleNamespace(value=f"v{n}", label=f"Waarde {n}", count=count, selected=False)
        for n, count in enumerate(counts)
    ]
    return SimpleNamespace(legend="Type", parameter="type", values=values)


def test_count_is_singular_for_one_product_and_plural_otherwise():
    html = facet_fieldsets([_group(1, 2, 0)])
    assert '(1<span class="hubcms-visually-hidden"> product</span>)' in html
    assert '(2<span class="hubcms-visually-hidden"> producten</span>)' in html
    assert '(0<span class="hubcms-visually-hidden"> producten</span>)' in html
    assert "1 producten" not in html.replace('<span class="hubcms-visually-hidden">', "")
