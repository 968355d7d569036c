"""Keeping the product index on the engine in step with the live library.

Single products are written through the alias (`index_product`, `remove_product`, `sync_subtree`),
from the task queue. A full rebuild (`rebuild_index`) bulk-loads a new timestamped index and then
swaps the alias to it in one atomic call, so searches never see an empty or half-built index;
products published or unpublished while it ran are brought up to date right after the swap.
"""

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from products.models import DevelopmentLinePage, ProductPage, TargetGroup
from search.documents import indexable_products
from search.models import SearchSynonym
from search.opensearch import mapping
from search.opensearch.client import EngineClient, alias_name, get_client
from search.opensearch.documents import documents_for

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
MAX_RESET = 10000


def _refresh_writes() -> bool:
    """Tests make every single write visible at once; in production the 1 s refresh does it."""
    return bool(getattr(settings, "SEARCH_REFRESH", False))


def current_vocabulary() -> tuple[list[str], list[str]]:
    """(synonym rules, compound word list) as the index settings should hold them now."""
    from taggit.models import Tag

    term_sets = [synonym.term_list for synonym in SearchSynonym.objects.all()]
    texts = [term for terms in term_sets for term in terms]
    texts += list(DevelopmentLinePage.objects.values_list("title", flat=True))
    texts += list(TargetGroup.objects.values_list("name", flat=True))
    texts += list(Tag.objects.values_list("name", flat=True)[:5000])
    return mapping.synonym_rules(term_sets), mapping.compound_words(texts)


def _new_index_name() -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
    return f"{alias_name()}-v{mapping.MAPPING_VERSION}-{stamp}"


def _create_index(*, bulk_load: bool) -> str:
    synonyms, compounds = current_vocabulary()
    body = mapping.index_body(synonyms=synonyms, compounds=compounds)
    if bulk_load:  # set back by `_end_bulk_load` before the swap
        body["settings"]["index"].update(BULK_LOAD_SETTINGS)
    name = _new_index_name()
    get_client().create_index(name, body)
    return name


# While a new index is filled nobody searches it: no refreshes, no replicas to copy every
# document to (they are made from the finished segments afterwards), and the translog is synced
# in the background rather than on every bulk request.
BULK_LOAD_SETTINGS = {"refresh_interval": "-1", "translog.durability": "async"}


def _start_bulk_load(client: EngineClient, name: str) -> str:
    """No replicas while loading; returns the number the index was made with, to restore."""
    replicas = str(client.get_settings(name).get("number_of_replicas", "1"))
    client.put_settings(name, {"index": {"number_of_replicas": 0}})
    return replicas


def _end_bulk_load(client: EngineClient, name: str, *, replicas: str) -> None:
    """Give a bulk-loaded index its serving settings."""
    client.put_settings(
        name,
        {
            "index": {
                "refresh_interval": mapping.REFRESH_INTERVAL,
                "number_of_replicas": replicas,
                "translog.durability": None,  # back to the default: synced on every request
            }
        },
    )
    client.refresh(name)


_known_alias: set[str] = set()


def ensure_index() -> str:
    """The alias, creating an empty index behind it when there is none yet."""
    alias = alias_name()
    if alias in _known_alias:
        return alias
    client = get_client()
    if not client.alias_targets(alias):
        name = _create_index(bulk_load=False)
        client.update_aliases([{"add": {"index": name, "alias": alias}}])
    _known_alias.add(alias)
    return alias


def forget_alias() -> None:
    """Forget that the alias was seen (after tests or a manual deletion)."""
    _known_alias.clear()


def index_product(*, page_id: int) -> bool:
    """Bring one product's document up to date; returns whether it is in the index afterwards."""
    alias = ensure_index()
    documents = documents_for([page_id])
    client = get_client()
    if not documents:
        client.delete(alias, page_id, refresh=_refresh_writes())
        return False
    client.index(alias, page_id, documents[0], refresh=_refresh_writes())
    return True


def remove_product(*, page_id: int) -> None:
    """Take a product out of the index (unpublished, deleted, or newly view-restricted)."""
    get_client().delete(ensure_index(), page_id, refresh=_refresh_writes())


def sync_products(
    page_ids: list[int], *, index: str | None = None, refresh: bool | None = None
) -> int:
    """Index the indexable ones of `page_ids` and remove the others; returns how many are indexed."""
    if not page_ids:
        return 0
    target = index or ensure_index()
    indexed = 0
    for start in range(0, len(page_ids), CHUNK_SIZE):
        chunk = page_ids[start : start + CHUNK_SIZE]
        documents = documents_for(chunk)
        present = {document["page_id"] for document in documents}
        actions = _index_actions(target, documents)
        actions += [
            {"_op_type": "delete", "_index": target, "_id": str(pk)}
            for pk in chunk
            if pk not in present
        ]
        get_client().bulk(actions, refresh=_refresh_writes() if refresh is None else refresh)
        indexed += len(documents)
    return indexed


def sync_subtree(*, path: str) -> int:
    """Re-check every product at or under a page path (moved, or its view restriction changed)."""

    ids = list(ProductPage.objects.filter(path__startswith=path).values_list("pk", flat=True))
    return sync_products(ids)


def _index_actions(index: str, documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"_op_type": "index", "_index": index, "_id": str(d["page_id"]), "_source": d}
        for d in documents
    ]


def rebuild_index(*, progress: Callable[[int], object] | None = None) -> int:
    """Bulk-load every indexable product into a new index and swap the alias to it atomically.

    Old indexes behind the alias are deleted after the swap. Returns the number indexed.
    """
    client = get_client()
    alias = alias_name()
    started = timezone.now()
    ids = list(indexable_products().order_by("pk").values_list("pk", flat=True))
    name = _create_index(bulk_load=True)
    indexed = 0
    try:
        replicas = _start_bulk_load(client, name)
        # Documents are built here, on this thread's database connection (in a transaction, as
        # in tests, no other connection would see the pages); two threads send the chunks
        # meanwhile. At most three chunks wait, so memory stays bounded.
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="hubsearch-bulk") as sender:
            pending: list[Any] = []
            for start in range(0, len(ids), CHUNK_SIZE):
                chunk = ids[start : start + CHUNK_SIZE]
                actions = _index_actions(name, documents_for(chunk))
                pending.append(sender.submit(client.bulk, actions, chunk_size=CHUNK_SIZE))
                if len(pending) > 2:
                    indexed += pending.pop(0).result()
                if progress:
                    progress(len(chunk))
            for future in pending:
                indexed += future.result()
        _end_bulk_load(client, name, replicas=replicas)
    except BaseException:
        client.delete_index(name)
        raise
    old = client.alias_targets(alias)
    client.update_aliases(
        [{"remove": {"index": index, "alias": alias}} for index in old]
        + [{"add": {"index": name, "alias": alias}}]
    )
    _known_alias.add(alias)
    for index in old:
        client.delete_index(index)
    # Published, unpublished or restricted while the bulk load ran: bring those up to date.
    from wagtail.models import Page

    changed = list(Page.objects.filter(last_published_at__gte=started).values_list("pk", flat=True))
    changed += list(
        Page.objects.filter(latest_revision_created_at__gte=started).values_list("pk", flat=True)
    )
    if changed:
        sync_products(sorted(set(changed)), index=name)
    logger.info("Product index rebuilt into %s: %s products", name, indexed)
    return indexed


def index_state() -> dict[str, Any]:
    """The index behind the alias and whether its mapping and synonyms are current."""
    client = get_client()
    targets = client.alias_targets(alias_name())
    if not targets:
        return {"index": None, "current": False}
    meta = client.index_meta(targets[0])
    synonyms, _ = current_vocabulary()
    return {
        "index": targets[0],
        "mapping_version": meta.get("mapping_version"),
        "current": meta.get("mapping_version") == mapping.MAPPING_VERSION
        and meta.get("synonyms") == mapping.synonyms_digest(synonyms),
    }


def wait_until_findable(page_id: int, *, timeout: float = 5.0) -> float:
    """Seconds until a product is returned by a search on its id (for the benchmark)."""
    started = time.perf_counter()
    client = get_client()
    while time.perf_counter() - started < timeout:
        hits = client.search(alias_name(), {"query": {"term": {"page_id": page_id}}, "size": 0})[
            "hits"
        ]["total"]["value"]
        if hits:
            return time.perf_counter() - started
        time.sleep(0.02)
    return float("inf")


def reset_to_database() -> int:
    """Make the index hold exactly the indexable products of the database (tests; repairs).

    An index made for another synonym list or mapping version is rebuilt instead."""
    alias = ensure_index()
    client = get_client()
    if not index_state()["current"]:
        return rebuild_index()
    wanted = list(indexable_products().order_by("pk").values_list("pk", flat=True))
    # By ids rather than _delete_by_query, which lives in a module a minimal node may lack.
    present = client.search(
        alias, {"query": {"match_all": {}}, "size": MAX_RESET, "_source": False}
    )["hits"]["hits"]
    stale = {int(hit["_id"]) for hit in present} - set(wanted)
    if stale:
        client.bulk(
            [{"_op_type": "delete", "_index": alias, "_id": str(pk)} for pk in sorted(stale)],
            refresh=True,
        )
    return sync_products(wanted, refresh=True) if wanted else 0


def delete_indexes_with_prefix() -> None:
    """Delete the alias's indexes (the end of a test session)."""
    client = get_client()
    for name in client.indexes_matching(f"{alias_name()}*"):
        client.delete_index(name)
    forget_alias()
