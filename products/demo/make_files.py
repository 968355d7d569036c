"""Write the demo hub's download files (small PDFs and XLSX formats) from products.json.

The files are committed under products/demo/files/; run this again only after changing a
download in products.json: `.venv/bin/python -m products.demo.make_files`. Every PDF is a valid
one-page document that shows the product's title, summary and steps; every XLSX is a fill-in
format. The rekenmodel loonkostensubsidie gets working formulas.
"""

import datetime
import html
import json
import re
import textwrap
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent
PRODUCTS_FILE = DEMO_DIR / "products.json"
FOOTER = "Innovatiehub Sociale Infrastructuur - demo-inhoud van hubcms"
FIXED_TIME = datetime.datetime(2026, 11, 1, 9, 0)
TAG = re.compile(r"<[^>]+>")


def plain(rich_text: str) -> str:
    """Rich text as one line of plain text."""
    return html.unescape(TAG.sub(" ", rich_text)).replace("  ", " ").strip()


def _pdf_text(value: str) -> bytes:
    """A PDF string literal in WinAnsi encoding (covers the Dutch accented letters)."""
    escaped = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("cp1252", errors="replace") + b")"


def pdf_document(lines: list[tuple[int, str]]) -> bytes:
    """A one-page A4 PDF with (font size, text) lines, top to bottom."""
    stream = bytearray(b"BT\n/F1 11 Tf\n56 790 Td\n")
    current_size = 11
    for size, text in lines:
        if size != current_size:
            stream += f"/F1 {size} Tf\n".encode()
            current_size = size
        stream += f"0 -{size + 5} Td\n".encode() + _pdf_text(text) + b" Tj\n"
    stream += b"ET\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length "
        + str(len(stream)).encode()
        + b" >>\nstream\n"
        + bytes(stream)
        + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def wrapped(text: str, width: int = 92) -> list[str]:
    return textwrap.wrap(text, width=width) or [""]


def pdf_for(product: dict, download: dict) -> bytes:
    """A short manual: title, product, summary and the steps of the approach."""
    lines: list[tuple[int, str]] = [(16, download["title"]), (11, product["title"]), (11, "")]
    lines += [(11, line) for line in wrapped(product["summary"])]
    lines += [(11, ""), (13, "Aanpak")]
    for number, step in enumerate(product["sections"]["aanpak"], start=1):
        duration = f" ({step['duration']})" if step.get("duration") else ""
        lines.append((11, f"{number}. {step['title']}{duration}"))
        lines += [(10, "   " + line) for line in wrapped(plain(step["description"]), 96)]
    lines += [(11, ""), (11, "Doel")]
    lines += [(10, line) for line in wrapped(plain(product["sections"]["doel"]), 100)[:6]]
    lines += [(11, ""), (9, f"Versie {product['version']} - {FOOTER}")]
    return pdf_document(lines)


def xlsx_for(product: dict, download: dict, path: Path) -> None:
    """A fill-in format; the rekenmodel loonkostensubsidie gets working formulas."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Format"
    sheet["A1"] = download["title"]
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = f"{product['title']} (versie {product['version']})"
    sheet["A3"] = FOOTER
    if product["slug"] == "instrument-rekenmodel-loonkostensubsidie":
        _rekenmodel(sheet)
    else:
        sheet.append([])
        sheet.append(
            ["Stap", "Wat gebeurt er", "Duur", "Ingevuld door", "Afspraken en opmerkingen"]
        )
        for cell in sheet[5]:
            cell.font = Font(bold=True)
        for step in product["sections"]["aanpak"]:
            sheet.append(
                [step["title"], plain(step["description"]), step.get("duration", ""), "", ""]
            )
    for column, width in zip("ABCDE", (34, 60, 22, 20, 40), strict=True):
        sheet.column_dimensions[column].width = width
    workbook.properties.creator = "Innovatiehub Sociale Infrastructuur"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    workbook.save(path)


def _rekenmodel(sheet) -> None:
    from openpyxl.styles import Font

    sheet.append([])
    sheet.append(["Uitgangspunten 2026"])
    sheet.append(["Wettelijk minimumloon per uur (vul het actuele bedrag in)", 14.40])
    sheet.append(["Forfait werkgeverslasten", 0.23])
    sheet.append(["Uurtarief begeleiding", 72])
    sheet.append([])
    sheet.append(
        [
            "Werknemer (nummer)",
            "Loonwaarde",
            "Uren per week",
            "Begeleiding uren/maand",
            "Loonkostensubsidie per jaar",
            "Begeleiding per jaar",
            "Totaal per jaar",
        ]
    )
    for cell in sheet[10]:
        cell.font = Font(bold=True)
    for row, (value, hours, support) in enumerate(
        [(0.55, 32, 6), (0.40, 24, 10), (0.70, 36, 2)], start=11
    ):
        sheet.append([f"W{row - 10:03d}", value, hours, support])
        sheet[f"E{row}"] = f"=(1-B{row})*$B$6*C{row}*52*(1+$B$7)"
        sheet[f"F{row}"] = f"=D{row}*12*$B$8"
        sheet[f"G{row}"] = f"=E{row}+F{row}"
    sheet["A15"] = "Totaal"
    for column in "EFG":
        sheet[f"{column}15"] = f"=SUM({column}11:{column}13)"


def main() -> None:
    products = json.loads(PRODUCTS_FILE.read_text(encoding="utf-8"))
    written = 0
    for product in products:
        for download in product["downloads"]:
            path = DEMO_DIR / download["file"]
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix == ".xlsx":
                xlsx_for(product, download, path)
            else:
                path.write_bytes(pdf_for(product, download))
            written += 1
    print(f"{written} bestanden geschreven in {DEMO_DIR / 'files'}")


if __name__ == "__main__":
    main()
