"""Exports that Dutch Excel opens as they are (issue 15, item 6): a CSV has a byte-order mark and
semicolons (a double-click shows "geëxporteerd", not "geÃ«xporteerd", and one cell per column);
an XLSX has real date cells that sort and filter as dates."""

import csv
import datetime
import io

from django.urls import reverse
from django.utils import timezone

import openpyxl
import pytest

from core.tests.exports.helpers import body, export_and_download
from hubcms.testing.factories import ProductPageFactory
from operations.models import KnowledgeSignal
from operations.tests.conftest import make_specialist
from products.importexport.exporting import export_products
from products.importexport.importing import import_products
from products.models import ProductLibraryPage, Region

pytestmark = pytest.mark.django_db


def test_a_report_csv_export_has_a_bom_and_semicolons(client, coordinator):
    make_specialist("Anouk de Vries, MSc", "twente")
    client.force_login(coordinator)
    url = reverse("wagtailsnippets_operations_specialist:list")
    raw = body(export_and_download(client, url, {"export": "csv"}))
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Naam;Organisatie;")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][0] == "Anouk de Vries, MSc"  # a comma inside a cell stays in that cell


def test_the_product_csv_export_is_for_dutch_excel_and_the_import_still_reads_it(
    hub, editor, tmp_path
):
    ProductPageFactory(
        parent=ProductLibraryPage.objects.get(), title="Scan; één, twee", slug="scan-een"
    )
    path = tmp_path / "producten.csv"
    export_products(output=path, include_downloads=False)
    raw = path.read_bytes()
    assert raw.startswith("\ufeffslug;title;".encode())
    report = import_products(path, user=editor)
    assert report.ok, report.lines()
    assert [outcome.outcome for outcome in report.records] == ["unchanged"]


def test_the_quarterly_workbook_has_real_date_cells(client, coordinator):
    KnowledgeSignal.objects.create(
        region=Region.objects.get(code="zeeland"),
        organisation_kind="gemeente",
        topic="Scenario's bij krimp",
        description="Een signaal.",
        received_at=timezone.make_aware(datetime.datetime(2026, 8, 3, 23, 30)),
    )
    client.force_login(coordinator)
    url = reverse("operations_admin:quarterly_report_xlsx", args=["2026-Q3"])
    workbook = openpyxl.load_workbook(io.BytesIO(body(export_and_download(client, url))))
    cell = workbook["Kennissignalen ontvangen"]["A2"]
    assert cell.is_date
    assert cell.value.date() == datetime.date(2026, 8, 3)  # the Dutch day, not the UTC one
    assert cell.number_format == "DD-MM-YYYY"
    # The admin's report page still shows the day as 03-08-2026.
    page = client.get(reverse("operations_admin:quarterly_report"), {"kwartaal": "2026-Q3"})
    assert "03-08-2026" in page.content.decode()


def test_report_exports_give_dutch_local_time_and_ja_nee(client, coordinator):
    from operations.models import Specialist

    make_specialist("Anouk de Vries", "twente", public=True)
    client.force_login(coordinator)
    url = reverse("wagtailsnippets_operations_specialist:list")
    rows = list(
        csv.reader(
            io.StringIO(body(export_and_download(client, url, {"export": "csv"})).decode()[1:]),
            delimiter=";",
        )
    )
    assert rows[1][-1] == "Ja"  # public_listing, not True
    assert Specialist.objects.count() == 1
