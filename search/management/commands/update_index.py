"""`manage.py update_index`: Wagtail's index rebuild, then the product library's own index.

Shows a progress bar per model and per product index (tqdm, on stderr), and ends each product
index with its throughput. With a search engine configured (SEARCH_URL), the engine's index is
rebuilt too: bulk-loaded into a new index, then the alias swapped.
"""

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from django.core.management.base import CommandError, CommandParser

from wagtail.search.management.commands.update_index import Command as WagtailUpdateIndex

from tqdm import tqdm

from search.documents import indexable_products
from search.indexing import rebuild_product_index
from search.opensearch.client import SearchEngineUnavailable, alias_name, configured
from search.opensearch.indexing import rebuild_index

T = TypeVar("T")


class Command(WagtailUpdateIndex):
    help = "Bouwt de zoekindexen opnieuw op: die van Wagtail en die van de productbibliotheek."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--products-only",
            action="store_true",
            help="Alleen de zoekindex van de productbibliotheek opnieuw opbouwen.",
        )

    def print_iter_progress(self, iterable: Iterable[T]) -> Iterator[T]:
        # A progress bar in chunks of `chunk_size` objects instead of Wagtail's dots.
        yield from tqdm(
            iterable,
            unit=" blokken",
            disable=self.verbosity == 0,
            leave=False,
            mininterval=0.5,
            file=self.stderr._out,
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options.get("products_only"):
            super().handle(**options)
        self.verbosity = options["verbosity"]
        total = indexable_products().count()
        self.rebuild("Productbibliotheek", rebuild_product_index, total)
        if configured():
            try:
                self.rebuild(f"Zoekmachine ({alias_name()})", rebuild_index, total)
            except SearchEngineUnavailable as error:
                raise CommandError(f"De zoekmachine is niet bereikbaar: {error}") from error
            self.write("De alias wijst naar de nieuwe index.")

    def rebuild(self, name: str, rebuild: Callable[..., int], total: int) -> None:
        """Run one index's rebuild with a progress bar, then report its throughput."""
        started = time.perf_counter()
        with tqdm(
            total=total,
            unit=" producten",
            desc=name,
            disable=self.verbosity == 0,
            file=self.stderr._out,
        ) as bar:
            indexed = rebuild(progress=bar.update)
        seconds = time.perf_counter() - started
        rate = indexed / seconds if seconds else 0
        self.write(
            f"{name}: {indexed} producten geïndexeerd in {seconds:.1f} s ({rate:.0f} per seconde)."
        )
