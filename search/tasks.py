"""Background task of search: updating one product's index entry."""

from django_tasks import task

from search.indexing import index_product


@task()
def index_product_task(page_id: int) -> bool:
    """Re-index one product; runs in the task worker, off the editor's request."""
    return index_product(page_id=page_id)
