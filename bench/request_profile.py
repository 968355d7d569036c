"""Where one request's time goes: the floor, the search page, the API and the search service.

Run by hand against a bench database (and, for OpenSearch, an index prefix of its own), e.g.:

    SEARCH_INDEX_PREFIX=hubcms-bench SEARCH_URL=http://127.0.0.1:9200 \\
        DATABASE_URL=sqlite:////tmp/hubcms_osbench.sqlite3 .venv/bin/python bench/request_profile.py

For each kind of request it prints the median wall clock and CPU time, the number of SQL
statements per request, and the functions that took the most time under cProfile. CPU time and
statement counts say more than the wall clock on a shared machine. `--sql` prints the statements
of one request of each kind.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("SEARCH_TIMEOUT", "30")

import search_bench  # noqa: E402, I001  (sets up Django with the test settings)
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

QUERIES = search_bench.QUERIES


def measure(name: str, request: Callable[[int], None], runs: int, *, top: int, sql: bool) -> None:
    for i in range(3):  # warm caches and imports
        request(i)
    walls, cpus, counts = [], [], []
    for i in range(runs):
        with CaptureQueriesContext(connection) as queries:
            wall, cpu = time.perf_counter(), time.process_time()
            request(i)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        counts.append(len(queries))
        if sql and i == 0:
            for query in queries.captured_queries:
                text = query["sql"] if float(query["time"]) > 0.002 else query["sql"][:200]
                print(f"    {query['time']}s  {text}")
    print(
        f"\n== {name}: wall median {statistics.median(walls) * 1000:.1f} ms, "
        f"p95 {statistics.quantiles(walls, n=20)[-1] * 1000:.1f} ms; "
        f"CPU median {statistics.median(cpus) * 1000:.1f} ms; "
        f"SQL statements {min(counts)}-{max(counts)} per request =="
    )
    if not top:
        return
    profile = cProfile.Profile()  # a second pass: the profiler's overhead is not in the times
    for i in range(runs):
        profile.runcall(request, i)
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    # The project's own functions by cumulative time (the code outside site-packages).
    stats.sort_stats("cumulative").print_stats(r"^(?!.*(site-packages|/lib/python3))", top)
    print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sql", action="store_true", help="print the SQL of one request")
    parser.add_argument("--only", help="floor, page, api or service")
    args = parser.parse_args()
    if "SEARCH_INDEX_PREFIX" in os.environ:
        settings.SEARCH_INDEX_PREFIX = os.environ["SEARCH_INDEX_PREFIX"]  # not the test's own
    from products.models import ProductLibraryPage
    from search.services import ProductQuery, search_products

    client = Client()
    library_url = ProductLibraryPage.objects.get().url

    def floor(i: int) -> None:
        assert client.get("/toegankelijkheid/").status_code == 200

    def page(i: int) -> None:
        q, facets = QUERIES[i % len(QUERIES)]
        response = client.get(library_url, {"q": q, **facets})
        assert response.status_code == 200
        assert "tijdelijk niet beschikbaar" not in response.content.decode()

    def api(i: int) -> None:
        q, facets = QUERIES[i % len(QUERIES)]
        params = {"q": q}
        if "type" in facets:
            params["productType"] = facets["type"]
        if "fase" in facets:
            params["lifecycleStatus"] = facets["fase"]
        assert client.get(search_bench.API_URL, params).status_code == 200

    def service(i: int) -> None:
        q, facets = QUERIES[i % len(QUERIES)]
        filters = {"product_type": [facets["type"]]} if "type" in facets else {}
        if "fase" in facets:
            filters["lifecycle_status"] = [facets["fase"]]
        search_products(ProductQuery(query=q, filters=filters))

    print(f"Database: {connection.vendor}; engine: {settings.SEARCH_URL or 'database'}")
    print(f"Load average: {os.getloadavg()}")
    kinds = {"floor": floor, "page": page, "api": api, "service": service}
    for name, request in kinds.items():
        if args.only in (None, name):
            measure(name, request, args.runs, top=args.top, sql=args.sql)


if __name__ == "__main__":
    main()
