"""Keeping the product index on the engine in step with the live library.

Products are written through the alias from the task queue (`sync_products`, `sync_subtree`). A
full rebuild (`rebuild_index`) bulk-loads a new timestamped index and then swaps the alias to it
in one atomic call, so searches never see an empty or half-built index; products published or
unpublished while it ran are brought up to date right after the swap.
"""

import logging
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from products.models import DevelopmentLinePage, ProductPage, TargetGroup
from search.documents import indexable_products
from search.models import SearchSynonym
from search.opensearch import mapping
from search.opensearch.client import alias_name, get_client
from search.opensearch.documents import documents_for

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
SENDERS = 2  # bulk requests in flight during a rebuild: the node indexes them on two threads
MAX_RESET = 10000

# While a new index is filled nobody searches it: no refreshes, no replicas to copy every
# document to (they are made from the finished segments afterwards), and the translog is synced
# in the background rather than on every bulk request.
BULK_LOAD_SETTINGS = {
    "refresh_interval": "-1",
    "number_of_replicas": 0,
    "translog.durability": "async",
}


def current_vocabulary() -> tuple[list[str], list[str]]:
    """(synonym rules, compound word list) as the index settings should hold them now."""
    from taggit.models import Tag

    term_sets = [synonym.term_list for synonym in SearchSynonym.objects.all()]
    texts = [term for terms in term_sets for term in terms]
    texts += list(DevelopmentLinePage.objects.values_list("title", flat=True))
    texts += list(TargetGroup.objects.values_list("name", flat=True))
    texts += list(Tag.objects.values_list("name", flat=True)[:5000])
    return mapping.synonym_rules(term_sets), mapping.compound_words(texts)


def _create_index() -> tuple[str, tuple[str, ...]]:
    """A new, empty index for the current vocabulary: (its name, its compound word list)."""
    synonyms, compounds = current_vocabulary()
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
    name = f"{alias_name()}-v{mapping.MAPPING_VERSION}-{stamp}"
    client = get_client()
    body = mapping.index_body(synonyms=synonyms, compounds=compounds)
    client.call(client.admin.indices.create, index=name, body=body)
    return name, tuple(compounds)


def _put_settings(name: str, index_settings: dict[str, Any]) -> None:
    client = get_client()
    client.call(client.admin.indices.put_settings, index=name, body={"index": index_settings})


def _swap_alias(name: str) -> list[str]:
    """Point the alias at `name` alone, in one atomic call; returns the indexes it left."""
    client = get_client()
    alias = alias_name()
    old = client.alias_targets(alias)
    actions = [{"remove": {"index": index, "alias": alias}} for index in old]
    client.call(
        client.admin.indices.update_aliases,
        body={"actions": [*actions, {"add": {"index": name, "alias": alias}}]},
    )
    _known_alias.add(alias)
    return old


_known_alias: set[str] = set()


def ensure_index() -> str:
    """The alias, creating an empty index behind it when there is none yet."""
    alias = alias_name()
    if alias not in _known_alias and not get_client().alias_targets(alias):
        _swap_alias(_create_index()[0])
    _known_alias.add(alias)
    return alias


def index_word_list(index: str) -> tuple[str, ...]:
    """The compound word list an index was made with (its `_meta`)."""
    return tuple(get_client().index_meta(index).get("compounds", []))


def add_compound_parts(
    documents: list[dict[str, Any]], word_list: tuple[str, ...]
) -> list[dict[str, Any]]:
    """The documents with their `compound_parts`: the node's `all_text` analyzer has no
    decompounder, the parts are split here with the word list of the index written to (see
    mapping.Decompounder)."""
    if documents:
        split = mapping.decompounder(word_list)
        for document in documents:
            document["compound_parts"] = split(*mapping.text_fields(document))
    return documents


def _actions(
    index: str, word_list: tuple[str, ...], page_ids: list[int], *, remove_others: bool
) -> list[dict[str, Any]]:
    """Bulk actions indexing the indexable ones of `page_ids` (split with the index's compound
    `word_list`) and, with `remove_others`, deleting the others."""
    documents = add_compound_parts(documents_for(page_ids), word_list)
    actions = [{"_index": index, "_id": str(d["page_id"]), "_source": d} for d in documents]
    if remove_others:
        present = {document["page_id"] for document in documents}
        actions += [
            {"_op_type": "delete", "_index": index, "_id": str(pk)}
            for pk in page_ids
            if pk not in present
        ]
    return actions


def _bulk(actions: list[dict[str, Any]], *, refresh: bool = False) -> int:
    """Send bulk actions; returns how many succeeded (deleting what is not there is no error)."""
    client = get_client()
    ok, _ = client.call(
        client.helpers.bulk,
        client=client.raw,
        actions=actions,
        chunk_size=CHUNK_SIZE,
        max_chunk_bytes=20 * 1024 * 1024,
        refresh="true" if refresh else "false",
        ignore_status=(404,),
        request_timeout=max(60, client.config.timeout),
    )
    return int(ok)


def _chunks(page_ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(page_ids), CHUNK_SIZE):
        yield page_ids[start : start + CHUNK_SIZE]


def sync_products(
    page_ids: list[int], *, index: str | None = None, refresh: bool | None = None
) -> int:
    """Index the indexable ones of `page_ids` and remove the others; returns how many are indexed.

    Tests make every write visible at once (SEARCH_REFRESH); in production the 1 s refresh does.
    """
    if not page_ids:
        return 0
    target = index or ensure_index()
    word_list = index_word_list(target)
    if refresh is None:
        refresh = bool(getattr(settings, "SEARCH_REFRESH", False))
    indexed = 0
    for chunk in _chunks(page_ids):
        actions = _actions(target, word_list, chunk, remove_others=True)
        indexed += sum(1 for action in actions if "_source" in action)
        _bulk(actions, refresh=refresh)
    return indexed


def sync_subtree(*, path: str) -> int:
    """Re-check every product at or under a page path (moved, or its view restriction changed)."""
    ids = list(ProductPage.objects.filter(path__startswith=path).values_list("pk", flat=True))
    return sync_products(ids)


def rebuild_index(*, progress: Callable[[int], object] | None = None) -> int:
    """Bulk-load every indexable product into a new index and swap the alias to it atomically.

    Old indexes behind the alias are deleted after the swap. Returns the number indexed.
    """
    client = get_client()
    started = timezone.now()
    ids = list(indexable_products().order_by("pk").values_list("pk", flat=True))
    name, word_list = _create_index()
    indexed = 0
    try:
        serving = {
            "refresh_interval": mapping.REFRESH_INTERVAL,
            "number_of_replicas": client.get_settings(name).get("number_of_replicas", "1"),
            "translog.durability": None,  # the default: synced on every request
        }
        _put_settings(name, BULK_LOAD_SETTINGS)
        # Documents are built here, on this thread's database connection (in a transaction, as
        # in tests, no other connection would see the pages); SENDERS threads send the chunks
        # meanwhile. At most SENDERS + 1 chunks wait, so memory stays bounded.
        with ThreadPoolExecutor(SENDERS, thread_name_prefix="hubsearch-bulk") as sender:
            pending: deque[Future[int]] = deque()
            for chunk in _chunks(ids):
                actions = _actions(name, word_list, chunk, remove_others=False)
                pending.append(sender.submit(_bulk, actions))
                if len(pending) > SENDERS:
                    indexed += pending.popleft().result()
                if progress:
                    progress(len(chunk))
            indexed += sum(future.result() for future in pending)
        _put_settings(name, serving)
        client.call(client.raw.indices.refresh, index=name)
    except BaseException:
        client.call(client.admin.indices.delete, index=name, ignore_unavailable=True)
        raise
    for index in _swap_alias(name):
        client.call(client.admin.indices.delete, index=index, ignore_unavailable=True)
    # Published, unpublished or restricted while the bulk load ran: bring those up to date.
    from wagtail.models import Page

    changed = Page.objects.filter(last_published_at__gte=started).values_list("pk", flat=True)
    changed |= Page.objects.filter(latest_revision_created_at__gte=started).values_list(
        "pk", flat=True
    )
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


def reset_to_database() -> int:
    """Make the index hold exactly the indexable products of the database (tests; repairs).

    An index made for another synonym list or mapping version is rebuilt instead."""
    alias = ensure_index()
    if not index_state()["current"]:
        return rebuild_index()
    # Every id the index holds or should hold; `sync_products` removes those it should not.
    # By ids rather than _delete_by_query, which lives in a module a minimal node may lack.
    body = {"query": {"match_all": {}}, "size": MAX_RESET, "_source": False}
    present = {int(hit["_id"]) for hit in get_client().search(alias, body)["hits"]["hits"]}
    wanted = set(indexable_products().values_list("pk", flat=True))
    return sync_products(sorted(present | wanted), refresh=True)


def delete_indexes_with_prefix() -> None:
    """Delete the alias's indexes (the end of a test session)."""
    client = get_client()
    for name in client.indexes_matching(f"{alias_name()}*"):
        client.call(client.admin.indices.delete, index=name, ignore_unavailable=True)
    _known_alias.clear()
