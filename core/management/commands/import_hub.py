"""`manage.py import_hub FILE.zip`: read a hub export into a fresh hub, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.hubmove.hubimport import import_hub


class Command(BaseCommand):
    help = (
        "Importeert een hub-export (zip, formaatversie 2) in een nieuwe hub (na bootstrap_hub, "
        "zonder --demo). Bij één probleem wordt niets geïmporteerd. Pagina's komen als concept "
        "binnen; met --approved-by legt die kwaliteitsbewaker een kwaliteitstoets vast voor wat "
        "in de vorige hub gepubliceerd was, en gaat het via de kwaliteitspoort live. "
        "Productbestanden (formaatversie 1, .json of .csv) importeer je met import_products."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="het zip-bestand van export_hub")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="controleer alles en toon wat er zou gebeuren, zonder iets op te slaan",
        )
        parser.add_argument(
            "--user",
            help="gebruikersnaam of e-mailadres van de auteur van de nieuwe revisies",
        )
        parser.add_argument(
            "--approved-by",
            dest="approved_by",
            help="gebruikersnaam of e-mailadres van de kwaliteitsbewaker die de overgenomen "
            "inhoud toetst; zonder deze optie blijft alles concept",
        )

    def handle(self, *args, file: Path, dry_run: bool, user, approved_by, **options):
        report = import_hub(file, dry_run=dry_run, user=user, approved_by=approved_by)
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(report.summary())
        for line in report.lines():
            self.stdout.write(line)
        if report.refused:
            raise CommandError(
                f"{len(report.refused)} pagina('s) niet gepubliceerd; zij zijn wel als concept "
                "geïmporteerd."
            )
