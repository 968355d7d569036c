"""Benchmark of the product-library search, beside Wagtail's stock database backend.

Run against a database of its own (never the real one), e.g.:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hubcms_bench \\
        .venv/bin/python bench/search_bench.py --products 10000 --products 100000
    DATABASE_URL=sqlite:////tmp/hubcms_bench.sqlite3 .venv/bin/python bench/search_bench.py --products 10000

It migrates, bootstraps the hub, bulk-inserts generated products up to each size (with progress
bars), indexes them, and prints for each size the median and 95th-percentile latency of the search
page, the search service and the product-library API, the time to re-index one product, and the
full-indexing throughput — for hubcms's own index and for Wagtail's stock backend.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubcms.settings.test")
# A bulk load of Wagtail's stock index takes longer than the site's statement timeout allows.
os.environ.setdefault("DB_STATEMENT_TIMEOUT_SECONDS", "0")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from tqdm import tqdm  # noqa: E402

WORDS = (
    "arbeidsmarkt beschut werk jobcoach jobcoaching werkgever werkgevers gemeente gemeenten "
    "sociaal ontwikkelbedrijf participatiewet loonkostensubsidie begeleiding scholing training "
    "regio samenwerking governance financiering scenario instrument scan werkvorm handreiking "
    "ontwikkelmodule format praktijkroute vakmanschap re-integratie inclusie doelgroep "
    "indicatie wsw banenafspraak werkfit leerwerkbedrijf detachering groepsdetachering "
    "loonwaarde arbeidsmarktregio werkbedrijf uitkering bijstand schuldhulp taal "
    "digitale vaardigheden zorg welzijn onderwijs mbo praktijkonderwijs entree "
    "dagbesteding arbeidsmatig activeren beschutte werkplek maatwerk specialist "
    "kwaliteit evaluatie pilot resultaat methodiek dienstverlening klantreis casemanager "
    "netwerk bestuur wethouder beleid monitoring dashboard kengetallen businesscase"
).split()
# Everyday words: a few thousand generated Dutch-looking words, so that a domain word occurs in
# roughly one product in ten, as it would in a real library.
FILLER = [
    f"{a}{b}{c}"
    for a in "ver be ont over samen werk leer door in uit op mee".split()
    for b in "del stand houd plan wijs kracht punt lijn kad vorm gang slag ruim zicht tocht bron "
    "bas koppel rout stap".split()
    for c in "ing en er heid sel baar lijk ig te kje ster erij ling nis aar ief ist sch ijn um".split()
]
DOMAIN_SHARE = 0.03
TYPES = "scan format werkvorm instrument ontwikkelmodule training handreiking".split()
STATUSES = "idee in_ontwikkeling pilot beschikbaar uitgefaseerd".split()
GROUPS = (
    "Beleidsadviseurs gemeenten, Jobcoaches SOB, Werkgevers, Regio-adviseurs, Klantmanagers, "
    "Bestuurders, Leidinggevenden SOB, Onderwijsinstellingen"
).split(", ")
LINES = (
    "Arbeidsmarktfunctionaliteiten, Governance, Financiën, Scenario's, Vakmanschap, "
    "Regionale samenwerking, Beschut werk, Monitoring"
).split(", ")
# A werkblad section's number of words.
SECTIONS = dict(
    aanleiding=60,
    doel=40,
    doelgroep=30,
    randvoorwaarden=40,
    uitvoering=30,
    onderbouwing=60,
    resultaten=40,
    overdraagbaarheid=30,
)
API_URL = "/api/productbibliotheek/v1/producten"
QUERIES = [
    ("jobcoach", {}),
    ("beschut werk", {"type": "werkvorm"}),
    ("scan arbeidsmarkt", {}),
    ("loonkostensubsidie werkgevers", {"fase": "beschikbaar"}),
    ("governance", {"type": "handreiking"}),
    ("financiering scenario", {}),
    ("praktijkroute mbo", {"fase": "pilot"}),
    ("detachering", {"type": "instrument"}),
    ("schuldhulp", {}),
    ("klantreis casemanager", {}),
]


def text(rng: random.Random, n: int) -> str:
    return " ".join(
        rng.choice(WORDS) if rng.random() < DOMAIN_SHARE else rng.choice(FILLER) for _ in range(n)
    )


def ensure_products(target: int, rng: random.Random) -> float:
    """Bulk-insert generated products until `target` exist; return the seconds it took."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import Page

    from products.models import ProductLibraryPage, ProductPage, Region, TargetGroup

    library = ProductLibraryPage.objects.get()
    existing = ProductPage.objects.count()
    if existing >= target:
        return 0.0
    started = time.perf_counter()
    now = timezone.now()
    lines = _ensure_lines(now)
    groups = [
        TargetGroup.objects.get_or_create(slug=f"bench-doelgroep-{i}", defaults={"name": name})[0]
        for i, name in enumerate(GROUPS)
    ]
    regions = list(Region.objects.all())
    from taggit.models import Tag

    tags = [
        Tag.objects.get_or_create(slug=f"bench-{w}", defaults={"name": f"{w} (bench)"})[0]
        for w in WORDS[:40]
    ]
    content_type = ContentType.objects.get_for_model(ProductPage)
    child_fields = [f for f in ProductPage._meta.local_concrete_fields]
    last_child = library.get_last_child()
    next_number = int(last_child.path[-4:], 36) + 1 if last_child else 1
    batch_size = 1000
    with tqdm(total=target - existing, unit=" producten", desc=f"Genereren tot {target}") as bar:
        while existing < target:
            size = min(batch_size, target - existing)
            pages = []
            for i in range(size):
                n = existing + i
                kind = rng.choice(TYPES)
                title = f"{kind.capitalize()} {rng.choice(WORDS)} {rng.choice(WORDS)} {n}"
                path = library.path + _base36(next_number + i)
                pages.append(
                    ProductPage(
                        path=path,
                        depth=library.depth + 1,
                        numchild=0,
                        title=title,
                        draft_title=title,
                        slug=f"bench-{n}",
                        content_type=content_type,
                        live=True,
                        has_unpublished_changes=False,
                        url_path=f"{library.url_path}bench-{n}/",
                        first_published_at=now,
                        last_published_at=now,
                        live_revision=None,
                        locale_id=library.locale_id,
                        product_type=kind,
                        lifecycle_status=rng.choice(STATUSES),
                        summary=text(rng, 30),
                        **{name: f"<p>{text(rng, words)}</p>" for name, words in SECTIONS.items()},
                        aanpak=[],
                        version="1.0",
                    )
                )
            with transaction.atomic():
                Page.objects.bulk_create(
                    [
                        Page(
                            **{
                                f.attname: getattr(p, f.attname)
                                for f in Page._meta.local_concrete_fields
                                if f.attname != "id"
                            }
                        )
                        for p in pages
                    ]
                )
                ids = list(
                    Page.objects.filter(path__in=[p.path for p in pages])
                    .order_by("path")
                    .values_list("pk", flat=True)
                )
                for page, pk in zip(pages, ids, strict=True):
                    page.pk = page.id = page.page_ptr_id = pk
                ProductPage._base_manager._insert(pages, fields=child_fields, using="default")
                _bulk_relations(pages, lines, groups, regions, tags, rng)
            next_number += size
            existing += size
            bar.update(size)
    Page.objects.filter(pk=library.pk).update(
        numchild=ProductPage.objects.child_of(library).count()
    )
    return time.perf_counter() - started


def _base36(number: int) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    for _ in range(4):
        number, rest = divmod(number, 36)
        out = alphabet[rest] + out
    return out


def _ensure_lines(now):
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import Page

    from products.models import DevelopmentLineIndexPage, DevelopmentLinePage

    index = DevelopmentLineIndexPage.objects.first()
    lines = list(DevelopmentLinePage.objects.filter(slug__startswith="bench-lijn-"))
    if lines or index is None:
        return lines
    content_type = ContentType.objects.get_for_model(DevelopmentLinePage)
    start = (int(index.get_last_child().path[-4:], 36) + 1) if index.get_last_child() else 1
    for i, name in enumerate(LINES):
        # bulk_create: the benchmark writes pages straight to the database, without the gate.
        [page] = Page.objects.bulk_create(
            [
                Page(
                    path=index.path + _base36(start + i),
                    depth=index.depth + 1,
                    numchild=0,
                    title=name,
                    draft_title=name,
                    slug=f"bench-lijn-{i}",
                    content_type=content_type,
                    live=True,
                    url_path=f"{index.url_path}bench-lijn-{i}/",
                    first_published_at=now,
                    locale_id=index.locale_id,
                )
            ]
        )
        line = DevelopmentLinePage(
            page_ptr_id=page.pk, summary=name, goal="", lead="", status="gepland"
        )
        line.__dict__.update(
            {f.attname: getattr(page, f.attname) for f in Page._meta.local_concrete_fields}
        )
        DevelopmentLinePage._base_manager._insert(
            [line], fields=DevelopmentLinePage._meta.local_concrete_fields, using="default"
        )
    Page.objects.filter(pk=index.pk).update(numchild=index.get_children().count())
    return list(DevelopmentLinePage.objects.filter(slug__startswith="bench-lijn-"))


def _bulk_relations(pages, lines, groups, regions, tags, rng):
    from products.models import ProductPage, ProductPageTag

    through = (
        (ProductPage.development_lines.through, "productpage_id", "developmentlinepage_id"),
        (ProductPage.target_groups.through, "productpage_id", "targetgroup_id"),
        (ProductPage.regions.through, "productpage_id", "region_id"),
        (ProductPageTag, "content_object_id", "tag_id"),
    )
    choices = ((lines, 1, 2), (groups, 1, 3), (regions, 0, 4), (tags, 1, 3))
    for (model, owner, column), (values, fewest, most) in zip(through, choices, strict=True):
        model.objects.bulk_create(
            [
                model(**{owner: page.pk, column: value.pk})
                for page in pages
                for value in rng.sample(values, k=rng.randint(fewest, most))
            ]
        )


STOCK_LIMIT_SECONDS = 60


def _limited(fn, runs: int) -> str:
    """`timed`, with each statement cancelled after STOCK_LIMIT_SECONDS (PostgreSQL)."""
    from django.db import OperationalError

    def run():
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL statement_timeout = '{STOCK_LIMIT_SECONDS}s'")
            fn()

    try:
        return timed(run, runs)
    except OperationalError:
        return f"more than {STOCK_LIMIT_SECONDS} s for a query (cancelled)"


class Figures(dict):
    """The figures of one size, each printed as soon as it is measured."""

    def __setitem__(self, name: str, value: str) -> None:
        super().__setitem__(name, value)
        print(f"{name:60} {value}", flush=True)


def machine() -> str:
    """The machine's state, to read the figures by: on a shared machine the same code runs up to
    twice as fast from one minute to the next. The probe is plain Python arithmetic."""
    started = time.perf_counter()
    sum(number * number for number in range(5_000_000))
    probe = time.perf_counter() - started
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"load average {load} on {os.cpu_count()} cores; CPU probe {probe:.3f} s "
        "(5,000,000 squares summed; lower is faster)"
    )


def timed(fn, runs: int) -> str:
    """Median and 95th percentile of `fn()`, formatted."""
    median, p95 = timings(fn, runs)
    return f"median {median:.1f} ms, p95 {p95:.1f} ms"


def timings(fn, runs: int) -> tuple[float, float]:
    """Median and 95th percentile of `fn()` in milliseconds."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def _bench_full_indexing(figures, size: int, stock_backend) -> None:
    from products.models import ProductPage
    from search.indexing import rebuild_product_index

    # Full indexing: hubcms's product index.
    started = time.perf_counter()
    with tqdm(total=size, unit=" producten", desc="Productindex opbouwen") as bar:
        indexed = rebuild_product_index(progress=bar.update)
    seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    figures["full index, hubcms product index"] = (
        f"{indexed / seconds:.0f} products/s ({seconds:.1f} s)"
    )

    # Full indexing into Wagtail's index table with the stock backend.
    queryset = ProductPage.get_indexed_objects().order_by("pk")
    index = stock_backend.get_index_for_model(ProductPage)
    started, done = time.perf_counter(), 0
    with tqdm(total=size, unit=" producten", desc="Index: stock Wagtail backend") as bar:
        for start in range(0, size, 1000):
            chunk = list(queryset[start : min(start + 1000, size)])
            index.add_items(ProductPage, chunk)
            done += len(chunk)
            bar.update(len(chunk))
    seconds = time.perf_counter() - started
    figures["full index, stock Wagtail backend"] = (
        f"{done / seconds:.0f} products/s ({done} in {seconds:.1f} s)"
    )
    if connection.vendor == "postgresql":
        # As autovacuum would after a bulk load (this machine's PostgreSQL runs without it):
        # without statistics and a visibility map, the stock backend's queries plan blindly.
        from wagtail.search.models import IndexEntry

        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {IndexEntry._meta.db_table}")


def bench_size(size: int, runs: int, stock_backend, *, skip_indexing: bool = False) -> dict:
    from products.models import ProductLibraryPage, ProductPage
    from search.indexing import index_product
    from search.services import ProductQuery, search_products

    client = Client()
    library = ProductLibraryPage.objects.get()
    figures = Figures()

    if not skip_indexing:
        _bench_full_indexing(figures, size, stock_backend)

    # Re-index one product on save.
    # A random sample by id: ORDER BY random() over the whole table sorts every werkblad.
    live_ids = list(ProductPage.objects.live().values_list("pk", flat=True))
    sample = list(ProductPage.objects.filter(pk__in=_rng.sample(live_ids, runs // 2 or 1)))
    figures["re-index one, hubcms product index"] = timed(
        lambda: index_product(page_id=rng_choice(sample).pk), runs
    )
    figures["re-index one, stock Wagtail backend"] = timed(
        lambda: stock_backend.add(rng_choice(sample)), runs
    )
    if connection.vendor == "postgresql":
        # As autovacuum would (off on this machine): without it, each run's re-indexed rows
        # stay in the GIN index's pending list, which every later search then reads.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) hubsearch_productsearchdocument")

    # Queries: the page, the service, the API, the stock backend.
    queries = list(QUERIES)
    position = {"i": 0}

    def next_query():
        position["i"] += 1
        return queries[position["i"] % len(queries)]

    def page_request():
        q, facets = next_query()
        response = client.get(library.url, {"q": q, **facets})
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

    api_status = client.get(API_URL, {"q": "jobcoach"}).status_code

    def api_request():
        q, facets = next_query()
        params = {"q": q}
        if "type" in facets:
            params["productType"] = facets["type"]
        if "fase" in facets:
            params["lifecycleStatus"] = facets["fase"]
        response = client.get(API_URL, params)
        assert response.status_code == 200, response.status_code

    def stock_search():
        q, facets = next_query()
        qs = ProductPage.objects.live().public()
        if "type" in facets:
            qs = qs.filter(product_type=facets["type"])
        if "fase" in facets:
            qs = qs.filter(lifecycle_status=facets["fase"])
        results = stock_backend.search(q, qs)
        list(results[:20])
        results.count()

    for _ in range(3):
        page_request()
        service_call()
    figures["search page (view, with facets)"] = timed(page_request, runs)
    figures["search service search_products"] = timed(service_call, runs)
    if api_status == 200:
        figures["search API /producten (view, with facets)"] = timed(api_request, runs)
    else:
        figures["search API /producten (view, with facets)"] = f"not measured (HTTP {api_status})"

    def only(fn, index: int):
        def run():
            position["i"] = index - 1  # next_query() gives query `index`
            fn()

        return run

    # Per query, enough runs for a median that a loaded machine does not sway much.
    for index, (q, facets) in enumerate(queries):
        page_median, _ = timings(only(page_request, index), max(5, runs // 4))
        api_median, _ = timings(only(api_request, index), max(5, runs // 4))
        label = " ".join([q, *(f"{k}={v}" for k, v in facets.items())])
        figures[f"  per query: {label}"] = (
            f"page median {page_median:.1f} ms, API {api_median:.1f} ms"
        )
    figures["browse without query (page, all facets)"] = timed(
        lambda: client.get(library.url), max(5, runs // 3)
    )
    # The floor: what any page of the website costs here (routing, menu, template), no search.
    statement = "/toegankelijkheid/"
    if client.get(statement).status_code == 200:
        figures["an information page, no search (floor of a website page)"] = timed(
            lambda: client.get(statement), max(5, runs // 3)
        )
    # Last, and with a time limit: on a slow machine one stock query can take minutes.
    figures["stock Wagtail backend search (top 20 + count, no facets)"] = _limited(
        stock_search, max(5, runs // 12)
    )
    return figures


_rng = random.Random(7)


def rng_choice(items):
    return _rng.choice(items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, action="append", help="sizes, e.g. 10000 100000")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument(
        "--skip-indexing",
        action="store_true",
        help="measure searches on the index as it is (no full re-index of either backend)",
    )
    args = parser.parse_args()
    sizes = sorted(args.products or [10000])

    call_command("migrate", verbosity=0)
    from core.bootstrap import bootstrap_hub

    bootstrap_hub(demo=False)
    from modelsearch.backends.database import SearchBackend as stock_factory

    stock_backend = stock_factory({"SEARCH_CONFIG": "dutch"})
    rng = random.Random(2026)
    print(f"Database: {connection.vendor}; {machine()}")
    for size in sizes:
        generated = ensure_products(size, rng)
        print(f"\n== {size} products (generated in {generated:.0f} s) ==")
        figures = bench_size(size, args.runs, stock_backend, skip_indexing=args.skip_indexing)
        print(f"\n== Summary: {size} products ==")
        print(f"At the end: {machine()}")
        for name, value in figures.items():
            print(f"{name:60} {value}")


if __name__ == "__main__":
    main()
