"""Website views outside the page tree: the Atom feed of newly published and updated products."""

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed

from wagtail.models import Site

from products.models import ProductPage
from products.selectors import SITE_NAME, live_products

FEED_SIZE = 50


class ProductFeed(Feed):
    """Newly published and updated products, newest change first, live and public only."""

    feed_type = Atom1Feed
    title = f"{SITE_NAME}: nieuwe en bijgewerkte producten"
    subtitle = (
        "Producten uit de productbibliotheek van de Innovatiehub die net zijn gepubliceerd "
        "of bijgewerkt."
    )
    language = "nl"
    author_name = SITE_NAME

    def get_object(self, request: HttpRequest, *args, **kwargs):
        # The feed object is shared between threads: keep nothing of the request on it.
        return Site.find_for_request(request)

    def link(self, site) -> str:
        return "/"

    def items(self, site) -> list[ProductPage]:
        products = live_products()
        if site is not None:
            products = products.descendant_of(site.root_page, inclusive=True)
        return list(products.order_by("-last_published_at", "-pk")[:FEED_SIZE])

    def item_title(self, item: ProductPage) -> str:
        return item.title

    def item_description(self, item: ProductPage) -> str:
        return item.summary or item.search_description

    def item_link(self, item: ProductPage) -> str:
        return item.get_url() or "/"

    def item_pubdate(self, item: ProductPage):
        return item.first_published_at

    def item_updateddate(self, item: ProductPage):
        return item.last_published_at

    def item_categories(self, item: ProductPage) -> list[str]:
        return [item.get_product_type_display()]
