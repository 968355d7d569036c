"""Keep the product indexes in step: index on publish, remove on unpublish.

Synonyms apply when the database searches (`search.query.parse_query`); the database's entries
hold a token per synonym phrase they contain, which a changed list brings up to date through the
task queue (`refresh_phrases_task`). With a search engine configured (SEARCH_URL), the same
events also reach its index through the task queue: publish, unpublish, delete, a move, and a
view restriction added or removed; a changed synonym list builds a new engine index behind its
alias (its search analyzer holds the list).
"""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from products.models import ProductPage
from search.indexing import remove_product
from search.models import SearchSynonym
from search.opensearch.client import configured as engine_configured
from search.opensearch.tasks import rebuild_index_task, sync_products_task, sync_subtree_task
from search.tasks import index_product_task, refresh_phrases_task


@receiver(page_published, sender=ProductPage, dispatch_uid="hubsearch_pub")
def product_published(sender: type[Any], instance: Any, **kwargs: Any) -> None:
    index_product_task.enqueue(instance.pk)
    if engine_configured():
        sync_products_task.enqueue([instance.pk])


@receiver(page_unpublished, sender=ProductPage, dispatch_uid="hubsearch_unpub")
def product_unpublished(sender: type[Any], instance: Any, **kwargs: Any) -> None:
    # Synchronous on purpose: an unpublished product must leave search at once.
    remove_product(page_id=instance.pk)
    if engine_configured():
        sync_products_task.enqueue([instance.pk])


@receiver(post_delete, sender=ProductPage, dispatch_uid="hubsearch_engine_del")
def product_deleted(sender: type[Any], instance: Any, **kwargs: Any) -> None:
    if engine_configured():
        sync_products_task.enqueue([instance.pk])


@receiver(post_page_move, dispatch_uid="hubsearch_engine_move")
def page_moved(sender: type[Any], instance: Any, **kwargs: Any) -> None:
    if engine_configured():
        _sync_subtree_of(instance.pk)


def _sync_subtree_of(page_id: int) -> None:
    """Enqueue a re-check of the products at or under a page, by its path as stored now."""
    from wagtail.models import Page

    for path in Page.objects.filter(pk=page_id).values_list("path", flat=True):
        sync_subtree_task.enqueue(path)


@receiver(post_save, sender=PageViewRestriction, dispatch_uid="hubsearch_engine_vr_save")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="hubsearch_engine_vr_del")
def restriction_changed(sender: type[Any], instance: Any, **kwargs: Any) -> None:
    if engine_configured():
        # By id: after a cascade delete of the page itself the restriction's page is gone.
        _sync_subtree_of(instance.page_id)


@receiver(post_save, sender=SearchSynonym, dispatch_uid="hubsearch_syn_save")
@receiver(post_delete, sender=SearchSynonym, dispatch_uid="hubsearch_syn_del")
def synonyms_changed(sender: type[Any], instance: Any, **kwargs: Any) -> None:
    refresh_phrases_task.enqueue()
    if engine_configured():
        rebuild_index_task.enqueue()
