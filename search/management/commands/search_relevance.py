"""`manage.py search_relevance`: the relevance set's MRR@10 on the search engine in use."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from core.bootstrap import bootstrap_hub
from search.engines import get_engine
from search.relevance import judge, mean_reciprocal_rank


class Command(BaseCommand):
    help = "Meet de relevantie van de zoekfunctie (MRR@10) met de relevantieset op de demohub."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-bootstrap",
            action="store_true",
            help="De demohub en de zoekindex niet eerst (opnieuw) opbouwen.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_bootstrap"]:
            bootstrap_hub(demo=True)
            call_command("update_index", products_only=True, verbosity=0)
        judged = judge()
        kinds: dict[str, list[Any]] = {}
        for case in judged:
            kinds.setdefault(case.kind, []).append(case)
            if case.rank != 1:
                self.stdout.write(
                    f"  {case.query!r} ({case.kind}): eerste relevante op {case.rank or '-'}; "
                    f"bovenaan {case.found[:3]}"
                )
        for kind, cases in kinds.items():
            self.stdout.write(f"{kind:14} MRR@10 {mean_reciprocal_rank(cases):.3f} ({len(cases)})")
        engine = type(get_engine()).__name__
        self.stdout.write(
            f"{engine}: MRR@10 {mean_reciprocal_rank(judged):.3f} over {len(judged)} zoekvragen"
        )
