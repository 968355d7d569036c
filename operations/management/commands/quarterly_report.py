"""`python manage.py quarterly_report 2026-Q1 [--xlsx file.xlsx]`: the quarterly report as text."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from operations.reports import quarterly_report, report_as_xlsx


class Command(BaseCommand):
    help = "De kwartaalrapportage van de hub: wat er in een kwartaal is opgeleverd."

    def add_arguments(self, parser):
        parser.add_argument("quarter", help="Het kwartaal, bijvoorbeeld 2026-Q1.")
        parser.add_argument("--xlsx", metavar="BESTAND", help="Schrijf de rapportage ook als XLSX.")

    def handle(self, *args, **options):
        try:
            report = quarterly_report(quarter=options["quarter"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        q = report.quarter
        self.stdout.write(
            f"Kwartaalrapportage {q} ({q.first_day:%d-%m-%Y} t/m {q.last_day:%d-%m-%Y})"
        )
        self.stdout.write("")
        width = max(len(label) for label, _ in report.labelled_figures)
        for label, value in report.labelled_figures:
            shown = "n.v.t." if value is None else value
            self.stdout.write(f"  {label.ljust(width)}  {shown}")
        for section in report.sections:
            self.stdout.write("")
            self.stdout.write(section.title)
            if not section.rows:
                self.stdout.write(f"  {section.empty_text}")
            for row in section.rows:
                cells = (str(value).replace("\n", "; ") for value in row if value != "")
                self.stdout.write("  - " + " | ".join(cells))
        if options["xlsx"]:
            path = Path(options["xlsx"])
            path.write_bytes(report_as_xlsx(report))
            self.stdout.write("")
            self.stdout.write(f"XLSX geschreven naar {path}")
