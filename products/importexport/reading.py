"""Reading an import file: JSON (a list of records) or CSV (a record per row) into raw records."""

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from products.importexport.format import CSV_COLUMNS, csv_row_to_record
from products.importexport.report import ImportProblem

FORMATS = ("json", "csv")


@dataclass
class RawRecord:
    """A record as read from the file, before validation; `row` is its spreadsheet row (CSV)."""

    number: int
    data: Any
    row: int | None = None


def detect_format(path: Path) -> str | None:
    """The file format by extension: 'json', 'csv', or None when the extension says neither."""
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def read_records(
    path: Path, *, file_format: str | None = None
) -> tuple[list[RawRecord], list[ImportProblem]]:
    """Read the file's records; any problem with the file as a whole is returned instead."""
    file_format = file_format or detect_format(path)
    if file_format is None and path.suffix.lower() == ".zip":
        return [], [
            _file_problem(
                f"'{path.name}' is een hub-export (formaatversie 2); importeer het met import_hub"
            )
        ]
    if file_format not in FORMATS:
        return [], [
            _file_problem(
                f"'{path.name}' heeft een onbekende bestandssoort; gebruik een .json- of "
                ".csv-bestand"
            )
        ]
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return [], [_file_problem(f"'{path}' bestaat niet")]
    except IsADirectoryError:
        return [], [_file_problem(f"'{path}' is een map, geen bestand")]
    except OSError as error:
        return [], [_file_problem(f"'{path}' kan niet worden gelezen ({error.strerror})")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return [], [
            _file_problem(
                f"'{path.name}' is geen UTF-8-tekst (regel {line}); sla het bestand op als "
                "UTF-8 (in Excel: 'CSV UTF-8')"
            )
        ]
    if file_format == "json":
        return _read_json(text)
    return _read_csv(text)


def _read_json(text: str) -> tuple[list[RawRecord], list[ImportProblem]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return [], [
            _file_problem(
                f"geen geldige JSON: {error.msg} op regel {error.lineno}, kolom {error.colno}"
            )
        ]
    if not isinstance(data, list):
        return [], [
            _file_problem(
                f"een importbestand bevat een JSON-lijst van producten ([...]), geen "
                f"{_json_type(data)}"
            )
        ]
    return [RawRecord(number=index, data=item) for index, item in enumerate(data, start=1)], []


def _read_csv(text: str) -> tuple[list[RawRecord], list[ImportProblem]]:
    if not text.strip():
        return [], [_file_problem("het CSV-bestand is leeg; de eerste regel noemt de kolommen")]
    header_line = text.splitlines()[0]
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[RawRecord] = []
    problems: list[ImportProblem] = []
    try:
        header = [column.strip() for column in next(reader)]
        unknown = [column for column in header if column not in CSV_COLUMNS]
        for column in unknown:
            problems.append(
                _file_problem(
                    f"onbekende kolom '{column}' (bekend: {', '.join(CSV_COLUMNS)})", field=column
                )
            )
        duplicates = sorted({column for column in header if header.count(column) > 1})
        for column in duplicates:
            problems.append(_file_problem("deze kolom staat er meer dan eens in", field=column))
        if "slug" not in header:
            problems.append(_file_problem("de kolom 'slug' ontbreekt", field="slug"))
        if problems:
            return [], problems
        number = 0
        for row, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            number += 1
            if len(cells) > len(header):
                problems.append(
                    ImportProblem(
                        number,
                        "",
                        f"de rij heeft {len(cells)} cellen maar er zijn {len(header)} kolommen",
                        row=row,
                    )
                )
                continue
            cells = cells + [""] * (len(header) - len(cells))
            record, cell_problems = csv_row_to_record(dict(zip(header, cells, strict=True)))
            problems += [
                ImportProblem(number, column, msg, row=row) for column, msg in cell_problems
            ]
            records.append(RawRecord(number=number, data=record, row=row))
    except csv.Error as error:
        problems.append(_file_problem(f"geen geldige CSV op regel {reader.line_num}: {error}"))
    return records, problems


def _file_problem(message: str, *, field: str = "") -> ImportProblem:
    return ImportProblem(0, field, message)


def _json_type(value: Any) -> str:
    if isinstance(value, dict):
        return "object ({...})"
    if isinstance(value, str):
        return "tekst"
    if isinstance(value, bool):
        return "waar/onwaar"
    if isinstance(value, int | float):
        return "getal"
    return "null"
