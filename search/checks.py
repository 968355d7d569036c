"""A system check for the squashed search migrations (see docs/decisions.md)."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder


@register(Tags.database)
def search_migrations_reached_0009(
    *, app_configs: Sequence[AppConfig] | None, databases: Sequence[str] | None, **kwargs: Any
) -> list[CheckMessage]:
    """A database stopped between hubsearch 0001 and 0008 is not one the squash recognises:
    Django would skip the app silently, so `migrate` stops with this error instead."""
    errors: list[CheckMessage] = []
    for alias in databases or []:
        recorder = MigrationRecorder(connections[alias])
        if not recorder.has_table():
            continue
        applied = {name for app, name in recorder.applied_migrations() if app == "hubsearch"}
        if applied and "0009_more_synonyms" not in applied:
            errors.append(
                Error(
                    "De zoekmigraties van deze database staan tussen 0001 en 0008. Migreer eerst "
                    "met een versie van hubcms van vóór het samenvoegen van de zoekmigraties tot "
                    "hubsearch 0009_more_synonyms; daarna kan deze versie migreren.",
                    id="hubsearch.E001",
                )
            )
    return errors
