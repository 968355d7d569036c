"""`manage.py export_hub FILE.zip`: write the whole hub in the hub format (version 2)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.hubmove.hubexport import export_hub


class Command(BaseCommand):
    help = (
        "Exporteert de hele hub naar één zip-bestand: kwaliteitskader, ontwikkellijnen, "
        "innovatieagenda, producten met bestanden en eigenaren (per e-mailadres), pilots, "
        "maatwerkspecialisten, certificeringen, kennissignalen, partneroverleggen en synoniemen. "
        "import_hub leest het in een nieuwe hub."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="het zip-bestand dat wordt geschreven")

    def handle(self, *args, file: Path, **options):
        if file.suffix.lower() != ".zip":
            raise CommandError("Een hub-export is een .zip-bestand; noem het bijvoorbeeld hub.zip.")
        report = export_hub(file)
        for warning in report.warnings:
            self.stderr.write(warning)
        self.stdout.write(report.summary())
