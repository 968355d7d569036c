"""The dashboard's figures, computed from the records."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from hubcms.testing.factories import (
    DevelopmentLinePageFactory,
    ProductPageFactory,
    complete_product,
)
from hubcms.testing.publishing import publish
from operations.dashboard import build_dashboard, knowledge_cycle
from operations.models import KnowledgeSignal, Pilot
from products.models import DevelopmentLineIndexPage, ProductLibraryPage, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines_and_products(hub):
    index = DevelopmentLineIndexPage.objects.get()
    delivered = publish(
        DevelopmentLinePageFactory(parent=index, title="Governance", status="opgeleverd")
    )
    planned = publish(DevelopmentLinePageFactory(parent=index, title="Data", status="gepland"))
    library = ProductLibraryPage.objects.get()
    regions = list(Region.objects.order_by("code"))

    def product(title, line, lifecycle, region_count, live=True):
        if not live:
            page = ProductPageFactory(parent=library, title=title, lifecycle_status=lifecycle)
            page.development_lines.set([line])
        else:
            page = complete_product(
                parent=library, title=title, lifecycle_status=lifecycle, development_lines=[line]
            )
        page.regions.set(regions[:region_count])
        if live:
            return publish(page)
        page.save()  # as the admin's "create" does: the draft's row holds its first values
        return page

    product("Scan", delivered, "beschikbaar", 6)
    product("Format", delivered, "beschikbaar", 2)
    product("Concept", delivered, "idee", 0, live=False)
    product("Datascan", planned, "pilot", 3)
    return delivered, planned, regions


def test_lifecycle_regions_and_delivered_lines(lines_and_products):
    delivered, planned, regions = lines_and_products
    dashboard = build_dashboard()
    rows = {row.line: row for row in dashboard.lifecycle_rows}
    stages = [value for value, _ in dashboard.lifecycle_stages]
    governance = dict(zip(stages, rows["Governance"].counts, strict=True))
    assert governance == {
        "idee": 1,
        "in_ontwikkeling": 0,
        "pilot": 0,
        "beschikbaar": 2,
        "uitgefaseerd": 0,
    }
    assert rows["Data"].total == 1

    by_line = {d.line.title: d for d in dashboard.line_deliveries}
    assert (by_line["Governance"].region_count, by_line["Governance"].counts) == (6, True)
    assert (by_line["Data"].region_count, by_line["Data"].counts) == (3, False)
    assert dashboard.delivered_lines == 1

    matrix = {row.region.code: row for row in dashboard.region_rows}
    assert len(matrix) == 35
    first, sixth = regions[0].code, regions[5].code
    assert matrix[first].cells == [2, 1] and matrix[first].total == 3
    assert matrix[sixth].cells == [1, 0]
    assert dashboard.regions_without_products == 35 - 6


def test_pilots_and_signals_and_time_to_decision(lines_and_products):
    from products.models import ProductPage

    scan = ProductPage.objects.get(title="Scan")
    Pilot.objects.create(product=scan, title="A", phase="lopend")
    Pilot.objects.create(product=scan, title="B", phase="geevalueerd", outcome="positief")
    Pilot.objects.create(product=scan, title="C", phase="geevalueerd", outcome="positief")
    zeeland = Region.objects.get(code="zeeland")
    now = timezone.now()
    for topic, status, days in [("x", "nieuw", None), ("y", "verwerkt", 10), ("z", "afgewezen", 4)]:
        KnowledgeSignal.objects.create(
            region=zeeland,
            organisation_kind="sob",
            topic=topic,
            description="Een beschrijving.",
            received_at=now - datetime.timedelta(days=30),
            status=status,
            status_reason="Reden" if days else "",
            decided_at=now - datetime.timedelta(days=30 - days) if days else None,
        )
    dashboard = build_dashboard()
    pilots = {bar.label: bar.value for bar in dashboard.pilot_bars}
    assert pilots == {
        "Gepland": 0,
        "Lopend": 1,
        # B and C, plus the positive pilot that framework 1.1 required before each of the two
        # 'beschikbaar' products (Scan, Format) could be published (hubcms.testing.publishing adds it).
        "Geëvalueerd: positief": 4,
        "Geëvalueerd: bijstellen": 0,
        "Geëvalueerd: stoppen": 0,
    }
    assert {bar.label: bar.value for bar in dashboard.signal_bars}["Verwerkt"] == 1
    assert dashboard.median_days_to_decision == 7.0
    cycle = knowledge_cycle()
    assert (cycle.total, cycle.decided, cycle.mean_days_to_decision) == (3, 2, 7.0)
    assert [(bar.label, bar.value) for bar in cycle.by_region] == [("Zeeland", 3)]
    assert cycle.decision_time_by_line == [("Nog niet gekoppeld", 2, 7.0)]


def test_the_dashboard_runs_a_fixed_number_of_queries(lines_and_products):
    with CaptureQueriesContext(connection) as few:
        build_dashboard()
    library = ProductLibraryPage.objects.get()
    for n in range(4):
        page = ProductPageFactory(parent=library, title=f"Extra {n}", complete=True)
        page.regions.set(Region.objects.all()[:10])
        publish(page)
    with CaptureQueriesContext(connection) as many:
        build_dashboard()
    assert len(many) == len(few) <= 20
