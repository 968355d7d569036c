"""`manage.py backup_hub`: back up the database and the media files (`make backup`)."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.security.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Maakt een backup van de database en de media (bestanden) in BACKUP_DIR."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            default=os.environ.get("BACKUP_DIR", str(Path(settings.BASE_DIR) / "backups")),
            help="map waarin de backup komt (standaard BACKUP_DIR of ./backups)",
        )

    def handle(self, *args, **options):
        try:
            target = create_backup(backup_dir=Path(options["dir"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup gemaakt: {target}")
