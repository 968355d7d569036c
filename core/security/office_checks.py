"""Office documents judged with oletools: macros, embedded programs and remote templates.

OOXML (.docx, .xlsx, .pptx) is a zip of XML parts: its content types must not declare macros
(a .docm or .xlsm renamed), olevba must find no VBA project in any part whatever its name, and
no embedded OLE object (walked as oleobj does) may be a package (a file, often a program, that Office starts on a
double-click), no Equation Editor object and no external template or OLE link. OpenDocument files
must hold no Basic or script macros. Legacy OLE files (.doc, .xls, .ppt, when an installation
allows them) get the same olevba and oleobj checks. Refused: anything the tools cannot read.
"""

import io
import logging
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

from django.core.exceptions import ValidationError

import olefile
from oletools import oleobj, olevba
from oletools.ooxml import XmlParser

from .archive_checks import UnpackBudget, open_zip, read_member

OOXML_MAIN_PART = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}
LEGACY_OFFICE = ("doc", "xls", "ppt")
OFFICE_EXTENSIONS = (*OOXML_MAIN_PART, *ODF_MIMETYPES, *LEGACY_OFFICE)

# Content types of parts that hold code: VBA projects, Excel 4 macro sheets, ActiveX controls.
MACRO_CONTENT_TYPE_WORDS = ("macroenabled", "vbaproject", "vbadata", "macrosheet", "activex")
# External relationships that make Office fetch and open something when the document opens.
REMOTE_RELATIONSHIPS = {"attachedTemplate", "oleObject", "frame", "subDocument", "externalLink"}
EQUATION_EDITOR_CLSIDS = {
    "0002CE02-0000-0000-C000-000000000046",  # Equation.3, CVE-2017-11882
    "0002CE03-0000-0000-C000-000000000046",
}
ODF_MACRO_FOLDERS = ("Basic/", "Scripts/")

MACROS = (
    "Dit document bevat macro's (VBA of Excel 4.0), die bij het openen code kunnen uitvoeren. "
    "Sla het op zonder macro's (bijvoorbeeld als .docx of .xlsx) en probeer het opnieuw."
)

for _name in ("olevba", "oleobj", "ooxml", "olefile"):  # oletools logs every oddity it meets
    logging.getLogger(_name).setLevel(logging.CRITICAL)


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def inspect_office(*, name: str, content: bytes, extension: str, budget: UnpackBudget) -> None:
    """Refuse an Office document whose container is wrong or that carries active content."""
    if extension in LEGACY_OFFICE:
        _inspect_legacy(name=name, content=content, extension=extension)
        return
    if content.startswith(olefile.MAGIC):
        # Encrypted OOXML files are OLE containers with an EncryptionInfo stream.
        raise _refuse(
            "Dit document is met een wachtwoord beveiligd (of is een oud Office-formaat met een "
            "nieuwe extensie) en kan daarom niet worden gecontroleerd. Sla het op zonder "
            f"wachtwoord als .{extension}.",
            "encrypted",
        )
    archive = open_zip(content, extension=extension, budget=budget)
    if extension in ODF_MIMETYPES:
        _check_odf(archive, extension)
    else:
        _check_ooxml_parts(archive, extension)
        _check_macros(name=name, content=content)
        _check_remote_relationships(content)
    _check_embedded_objects(content, archive)


def _check_ooxml_parts(archive: zipfile.ZipFile, extension: str) -> None:
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names or OOXML_MAIN_PART[extension] not in names:
        raise _refuse(
            f"De inhoud van dit bestand past niet bij de extensie .{extension}.", "wrong_type"
        )
    if any(name.lower().rsplit("/", 1)[-1] == "vbaproject.bin" for name in names):
        raise _refuse(MACROS, "macros")
    types_xml = read_member(archive, archive.getinfo("[Content_Types].xml"))
    try:
        types = ElementTree.fromstring(types_xml)
    except ElementTree.ParseError as error:
        raise _refuse("Dit document is beschadigd: het is niet te lezen.", "corrupt") from error
    for element in types.iter():
        content_type = element.get("ContentType", "").lower()
        if any(word in content_type for word in MACRO_CONTENT_TYPE_WORDS):
            raise _refuse(MACROS, "macros")


def _check_macros(*, name: str, content: bytes) -> None:
    """olevba: a VBA project anywhere in the file (any part name), or Excel 4.0 macro sheets."""
    try:
        parser = olevba.VBA_Parser(name or "upload", data=content)
        try:
            found = parser.detect_vba_macros() or parser.detect_xlm_macros()
        finally:
            parser.close()
    except olevba.OlevbaBaseException as error:
        raise _refuse(
            "Dit document is beschadigd of niet te lezen en kan daarom niet op macro's worden "
            "gecontroleerd.",
            "corrupt",
        ) from error
    if found:
        raise _refuse(MACROS, "macros")


def _check_remote_relationships(content: bytes) -> None:
    """oleobj: external templates, frames and OLE links that Office fetches when opening."""
    parser = XmlParser(oleobj.FakeFile(content))
    for relationship, target in oleobj.find_external_relationships(parser):
        if relationship in REMOTE_RELATIONSHIPS or str(target).lower().startswith("mhtml:"):
            raise _refuse(
                "Dit document laadt bij het openen een sjabloon of object van internet "
                f"({relationship}: {str(target)[:80]}). Dat kan code uitvoeren; sla het document "
                "op zonder externe koppelingen.",
                "remote_template",
            )
    for _target in oleobj.find_customUI(parser):
        raise _refuse(MACROS, "macros")


def _embedded_ole_files(content: bytes, archive: zipfile.ZipFile | None) -> Iterator[bytes]:
    """The OLE compound files in a document: itself (legacy), or each zip member that is one."""
    if archive is None:
        yield content
        return
    for member in archive.infolist():
        if member.is_dir():
            continue
        data = read_member(archive, member)
        if data.startswith(olefile.MAGIC):
            yield data


def _check_embedded_objects(content: bytes, archive: zipfile.ZipFile | None) -> None:
    """oleobj: OLE packages (embedded files) and Equation Editor objects inside the document.

    (oleobj.find_ole does the same walk, but takes a small file for a file name and skips what it
    cannot open; here an unreadable embedded object refuses the document.)"""
    for data in _embedded_ole_files(content, archive):
        try:
            ole = olefile.OleFileIO(io.BytesIO(data))
        except Exception as error:  # noqa: BLE001 - an OLE object that cannot be read
            raise _refuse(
                "Dit document bevat een ingesloten object dat niet te lezen is en daarom niet "
                "kan worden gecontroleerd.",
                "embedded_object",
            ) from error
        with ole:
            _check_ole_object(ole)


def _check_ole_object(ole: olefile.OleFileIO) -> None:
    clsid = (ole.root.clsid or "").upper() if ole.root is not None else ""
    if clsid in EQUATION_EDITOR_CLSIDS:
        raise _refuse(
            "Dit document bevat een object van de oude Vergelijkingseditor, waarmee bekende "
            "aanvallen werken. Vervang de formule door een gewone afbeelding of tekst.",
            "embedded_object",
        )
    for path in ole.listdir():
        if path[-1].lower() != "\x01ole10native":
            continue
        try:
            package = oleobj.OleNativeStream(ole.openstream(path).read())
            embedded = package.filename or "onbekend bestand"
        except Exception:  # noqa: BLE001 - unreadable package: still an embedded file
            embedded = "onbekend bestand"
        raise _refuse(
            f"Dit document bevat een ingesloten bestand ({embedded}) dat Office met één klik "
            "opent of uitvoert. Lever bijlagen als aparte bestanden aan.",
            "embedded_object",
        )


def _check_odf(archive: zipfile.ZipFile, extension: str) -> None:
    names = archive.namelist()
    if (
        names[0] != "mimetype"
        or read_member(archive, archive.infolist()[0]).strip() != (ODF_MIMETYPES[extension])
    ):
        raise _refuse(
            f"De inhoud van dit bestand past niet bij de extensie .{extension}.", "wrong_type"
        )
    if any(name.startswith(ODF_MACRO_FOLDERS) for name in names):
        raise _refuse(
            "Dit document bevat macro's (Basic of scripts). Sla het op zonder macro's en probeer "
            "het opnieuw.",
            "macros",
        )


def _inspect_legacy(*, name: str, content: bytes, extension: str) -> None:
    if not content.startswith(olefile.MAGIC) or len(content) < olefile.MINIMAL_OLEFILE_SIZE:
        raise _refuse(
            f"De inhoud van dit bestand past niet bij de extensie .{extension}.", "wrong_type"
        )
    try:
        ole = olefile.OleFileIO(io.BytesIO(content))
    except Exception as error:  # noqa: BLE001
        raise _refuse("Dit document is beschadigd: het is niet te lezen.", "corrupt") from error
    with ole:
        if ole.exists("EncryptionInfo") or ole.exists("encryption"):
            raise _refuse(
                "Dit document is met een wachtwoord beveiligd en kan daarom niet worden "
                "gecontroleerd. Lever het zonder wachtwoord aan.",
                "encrypted",
            )
    _check_macros(name=name, content=content)
    _check_embedded_objects(content, None)
