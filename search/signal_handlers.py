"""Keep the product index in step: index on publish, remove on unpublish.

Synonyms apply when searching (`search.query.parse_query`): a changed list needs no re-index.
"""

from wagtail.signals import page_published, page_unpublished

from content.models import ProductPage
from search.indexing import remove_product
from search.tasks import index_product_task


def product_published(sender, instance, **kwargs) -> None:
    index_product_task.enqueue(instance.pk)


def product_unpublished(sender, instance, **kwargs) -> None:
    # Synchronous on purpose: an unpublished product must leave search at once.
    remove_product(page_id=instance.pk)


def register_signal_handlers() -> None:
    page_published.connect(product_published, sender=ProductPage, dispatch_uid="hubsearch_pub")
    page_unpublished.connect(
        product_unpublished, sender=ProductPage, dispatch_uid="hubsearch_unpub"
    )
