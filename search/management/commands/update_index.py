"""`manage.py update_index`: Wagtail's index rebuild, then the product library's own index.

Shows a progress bar per model and for the product index (tqdm, on stderr), and ends with the
throughput of the product index. With a search engine configured (SEARCH_URL), the engine's
index is rebuilt too: bulk-loaded into a new index, then the alias swapped (its own bar).
"""

import time
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from django.core.management.base import CommandParser

from wagtail.search.management.commands.update_index import Command as WagtailUpdateIndex

from tqdm import tqdm

from search.indexing import rebuild_product_index

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
        started = time.perf_counter()
        from search.documents import indexable_products

        total = indexable_products().count()
        with tqdm(
            total=total,
            unit=" producten",
            desc="Productbibliotheek",
            disable=self.verbosity == 0,
            file=self.stderr._out,
        ) as bar:
            indexed = rebuild_product_index(progress=bar.update)
        seconds = time.perf_counter() - started
        rate = indexed / seconds if seconds else 0
        self.write(
            f"Productbibliotheek: {indexed} producten geïndexeerd in {seconds:.1f} s "
            f"({rate:.0f} per seconde)."
        )
        from search.opensearch.client import configured

        if configured():
            self.rebuild_search_engine(total)

    def rebuild_search_engine(self, total: int) -> None:
        from search.opensearch.client import SearchEngineUnavailable, alias_name
        from search.opensearch.indexing import rebuild_index

        started = time.perf_counter()
        try:
            with tqdm(
                total=total,
                unit=" producten",
                desc="Zoekmachine",
                disable=self.verbosity == 0,
                file=self.stderr._out,
            ) as bar:
                indexed = rebuild_index(progress=bar.update)
        except SearchEngineUnavailable as error:
            from django.core.management.base import CommandError

            raise CommandError(f"De zoekmachine is niet bereikbaar: {error}") from error
        seconds = time.perf_counter() - started
        rate = indexed / seconds if seconds else 0
        self.write(
            f"Zoekmachine ({alias_name()}): {indexed} producten geïndexeerd in {seconds:.1f} s "
            f"({rate:.0f} per seconde); de alias wijst naar de nieuwe index."
        )
