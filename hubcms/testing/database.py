"""One migrated, bootstrapped SQLite test database per session, copied by every xdist worker.

Migrating the whole project and running `bootstrap_hub` costs each pytest-xdist worker about as
much as a hundred ordinary tests. On SQLite (an in-memory test database per worker) the first
worker to need a database builds it and saves a copy in the session's shared temporary folder;
every other worker waits for that copy under a file lock and loads it with SQLite's backup API
instead of migrating again. PostgreSQL, and a run without xdist, build their database as before.
"""

import fcntl
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test.utils import teardown_databases

import pytest

TEMPLATE_NAME = "hub-template.sqlite3"


def shareable(connection: BaseDatabaseWrapper) -> bool:
    """Whether the connection's test database is SQLite in memory (each worker has its own)."""
    if connection.vendor != "sqlite":
        return False
    return connection.creation.is_in_memory_db(connection.creation._get_test_db_name())


def session_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder that every xdist worker of this session shares (pytest's own
    folder for the session without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def template_path(session_folder: Path) -> Path | None:
    """Where this session's workers share the template, or None when there is nothing to share
    (no xdist, another database than SQLite, or more than one database)."""
    if not os.environ.get("PYTEST_XDIST_WORKER") or len(connections.all()) != 1:
        return None
    if not shareable(connections["default"]):
        return None
    return session_folder / TEMPLATE_NAME


@contextmanager
def exclusive(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file: one worker at a time builds or reads the template."""
    with lock_file.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def swappable(connection: BaseDatabaseWrapper) -> bool:
    """Whether the session's only database is SQLite in memory, whose content a test module may
    swap for another (hubcms/testing/demo.py)."""
    return len(connections.all()) == 1 and shareable(connection)


def copy_to_memory() -> sqlite3.Connection:
    """A copy of the default connection's database, as it is now, in a new in-memory database."""
    connection = connections["default"]
    connection.ensure_connection()
    copy = sqlite3.connect(":memory:")
    connection.connection.backup(copy)
    return copy


def restore_from(source: sqlite3.Connection) -> None:
    """Replace the default connection's database with the content of `source`."""
    connection = connections["default"]
    connection.ensure_connection()
    source.backup(connection.connection)


def save_template(path: Path) -> None:
    """Write the worker's test database, as it is now, to the template file."""
    save_copy(path)
    _session_template.append(path)


def save_copy(path: Path) -> None:
    """Write the worker's test database, as it is now, to the file (atomically)."""
    connection = connections["default"]
    connection.ensure_connection()
    partial = path.with_suffix(".partial")
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    partial.rename(path)  # a worker never sees half a copy


# The template this worker saved or loaded, for `restore_template`.
_session_template: list[Path] = []


def restore_template() -> bool:
    """Put the session's migrated, bootstrapped hub back into this worker's database, as a
    transactional test's flush left it empty; False when there is no template (PostgreSQL, no
    xdist) or the connection is inside a transaction."""
    connection = connections["default"]
    if not _session_template or connection.in_atomic_block:
        return False
    with closing(sqlite3.connect(_session_template[-1])) as template:
        restore_from(template)
    return True


def load_template(path: Path, *, verbosity: int) -> Callable[[], None]:
    """Point the default connection at its in-memory test database (as Django's
    `create_test_db` does), fill it from the template and return its teardown."""
    connection = connections["default"]
    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation._get_test_db_name()
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    connection.ensure_connection()
    source = sqlite3.connect(path)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    _session_template.append(path)

    def teardown() -> None:
        teardown_databases([(connection, old_name, True)], verbosity=verbosity)

    return teardown
