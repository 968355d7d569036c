"""PDF uploads judged by a PDF parser (pypdf), not by searching the bytes.

pypdf decodes what a byte search misses: escaped names (`/J#61vaScript` is `/JavaScript`),
objects inside compressed object streams, incremental updates and broken cross-reference tables
that a viewer would repair. Every object the file defines and everything reachable from its trailer
is visited; a PDF with JavaScript, a launch action, embedded files, rich media or an XFA form is
refused, as is one that cannot be read or is locked with a password.
"""

import io
import logging
from collections.abc import Iterator

from django.core.exceptions import ValidationError

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

# pypdf warns about every repair it makes; a refused or repaired upload is not a log event.
logging.getLogger("pypdf").setLevel(logging.ERROR)

# More objects than any document on a product page needs; a bigger file is refused rather than
# walked for minutes.
MAX_PDF_OBJECTS = 200_000

JAVASCRIPT = (
    "Deze PDF bevat JavaScript, dat bij het openen code op de computer van de lezer kan "
    "uitvoeren. Sla het document opnieuw op als gewone PDF (bijvoorbeeld PDF/A) en probeer het "
    "opnieuw."
)
LAUNCH = (
    "Deze PDF bevat een opdracht om een programma of bestand te starten (een Launch-actie). "
    "Sla het document opnieuw op als gewone PDF (bijvoorbeeld PDF/A) en probeer het opnieuw."
)
EMBEDDED_FILE = (
    "Deze PDF bevat ingesloten bestanden (bijlagen in de PDF). Lever die bestanden apart aan en "
    "sla de PDF op zonder bijlagen (bijvoorbeeld als PDF/A)."
)
RICH_MEDIA = (
    "Deze PDF bevat ingesloten multimedia of Flash (RichMedia). Sla het document opnieuw op als "
    "gewone PDF (bijvoorbeeld PDF/A)."
)
XFA_FORM = (
    "Deze PDF is een XFA-formulier, dat scripts kan bevatten en in browsers niet werkt. Sla het "
    "formulier op als gewone PDF."
)

# (reason code, message) per finding, in the order a refusal reports them.
FINDINGS = {
    "pdf_javascript": JAVASCRIPT,
    "pdf_launch": LAUNCH,
    "pdf_embedded_file": EMBEDDED_FILE,
    "pdf_rich_media": RICH_MEDIA,
    "pdf_xfa": XFA_FORM,
}


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def inspect_pdf(content: bytes) -> None:
    """Refuse a PDF that is not one, cannot be parsed, is locked, or carries active content."""
    if not content.startswith(b"%PDF-"):
        raise _refuse(
            "De inhoud van dit bestand is geen PDF, ook al eindigt de naam op .pdf.", "wrong_type"
        )
    if b"%%EOF" not in content[-2048:]:
        raise _refuse(
            "Deze PDF is onvolledig of er staan na het einde nog andere gegevens in.", "corrupt"
        )
    try:
        code = active_content(content)
    except ValidationError:
        raise
    except Exception as error:  # noqa: BLE001 - any parser failure means: cannot be judged
        raise _refuse(
            "Deze PDF is beschadigd of niet te lezen en kan daarom niet worden gecontroleerd. "
            "Sla het document opnieuw op als PDF en probeer het nog eens.",
            "corrupt",
        ) from error
    if code is not None:
        raise _refuse(FINDINGS[code], code)


def active_content(content: bytes) -> str | None:
    """The first kind of active content in the PDF (a key of FINDINGS), or None."""
    reader = PdfReader(io.BytesIO(content), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise _refuse(
            "Deze PDF is met een wachtwoord beveiligd en kan daarom niet worden gecontroleerd. "
            "Lever een versie zonder wachtwoord aan.",
            "pdf_encrypted",
        )
    for item in _all_objects(reader):
        if isinstance(item, DictionaryObject):
            code = _dictionary_finding(item)
            if code is not None:
                return code
    return None


def _dictionary_finding(item: DictionaryObject) -> str | None:
    keys = set(item.keys())
    action = _value(item, "/S")
    kind = _value(item, "/Type")
    subtype = _value(item, "/Subtype")
    if "/JS" in keys or "/JavaScript" in keys or action == "/JavaScript":
        return "pdf_javascript"
    if action == "/Launch" or "/Launch" in keys:
        return "pdf_launch"
    if (
        "/EmbeddedFiles" in keys
        or "/EF" in keys
        or kind == "/EmbeddedFile"
        or subtype == "/FileAttachment"
        or action == "/GoToE"
    ):
        return "pdf_embedded_file"
    if subtype in ("/RichMedia", "/Flash", "/Movie", "/Screen") or action == "/Rendition":
        return "pdf_rich_media"
    if "/XFA" in keys:
        return "pdf_xfa"
    return None


def _value(item: DictionaryObject, key: str) -> object:
    """A dictionary's value with an indirect reference followed (a name may hide behind one)."""
    value = dict.get(item, key)
    return value.get_object() if isinstance(value, IndirectObject) else value


def _all_objects(reader: PdfReader) -> Iterator[PdfObject]:
    """Every direct and indirect object: those reachable from the trailer and every object in the
    cross-reference tables (including compressed object streams), each visited once."""
    roots: list[PdfObject] = [reader.trailer]
    for generation, numbers in reader.xref.items():
        roots.extend(IndirectObject(number, generation, reader) for number in numbers)
    roots.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    seen: set[tuple[int, int]] = set()
    stack = list(reversed(roots))
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
            if item is None:
                continue
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise _refuse(
                "Deze PDF bestaat uit te veel onderdelen om veilig te controleren.",
                "pdf_too_complex",
            )
        yield item
        if isinstance(item, DictionaryObject):
            # A stream's dictionary holds its keys; its data is not parsed as objects.
            stack.extend(dict.values(item))
        elif isinstance(item, ArrayObject):
            stack.extend(item)
