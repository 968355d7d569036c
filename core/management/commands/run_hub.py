"""`make run`: the web server, the task worker and the scheduler together; one Ctrl-C stops all.

Tasks go through the database queue here, as in production, so scheduled publications, search
re-indexing, mail and reminders happen the way they do on a server.
"""

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Start de webserver, de taakverwerker en de planner samen (Ctrl-C stopt alles)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options):
        env = {**os.environ, "TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}
        manage = [sys.executable, "manage.py"]
        commands = {
            "webserver": [*manage, "runserver", addrport],
            "taakverwerker": [*manage, "db_worker", "--interval", "1"],
            "planner": [*manage, "run_scheduler"],
        }
        processes = {name: subprocess.Popen(cmd, env=env) for name, cmd in commands.items()}
        self.stdout.write(f"hubcms draait op http://{addrport}/ (Ctrl-C stopt alles)")
        try:
            while all(process.poll() is None for process in processes.values()):
                time.sleep(0.5)
            stopped = [name for name, process in processes.items() if process.poll() is not None]
            self.stderr.write(f"gestopt: {', '.join(stopped)}; de rest wordt ook gestopt")
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)
            for process in processes.values():
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
