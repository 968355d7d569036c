"""The squashed search migrations: a database must have reached hubsearch 0009 before upgrading."""

from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

import pytest

pytestmark = pytest.mark.django_db


def test_a_fully_migrated_database_passes_the_check():
    recorder = MigrationRecorder(connection)
    applied = {name for app, name in recorder.applied_migrations() if app == "hubsearch"}
    assert {"0009_more_synonyms", "0001_squashed_0009_more_synonyms"} <= applied
    call_command("check", "--database", "default", "--tag", "database")


def test_a_database_stopped_before_0009_is_refused_with_a_dutch_error():
    recorder = MigrationRecorder(connection)
    recorder.record_unapplied("hubsearch", "0009_more_synonyms")
    recorder.record_unapplied("hubsearch", "0001_squashed_0009_more_synonyms")
    with pytest.raises(SystemCheckError, match="hubsearch.E001.*Migreer eerst"):
        call_command("check", "--database", "default", "--tag", "database")
