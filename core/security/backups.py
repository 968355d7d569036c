"""Backup and restore of the whole hub: the database (SQLite or PostgreSQL) and the media files.

A backup is a folder `hubcms-<UTC time>/` with the database (`database.sqlite3` made with SQLite's
online backup API, or `database.pgdump` from pg_dump's custom format), `media.tar.gz` (every file of
the configured media storage, on disk or S3) and `manifest.json` (vendor, row counts, SHA-256 of
every file). The folder is 0700 and its files 0600: they hold every account's password hash. The
database password reaches pg_dump and pg_restore through PGPASSWORD, never their command line, which
every user of the host can read. `restore_backup` checks the checksums,
refuses a database that already has tables unless forced, and restores the database and the media.
Used by `manage.py backup_hub` / `restore_hub` and `make backup` / `make restore`.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import connection, connections

import dj_database_url
from psycopg.conninfo import make_conninfo

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
COUNTED_TABLES = [
    "wagtailcore_page",
    "wagtailcore_revision",
    "wagtaildocs_document",
    "wagtailimages_image",
    "quality_qualityassessment",
]


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, in Dutch."""


@dataclass(frozen=True)
class Database:
    """Where a database lives: its vendor and how to reach it."""

    vendor: str  # "sqlite" or "postgresql"
    settings_dict: dict[str, Any]

    @classmethod
    def from_url(cls, url: str) -> "Database":
        parsed = dj_database_url.parse(url)
        vendor = "sqlite" if "sqlite" in parsed["ENGINE"] else "postgresql"
        return cls(vendor=vendor, settings_dict=parsed)

    @classmethod
    def configured(cls) -> "Database":
        return cls(vendor=connection.vendor, settings_dict=dict(connection.settings_dict))

    def conninfo(self, *, with_password: bool = True) -> str:
        s = self.settings_dict
        return make_conninfo(
            dbname=s["NAME"],
            user=s.get("USER") or None,
            password=(s.get("PASSWORD") or None) if with_password else None,
            host=s.get("HOST") or None,
            port=str(s["PORT"]) if s.get("PORT") else None,
        )

    def client_environment(self) -> dict[str, str]:
        """The environment for pg_dump and pg_restore: the password in PGPASSWORD."""
        environment = dict(os.environ)
        if self.settings_dict.get("PASSWORD"):
            environment["PGPASSWORD"] = str(self.settings_dict["PASSWORD"])
        return environment


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _row_counts() -> dict[str, int]:
    existing = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for table in COUNTED_TABLES:
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                counts[table] = cursor.fetchone()[0]
    return counts


def _run(command: list[str], *, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} mislukte: {result.stderr.strip()[:500]}")


def _private_folder(path: Path) -> None:
    path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    path.chmod(PRIVATE_FOLDER)


def _walk_storage(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in a storage (FileSystemStorage, S3, ...), through its own listdir."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _walk_storage(storage, f"{folder}/{sub}" if folder else sub)


def _archive_media(archive_path: Path, storage: Storage) -> int:
    """Write every file of the media storage into a tar.gz; return how many."""
    count = 0
    with tarfile.open(archive_path, "w:gz") as archive:
        for name in _walk_storage(storage):
            with storage.open(name, "rb") as handle:
                data = handle.read()
            info = tarfile.TarInfo(name=name)
            info.size = len(data)
            info.mode = 0o640
            info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
            count += 1
    return count


def create_backup(*, backup_dir: Path, storage: Storage | None = None) -> Path:
    """Write a backup of the configured database and media storage; return its folder."""
    storage = storage or default_storage
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    _private_folder(Path(backup_dir))
    target = Path(backup_dir) / f"hubcms-{stamp}"
    target.mkdir(mode=PRIVATE_FOLDER)
    target.chmod(PRIVATE_FOLDER)
    database = Database.configured()
    if database.vendor == "sqlite":
        database_file = target / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(database_file)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    elif database.vendor == "postgresql":
        database_file = target / "database.pgdump"
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={database_file}",
                f"--dbname={database.conninfo(with_password=False)}",
            ],
            env=database.client_environment(),
        )
    else:
        raise BackupError(f"Databases van het type {database.vendor} worden niet ondersteund.")
    media_files = _archive_media(target / MEDIA_ARCHIVE, storage)
    files = [database_file, target / MEDIA_ARCHIVE]
    manifest = {
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "vendor": database.vendor,
        "database_file": database_file.name,
        "row_counts": _row_counts(),
        "media_files": media_files,
        "sha256": {path.name: _sha256(path) for path in files},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2))
    for path in [*files, target / MANIFEST]:
        path.chmod(PRIVATE_FILE)
    return target


def read_manifest(source: Path) -> dict[str, Any]:
    """The backup's manifest, after checking that every file is complete and unchanged."""
    manifest_path = Path(source) / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{source} is geen backup van hubcms: {MANIFEST} ontbreekt.")
    manifest = json.loads(manifest_path.read_text())
    for name, expected in manifest["sha256"].items():
        path = Path(source) / name
        if not path.exists() or _sha256(path) != expected:
            raise BackupError(
                f"{name} in de backup is beschadigd of ontbreekt (controlesom klopt niet)."
            )
    return manifest


def _sqlite_has_tables(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    with sqlite3.connect(path) as conn:
        return (
            conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE type='table'").fetchone()[0] > 0
        )


def _postgres_has_tables(database: Database) -> bool:
    import psycopg

    with psycopg.connect(database.conninfo()) as conn:
        row = conn.execute(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    return row[0] > 0


def restore_backup(
    *,
    source: Path,
    database: Database | None = None,
    media_root: Path | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Restore a backup into a database (default: the configured one) and the media storage
    (default: the configured one, on disk or S3; `media_root`: a folder instead)."""
    source = Path(source)
    manifest = read_manifest(source)
    database = database or Database.configured()
    if database.vendor != manifest["vendor"]:
        raise BackupError(
            f"Deze backup komt uit {manifest['vendor']} en kan niet in {database.vendor} worden "
            "teruggezet."
        )
    database_file = source / manifest["database_file"]
    for alias in connections:
        connections[alias].close()
    if database.vendor == "sqlite":
        target = Path(database.settings_dict["NAME"])
        if _sqlite_has_tables(target) and not force:
            raise BackupError(
                f"De database {target} is niet leeg. Gebruik --force om hem te overschrijven."
            )
        source_conn = sqlite3.connect(database_file)
        target_conn = sqlite3.connect(target)
        try:
            source_conn.backup(target_conn)
        finally:
            source_conn.close()
            target_conn.close()
    else:
        has_tables = _postgres_has_tables(database)
        if has_tables and not force:
            raise BackupError(
                "De PostgreSQL-database is niet leeg. Gebruik --force om hem te overschrijven."
            )
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
        if has_tables:
            command += ["--clean", "--if-exists"]
        _run(
            [
                *command,
                "--single-transaction",
                f"--dbname={database.conninfo(with_password=False)}",
                str(database_file),
            ],
            env=database.client_environment(),
        )
    if media_root is None and not isinstance(default_storage, FileSystemStorage):
        _restore_media_into_storage(source / MEDIA_ARCHIVE, default_storage)
        return manifest
    media_root = Path(media_root or default_storage.location)
    if media_root.exists() and force:
        shutil.rmtree(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA_ARCHIVE, "r:gz") as archive:
        archive.extractall(media_root, filter="data")
    return manifest


def _restore_media_into_storage(archive_path: Path, storage: Storage) -> None:
    """Put every file of the backup back under its own name in a storage such as S3."""
    with tarfile.open(archive_path, "r:gz") as archive:
        for member in archive:
            member = tarfile.data_filter(member, "")  # refuses absolute paths, "..", links
            if not member.isfile():
                continue
            handle = archive.extractfile(member)
            if storage.exists(member.name):
                storage.delete(member.name)
            storage.save(member.name, File(handle, name=member.name))
