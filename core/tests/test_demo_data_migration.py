"""Migrating a hub made before the move to one app per domain keeps every row (issue 17).

The fixture is the demo hub (`migrate` and `bootstrap_hub --demo` on SQLite) as the code before
the move made it. The test migrates a copy with today's code and compares the row count of every
table; then a product page still renders and the library search still finds it.

To regenerate it from a commit C (say when a migration must be tested against newer data):

    git worktree add --detach /tmp/hub-C C && cd /tmp/hub-C
    DATABASE_URL=sqlite:////tmp/demo.sqlite3 MEDIA_ROOT=/tmp/demo-media \\
        /path/to/.venv/bin/python manage.py migrate --no-input
    DATABASE_URL=sqlite:////tmp/demo.sqlite3 MEDIA_ROOT=/tmp/demo-media \\
        /path/to/.venv/bin/python manage.py bootstrap_hub --demo
    sqlite3 /tmp/demo.sqlite3 VACUUM && gzip -9 -c /tmp/demo.sqlite3 \\
        > core/tests/fixtures/demo-hub-$(git rev-parse --short=7 C).sqlite3.gz
"""

import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "demo-hub-401cb58.sqlite3.gz"

# Run with the migrated copy: a product page and a search for its title, from the test client.
CHECK_PAGES = """
import json
from django.test import Client
from products.models import ProductPage

product = ProductPage.objects.live().public().order_by("path").first()
client = Client()
page = client.get(product.url)
search = client.get(product.get_parent().url, {"q": product.title})
print(json.dumps({
    "title": product.title,
    "page_status": page.status_code,
    "page_has_title": product.title in page.content.decode(),
    "search_status": search.status_code,
    "search_finds_it": product.url in search.content.decode(),
}))
"""


def row_counts(path: Path) -> dict[str, int]:
    """Rows per table; an FTS5 table counts its own rows, not those of its shadow tables."""
    with sqlite3.connect(path) as db:
        tables = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
        virtual = [name for name, sql in tables if sql and sql.startswith("CREATE VIRTUAL")]
        counts = {}
        for name, _sql in tables:
            if name.startswith("sqlite_") or any(name.startswith(f"{v}_") for v in virtual):
                continue
            counts[name] = db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
    return counts


def manage(*args: str, database: Path, media: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hubcms.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(media),
        "SEARCH_URL": "",  # the demo hub's search is the database's own index
        "ELASTICSEARCH_URL": "",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.slow
def test_migrating_the_demo_hub_from_before_the_app_move_keeps_every_row(tmp_path):
    database = tmp_path / "demo.sqlite3"
    with gzip.open(FIXTURE) as packed, database.open("wb") as unpacked:
        shutil.copyfileobj(packed, unpacked)
    before = row_counts(database)
    assert before["content_productpage"] >= 30, "the fixture is the whole demo hub"

    migrated = manage("migrate", "--no-input", database=database, media=tmp_path / "media")
    assert migrated.returncode == 0, migrated.stderr

    after = row_counts(database)
    # django_migrations gains a row per new migration; every other table keeps all its rows.
    changed = {
        table: (count, after.get(table))
        for table, count in before.items()
        if table != "django_migrations" and after.get(table) != count
    }
    assert changed == {}, f"rows changed by migrating (before, after): {changed}"

    checked = manage("shell", "-c", CHECK_PAGES, database=database, media=tmp_path / "media")
    assert checked.returncode == 0, checked.stderr
    result = json.loads(checked.stdout.strip().splitlines()[-1])
    assert result["page_status"] == 200 and result["page_has_title"], result
    assert result["search_status"] == 200 and result["search_finds_it"], result
