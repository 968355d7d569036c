"""`manage.py export_products`: write all products in the format that import_products reads."""

from pathlib import Path

from django.core.management.base import BaseCommand

from products.importexport import export_products


class Command(BaseCommand):
    help = (
        "Exporteert alle producten als JSON (standaard) of CSV, in het formaat dat "
        "import_products leest. Standaard de laatste revisie (het concept) van elk product; "
        "met --live alleen gepubliceerde producten met hun gepubliceerde inhoud. Downloads "
        "worden als bestanden naast de export geschreven."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="schrijf naar dit bestand (.json of .csv) in plaats van naar standaarduitvoer",
        )
        parser.add_argument(
            "--format",
            choices=["json", "csv"],
            dest="file_format",
            help="de bestandssoort; standaard volgens de extensie van --output, anders JSON",
        )
        parser.add_argument(
            "--live",
            action="store_true",
            help="alleen gepubliceerde producten, met hun gepubliceerde inhoud",
        )
        parser.add_argument(
            "--downloads-dir",
            type=Path,
            help="map voor de downloadbestanden (standaard <naam>-bestanden naast de export)",
        )
        parser.add_argument(
            "--no-downloads",
            action="store_true",
            help="laat downloads weg: geen bestanden en geen downloads in de records",
        )

    def handle(self, *args, output, file_format, live, downloads_dir, no_downloads, **options):
        report = export_products(
            output=output,
            stream=self.stdout if output is None else None,
            file_format=file_format,
            live=live,
            include_downloads=not no_downloads,
            downloads_dir=downloads_dir,
        )
        for warning in report.warnings:
            self.stderr.write(warning)
        self.stderr.write(report.summary())
