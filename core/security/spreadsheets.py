"""Spreadsheet (CSV) injection: cells that a spreadsheet program would run as a formula.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel and
LibreOffice as a formula (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`). Search queries, signal topics and
page titles come from outside, so every CSV the hub writes passes its cells through
`neutralise_cell`, which puts a `'` in front (OWASP's advice): the program shows the text as text.
The product export is read back by the import, which undoes it with `restore_cell`, losslessly.
Every CSV is also written for Dutch Excel: a UTF-8 byte-order mark and semicolons.
"""

import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: str) -> str:
    """The cell as text that no spreadsheet program runs as a formula."""
    if value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    """Undo `neutralise_cell` (for a file the hub exported and now reads back)."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


# Dutch Excel opens a CSV by double-click correctly only with a byte-order mark (else it guesses
# Windows-1252 and shows "geÃ«xporteerd") and with semicolons (the comma is the decimal separator).
DUTCH_EXCEL_DELIMITER = ";"
BOM = "\ufeff"


def neutralise_csv(content: bytes, *, encoding: str = "utf-8") -> bytes:
    """A CSV file (as Wagtail's exports write it, with commas) with every cell neutralised,
    rewritten for Dutch Excel: UTF-8 with a byte-order mark, semicolons between cells."""
    text = content.decode(encoding).removeprefix(BOM)
    rows = csv.reader(io.StringIO(text, newline=""))
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=DUTCH_EXCEL_DELIMITER)
    for row in rows:
        writer.writerow([neutralise_cell(cell) for cell in row])
    return (BOM + out.getvalue()).encode(encoding)
