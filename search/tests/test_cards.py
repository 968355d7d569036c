"""Result cards (website/cards.py): what a search result shows, read as plain rows."""

from django.test import RequestFactory

from wagtail.models import PageViewRestriction

from hubcms.testing.factories import DevelopmentLinePageFactory, TargetGroupFactory
from hubcms.testing.publishing import publish
from products.models import DevelopmentLineIndexPage, Region
from website.cards import SUMMARY_EXCERPT, ProductCard, load_cards


def test_a_card_holds_the_live_product_its_relations_and_its_url(library, make_product):
    index = DevelopmentLineIndexPage.objects.get()
    open_line = publish(DevelopmentLinePageFactory(parent=index, title="Vakmanschap"))
    hidden_line = publish(DevelopmentLinePageFactory(parent=index, title="Achter slot"))
    PageViewRestriction.objects.create(
        page=hidden_line, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    product = make_product(
        title="Werkfit traject",
        summary="Kort.",
        product_type="training",
        lifecycle_status="pilot",
        themes=("zorg", "Arbeid"),
        target_groups=(TargetGroupFactory(name="Werkgevers"), TargetGroupFactory(name="Bestuur")),
        development_lines=[open_line, hidden_line],
    )
    product.regions.add(*Region.objects.order_by("name")[:2])
    product = publish(product)
    draft = make_product(title="Nog niet af", live=False)

    cards = load_cards(
        [product.pk, draft.pk],
        restricted_paths=[hidden_line.path],
        request=RequestFactory().get("/productbibliotheek/"),
    )

    assert list(cards) == [product.pk]  # the draft has no card
    card = cards[product.pk]
    assert (card.title, card.summary, card.version) == ("Werkfit traject", "Kort.", product.version)
    assert card.get_product_type_display() == "Training"
    assert card.get_lifecycle_status_display() == product.get_lifecycle_status_display()
    assert [line.title for line in card.development_lines] == ["Vakmanschap"]
    assert [group.name for group in card.target_groups] == ["Bestuur", "Werkgevers"]
    assert card.themes == ["Arbeid", "zorg"]
    assert [region.name for region in card.regions] == list(
        Region.objects.order_by("name").values_list("name", flat=True)[:2]
    )
    assert card.url == product.get_url() == "/productbibliotheek/werkfit-traject/"
    assert card.full_url == product.get_full_url()
    assert card.first_published_at == product.first_published_at


def test_the_summary_excerpt_is_cut_as_the_template_filter_would():
    def card(summary: str) -> ProductCard:
        return ProductCard(
            pk=1,
            slug="p",
            title="P",
            summary=summary,
            product_type="scan",
            lifecycle_status="pilot",
            version="1.0",
            url_path="/home/p/",
            first_published_at=None,
            last_published_at=None,
        )

    short = "Een korte samenvatting."
    assert card(short).summary_excerpt == short
    long_ascii = "woord " * 100
    assert card(long_ascii).summary_excerpt == long_ascii[: SUMMARY_EXCERPT - 1] + "…"
    long_dutch = "coördinatie " * 40
    excerpt = card(long_dutch).summary_excerpt
    assert len(excerpt) == SUMMARY_EXCERPT and excerpt.endswith("…")
