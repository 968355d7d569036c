"""Media with the compose default (MEDIA_STORAGE=disk, DEBUG off): images and renditions are
served; documents never come from /media/, not in production and not under `make run`."""

import importlib
import io

from django.core.files.base import ContentFile
from django.urls import clear_url_caches

from wagtail.documents.models import Document
from wagtail.images.models import Image

import pytest
from PIL import Image as PILImage

import hubcms.urls

pytestmark = pytest.mark.django_db


def png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def image(media_root):
    return Image.objects.create(title="Foto", file=ContentFile(png(), name="foto.png"))


@pytest.fixture
def document(media_root):
    return Document.objects.create(
        title="Concept", file=ContentFile(b"Nog niet openbaar.", name="concept.txt")
    )


@pytest.fixture
def development_urls(settings):
    """The URLs as `make run` loads them (DEBUG on)."""
    settings.DEBUG = True
    importlib.reload(hubcms.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(hubcms.urls)
    clear_url_caches()


def test_production_serves_an_uploaded_image_and_its_renditions(client, image):
    original = client.get(image.file.url)
    assert original.status_code == 200
    assert original["Content-Type"] == "image/png"
    assert original["X-Content-Type-Options"] == "nosniff"
    assert body(original) == png()

    rendition = image.get_rendition("fill-32x24")
    served = client.get(rendition.url)
    assert served.status_code == 200
    assert PILImage.open(io.BytesIO(body(served))).size == (32, 24)


def test_production_serves_no_document_and_nothing_outside_the_image_folders(
    client, document, media_root
):
    assert document.file.url.startswith("/media/documents/")
    assert client.get(document.file.url).status_code == 404
    (media_root / "original_images").mkdir(exist_ok=True)
    (media_root / "original_images" / "leesmij.txt").write_text("geen afbeelding")
    assert client.get("/media/original_images/leesmij.txt").status_code == 404
    assert client.get("/media/original_images/../documents/concept.txt").status_code == 404


def test_make_run_does_not_serve_private_documents_from_media(
    client, document, image, development_urls
):
    assert client.get(document.file.url).status_code == 404
    assert client.get(image.file.url).status_code == 200
