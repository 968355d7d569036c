"""The export service: write every product in the exchange format that the import reads.

By default the export holds each product's latest revision (its draft, which is the live content
when there is no draft); with `live=True` only live products, with their live content. Downloads
are copied as files into a folder beside the export, and each record names its files relative to
the export, so that importing the export elsewhere restores the same products.
"""

import csv
import io
import json
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from django.core.exceptions import ObjectDoesNotExist

from core.security.spreadsheets import BOM, DUTCH_EXCEL_DELIMITER
from products.importexport.format import (
    CSV_COLUMNS,
    RICH_TEXT_SECTION_KEYS,
    SECTION_KEYS,
    record_to_csv_row,
)
from products.importexport.reading import detect_format
from products.importexport.richtext import comparable
from products.models import ProductDownload, ProductPage

DEFAULT_STEM = "producten"


@dataclass
class ExportReport:
    """What an export wrote: how many products, where, and which download files."""

    file_format: str
    products: int = 0
    output: Path | None = None
    downloads_dir: Path | None = None
    files_written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One Dutch line about the export."""
        where = str(self.output) if self.output else "standaarduitvoer"
        line = f"{self.products} producten geëxporteerd als {self.file_format.upper()} naar {where}"
        if self.downloads_dir is not None:
            line += f"; {len(self.files_written)} downloadbestanden in {self.downloads_dir}"
        return line + "."


def export_products(
    *,
    output: Path | None = None,
    stream: TextIO | None = None,
    file_format: str | None = None,
    live: bool = False,
    include_downloads: bool = True,
    downloads_dir: Path | None = None,
) -> ExportReport:
    """Export all products to `output` (a file) or `stream` (default: standard output).

    `file_format` is 'json' or 'csv'; without it the output's extension decides (JSON otherwise).
    Download files go to `downloads_dir`, by default `<name>-bestanden` beside the output (or
    `producten-bestanden` in the current folder when writing to a stream); with
    `include_downloads=False` the records have no `downloads` key and no files are written.
    """
    output = Path(output) if output is not None else None
    file_format = file_format or (detect_format(output) if output else None) or "json"
    if file_format not in ("json", "csv"):
        raise ValueError(f"Onbekende bestandssoort '{file_format}'; kies json of csv.")
    report = ExportReport(file_format=file_format, output=output)
    base_dir = (output.parent if output else Path.cwd()).resolve()
    writer: _DownloadWriter | None = None
    if include_downloads:
        stem = output.stem if output else DEFAULT_STEM
        folder = Path(downloads_dir) if downloads_dir else base_dir / f"{stem}-bestanden"
        writer = _DownloadWriter(folder=folder.resolve(), base_dir=base_dir, report=report)
        report.downloads_dir = writer.folder
        if not writer.folder.is_relative_to(base_dir):
            report.warnings.append(
                f"De downloadmap {writer.folder} ligt buiten de map van de export ({base_dir}); "
                "een import leest alleen bestanden uit de map van het importbestand"
            )

    records = [product_record(page, downloads=writer) for page in _products(live=live)]
    report.products = len(records)
    text = _serialise(records, file_format, include_downloads=include_downloads)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8", newline="")
    else:
        (stream or sys.stdout).write(text)
    return report


def _products(*, live: bool) -> list[ProductPage]:
    pages = ProductPage.objects.order_by("path")
    if live:
        return list(pages.live())
    return [page.get_latest_revision_as_object() for page in pages]


def product_record(page: ProductPage, *, downloads: "_DownloadWriter | None") -> dict[str, Any]:
    """One product as an exchange-format record."""
    sections: dict[str, Any] = {}
    for key in SECTION_KEYS:
        if key == "aanpak":
            sections[key] = [
                {
                    "title": _text(block.value["title"]),
                    "description": comparable(_source(block.value["description"])),
                    "duration": _text(block.value["duration"]),
                }
                for block in page.aanpak
                if block.block_type == "step"
            ]
        elif key in RICH_TEXT_SECTION_KEYS:
            sections[key] = comparable(getattr(page, key) or "")
    record: dict[str, Any] = {
        "slug": page.slug,
        "title": _text(page.title),
        "productType": page.product_type,
        "summary": _text(page.summary),
        "lifecycleStatus": page.lifecycle_status,
        "version": _text(page.version),
        "developmentLines": sorted(line.slug for line in page.development_lines.all()),
        "targetGroups": sorted(group.name for group in page.target_groups.all()),
        "themes": sorted(tag.name for tag in page.themes.all()),
        "regions": sorted(region.code for region in page.regions.all()),
        "sections": sections,
        "owner": person_key(page.product_owner) if page.product_owner_id else None,
        "nextReviewDate": page.next_review_date.isoformat() if page.next_review_date else None,
        "changeNote": _text(page.change_note),
    }
    if downloads is not None:
        record["downloads"] = []
        for download in page.downloads.all():
            try:
                download.document  # noqa: B018 (a revision may name a deleted document)
            except ObjectDoesNotExist:
                downloads.report.warnings.append(
                    f"Product {page.slug}: een download verwijst naar een verwijderd document "
                    "en is overgeslagen"
                )
                continue
            record["downloads"].append(downloads.entry(download, product=page.slug))
    return record


class _DownloadWriter:
    """Copies each document once into the downloads folder and names it relative to the export."""

    def __init__(self, *, folder: Path, base_dir: Path, report: ExportReport) -> None:
        self.folder = folder
        self.base_dir = base_dir
        self.report = report
        self.written: dict[int, Path] = {}
        self.taken: set[str] = set()

    def entry(self, download: ProductDownload, *, product: str) -> dict[str, str]:
        path = self.written.get(download.document_id)
        if path is None:
            path = self._write(download, product=product)
        return {
            "title": download.title,
            "kind": download.kind,
            "file": Path(os.path.relpath(path, self.base_dir)).as_posix(),
        }

    def _write(self, download: ProductDownload, *, product: str) -> Path:
        document = download.document
        name = Path(document.file.name).name or f"document-{document.pk}"
        if name in self.taken:
            stem, suffix = os.path.splitext(name)
            name = f"{stem}-{document.pk}{suffix}"
        self.taken.add(name)
        path = self.folder / name
        self.written[document.pk] = path
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            with document.file.open("rb") as source, path.open("wb") as target:
                shutil.copyfileobj(source, target)
        except OSError as error:
            self.report.warnings.append(
                f"Product {product}: het bestand van document '{document.title}' kan niet worden "
                f"gelezen ({error.strerror or error}); {name} ontbreekt in de export"
            )
            path.unlink(missing_ok=True)
            return path
        self.report.files_written.append(path)
        return path


def _serialise(records: list[dict[str, Any]], file_format: str, *, include_downloads: bool) -> str:
    if file_format == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    columns = [column for column in CSV_COLUMNS if include_downloads or column != "downloads"]
    # For Dutch Excel: a byte-order mark and semicolons; the import reads both this and commas.
    buffer.write(BOM)
    writer = csv.DictWriter(
        buffer, fieldnames=columns, extrasaction="ignore", delimiter=DUTCH_EXCEL_DELIMITER
    )
    writer.writeheader()
    for record in records:
        writer.writerow(record_to_csv_row(record))
    return buffer.getvalue()


def person_key(user) -> str | None:
    """How an export names a user: the e-mail address, which carries over to another hub, unless
    it is missing or shared by several users; then the username."""
    if user is None:
        return None
    if user.email and type(user).objects.filter(email__iexact=user.email).count() == 1:
        return user.email
    return user.get_username()


def _text(value: str | None) -> str:
    """Text without surrounding whitespace, as the admin's forms and the import store it."""
    return (value or "").strip()


def _source(value: Any) -> str:
    return getattr(value, "source", None) or str(value or "")
