"""Spreadsheet (CSV) injection: cells that a spreadsheet program would run as a formula.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel and
LibreOffice as a formula (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`). Search queries, signal topics and
page titles come from outside, so every CSV the hub writes passes its cells through
`neutralise_cell`, which puts a `'` in front (OWASP's advice): the program shows the text as text.
The product export is read back by the import, which undoes it with `restore_cell`, losslessly.
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


def neutralise_csv(content: bytes, *, encoding: str = "utf-8") -> bytes:
    """A CSV file (as Wagtail's exports write it) with every cell neutralised."""
    text = content.decode(encoding)
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    rows = csv.reader(io.StringIO(text.removeprefix(bom), newline=""))
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([neutralise_cell(cell) for cell in row])
    return (bom + out.getvalue()).encode(encoding)
