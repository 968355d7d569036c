#!/usr/bin/env python
"""Django's command-line utility for hubcms."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubcms.settings.dev")
    # Commands (migrate, update_index, backups) may run long statements: no statement timeout
    # unless one is given. The web processes (wsgi.py) keep the default of the settings.
    os.environ.setdefault("DB_STATEMENT_TIMEOUT_SECONDS", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
