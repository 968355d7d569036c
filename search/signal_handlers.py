"""Keep the product index in step: index on publish, remove on unpublish, rebuild on synonyms."""

from django.db.models.signals import post_delete, post_save

from wagtail.signals import page_published, page_unpublished

from content.models import ProductPage
from search.indexing import remove_product
from search.models import SearchSynonym
from search.tasks import index_product_task, rebuild_product_index_task


def product_published(sender, instance, **kwargs) -> None:
    index_product_task.enqueue(instance.pk)


def product_unpublished(sender, instance, **kwargs) -> None:
    # Synchronous on purpose: an unpublished product must leave search at once.
    remove_product(page_id=instance.pk)


def synonyms_changed(sender, instance, **kwargs) -> None:
    # The index marks every multi-word synonym where it occurs; a changed list needs a rebuild.
    rebuild_product_index_task.enqueue()


def register_signal_handlers() -> None:
    post_save.connect(synonyms_changed, sender=SearchSynonym, dispatch_uid="hubsearch_syn_save")
    post_delete.connect(synonyms_changed, sender=SearchSynonym, dispatch_uid="hubsearch_syn_del")
    page_published.connect(product_published, sender=ProductPage, dispatch_uid="hubsearch_pub")
    page_unpublished.connect(
        product_unpublished, sender=ProductPage, dispatch_uid="hubsearch_unpub"
    )
