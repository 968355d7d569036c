"""`python manage.py cleanup_exports [--days N]`: remove report exports older than the retention
period with their files; the deployment's scheduler runs it every hour."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.exports.services import cleanup_report_exports


class Command(BaseCommand):
    help = "Verwijder rapportexports (en hun bestanden) die ouder zijn dan de bewaartermijn."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Bewaartermijn in dagen (standaard HUBCMS_EXPORTS_RETENTION_DAYS).",
        )

    def handle(self, *args, days: int | None, **options) -> None:
        days = settings.HUBCMS_EXPORTS_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError("De bewaartermijn kan niet negatief zijn.")
        done = cleanup_report_exports(older_than_days=days)
        self.stdout.write(
            f"{done['deleted']} exports ouder dan {days} dagen verwijderd, "
            f"{done['stalled']} vastgelopen exports als mislukt gemarkeerd, "
            f"{done['orphans']} losse bestanden verwijderd."
        )
