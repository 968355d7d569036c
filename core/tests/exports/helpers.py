"""Helpers for tests that export a report through the admin: click, find the export, download."""

import csv
import io

from django.test import Client
from django.urls import reverse

import openpyxl

from core.exports.models import ReportExport


def request_export(client: Client, url: str, params: dict | None = None):
    """Click an export link; the response is the redirect to "Mijn exports"."""
    response = client.get(url, params or {})
    assert response.status_code == 302, response
    assert response["Location"] == reverse("report_exports:index")
    return response


def export_and_download(client: Client, url: str, params: dict | None = None):
    """Click an export link (tasks run at once in tests) and download the file it made."""
    request_export(client, url, params)
    export = ReportExport.objects.latest("pk")
    assert export.status == "klaar", export.error_message
    response = client.get(reverse("report_exports:download", args=[export.pk]))
    assert response.status_code == 200
    return response


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def xlsx_rows(response, sheet: str | None = None) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)))
    return list((workbook[sheet] if sheet else workbook.active).values)


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV export, which is written for Dutch Excel: a BOM and semicolons."""
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff"), "a CSV export starts with a byte-order mark"
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
