"""Zip containers judged by reading them: the .zip upload and the Office formats built on zip.

`open_zip` refuses a container that is not a well-formed zip from its first byte, hides
encrypted or linked members, names paths outside itself, or unpacks beyond the budget. `inspect_zip`
walks a .zip recursively: every member must be of an allowed type and passes the same checks as an
upload of its own (a PDF is parsed, an Office file checked for macros, a nested zip walked), within
one budget of unpacked bytes, members and nesting depth for the whole upload.
"""

import io
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 2_000
MAX_DEPTH = 3  # the upload itself is level 1: a zip in a zip in a zip, no deeper
MAX_COMPRESSION_RATIO = 100

# What a .zip on a product page may hold: documents and images the hub accepts on their own.
ZIP_MEMBER_EXTENSIONS = (
    "pdf",
    "docx",
    "xlsx",
    "pptx",
    "odt",
    "ods",
    "odp",
    "txt",
    "csv",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
    "zip",
)


@dataclass
class UnpackBudget:
    """What is left to unpack for one upload, shared by every archive nested in it."""

    bytes_left: int = MAX_UNPACKED_BYTES
    members_left: int = MAX_MEMBERS

    def spend(self, *, size: int, members: int) -> None:
        self.bytes_left -= size
        self.members_left -= members
        if self.bytes_left < 0:
            raise _bomb(
                f"Dit bestand pakt uit tot meer dan {filesizeformat(MAX_UNPACKED_BYTES)} (een "
                "zip-bom) en wordt daarom geweigerd."
            )
        if self.members_left < 0:
            raise _bomb(
                f"Dit archief bevat meer dan {MAX_MEMBERS} bestanden en wordt daarom geweigerd."
            )


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _bomb(message: str) -> ValidationError:
    return _refuse(message, "archive_bomb")


def open_zip(content: bytes, *, extension: str, budget: UnpackBudget) -> zipfile.ZipFile:
    """The container as a ZipFile, after the structural checks; charges its size to `budget`."""
    wrong_type = _refuse(
        f"De inhoud van dit bestand past niet bij de extensie .{extension}.", "wrong_type"
    )
    if not content.startswith(b"PK\x03\x04"):
        raise wrong_type
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise _refuse(
            "Dit bestand is beschadigd: het archief is niet te lezen.", "corrupt"
        ) from error
    if not members or members[0].header_offset != 0:
        raise wrong_type
    for member in members:
        name = member.filename
        if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/"):
            raise _refuse(
                "Dit archief bevat bestanden met een ongeldige map-aanduiding.", "zip_slip"
            )
        if member.flag_bits & 0x1:
            raise _refuse(
                "Dit archief is met een wachtwoord beveiligd en kan daarom niet worden "
                "gecontroleerd. Lever het zonder wachtwoord aan.",
                "encrypted",
            )
        if stat.S_ISLNK(member.external_attr >> 16):
            raise _refuse(
                f"Dit archief bevat een snelkoppeling ({name}) en wordt daarom geweigerd.",
                "zip_link",
            )
    total = sum(member.file_size for member in members)
    packed = max(1, sum(member.compress_size for member in members))
    if total / packed > MAX_COMPRESSION_RATIO:
        raise _bomb(
            "Dit bestand pakt uit tot een veel grotere omvang dan het is (een zip-bom) en wordt "
            "daarom geweigerd."
        )
    budget.spend(size=total, members=len(members))
    return archive


def read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """A member's bytes, never more than its declared (and budgeted) size."""
    try:
        with archive.open(member) as handle:
            data = handle.read(member.file_size + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        raise _refuse(
            f"Dit archief is beschadigd: {member.filename} is niet te lezen.", "corrupt"
        ) from error
    if len(data) > member.file_size:
        raise _bomb("Dit archief geeft een verkeerde omvang op voor zijn inhoud (een zip-bom).")
    return data


def inspect_zip(
    content: bytes,
    *,
    budget: UnpackBudget,
    depth: int,
    inspect_member: Callable[[str, bytes, UnpackBudget, int], None],
) -> None:
    """Walk a .zip: every member of an allowed type, each inspected as an upload of its own."""
    if depth > MAX_DEPTH:
        raise _refuse(
            f"Dit zip-bestand is te diep genest (meer dan {MAX_DEPTH} archieven in elkaar) en "
            "wordt daarom geweigerd.",
            "archive_depth",
        )
    archive = open_zip(content, extension="zip", budget=budget)
    allowed = ", ".join(ZIP_MEMBER_EXTENSIONS)
    for member in archive.infolist():
        if member.is_dir():
            continue
        name = member.filename
        extension = name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""
        if extension not in ZIP_MEMBER_EXTENSIONS:
            raise _refuse(
                f"Dit zip-bestand bevat {name}: bestanden van dat type worden niet geaccepteerd, "
                f"omdat ze code kunnen uitvoeren of niet te controleren zijn. Toegestaan in een "
                f"zip-bestand: {allowed}.",
                "risky_member",
            )
        data = read_member(archive, member)
        try:
            inspect_member(name, data, budget, depth + 1)
        except ValidationError as error:
            if error.code in ("archive_bomb", "archive_depth"):
                raise
            raise _refuse(
                f"In het zip-bestand, {name}: {' '.join(error.messages)}", error.code
            ) from error
