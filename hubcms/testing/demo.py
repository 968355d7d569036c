"""The demo hub, loaded at most once per test session and shared by every test that needs it.

`bootstrap_hub --demo` (35 products published through the import and the quality gate) is the
most expensive step of the suite. The tests that need the demo hub (products/tests/test_demo_hub.py,
the hub round trip's export, the relevance set in search/tests/test_relevance.py) ask for it through
the `demo_hub` fixture (root conftest.py), which hands out a `DemoHub`: what the first
`bootstrap_hub --demo` printed, how long it took, the revisions it made, and the hub's export
(`export_hub`) with its counts.

On SQLite (an in-memory test database per worker) the first worker that needs the demo saves the
worker's database (the session's bootstrapped hub) in memory, loads the demo as on a hub that was
never set up and commits it, writes the export and a snapshot of that database to the session's
shared temporary folder, and puts the bootstrapped hub back. A module that needs the demo hub then
swaps the snapshot in (SQLite's backup API, a few milliseconds) for the length of the module and
the bootstrapped hub back afterwards; each test still runs in a transaction that rolls back.
Other databases (PostgreSQL) and runs that cannot share a file load the demo inside a transaction
that is rolled back when the module is done, as before.
"""

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from io import StringIO
from pathlib import Path

from django.core.cache import cache
from django.core.management import call_command
from django.db import connections, transaction
from django.test import override_settings

from hubcms.testing import database

SNAPSHOT_NAME = "demo-hub.sqlite3"
DEMO_HUB_GROUP = "demo-hub"  # the xdist group of the modules that use the demo hub


def model_counts() -> dict[str, int]:
    """An independent view of the hub: how many of each thing, and how many are live."""
    from wagtail.documents import get_document_model

    from operations.models import (
        Certification,
        KnowledgeSignal,
        PartnerConsultation,
        Pilot,
        Specialist,
    )
    from products.models import DevelopmentLinePage, InnovationAgendaPage, ProductPage
    from quality.models import QualityFrameworkVersion
    from search.models import SearchSynonym

    return {
        "products": ProductPage.objects.count(),
        "live products": ProductPage.objects.live().count(),
        "products with a pending draft": ProductPage.objects.filter(
            live=True, has_unpublished_changes=True
        ).count(),
        "lines": DevelopmentLinePage.objects.count(),
        "live lines": DevelopmentLinePage.objects.live().count(),
        "agenda": InnovationAgendaPage.objects.live().count(),
        "framework versions": QualityFrameworkVersion.objects.count(),
        "pilots": Pilot.objects.count(),
        "specialists": Specialist.objects.count(),
        "certifications": Certification.objects.count(),
        "signals": KnowledgeSignal.objects.count(),
        "consultations": PartnerConsultation.objects.count(),
        "synonyms": SearchSynonym.objects.count(),
        "documents": get_document_model().objects.count(),
    }


@dataclass
class DemoHub:
    """The demo hub as `bootstrap_hub --demo` left it on a hub that was never set up."""

    output: str  # what that first `bootstrap_hub --demo` printed
    seconds: float  # how long it took
    revisions: int  # Revision rows right after it
    export: Path  # the hub written by `export_hub`
    counts: dict[str, int]  # model_counts() of the demo hub
    media: Path  # MEDIA_ROOT of its documents


def load_demo(media: Path, export: Path) -> DemoHub:
    """Undo the session's bootstrap, run `bootstrap_hub --demo` and export the result; call it
    inside a transaction (committed for the snapshot, rolled back otherwise)."""
    from wagtail.models import Revision

    from conftest import undo_bootstrap

    with override_settings(MEDIA_ROOT=media):
        undo_bootstrap()  # `bootstrap_hub --demo` as on a freshly migrated database
        out = StringIO()
        started = time.monotonic()
        call_command("bootstrap_hub", "--demo", stdout=out)
        seconds = time.monotonic() - started
        revisions = Revision.objects.count()
        call_command("export_hub", str(export), stdout=StringIO(), stderr=StringIO())
    return DemoHub(out.getvalue(), seconds, revisions, export, model_counts(), media)


def fresh_caches() -> None:
    """Django's cache and Wagtail's site root paths describe the database that was swapped out."""
    from wagtail.models import Site

    cache.clear()
    Site.clear_site_root_paths_cache()


class DemoHubs:
    """The session's demo hub: a snapshot file on SQLite, or loaded per module elsewhere."""

    def __init__(self, folder: Path, private_folder: Path) -> None:
        self.folder = folder  # shared by the session's xdist workers
        self.private_folder = private_folder  # this worker's own
        self.swappable = database.swappable(connections["default"])
        self.exported: DemoHub | None = None  # on other databases: this worker's first load

    @property
    def snapshot(self) -> Path:
        return self.folder / SNAPSHOT_NAME

    def _built(self) -> DemoHub:
        """The snapshot's description; build the snapshot first if no worker has yet."""
        described = self.snapshot.with_suffix(".json")
        with database.exclusive(self.snapshot.with_suffix(".lock")):
            if not self.snapshot.exists():
                bootstrapped = database.copy_to_memory()
                try:
                    with transaction.atomic():
                        hub = load_demo(self.folder / "demo-media", self.folder / "demo-hub.zip")
                    database.save_copy(self.snapshot)
                    described.write_text(json.dumps(asdict(hub), default=str))
                finally:
                    database.restore_from(bootstrapped)
                    bootstrapped.close()
                    fresh_caches()
        data = json.loads(described.read_text())
        return DemoHub(**{**data, "export": Path(data["export"]), "media": Path(data["media"])})

    def export(self) -> DemoHub:
        """The demo hub's export and counts, without loading it into this worker's database
        (unless this worker is the one to build the snapshot); needs database access."""
        if self.swappable:
            return self._built()
        if self.exported is None:
            with transaction.atomic():
                self.exported = load_demo(
                    self.private_folder / "demo-media", self.private_folder / "demo-hub.zip"
                )
                transaction.set_rollback(True)
            fresh_caches()
        return self.exported

    @contextmanager
    def loaded(self) -> Iterator[DemoHub]:
        """The demo hub in the default database for the length of the block; the session's
        bootstrapped hub again afterwards. Needs database access, outside any transaction."""
        if not self.swappable:
            with transaction.atomic():
                folder = self.private_folder / f"demo-{time.monotonic_ns()}"
                hub = load_demo(folder / "media", folder / "demo-hub.zip")
                if self.exported is None:
                    self.exported = hub
                try:
                    with override_settings(MEDIA_ROOT=hub.media):
                        yield hub
                finally:
                    transaction.set_rollback(True)
            fresh_caches()
            return
        hub = self._built()
        bootstrapped = database.copy_to_memory()
        try:
            with closing(sqlite3.connect(self.snapshot)) as snapshot:
                database.restore_from(snapshot)
            fresh_caches()
            with override_settings(MEDIA_ROOT=hub.media):
                yield hub
        finally:
            database.restore_from(bootstrapped)
            bootstrapped.close()
            fresh_caches()
