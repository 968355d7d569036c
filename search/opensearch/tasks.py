"""Background tasks that keep the engine's product index in step (run by the task worker)."""

from django_tasks import task

from search.opensearch import indexing


@task()
def sync_products_task(page_ids: list[int]) -> int:
    """Index the given products if they may be found, remove them otherwise."""
    return indexing.sync_products(sorted(set(page_ids)))


@task()
def sync_subtree_task(path: str) -> int:
    """Re-check every product at or under a page (moved, or its view restriction changed)."""
    return indexing.sync_subtree(path=path)


@task()
def rebuild_index_task() -> int:
    """Rebuild the index behind the alias (the synonym list or the vocabulary changed)."""
    return indexing.rebuild_index()
