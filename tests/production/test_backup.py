"""`make backup` / `make restore`: a backup restored into an empty database has everything intact."""

import hashlib
import io
import sqlite3
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from wagtail.documents.models import Document
from wagtail.images.models import Image

import pytest
from PIL import Image as PILImage

from hubcms.security.backups import COUNTED_TABLES
from tests.factories import ProductPageFactory
from tests.publishing import publish


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
    from content.models import ProductLibraryPage
    from content.quality.models import QualityAssessment

    library = ProductLibraryPage.objects.get()
    live = publish(ProductPageFactory(parent=library, title="Werkgeversscan"))
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
