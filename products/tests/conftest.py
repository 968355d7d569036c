"""The demo hub's export, shared by the demo-hub tests and the hub round trip.

Loading the demo hub is the most expensive step of the suite. `test_demo_hub.py` loads it once for
its module; while it is loaded, `export_demo_hub` also writes it with `export_hub` into the
session's `demo_hub_exports`. The round trip (`test_hub_round_trip.py`) imports that file into a
fresh hub instead of loading the demo a second time. Both modules are in one xdist group, so that
they run on the same worker; run alone, the round trip builds the export itself.
"""

import io
from pathlib import Path

from django.core.management import call_command

from wagtail.documents import get_document_model

import pytest

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

DEMO_HUB_GROUP = "demo-hub"  # the xdist group of the modules that share the demo hub


def model_counts() -> dict[str, int]:
    """An independent view of the hub: how many of each thing, and how many are live."""
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


@pytest.fixture(scope="session")
def demo_hub_exports() -> dict:
    """Exports of the loaded demo hub made in this session: {"path": zip, "counts": model_counts}."""
    return {}


def export_demo_hub(path: Path) -> dict:
    """Write the hub as it is now (the demo hub loaded) with `export_hub`; its path and counts."""
    call_command("export_hub", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    return {"path": path, "counts": model_counts()}
