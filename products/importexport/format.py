"""The product exchange format: its keys, its CSV columns and the CSV cell conventions.

One product is one record. JSON files hold a list of records; CSV files hold one record per row,
with a column per key (`sections.<name>` for each werkblad section). In a CSV cell a list is
written with `;` between the items, an approach step or a download as one line with `|` between
its parts, and any of these may instead be written as a JSON list (a cell that starts with `[`).
"""

import json
from typing import Any

from core.security.spreadsheets import neutralise_cell, restore_cell
from products.choices import WERKBLAD_SECTIONS

SECTION_KEYS: list[str] = [key for key, _label in WERKBLAD_SECTIONS]
RICH_TEXT_SECTION_KEYS: list[str] = [key for key in SECTION_KEYS if key != "aanpak"]

# Keys of a record and the ProductPage field each one fills.
SCALAR_KEYS: dict[str, str] = {
    "slug": "slug",
    "title": "title",
    "productType": "product_type",
    "summary": "summary",
    "lifecycleStatus": "lifecycle_status",
    "version": "version",
    "owner": "product_owner",
    "nextReviewDate": "next_review_date",
    "changeNote": "change_note",
}
LIST_KEYS: list[str] = ["developmentLines", "targetGroups", "themes", "regions"]
RECORD_KEYS: list[str] = [
    "slug",
    "title",
    "productType",
    "summary",
    "lifecycleStatus",
    "version",
    "developmentLines",
    "targetGroups",
    "themes",
    "regions",
    "sections",
    "owner",
    "nextReviewDate",
    "changeNote",
    "downloads",
]
STEP_KEYS: list[str] = ["title", "description", "duration"]
DOWNLOAD_KEYS: list[str] = ["title", "kind", "file"]

CSV_LIST_SEPARATOR = ";"
CSV_PART_SEPARATOR = "|"
SECTION_COLUMN_PREFIX = "sections."
CSV_COLUMNS: list[str] = [
    column
    for key in RECORD_KEYS
    for column in (
        [SECTION_COLUMN_PREFIX + section for section in SECTION_KEYS]
        if key == "sections"
        else [key]
    )
]


class CellError(ValueError):
    """A CSV cell that cannot be read; the message is Dutch and shown to the user."""


def split_list_cell(cell: str) -> list[Any]:
    """A list cell: a JSON list, or items separated by `;` (blank items are dropped)."""
    if cell.lstrip().startswith("["):
        return _json_list(cell)
    return [item.strip() for item in cell.split(CSV_LIST_SEPARATOR) if item.strip()]


def split_steps_cell(cell: str) -> list[Any]:
    """`sections.aanpak`: a JSON list, or one step per line as `titel | beschrijving | duur`."""
    if cell.lstrip().startswith("["):
        return _json_list(cell)
    steps: list[Any] = []
    for line in _lines(cell):
        parts = [part.strip() for part in line.split(CSV_PART_SEPARATOR)]
        if len(parts) > len(STEP_KEYS):
            raise CellError(
                f"de stap '{line}' heeft meer dan drie delen (titel | beschrijving | duur); "
                "schrijf de cel als JSON-lijst als een deel zelf een | bevat"
            )
        steps.append(dict(zip(STEP_KEYS, parts, strict=False)))
    return steps


def split_downloads_cell(cell: str) -> list[Any]:
    """`downloads`: a JSON list, or one download per line as `bestand | soort | titel`."""
    if cell.lstrip().startswith("["):
        return _json_list(cell)
    downloads: list[Any] = []
    for line in _lines(cell):
        parts = [part.strip() for part in line.split(CSV_PART_SEPARATOR)]
        if len(parts) > 3:
            raise CellError(
                f"de download '{line}' heeft meer dan drie delen (bestand | soort | titel); "
                "schrijf de cel als JSON-lijst als een deel zelf een | bevat"
            )
        download = dict(zip(["file", "kind", "title"], parts, strict=False))
        downloads.append(download)
    return downloads


def csv_row_to_record(row: dict[str, str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Turn one CSV row (column -> cell) into a record; return it with (column, problem) pairs."""
    record: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    sections: dict[str, Any] = {}
    for column, cell in row.items():
        cell = restore_cell(cell or "")
        try:
            if column.startswith(SECTION_COLUMN_PREFIX):
                section = column.removeprefix(SECTION_COLUMN_PREFIX)
                sections[section] = split_steps_cell(cell) if section == "aanpak" else cell
            elif column in LIST_KEYS:
                record[column] = split_list_cell(cell)
            elif column == "downloads":
                record[column] = split_downloads_cell(cell)
            else:
                record[column] = cell
        except CellError as error:
            problems.append((column, str(error)))
    if sections:
        record["sections"] = sections
    return record, problems


def record_to_csv_row(record: dict[str, Any]) -> dict[str, str]:
    """Write one exported record as CSV cells, in the conventions `csv_row_to_record` reads."""
    row: dict[str, str] = {}
    for key in RECORD_KEYS:
        value = record.get(key)
        if key == "sections":
            for section in SECTION_KEYS:
                section_value = (value or {}).get(section)
                if section == "aanpak":
                    row[SECTION_COLUMN_PREFIX + section] = _steps_cell(section_value or [])
                else:
                    row[SECTION_COLUMN_PREFIX + section] = section_value or ""
        elif key in LIST_KEYS:
            row[key] = _list_cell(value or [])
        elif key == "downloads":
            row[key] = _downloads_cell(value or [])
        else:
            row[key] = "" if value is None else str(value)
    return {column: neutralise_cell(cell) for column, cell in row.items()}


def _json_list(cell: str) -> list[Any]:
    try:
        value = json.loads(cell)
    except json.JSONDecodeError as error:
        raise CellError(
            f"de cel begint met [ maar is geen geldige JSON-lijst ({error.msg})"
        ) from None
    if not isinstance(value, list):
        raise CellError("de cel begint met [ maar is geen JSON-lijst")
    return value


def _lines(cell: str) -> list[str]:
    return [line.strip() for line in cell.splitlines() if line.strip()]


def _fits_parts(parts: list[str]) -> bool:
    """Whether parts survive being joined with `|` on one line and split and stripped again."""
    return all(
        CSV_PART_SEPARATOR not in part and "\n" not in part and "\r" not in part for part in parts
    ) and all(part == part.strip() for part in parts)


def _list_cell(items: list[str]) -> str:
    if any(CSV_LIST_SEPARATOR in item for item in items) or (
        items and items[0].lstrip().startswith("[")
    ):
        return json.dumps(items, ensure_ascii=False)
    return f"{CSV_LIST_SEPARATOR} ".join(items)


def _joined_parts(parts: list[str]) -> str:
    while parts and not parts[-1]:
        parts = parts[:-1]
    return f" {CSV_PART_SEPARATOR} ".join(parts)


def _steps_cell(steps: list[dict[str, str]]) -> str:
    rows = [[step.get(key) or "" for key in STEP_KEYS] for step in steps]
    if all(_fits_parts(parts) for parts in rows) and not (rows and rows[0][0].startswith("[")):
        return "\n".join(_joined_parts(parts) for parts in rows)
    return json.dumps(steps, ensure_ascii=False)


def _downloads_cell(downloads: list[dict[str, str]]) -> str:
    rows = [
        [download.get(key) or "" for key in ("file", "kind", "title")] for download in downloads
    ]
    if all(_fits_parts(parts) for parts in rows) and not (rows and rows[0][0].startswith("[")):
        return "\n".join(_joined_parts(parts) for parts in rows)
    return json.dumps(downloads, ensure_ascii=False)


# The whole-hub format (version 2): a ZIP file with `hub.json` and the files it names. Version 1
# is the product format above (a JSON list or a CSV file of product records); it stays importable.
PRODUCT_FORMAT_VERSION = 1
HUB_FORMAT = "hubcms-hub"
HUB_FORMAT_VERSION = 2
HUB_FILE_NAME = "hub.json"
HUB_DOCUMENTS_DIR = "bestanden"
HUB_IMAGES_DIR = "afbeeldingen"
# The sections of hub.json, in the order the import applies them.
HUB_SECTIONS: list[str] = [
    "people",
    "targetGroups",
    "frameworkVersions",
    "developmentLines",
    "agenda",
    "products",
    "nationalPartners",
    "specialists",
    "pilots",
    "certifications",
    "knowledgeSignals",
    "consultations",
    "synonyms",
]
HUB_SECTION_LABELS: dict[str, str] = {
    "people": "Gebruikers",
    "targetGroups": "Doelgroepen",
    "frameworkVersions": "Kwaliteitskader",
    "developmentLines": "Ontwikkellijnen",
    "agenda": "Innovatieagenda",
    "products": "Producten",
    "nationalPartners": "Landelijke partners",
    "specialists": "Maatwerkspecialisten",
    "pilots": "Pilots",
    "certifications": "Certificeringen",
    "knowledgeSignals": "Kennissignalen",
    "consultations": "Partneroverleggen",
    "synonyms": "Synoniemen",
}
# How a count of each section reads in a report: (singular, plural).
HUB_COUNT_NOUNS: dict[str, tuple[str, str]] = {
    "people": ("gebruiker", "gebruikers"),
    "targetGroups": ("doelgroep", "doelgroepen"),
    "frameworkVersions": ("versie van het kwaliteitskader", "versies van het kwaliteitskader"),
    "developmentLines": ("ontwikkellijn", "ontwikkellijnen"),
    "agenda": ("innovatieagenda", "innovatieagenda's"),
    "products": ("product", "producten"),
    "nationalPartners": ("landelijke partner", "landelijke partners"),
    "specialists": ("maatwerkspecialist", "maatwerkspecialisten"),
    "pilots": ("pilot", "pilots"),
    "certifications": ("certificering", "certificeringen"),
    "knowledgeSignals": ("kennissignaal", "kennissignalen"),
    "consultations": ("partneroverleg", "partneroverleggen"),
    "synonyms": ("synoniem", "synoniemen"),
}


def count_phrase(section: str, count: int) -> str:
    """'1 product', '2 producten': a count of a hub section in Dutch."""
    singular, plural = HUB_COUNT_NOUNS[section]
    return f"{count} {singular if count == 1 else plural}"


# Keys a product record has in a hub export besides the product format's own.
HUB_PRODUCT_KEYS: list[str] = ["images", "relatedProducts", "live", "draft", "assessment"]
IMAGE_KEYS: list[str] = ["file", "title", "altText", "decorative", "caption"]
