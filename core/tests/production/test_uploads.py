"""Uploads through Wagtail's admin forms are judged by content; refused files leave nothing behind."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.documents.models import Document
from wagtail.images.models import Image

import pytest
from PIL import Image as PILImage

from core.tests.production import hostile_files as hostile
from core.tests.production.conftest import stored_files
from core.tests.production.hostile_files import docx_bytes, zip_bytes


def png_bytes(size=(40, 30), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    PILImage.new(mode, size, "white").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(comment: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "navy").save(buffer, "JPEG", comment=comment)
    return buffer.getvalue()


def gif_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("P", (10, 10)).save(buffer, "GIF")
    return buffer.getvalue()


# A PDF as a word processor exports it (pypdf's writer).
PDF = hostile.clean_pdf()

REFUSED_IMAGES = [
    ("kapot.png", png_bytes()[:-40], "beschadigd of onvolledig"),
    ("bom.png", png_bytes((10_000, 5_000), "1"), "decompressiebom"),
    (
        "polyglot.png",
        png_bytes() + zip_bytes({"x.html": b"<script>alert(1)</script>"}),
        "andere gegevens",
    ),
    ("script.jpg", jpeg_bytes(b"<script>alert(document.cookie)</script>"), "HTML of een script"),
    ("vermomd.png", gif_bytes(), "geen PNG-afbeelding"),
    (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "bevat een script",
    ),
    (
        "logo.png",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "bevat een script",
    ),
    (
        "schoon.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>',
        "SVG-bestanden worden niet",
    ),
    ("leeg.png", b"", "leeg"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "reason"), REFUSED_IMAGES, ids=[r[0] for r in REFUSED_IMAGES]
)
def test_unsafe_images_are_refused_with_the_reason(
    client, editor, media_root, name, content, reason
):
    client.force_login(editor)
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Afbeelding", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_a_good_image_is_stored(client, editor, media_root):
    client.force_login(editor)
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Werkvorm in actie", "file": SimpleUploadedFile("foto.jpg", jpeg_bytes())},
    )
    assert response.status_code == 302
    assert Image.objects.get().title == "Werkvorm in actie"


@pytest.mark.django_db
def test_the_multiple_uploader_refuses_too(client, editor, media_root):
    client.force_login(editor)
    response = client.post(
        reverse("wagtailimages:add_multiple"),
        {
            "files[]": SimpleUploadedFile(
                "polyglot.gif", gif_bytes() + b"<?php system($_GET[1]); ?>"
            )
        },
    )
    assert response.json()["success"] is False
    assert "andere gegevens" in response.json()["error_message"]
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


REFUSED_DOCUMENTS = [
    ("programma.exe", b"MZ\x90\x00" + b"\x00" * 100, "extensie .exe"),
    ("rapport.pdf", b"MZ\x90\x00" + b"\x00" * 100, "geen PDF"),
    (
        "rapport.pdf",
        PDF.replace(
            b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
        ),
        "JavaScript",
    ),
    ("leesmij.txt", b"<html><body><script>alert(1)</script></body></html>", "HTML of een script"),
    ("lijst.csv", b"naam;regio\n\x00\x01\x02", "binaire gegevens"),
    ("notulen.docx", docx_bytes({"word/vbaProject.bin": b"\x00macro"}), "bevat macro"),
    ("notulen.docx", zip_bytes({"iets.txt": b"geen word"}), "past niet bij de extensie .docx"),
    ("bundel.zip", zip_bytes({"a.txt": b"\x00" * 50_000_000}), "zip-bom"),
    ("bundel.zip", zip_bytes({"setup.exe": b"MZ"}), "code kunnen uitvoeren"),
    ("notulen.docx", b"GARBAGE" + docx_bytes(), "past niet bij de extensie .docx"),
    # Judged by parsing (pypdf, oletools, a recursive walk of archives), not by patterns:
    ("open.pdf", hostile.pdf_with_open_action_javascript(), "bevat JavaScript"),
    ("verstopt.pdf", hostile.pdf_with_escaped_names(), "bevat JavaScript"),
    ("objectstroom.pdf", hostile.pdf_with_javascript_in_object_stream(), "bevat JavaScript"),
    ("start.pdf", hostile.pdf_with_launch_action(), "programma of bestand te starten"),
    ("bijlage.pdf", hostile.pdf_with_embedded_file(), "ingesloten bestanden"),
    ("kapot.pdf", b"%PDF-1.7\n" + b"\x00" * 200 + b"\n%%EOF\n", "beschadigd of niet te lezen"),
    ("macro.docx", hostile.docm_renamed_to_docx(), "bevat macro"),
    ("verstopt.docx", hostile.docx_with_hidden_vba_project(), "bevat macro"),
    ("programma.docx", hostile.docx_with_embedded_program(), "ingesloten bestand (factuur.exe)"),
    ("sjabloon.docx", hostile.docx_with_remote_template(), "sjabloon of object van internet"),
    ("genest.zip", hostile.nested_zip_bomb(), "zip-bom"),
    ("diep.zip", hostile.nested_zip(5, {"a.txt": b"diep"}), "te diep genest"),
    (
        "js.zip",
        zip_bytes({"map/rapport.pdf": hostile.pdf_with_escaped_names()}),
        "bevat JavaScript",
    ),
    ("macro.zip", zip_bytes({"notulen.docx": hostile.docm_renamed_to_docx()}), "bevat macro"),
    ("script.zip", zip_bytes({"start.js": b"WScript.Shell"}), "code kunnen uitvoeren"),
    ("geenextensie.zip", zip_bytes({"README": b"tekst"}), "worden niet geaccepteerd"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "reason"),
    REFUSED_DOCUMENTS,
    ids=[f"{i}-{r[0]}" for i, r in enumerate(REFUSED_DOCUMENTS)],
)
def test_unsafe_documents_are_refused_with_the_reason(
    client, editor, media_root, name, content, reason
):
    client.force_login(editor)
    response = client.post(
        reverse("wagtaildocs:add"), {"title": "Document", "file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_documents_over_the_size_limit_are_refused(client, editor, media_root, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    client.force_login(editor)
    response = client.post(
        reverse("wagtaildocs:add"),
        {"title": "Groot", "file": SimpleUploadedFile("groot.txt", b"a" * 2048)},
    )
    assert "te groot" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("handreiking.pdf", PDF, "application/pdf"),
        (
            "notulen.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("regio's.csv", b"regio;aantal\nTwente;3\n", "text/csv; charset=utf-8"),
    ],
)
def test_good_documents_are_stored_and_served_as_downloads(
    client, editor, media_root, name, content, content_type
):
    client.force_login(editor)
    response = client.post(
        reverse("wagtaildocs:add"), {"title": "Bijlage", "file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 302
    document = Document.objects.get()
    # Still signed in: the public only gets documents that a live page offers
    # (products/tests/test_document_access.py).
    served = client.get(document.url)
    assert served.status_code == 200
    assert served["Content-Type"] == content_type
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("handreiking.pdf", hostile.clean_pdf()),
        ("notulen.docx", docx_bytes()),  # with an ordinary external hyperlink
        (
            "bundel.zip",
            zip_bytes(
                {
                    "handreiking.pdf": hostile.clean_pdf(),
                    "werkblad/notulen.docx": docx_bytes(),
                    "foto.png": png_bytes(),
                    "bijlagen.zip": zip_bytes({"lijst.csv": b"regio;aantal\nTwente;3\n"}),
                }
            ),
        ),
    ],
)
def test_ordinary_documents_pass_the_parsers(client, editor, media_root, name, content):
    """Positive controls: the parsers do not refuse what a municipality normally uploads."""
    client.force_login(editor)
    response = client.post(
        reverse("wagtaildocs:add"), {"title": "Bijlage", "file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Document.objects.get().file.read() == content


@pytest.mark.django_db
def test_the_multiple_document_uploader_refuses_active_pdfs(client, editor, media_root):
    client.force_login(editor)
    response = client.post(
        reverse("wagtaildocs:add_multiple"),
        {
            "files[]": SimpleUploadedFile(
                "rapport.pdf", hostile.pdf_with_javascript_in_object_stream()
            )
        },
    )
    assert response.json()["success"] is False
    assert "bevat JavaScript" in response.json()["error_message"]
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_legacy_office_files_are_checked_for_macros_when_allowed(
    client, editor, media_root, settings
):
    """An installation that allows .doc gets olevba's check on the OLE file, not a pass."""
    settings.WAGTAILDOCS_EXTENSIONS = [*settings.WAGTAILDOCS_EXTENSIONS, "doc"]
    client.force_login(editor)
    response = client.post(
        reverse("wagtaildocs:add"),
        {"title": "Oud", "file": SimpleUploadedFile("oud.doc", hostile.legacy_doc_with_macros())},
    )
    assert response.status_code == 200
    assert "bevat macro" in response.content.decode()
    assert not Document.objects.exists()
