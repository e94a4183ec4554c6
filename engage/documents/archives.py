"""Checking the parts of a zip-based document (DOCX, XLSX, ODT, ODS) before its type is read.

Every part is unpacked from its own bytes, in small chunks and under a cap, so its real size
is measured rather than taken from the zip's directory: a part that unpacks past the size the
directory gives is refused as soon as it does, whatever the directory claims. While unpacking
we refuse what would act or reach out when the file is opened: macros, links to content
outside the file other than ordinary hyperlinks (a remote template, object or frame), and
archives packed inside the archive.
"""

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Module constants, so tests can lower them.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_XML_PART = 1024 * 1024  # relationships and content types, read whole to parse
CHUNK = 64 * 1024

# Parts and content types that carry macros: VBA projects, Excel 4 macro sheets, ActiveX
# controls (OOXML), and Basic or script libraries (OpenDocument).
MACRO_PARTS = re.compile(
    r"(^|/)(vbaproject\.bin|vbadata\.xml)$|(^|/)(macrosheets|activex)/|^(basic|scripts)/",
    re.IGNORECASE,
)
MACRO_TYPES = re.compile(rb"macroEnabled|vbaProject|macrosheet|activeX", re.IGNORECASE)
# What an archive inside the archive starts with: zip, gzip, 7-Zip, RAR.
ARCHIVE_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"\x1f\x8b", b"7z\xbc\xaf\x27\x1c", b"Rar!")
LOCAL_HEADER = struct.Struct("<4s22xHH")
EXTERNAL_KINDS = {
    "attachedTemplate": "a template",
    "oleObject": "an embedded object",
    "frame": "a frame",
    "subDocument": "a subdocument",
    "image": "a picture",
    "externalLinkPath": "another workbook",
}


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _damaged() -> ValidationError:
    return _refuse(_("The file is a damaged zip archive."), "damaged")


def _bomb() -> ValidationError:
    return _refuse(
        _("The file would unpack to far more than its size. Upload the document itself."),
        "zip_bomb",
    )


def _lie(name: str) -> ValidationError:
    return _refuse(
        _(
            "The file’s zip directory gives false sizes (%(part)s), as files built to overwhelm "
            "the programs that open them do. Save the document again and upload it."
        )
        % {"part": name},
        "zip_sizes_lie",
    )


def _unpack(data: bytes, entry: zipfile.ZipInfo, budget: int) -> Iterator[bytes]:
    """The part's bytes in chunks, from its own compressed data: refused once they pass the
    size its directory entry gives or the budget left."""
    try:
        signature, name_length, extra_length = LOCAL_HEADER.unpack_from(data, entry.header_offset)
    except struct.error as exc:
        raise _damaged() from exc
    if signature != b"PK\x03\x04":
        raise _damaged()
    start = entry.header_offset + LOCAL_HEADER.size + name_length + extra_length
    if entry.compress_type == zipfile.ZIP_STORED:
        if entry.compress_size != entry.file_size:
            raise _lie(entry.filename)
        if entry.file_size > budget:
            raise _bomb()
        if start + entry.file_size > len(data):
            raise _damaged()
        for offset in range(start, start + entry.file_size, CHUNK):
            yield data[offset : min(offset + CHUNK, start + entry.file_size)]
        return
    if entry.compress_type != zipfile.ZIP_DEFLATED:
        raise _refuse(
            _(
                "The file uses a kind of compression documents do not use (%(part)s). "
                "Save the document again and upload it."
            )
            % {"part": entry.filename},
            "damaged",
        )
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    position, produced = start, 0
    try:
        while not inflater.eof:
            pending = inflater.unconsumed_tail
            if not pending:
                if position >= len(data):
                    raise _damaged()
                pending = data[position : position + CHUNK]
                position += len(pending)
            out = inflater.decompress(pending, CHUNK)
            produced += len(out)
            if produced > entry.file_size:
                raise _lie(entry.filename)
            if produced > budget:
                raise _bomb()
            yield out
    except zlib.error as exc:
        raise _damaged() from exc
    if produced != entry.file_size:
        raise _lie(entry.filename)


def _external_links(content: bytes) -> None:
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise _damaged()
    try:
        root = ElementTree.fromstring(content)  # noqa: S314 - no DTD, so no entities
    except ElementTree.ParseError as exc:
        raise _damaged() from exc
    for element in root.iter():
        if not element.tag.endswith("Relationship") or element.get("TargetMode") != "External":
            continue
        kind = element.get("Type", "").rsplit("/", 1)[-1]
        if kind == "hyperlink":
            continue
        raise _refuse(
            _(
                "The file links to content outside it (%(what)s at %(target)s), which we do "
                "not accept. Remove the link, or put the content in the file, and upload it "
                "again."
            )
            % {
                "what": EXTERNAL_KINDS.get(kind, kind or _("content")),
                "target": element.get("Target", "")[:200],
            },
            "external_link",
        )


def _macros(where: str) -> ValidationError:
    return _refuse(
        _(
            "The file contains macros (%(part)s), which we do not accept. Save it as a "
            "document without macros and upload that."
        )
        % {"part": where},
        "macros",
    )


def check_parts(data: bytes, entries: list[zipfile.ZipInfo]) -> None:
    if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
        raise _bomb()  # no need to unpack what already claims too much
    if len({entry.header_offset for entry in entries}) != len(entries):
        raise _damaged()  # parts sharing their data: one way to multiply a zip bomb
    budget = MAX_UNCOMPRESSED_BYTES
    for entry in entries:
        if MACRO_PARTS.search(entry.filename):
            raise _macros(entry.filename)
        keep = entry.filename.endswith(".rels") or entry.filename == "[Content_Types].xml"
        content = bytearray()
        opening = b""
        for chunk in _unpack(data, entry, budget):
            budget -= len(chunk)
            if len(opening) < 8:
                opening += chunk[: 8 - len(opening)]
            if keep:
                content += chunk
                if len(content) > MAX_XML_PART:
                    raise _damaged()
        if opening.startswith(ARCHIVE_MAGIC):
            raise _refuse(
                _(
                    "The file has another archive inside it (%(part)s), which we do not "
                    "accept. Remove embedded files and objects and upload it again."
                )
                % {"part": entry.filename},
                "nested_archive",
            )
        if entry.filename == "[Content_Types].xml":
            found = MACRO_TYPES.search(content)
            if found:
                raise _macros(f"[Content_Types].xml: {found.group().decode()}")
        elif keep:
            _external_links(bytes(content))
