"""`manage.py restore_hub <folder>`: restore a backup made by backup_hub (`make restore`)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.security.backups import BackupError, Database, restore_backup


class Command(BaseCommand):
    help = "Zet een backup van backup_hub terug: database en media."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="de map van de backup (hubcms-<tijd>)")
        parser.add_argument(
            "--into",
            help="DATABASE_URL van een andere (lege) database, bijvoorbeeld voor een hersteltest",
        )
        parser.add_argument("--media-into", help="een andere map voor de media")
        parser.add_argument(
            "--force", action="store_true", help="overschrijf een database die niet leeg is"
        )

    def handle(self, *args, **options):
        try:
            manifest = restore_backup(
                source=Path(options["backup"]),
                database=Database.from_url(options["into"]) if options["into"] else None,
                media_root=Path(options["media_into"]) if options["media_into"] else None,
                force=options["force"],
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{table}: {n}" for table, n in manifest["row_counts"].items())
        self.stdout.write(f"Backup van {manifest['created_at']} teruggezet ({counts}).")
