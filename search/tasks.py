"""Background tasks of search: updating one product's index entry, and rebuilding the index."""

from django_tasks import task

from search.indexing import index_product, rebuild_product_index


@task()
def index_product_task(page_id: int) -> bool:
    """Re-index one product; runs in the task worker, off the editor's request."""
    return index_product(page_id=page_id)


@task()
def rebuild_product_index_task() -> int:
    """Re-index every product, e.g. after the synonym list changed (its phrases are indexed)."""
    return rebuild_product_index()
