"""`manage.py import_products FILE`: create or update product drafts from a JSON or CSV file."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from products.importexport import import_products
from quality.migration import migration_reviewer, publish_imported_products


class Command(BaseCommand):
    help = (
        "Importeert producten uit een JSON- of CSV-bestand als concepten (nieuwe producten "
        "worden niet gepubliceerd; bestaande krijgen een nieuwe revisie). Bij één fout in het "
        "bestand wordt niets geïmporteerd."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="het JSON- of CSV-bestand")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="controleer het bestand en toon wat er zou gebeuren, zonder iets op te slaan",
        )
        parser.add_argument(
            "--format",
            choices=["json", "csv"],
            dest="file_format",
            help="de bestandssoort, als de extensie die niet aangeeft",
        )
        parser.add_argument(
            "--user",
            help="gebruikersnaam die als auteur van de nieuwe revisies wordt vastgelegd",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="publiceer de geïmporteerde producten die alle blokkerende automatische criteria "
            "halen, met een kwaliteitstoets van --approved-by",
        )
        parser.add_argument(
            "--approved-by",
            dest="approved_by",
            help="gebruikersnaam van de kwaliteitsbewaker die de gemigreerde inhoud goedkeurt",
        )

    def handle(self, *args, file: Path, dry_run: bool, file_format: str | None, **options):
        user = self.acting_user(options.get("user"))
        reviewer = self.approving_reviewer(options.get("publish"), options.get("approved_by"))
        report = import_products(file, dry_run=dry_run, user=user, file_format=file_format)
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(report.summary())
        for line in report.lines():
            self.stdout.write(line)
        if reviewer is not None and not dry_run:
            result = publish_imported_products(outcomes=report.records, reviewer=reviewer)
            for line in result.published:
                self.stdout.write(line)
            for line in result.refused:
                self.stderr.write(f"Niet gepubliceerd: {line}")
            if result.refused:
                raise CommandError(
                    f"{len(result.refused)} product(en) niet gepubliceerd; zij zijn wel als "
                    "concept geïmporteerd."
                )
        return None

    def approving_reviewer(self, publish: bool, username: str | None):
        if not publish:
            if username:
                raise CommandError("--approved-by hoort bij --publish.")
            return None
        if not username:
            raise CommandError("Noem bij --publish de kwaliteitsbewaker met --approved-by.")
        try:
            return migration_reviewer(username=username)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error

    def acting_user(self, username: str | None):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Gebruiker '{username}' bestaat niet.")
        return user
