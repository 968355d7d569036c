"""`make backup` / `make restore`: a backup restored into an empty database has everything intact."""

import hashlib
import io
import os
import sqlite3
import stat
import subprocess
import tarfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from wagtail.documents.models import Document
from wagtail.images.models import Image

import pytest
from PIL import Image as PILImage

from core.security.backups import COUNTED_TABLES
from core.tests.production.conftest import stored_files
from hubcms.testing.factories import ProductPageFactory
from hubcms.testing.publishing import publish


def table_rows(table: str, *, target: str | None = None) -> list:
    """Every row of a table as the database itself prints it, from the test DB or a restored one."""
    if connection.vendor == "postgresql":
        import psycopg

        sql = f'SELECT t::text FROM "{table}" t ORDER BY 1'
        if target is None:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall()
        with psycopg.connect(target) as conn:
            return conn.execute(sql).fetchall()
    sql = f'SELECT * FROM "{table}" ORDER BY 1'
    if target is None:
        connection.ensure_connection()
        return connection.connection.execute(sql).fetchall()
    types = sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES  # as Django reads them
    with sqlite3.connect(target, detect_types=types) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def empty_database(tmp_path):
    """A fresh, empty database of the same kind as the test database: (DATABASE_URL, DB-API target)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "teruggezet.sqlite3"
        yield f"sqlite:///{path}", str(path)
        return
    import psycopg
    from psycopg.conninfo import make_conninfo

    s = connection.settings_dict
    name = f"{s['NAME']}_restore"
    server = make_conninfo(
        dbname="postgres", user=s["USER"] or None, host=s["HOST"] or None, port=str(s["PORT"] or "")
    )
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    user = s["USER"] or "postgres"
    url = f"postgres://{user}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"
    yield url, make_conninfo(server, dbname=name)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restored_backup_has_every_page_revision_assessment_document_and_image(
    hub, media_root, tmp_path, empty_database
):
    from products.models import ProductLibraryPage
    from quality.models import QualityAssessment

    library = ProductLibraryPage.objects.get()
    live = publish(ProductPageFactory(parent=library, title="Werkgeversscan", complete=True))
    live.summary = "Een nieuwe versie in concept."
    live.save_revision()  # a draft on top of the live version
    ProductPageFactory(parent=library, title="Alleen concept").save_revision()
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), "teal").save(buffer, "PNG")
    Image.objects.create(title="Foto", file=ContentFile(buffer.getvalue(), name="foto.png"))
    assert QualityAssessment.objects.exists() and Document.objects.exists()

    backup_dir = tmp_path / "backups"
    call_command("backup_hub", dir=str(backup_dir), stdout=io.StringIO())
    (backup,) = backup_dir.iterdir()

    url, target = empty_database
    restored_media = tmp_path / "teruggezette-media"
    out = io.StringIO()
    call_command("restore_hub", str(backup), into=url, media_into=str(restored_media), stdout=out)
    assert "teruggezet" in out.getvalue()

    for table in COUNTED_TABLES:
        source = table_rows(table)
        assert source, table
        assert table_rows(table, target=target) == source, table
    for item in [*Document.objects.all(), *Image.objects.all()]:
        assert sha256(restored_media / item.file.name) == sha256(media_root / item.file.name)

    # The target is no longer empty: a second restore refuses instead of mixing two hubs.
    with pytest.raises(CommandError, match="niet leeg"):
        call_command("restore_hub", str(backup), into=url, media_into=str(restored_media))

    # A damaged backup is noticed before anything is restored.
    archive = backup / "media.tar.gz"
    archive.write_bytes(archive.read_bytes()[:-10])
    with pytest.raises(CommandError, match="beschadigd"):
        call_command("restore_hub", str(backup), into=url, force=True)


# Item 7 of issue 14: private files, media from any storage, no password on a command line.


@pytest.fixture
def usual_umask():
    """The umask of a server shell (022): without care, files would be world-readable."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_is_readable_by_its_owner_only(hub, media_root, tmp_path, usual_umask):
    backup_dir = tmp_path / "backups"
    call_command("backup_hub", dir=str(backup_dir), stdout=io.StringIO())
    (backup,) = backup_dir.iterdir()

    assert stat.S_IMODE(backup_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(backup.stat().st_mode) == 0o700
    files = sorted(backup.iterdir())
    database = "database.pgdump" if connection.vendor == "postgresql" else "database.sqlite3"
    assert [path.name for path in files] == [database, "manifest.json", "media.tar.gz"]
    assert {oct(stat.S_IMODE(path.stat().st_mode)) for path in files} == {oct(0o600)}


IN_MEMORY_MEDIA = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "exports": {"BACKEND": "core.exports.storage.PrivateExportStorage"},
}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_media_come_from_the_configured_storage_and_go_back_into_it(
    hub, media_root, tmp_path, empty_database, settings
):
    """With S3 (here: Django's in-memory storage) nothing is on the local disk: the backup reads
    the storage itself, and a restore writes the files back into it."""
    settings.STORAGES = IN_MEMORY_MEDIA
    buffer = io.BytesIO()
    PILImage.new("RGB", (32, 24), "teal").save(buffer, "PNG")
    image = Image.objects.create(title="Foto", file=ContentFile(buffer.getvalue(), name="foto.png"))
    document = Document.objects.create(
        title="Handleiding", file=ContentFile(b"Stap 1, stap 2.", name="handleiding.txt")
    )
    assert stored_files(media_root) == []  # nothing on the disk to copy

    backup_dir = tmp_path / "backups"
    call_command("backup_hub", dir=str(backup_dir), stdout=io.StringIO())
    (backup,) = backup_dir.iterdir()
    with tarfile.open(backup / "media.tar.gz") as archive:
        names = set(archive.getnames())
        assert archive.extractfile(image.file.name).read() == buffer.getvalue()
    assert {image.file.name, document.file.name} <= names

    settings.STORAGES = {**IN_MEMORY_MEDIA}  # a new, empty bucket
    from django.core.files.storage import default_storage

    assert not default_storage.exists(document.file.name)
    url, _target = empty_database
    call_command("restore_hub", str(backup), into=url, stdout=io.StringIO())
    with default_storage.open(document.file.name) as handle:
        assert handle.read() == b"Stap 1, stap 2."
    assert default_storage.exists(image.file.name)


@pytest.mark.django_db
def test_the_database_password_is_never_on_a_command_line(hub, media_root, tmp_path, monkeypatch):
    """`ps` shows every process's arguments to every user of the host; the environment it does not."""
    from core.security import backups

    database = backups.Database.from_url("postgres://hub:Geheim-wachtwoord-42@db.example:5432/hub")
    calls = []

    def fake_run(command, **kwargs):
        calls.append((command, kwargs.get("env") or {}))
        for argument in command:
            if argument.startswith("--file="):
                Path(argument.removeprefix("--file=")).write_bytes(b"PGDMP")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(backups.subprocess, "run", fake_run)
    monkeypatch.setattr(backups.Database, "configured", classmethod(lambda cls: database))
    monkeypatch.setattr(backups, "_postgres_has_tables", lambda database: False)

    backup = backups.create_backup(backup_dir=tmp_path / "backups")
    backups.restore_backup(source=backup, database=database, media_root=tmp_path / "terug")

    assert [command[0] for command, _env in calls] == ["pg_dump", "pg_restore"]
    for command, env in calls:
        assert not any("Geheim-wachtwoord-42" in argument for argument in command), command
        assert env["PGPASSWORD"] == "Geheim-wachtwoord-42"
        assert any("db.example" in argument for argument in command)
