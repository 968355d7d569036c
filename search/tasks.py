"""Background tasks of search: updating one product's index entry, or every entry's synonym
phrases."""

from django_tasks import task

from search.indexing import index_product, refresh_phrases


@task()
def index_product_task(page_id: int) -> bool:
    """Re-index one product; runs in the task worker, off the editor's request."""
    return index_product(page_id=page_id)


@task()
def refresh_phrases_task() -> int:
    """Bring the entries' synonym phrase tokens in step with a changed synonym list."""
    return refresh_phrases()
