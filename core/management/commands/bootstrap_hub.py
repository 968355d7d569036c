"""`python manage.py bootstrap_hub [--demo]`: set up the hub; a second run changes nothing."""

from django.core.management.base import BaseCommand

from core.bootstrap import bootstrap_hub


class Command(BaseCommand):
    help = "Richt de hub in: site, productbibliotheek, rollen en (met --demo) de demohub."

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Maak ook demogebruikers en de inhoud van de demohub aan.",
        )

    def handle(self, *args, **options):
        changes = bootstrap_hub(demo=options["demo"])
        if not changes:
            self.stdout.write("Niets gewijzigd: de hub was al ingericht.")
            return
        for line in changes:
            self.stdout.write(f"- {line}")
        self.stdout.write(self.style.SUCCESS(f"Hub ingericht ({len(changes)} wijzigingen)."))
