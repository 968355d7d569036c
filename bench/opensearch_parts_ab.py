"""A/B of the node's bulk-indexing work: mapping v5 (decompounder on the node for `all_text`)
against the current mapping (parts split in Python, `compound_parts`), on the same documents.

    SEARCH_URL=... DATABASE_URL=... .venv/bin/python bench/opensearch_parts_ab.py --products 5000

Needs a database with products (bench/opensearch_bench.py makes one). For each round and variant
it creates an index, bulk-loads the first N products into it, refreshes, and prints the node's
and this process's CPU seconds per 1,000 products; the indexes are deleted afterwards.
"""

import argparse
import copy
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("SEARCH_INDEX_PREFIX", "hubcms-bench")

import search_bench  # noqa: E402,F401  (sets up Django)
from opensearch_bench import node_cpu_seconds  # noqa: E402


def v5_body(body: dict[str, Any]) -> dict[str, Any]:
    """The current index body with `all_text` analysed as in mapping v5 (decompounder)."""
    body = copy.deepcopy(body)
    properties = body["mappings"]["properties"]
    properties.pop("compound_parts")
    properties["all_text"]["analyzer"] = "hub_index"
    body["mappings"]["_source"]["excludes"].remove("compound_parts")
    return body


def run(variant: str, ids: list[int]) -> tuple[float, float]:
    from search.documents import indexable_products  # noqa: F401
    from search.opensearch import indexing, mapping
    from search.opensearch.client import get_client
    from search.opensearch.documents import documents_for

    client = get_client()
    synonyms, compounds = indexing.current_vocabulary()
    body = mapping.index_body(synonyms=synonyms, compounds=compounds)
    if variant == "v5":
        body = v5_body(body)
    name = f"{os.environ['SEARCH_INDEX_PREFIX']}-ab-{variant}-{time.time_ns()}"
    client.call(client.admin.indices.create, index=name, body=body)
    indexing._put_settings(name, indexing.BULK_LOAD_SETTINGS)
    mapping.decompounder.cache_clear()  # every run splits from a cold memo
    try:
        node, own = node_cpu_seconds(), time.process_time()
        for start in range(0, len(ids), indexing.CHUNK_SIZE):
            documents = documents_for(ids[start : start + indexing.CHUNK_SIZE])
            if variant != "v5":
                indexing.add_compound_parts(documents, tuple(compounds))
            actions = [{"_index": name, "_id": str(d["page_id"]), "_source": d} for d in documents]
            indexing._bulk(actions)
        client.call(client.raw.indices.refresh, index=name)
        return node_cpu_seconds() - node, time.process_time() - own
    finally:
        client.call(client.admin.indices.delete, index=name, ignore_unavailable=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from search.documents import indexable_products

    ids = list(indexable_products().order_by("pk").values_list("pk", flat=True)[: args.products])
    totals: dict[str, list[float]] = {"v5": [0.0, 0.0], "parts": [0.0, 0.0]}
    for round_ in range(args.rounds):
        for variant in ("v5", "parts") if round_ % 2 == 0 else ("parts", "v5"):
            node, own = run(variant, ids)
            totals[variant][0] += node
            totals[variant][1] += own
            print(
                f"round {round_ + 1} {variant:5}: node {node:6.1f} s, Python {own:6.1f} s "
                f"= {len(ids) / node:5.0f} / {len(ids) / own:5.0f} products per CPU second; "
                f"together {len(ids) / (node + own):5.0f}",
                flush=True,
            )
    for variant, (node, own) in totals.items():
        count = len(ids) * args.rounds
        print(
            f"{variant:5}: {count / node:5.0f} products per node CPU second, "
            f"{count / own:5.0f} per Python CPU second, {count / (node + own):5.0f} together"
        )


if __name__ == "__main__":
    main()
