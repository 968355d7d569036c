"""Run the hub's clock: scheduled publications, export cleanup and re-review reminders."""

import time

from django.core.management.base import BaseCommand

from core.scheduler import default_jobs, run_due_jobs


class Command(BaseCommand):
    help = "Voert geplande taken uit: publicatie volgens planning, opruimen, herinneringen."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Eén ronde en dan stoppen.")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconden per ronde.")

    def handle(self, *args, once: bool, interval: float, **options):
        jobs = default_jobs()
        try:
            while True:
                for name in run_due_jobs(jobs):
                    self.stdout.write(f"uitgevoerd: {name}")
                if once:
                    return
                time.sleep(interval)
        except KeyboardInterrupt:  # Ctrl-C under `make run`: stop quietly
            return
