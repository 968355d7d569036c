"""Benchmark of the product library on OpenSearch, beside Wagtail's stock OpenSearch backend.

Run by hand against a database and an index prefix of its own (never the real ones), e.g.:

    SEARCH_URL=http://127.0.0.1:9200 DATABASE_URL=sqlite:////tmp/hubcms_osbench.sqlite3 \\
        .venv/bin/python bench/opensearch_bench.py --products 100000

It migrates, bootstraps the hub, bulk-inserts generated products (the generator of
bench/search_bench.py), rebuilds the engine's index with the bulk API (products/s), and prints the
median and 95th percentile of the search page, the product-library API and the search service
(all facets, exact totals), deep pages, autocomplete, the time from a product's re-index task to
its being findable, and the same indexing and search on Wagtail's stock OpenSearch backend.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("SEARCH_INDEX_PREFIX", "hubcms-bench")
os.environ.setdefault("SEARCH_TIMEOUT", "30")

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

import search_bench  # noqa: E402  (sets up Django with the test settings)
from search_bench import QUERIES, Figures, ensure_products, timed, timings  # noqa: E402
from tqdm import tqdm  # noqa: E402

API_URL = search_bench.API_URL
STOCK_SAMPLE = 10000


def bench(size: int, runs: int, *, skip_indexing: bool, stock: bool) -> Figures:
    from products.models import ProductLibraryPage, ProductPage
    from search.opensearch.client import alias_name, get_client
    from search.opensearch.indexing import rebuild_index, sync_products
    from search.services import ProductQuery, autocomplete_titles, search_products

    figures = Figures()
    client = Client()
    library = ProductLibraryPage.objects.get()
    if not skip_indexing or not get_client().alias_targets(alias_name()):
        node_cpu, own_cpu = node_cpu_seconds(), time.process_time()
        started = time.perf_counter()
        with tqdm(total=size, unit=" producten", desc="OpenSearch bulk") as bar:
            indexed = rebuild_index(progress=bar.update)
        seconds = time.perf_counter() - started
        node_cpu, own_cpu = node_cpu_seconds() - node_cpu, time.process_time() - own_cpu
        figures["full index (bulk API, new index, alias swap)"] = (
            f"{indexed / seconds:.0f} products/s ({indexed} in {seconds:.1f} s)"
        )
        # On a shared machine the wall-clock rate says more about the neighbours than about
        # the code; CPU seconds do not: products per CPU second of the node and of this process.
        figures["  CPU: node / Python (documents, JSON, HTTP)"] = (
            f"{node_cpu:.0f} s / {own_cpu:.0f} s = {indexed / max(node_cpu, 0.01):.0f} / "
            f"{indexed / max(own_cpu, 0.01):.0f} products per CPU second; "
            f"both together {indexed / max(node_cpu + own_cpu, 0.01):.0f}/s per core"
        )

    position = {"i": 0}

    def next_query():
        position["i"] += 1
        return QUERIES[position["i"] % len(QUERIES)]

    def page_request():
        q, facets = next_query()
        response = client.get(library.url, {"q": q, **facets})
        assert response.status_code == 200, response.status_code
        assert "tijdelijk niet beschikbaar" not in response.content.decode()

    def api_request():
        q, facets = next_query()
        params = {"q": q}
        if "type" in facets:
            params["productType"] = facets["type"]
        if "fase" in facets:
            params["lifecycleStatus"] = facets["fase"]
        response = client.get(API_URL, params)
        assert response.status_code == 200, response.status_code

    def service_call():
        q, facets = next_query()
        search_products(
            ProductQuery(
                query=q,
                filters={
                    "product_type": [facets["type"]] if "type" in facets else [],
                    "lifecycle_status": [facets["fase"]] if "fase" in facets else [],
                },
            )
        )

    for _ in range(5):
        page_request()
        api_request()
    figures["floor: an information page, no search"] = floor(client)
    figures["floor: engine match_all, size 0 (node's own 'took')"] = took_of(
        {"query": {"match_all": {}}, "size": 0, "track_total_hits": True}, runs
    )
    figures["search page (view, all facets, exact total)"] = timed(page_request, runs)
    figures["search API /producten (view, all facets, exact total)"] = timed(api_request, runs)
    figures["search service search_products"] = timed(service_call, runs)
    figures["  where its time goes (per search)"] = cpu_split(service_call, runs)
    figures["browse without query (page, all facets)"] = timed(
        lambda: client.get(library.url), max(10, runs // 3)
    )
    # As production runs: the node's request cache answers what was asked before, until the
    # index changes. Above, every search was the engine's own work.
    settings.SEARCH_REQUEST_CACHE = True
    figures["with the request cache: search page (ten queries again)"] = timed(page_request, runs)
    figures["with the request cache: browse without query"] = timed(
        lambda: client.get(library.url), max(10, runs // 3)
    )
    settings.SEARCH_REQUEST_CACHE = False
    result = search_products(ProductQuery(query="werk"))
    figures["  'werk': exact total / pages"] = f"{result.total} / {result.num_pages}"
    last = search_products(ProductQuery(page=10**6, page_size=20))
    figures["last page of all products (search_after)"] = timed(
        lambda: search_products(ProductQuery(page=last.num_pages, page_size=20)),
        3,  # a walk over every sort key before it: seconds at 100,000 products
    )
    figures["autocomplete 'jobc'"] = timed(lambda: autocomplete_titles("jobc"), runs)

    # Publish to findable: the re-index task's work, then polling a search until it answers.
    settings.SEARCH_REFRESH = False  # production: the index refreshes every second
    sample = list(ProductPage.objects.live().order_by("?")[:10])
    delays = []
    for number, page in enumerate(sample):
        word = f"vindbaarheidstest{number}x{int(time.time())}"
        ProductPage.objects.filter(pk=page.pk).update(summary=f"{page.summary} {word}")
        started = time.perf_counter()
        sync_products([page.pk])
        while not search_products(ProductQuery(query=word)).total:
            if time.perf_counter() - started > 10:
                break
            time.sleep(0.02)
        delays.append(time.perf_counter() - started)
    delays.sort()
    figures["publish task to findable (10 products)"] = (
        f"median {delays[len(delays) // 2]:.2f} s, max {delays[-1]:.2f} s"
    )
    figures["re-index one product (task body)"] = timed(
        lambda: sync_products([sample[0].pk]), max(10, runs // 3)
    )
    if stock:
        bench_stock(figures, size, runs)
    return figures


def node_cpu_seconds() -> float:
    """CPU seconds the engine's nodes have used so far (from their own statistics)."""
    from search.opensearch.client import get_client

    stats = get_client().raw.nodes.stats(metric="process")
    return sum(n["process"]["cpu"]["total_in_millis"] for n in stats["nodes"].values()) / 1000


def cpu_split(fn, runs: int) -> str:
    """The node's own `took` and the CPU milliseconds of node and Python per call: on a loaded
    machine these say more than the wall clock."""
    from search.opensearch.client import get_client

    client = get_client()
    tooks: list[int] = []
    search = client.search

    def recording(index, body, **options):
        answer = search(index, body, **options)
        tooks.append(answer["took"])
        return answer

    client.search = recording
    try:
        node, own = node_cpu_seconds(), time.process_time()
        for _ in range(runs):
            fn()
        node, own = node_cpu_seconds() - node, time.process_time() - own
    finally:
        del client.search
    tooks.sort()
    return (
        f"node took median {tooks[len(tooks) // 2]} ms, p95 {tooks[int(len(tooks) * 0.95)]} ms; "
        f"CPU node {node * 1000 / runs:.1f} ms, Python {own * 1000 / runs:.1f} ms"
    )


def floor(client) -> str:
    """What any page of the website costs here (routing, menu, template), no search."""
    return timed(lambda: client.get("/toegankelijkheid/"), 30)


def took_of(body: dict, runs: int) -> str:
    """Median and 95th percentile of the node's own `took` for one request body."""
    from search.opensearch.client import alias_name, get_client

    tooks = sorted(get_client().search(alias_name(), body)["took"] for _ in range(runs))
    return f"median {tooks[len(tooks) // 2]} ms, p95 {tooks[int(len(tooks) * 0.95)]} ms"


def bench_stock(figures: Figures, size: int, runs: int) -> None:
    """Wagtail's stock OpenSearch 2 backend on the same node: indexing rate and a search."""
    from modelsearch.backends.opensearch2 import SearchBackend

    from products.models import ProductPage

    backend = SearchBackend(
        {
            "URLS": [settings.SEARCH_URL],
            "INDEX_PREFIX": f"{os.environ['SEARCH_INDEX_PREFIX']}-wagtail-",
            "TIMEOUT": 60,
            "INDEX_SETTINGS": {
                "settings": {
                    "analysis": {
                        "analyzer": {
                            "default": {"type": "dutch"},
                            "default_search": {"type": "dutch"},
                        }
                    }
                }
            },
        }
    )
    limit = min(size, STOCK_SAMPLE)
    index = backend.get_index_for_model(ProductPage)
    index.reset()
    index.add_model(ProductPage)
    queryset = ProductPage.get_indexed_objects().order_by("pk")
    started = time.perf_counter()
    with tqdm(total=limit, unit=" producten", desc="Wagtail opensearch2") as bar:
        for start in range(0, limit, 1000):
            chunk = list(queryset[start : start + 1000])
            index.add_items(ProductPage, chunk)
            bar.update(len(chunk))
    seconds = time.perf_counter() - started
    index.refresh()
    figures["stock Wagtail opensearch2: full index"] = (
        f"{limit / seconds:.0f} products/s ({limit} in {seconds:.1f} s)"
    )
    position = {"i": 0}

    def stock_search():
        position["i"] += 1
        q, facets = QUERIES[position["i"] % len(QUERIES)]
        qs = ProductPage.objects.live().public()
        if "type" in facets:
            qs = qs.filter(product_type=facets["type"])
        results = backend.search(q, qs)
        list(results[:20])
        results.count()

    median, p95 = timings(stock_search, max(10, runs // 3))
    figures[f"stock Wagtail opensearch2: top 20 + count, no facets ({limit} indexed)"] = (
        f"median {median:.1f} ms, p95 {p95:.1f} ms"
    )
    backend.es.indices.delete(index=index.name, ignore_unavailable=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--skip-indexing", action="store_true")
    parser.add_argument("--no-stock", action="store_true", help="leave out Wagtail's backend")
    parser.add_argument("--stock-only", action="store_true", help="only Wagtail's backend")
    args = parser.parse_args()
    began = time.perf_counter()
    if not settings.SEARCH_URL:
        sys.exit("Set SEARCH_URL (e.g. http://127.0.0.1:9200).")
    settings.SEARCH_REFRESH = False
    settings.SEARCH_INDEX_PREFIX = os.environ["SEARCH_INDEX_PREFIX"]  # not the test sessions'
    # The engine's own work: no answers from the node's request cache, except where said.
    settings.SEARCH_REQUEST_CACHE = False
    call_command("migrate", verbosity=0)
    from core.bootstrap import bootstrap_hub

    bootstrap_hub(demo=False)
    import random

    print(f"Database: {connection.vendor}; engine: {settings.SEARCH_URL}")
    print(f"At the start: {search_bench.machine()}")
    generated = ensure_products(args.products, random.Random(2026))
    # Planner statistics, as autovacuum keeps them on PostgreSQL: without them SQLite reads
    # every page row to find the few development lines that label the facets.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"\n== {args.products} products (generated in {generated:.0f} s) ==")
    if args.stock_only:
        figures = Figures()
        bench_stock(figures, args.products, args.runs)
    else:
        figures = bench(
            args.products, args.runs, skip_indexing=args.skip_indexing, stock=not args.no_stock
        )
    print(f"\n== Summary: {args.products} products on OpenSearch ==")
    print(f"At the end: {search_bench.machine()}; took {time.perf_counter() - began:.0f} s")
    for name, value in figures.items():
        print(f"{name:60} {value}")


if __name__ == "__main__":
    main()
