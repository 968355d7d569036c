"""Upload checks by content: images and documents are judged by their bytes, not their name.

`inspect_image` and `inspect_document` raise a ValidationError with a Dutch message saying why a
file is refused: wrong type for its extension, corrupt, a decompression bomb, extra data hidden
after the image (a polyglot), HTML or script inside, SVG. Documents are judged by parsers: PDFs by
pypdf (pdf_checks), Office files by oletools (office_checks), zips walked member by member within a
budget (archive_checks). Wagtail's forms and the product import call them before anything is stored (core/security/upload_forms.py).
"""

import io
import re
import struct
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from PIL import Image, UnidentifiedImageError

from .archive_checks import UnpackBudget, inspect_zip
from .office_checks import OFFICE_EXTENSIONS, inspect_office
from .pdf_checks import inspect_pdf

# Markup that a browser would run if it ever sniffed the file as HTML or SVG.
MARKUP = re.compile(
    rb"<\s*(script|html|body|iframe|svg|object|embed)\b|<!doctype\s+html|<\?php|javascript:",
    re.IGNORECASE,
)
SVG_SCRIPT = re.compile(rb"<\s*script\b|\bon[a-z]+\s*=|javascript:|<\s*foreignobject\b", re.I)

IMAGE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
}
IMAGE_KIND_BY_EXTENSION = {
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "gif": "gif",
    "webp": "webp",
}
PILLOW_FORMATS = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP"}


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def extension_of(name: str) -> str:
    """The lower-case extension of a file name, without the dot ('' when there is none)."""
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_size(*, size: int, limit: int) -> None:
    """Refuse empty files and files over the limit."""
    if size == 0:
        raise _refuse("Het bestand is leeg.", "empty")
    if size > limit:
        raise _refuse(
            f"Het bestand is te groot ({filesizeformat(size)}); "
            f"het maximum is {filesizeformat(limit)}.",
            "too_large",
        )


def _refuse_markup(content: bytes) -> None:
    if MARKUP.search(content):
        raise _refuse(
            "Dit bestand bevat HTML of een script en wordt daarom geweigerd: een browser zou het "
            "als webpagina kunnen uitvoeren.",
            "markup",
        )


def _looks_like_svg(content: bytes) -> bool:
    head = content[:2048].lstrip().lower()
    return (
        head.startswith((b"<?xml", b"<svg", b"<!doctype svg"))
        and b"<svg" in content[:65536].lower()
    )


def inspect_image(*, name: str, content: bytes) -> None:
    """Refuse anything but a complete, safe raster image of the type its extension says."""
    check_size(size=len(content), limit=settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE)
    extension = extension_of(name)
    if extension == "svg" or _looks_like_svg(content):
        if SVG_SCRIPT.search(content):
            raise _refuse(
                "Dit SVG-bestand bevat een script of een gebeurtenis-attribuut (zoals onload) en "
                "wordt geweigerd: het zou code in de browser van bezoekers kunnen uitvoeren.",
                "svg_script",
            )
        raise _refuse(
            "SVG-bestanden worden niet als afbeelding geaccepteerd, omdat ze scripts kunnen "
            "bevatten. Lever een PNG, JPEG, GIF of WebP aan.",
            "svg",
        )
    kind = IMAGE_KIND_BY_EXTENSION.get(extension)
    if kind is None:
        allowed = ", ".join(sorted(IMAGE_KIND_BY_EXTENSION)).upper()
        raise _refuse(
            f"Bestanden met de extensie .{extension or '?'} worden niet geaccepteerd als afbeelding. "
            f"Toegestaan: {allowed}.",
            "extension",
        )
    if not content.startswith(IMAGE_SIGNATURES[kind]) or (
        kind == "webp" and content[8:12] != b"WEBP"
    ):
        raise _refuse(
            f"De inhoud van dit bestand is geen {kind.upper()}-afbeelding, ook al eindigt de naam "
            f"op .{extension}. Sla de afbeelding opnieuw op in het juiste formaat.",
            "wrong_type",
        )
    _check_pixels_and_decode(content, kind)
    if _trailing_bytes(content, kind):
        raise _refuse(
            "Na het einde van de afbeelding staan nog andere gegevens (mogelijk een verborgen "
            "bestand of script). Sla de afbeelding opnieuw op vanuit een fotobewerkingsprogramma.",
            "polyglot",
        )
    _refuse_markup(content)


def _check_pixels_and_decode(content: bytes, kind: str) -> None:
    max_pixels = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    corrupt = _refuse(
        "Dit bestand is geen geldige afbeelding: de inhoud is beschadigd of onvolledig.", "corrupt"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise _bomb(width, height, max_pixels)
                if image.format != PILLOW_FORMATS[kind]:
                    raise _refuse(
                        f"De inhoud van dit bestand is geen {kind.upper()}-afbeelding.",
                        "wrong_type",
                    )
                image.verify()
            # verify() does not decode the pixels; a full load finds truncated data.
            with Image.open(io.BytesIO(content)) as image:
                image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _bomb(0, 0, max_pixels) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error) as error:
        raise corrupt from error


def _bomb(width: int, height: int, max_pixels: int) -> ValidationError:
    size = f" ({width} × {height} pixels)" if width else ""
    return _refuse(
        f"Deze afbeelding is te groot om veilig te verwerken{size}; het maximum is "
        f"{max_pixels // 1_000_000} miljoen pixels. Dit lijkt op een decompressiebom.",
        "decompression_bomb",
    )


def _trailing_bytes(content: bytes, kind: str) -> bool:
    """True when data follows the image's own end (how image polyglots hide a second file)."""
    if kind == "png":
        offset = 8
        while offset + 8 <= len(content):
            (length,) = struct.unpack(">I", content[offset : offset + 4])
            chunk_type = content[offset + 4 : offset + 8]
            offset += 12 + length
            if chunk_type == b"IEND":
                return offset != len(content)
        return True
    if kind == "jpeg":
        return not content.rstrip(b"\x00").endswith(b"\xff\xd9")
    if kind == "gif":
        return not content.rstrip(b"\x00").endswith(b";")
    if kind == "webp":
        (riff_size,) = struct.unpack("<I", content[4:8])
        return len(content) not in (riff_size + 8, riff_size + 9)
    return False


def inspect_document(*, name: str, content: bytes) -> None:
    """Refuse documents outside the allowlist, whose content is not what the extension says, or
    that carry active content (judged by parsers: pdf_checks, office_checks, archive_checks)."""
    check_size(size=len(content), limit=settings.WAGTAILDOCS_MAX_UPLOAD_SIZE)
    extension = extension_of(name)
    allowed = settings.WAGTAILDOCS_EXTENSIONS
    if extension not in allowed:
        raise _refuse(
            f"Bestanden met de extensie .{extension or '?'} worden niet geaccepteerd. "
            f"Toegestaan: {', '.join(allowed)}.",
            "extension",
        )
    _inspect_content(name, content, UnpackBudget(), 1)


def _inspect_content(name: str, content: bytes, budget: UnpackBudget, depth: int) -> None:
    """Judge one file (an upload, or a member of an uploaded zip) with its type's parser."""
    extension = extension_of(name)
    if extension == "pdf":
        inspect_pdf(content)
    elif extension in ("txt", "csv"):
        _inspect_text(content, extension)
    elif extension in IMAGE_KIND_BY_EXTENSION:
        inspect_image(name=name, content=content)
    elif extension in OFFICE_EXTENSIONS:
        inspect_office(name=name, content=content, extension=extension, budget=budget)
    elif extension == "zip":
        inspect_zip(content, budget=budget, depth=depth, inspect_member=_inspect_content)
    else:
        raise _refuse(
            f"Bestanden met de extensie .{extension or '?'} kunnen niet worden gecontroleerd en "
            "worden daarom niet geaccepteerd.",
            "extension",
        )


def _inspect_text(content: bytes, extension: str) -> None:
    if b"\x00" in content:
        raise _refuse(
            f"Dit bestand is geen tekstbestand (.{extension}): het bevat binaire gegevens.",
            "wrong_type",
        )
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            content.decode("cp1252")
        except UnicodeDecodeError as error:
            raise _refuse(
                "De tekens in dit bestand zijn niet te lezen. Sla het op als UTF-8.", "encoding"
            ) from error
    _refuse_markup(content)
