"""What an uploaded file really is, judged by its content rather than its name.

We accept PDF, Word (DOCX), OpenDocument text (ODT), Excel (XLSX), OpenDocument spreadsheet
(ODS), CSV and plain text, up to MAX_UPLOAD_BYTES. The name's extension must agree with what the
content turns out to be, so a renamed program, image or web page is refused with a message that
says what is wrong. Content that would act when opened, or is built to overwhelm, is refused
too: PDFs beyond their limits or with scripts, attachments and actions (pdfs.py), zip-based
documents with macros, remote links, nested archives or false sizes (archives.py), and CSV
cells that spreadsheets run as formulas.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engage.core.files import DROPPED, FORMULA_STARTS, column_name, formula_start

from . import archives

# Module constants, so tests can lower them.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000


class FileType(models.TextChoices):
    PDF = "pdf", gettext_lazy("PDF")
    DOCX = "docx", gettext_lazy("Word document (DOCX)")
    ODT = "odt", gettext_lazy("OpenDocument text (ODT)")
    XLSX = "xlsx", gettext_lazy("Excel spreadsheet (XLSX)")
    ODS = "ods", gettext_lazy("OpenDocument spreadsheet (ODS)")
    CSV = "csv", gettext_lazy("CSV")
    TXT = "txt", gettext_lazy("Plain text")


# For messages: "The file is <this>".
DESCRIPTIONS = {
    FileType.PDF: gettext_lazy("a PDF"),
    FileType.DOCX: gettext_lazy("a Word document (DOCX)"),
    FileType.ODT: gettext_lazy("an OpenDocument text file (ODT)"),
    FileType.XLSX: gettext_lazy("an Excel spreadsheet (XLSX)"),
    FileType.ODS: gettext_lazy("an OpenDocument spreadsheet (ODS)"),
    FileType.CSV: gettext_lazy("a CSV file"),
    FileType.TXT: gettext_lazy("a plain text file"),
}

CONTENT_TYPES = {
    FileType.PDF: "application/pdf",
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileType.ODT: "application/vnd.oasis.opendocument.text",
    FileType.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileType.ODS: "application/vnd.oasis.opendocument.spreadsheet",
    FileType.CSV: "text/csv; charset=utf-8",
    FileType.TXT: "text/plain; charset=utf-8",
}

# The main part's content type in [Content_Types].xml: macro-enabled variants are refused.
OOXML_MAIN = {
    FileType.DOCX: (
        "word/",
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    FileType.XLSX: (
        "xl/",
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
}
ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": FileType.ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": FileType.ODS,
}

ACCEPTED = gettext_lazy(
    "PDF, Word (DOCX), OpenDocument text (ODT), Excel (XLSX), "
    "OpenDocument spreadsheet (ODS), CSV or plain text (TXT)"
)

# Content we recognise only to say what it is when we refuse it.
KNOWN_OTHERS = [
    (b"MZ", gettext_lazy("a Windows program")),
    (b"\x7fELF", gettext_lazy("a program")),
    (b"\x89PNG\r\n\x1a\n", gettext_lazy("a PNG image")),
    (b"\xff\xd8\xff", gettext_lazy("a JPEG image")),
    (b"GIF8", gettext_lazy("a GIF image")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", gettext_lazy("an old-style Office file (DOC or XLS)")),
    (b"{\\rtf", gettext_lazy("a rich text (RTF) file")),
]

# The WHATWG MIME sniffing patterns that make a browser treat text as a web page.
HTML_OPENINGS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<script",
    b"<iframe",
    b"<h1",
    b"<div",
    b"<font",
    b"<table",
    b"<a",
    b"<style",
    b"<title",
    b"<b",
    b"<body",
    b"<br",
    b"<p",
    b"<!--",
    b"<?xml",
    b"<svg",
)


# The delimiters spreadsheets offer when they open a CSV file.
CSV_DELIMITERS = ",;\t|"
# A dynamic data exchange call, e.g. cmd|' /C calc'!A0: a program, a pipe, a cell reference.
SUSPECT_STARTS = frozenset(DROPPED + "".join(FORMULA_STARTS))
DDE = re.compile(r"\w+\|.*!\s*(\$?[A-Za-z]{1,3}\$?\d+|'')")


# Control characters that text files do not contain (tab, line feed, form feed and carriage
# return are allowed).
BINARY_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Checked:
    file_type: FileType
    content_type: str


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def check_size(size: int) -> None:
    if size > MAX_UPLOAD_BYTES:
        raise _refuse(
            _("The file must be smaller than %(limit)s. This one is %(size)s.")
            % {"limit": filesizeformat(MAX_UPLOAD_BYTES), "size": filesizeformat(size)},
            "too_big",
        )
    if size == 0:
        raise _refuse(_("The file is empty."), "empty")


def check_upload(data: bytes, name: str) -> Checked:
    """The file's type, judged by its content, or a ValidationError saying what is wrong."""
    check_size(len(data))
    detected = _detect(data)
    extension = extension_of(name)
    if detected in (FileType.CSV, FileType.TXT) and extension in (FileType.CSV, FileType.TXT):
        detected = FileType(extension)
    if extension != detected:
        if extension:
            message = _(
                "The file is %(detected)s but its name ends in “.%(extension)s”. "
                "Rename it to end in “.%(expected)s”, or choose another file."
            )
        else:
            message = _(
                "The file is %(detected)s but its name has no extension. "
                "Rename it to end in “.%(expected)s”, or choose another file."
            )
        raise _refuse(
            message
            % {
                "detected": DESCRIPTIONS[detected],
                "extension": extension,
                "expected": detected.value,
            },
            "wrong_extension",
        )
    if detected == FileType.PDF:
        _check_pdf(data)
    elif detected == FileType.CSV:
        _check_csv(data)
    return Checked(file_type=detected, content_type=CONTENT_TYPES[detected])


def _not_accepted(what: str | None = None) -> ValidationError:
    if what:
        message = _("The file is %(what)s. Upload a %(accepted)s file.") % {
            "what": what,
            "accepted": ACCEPTED,
        }
    else:
        message = _("The file must be a %(accepted)s file.") % {"accepted": ACCEPTED}
    return _refuse(message, "not_accepted")


def _detect(data: bytes) -> FileType:
    if data.startswith(b"%PDF-"):
        return FileType.PDF
    if data.startswith(b"PK\x03\x04"):
        return _detect_zip(data)
    for magic, what in KNOWN_OTHERS:
        if data.startswith(magic):
            raise _not_accepted(str(what))
    _check_text(data)
    return FileType.TXT


def _detect_zip(data: bytes) -> FileType:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise _refuse(_("The file is a damaged zip archive."), "damaged") from exc
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _refuse(
            _("The file would unpack to far more than its size. Upload the document itself."),
            "zip_bomb",
        )
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise _refuse(
            _("The file is password-protected. Remove the protection and upload it again."),
            "encrypted",
        )
    archives.check_parts(data, entries)
    names = {entry.filename for entry in entries}
    try:
        if entries and entries[0].filename == "mimetype":
            mimetype = _read_small(archive, "mimetype", 200).strip()
            if mimetype in ODF_MIMETYPES:
                return ODF_MIMETYPES[mimetype]
        if "[Content_Types].xml" in names:
            content_types = _read_small(archive, "[Content_Types].xml", 1024 * 1024)
            for file_type, (folder, main) in OOXML_MAIN.items():
                if main in content_types and any(n.startswith(folder) for n in names):
                    return file_type
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError) as exc:
        raise _refuse(_("The file is a damaged zip archive."), "damaged") from exc
    raise _not_accepted(str(gettext_lazy("a zip archive, not a document we accept")))


def _read_small(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    with archive.open(name) as part:
        content = part.read(limit + 1)
    if len(content) > limit:
        raise ValueError(f"{name} is too large")
    return content


def _check_text(data: bytes) -> None:
    if b"\x00" in data:
        raise _not_accepted()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse(
            _(
                "The file is not a document we accept, or is text that is not saved as UTF-8. "
                "Upload a %(accepted)s file; save text and CSV files as UTF-8."
            )
            % {"accepted": ACCEPTED},
            "not_utf8",
        ) from exc
    opening = text.lstrip().encode()[:32].lower()
    if _tag_ends(opening, HTML_OPENINGS):
        raise _not_accepted(str(gettext_lazy("a web page (HTML) or XML file")))
    if BINARY_CONTROLS.search(text):
        raise _not_accepted(str(gettext_lazy("binary data, not text")))


def _tag_ends(opening: bytes, patterns: tuple[bytes, ...]) -> bool:
    """A pattern counts when the tag name ends there (so "<abbr" is not "<a"), as in WHATWG."""
    for pattern in patterns:
        if opening.startswith(pattern):
            rest = opening[len(pattern) : len(pattern) + 1]
            if pattern in (b"<!--", b"<?xml") or rest in (b"", b" ", b">", b"\t", b"\n", b"\r"):
                return True
    return False


def _formula_refusal(cell: str, column: int, row: int, delimiter: str | None) -> None:
    """Refuse the cell if a spreadsheet would run it; `delimiter` is said when the file is
    read other than as sniffed."""
    if cell[:1] not in SUSPECT_STARTS:
        return  # most cells: no need to look further
    start = formula_start(cell)
    if not start:
        return
    message = _(
        "Cell %(cell)s begins with “%(start)s”, which spreadsheet programs run as a "
        "formula. Save the sheet with values only, without formulas, and upload it again."
    ) % {"cell": f"{column_name(column)}{row}", "start": start}
    if delimiter is not None:
        split = _("at tabs") if delimiter == "\t" else f"at “{delimiter}”"
        message = _("If the file is split %(split)s, %(message)s") % {
            "split": split,
            "message": message[0].lower() + message[1:],
        }
    raise _refuse(message, "csv_formula")


def _cell_after(delimiter: str) -> re.Pattern[str]:
    """A delimiter, then a cell to its end that starts like a formula (spaces and quotes
    first allowed), on one line."""
    d = re.escape(delimiter)
    return re.compile(f"{d}[ \\t\"']*[=+@-][^{d}\\r\\n]*")


def _check_csv(data: bytes) -> None:
    """Every cell as the sniffed dialect reads it; then every cell after the first of a row
    as a spreadsheet might read the file instead: split at any of the delimiters it offers,
    with or without quotes. A row's first cell starts at the same place whatever the split,
    so the sniffed reading has checked it."""
    text = data.decode("utf-8-sig")
    sample = text[: 64 * 1024]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            sample, delimiters=CSV_DELIMITERS
        )
    except csv.Error:
        dialect = csv.excel  # a single column has no delimiter to find
    rows = 0
    try:
        for rows, row in enumerate(  # noqa: B007 - rows counts them
            csv.reader(io.StringIO(text, newline=""), dialect, strict=True), start=1
        ):
            for column, cell in enumerate(row):
                _formula_refusal(cell, column, rows, None)
    except csv.Error as exc:
        raise _refuse(
            _("The file is not a valid CSV file (%(problem)s).") % {"problem": exc}, "bad_csv"
        ) from exc
    if rows == 0:
        raise _refuse(_("The CSV file has no rows."), "empty")
    for delimiter in CSV_DELIMITERS:
        if delimiter not in text:
            continue
        # Each cell after a delimiter, up to the next one, whatever the quotes: it starts
        # where a cell would under any quoting, and splitting inside quotes only adds cells.
        for match in _cell_after(delimiter).finditer(text):
            cell = match.group()[1:]
            if formula_start(cell):
                line_start = (
                    max(text.rfind("\n", 0, match.start()), text.rfind("\r", 0, match.start())) + 1
                )
                line = text.count("\n", 0, match.start()) + 1
                column = text.count(delimiter, line_start, match.start()) + 1
                _formula_refusal(cell, column, line, delimiter)
    dde = DDE.search(text)
    if dde:
        raise _refuse(
            _(
                "Row %(row)s holds a link to another program (DDE), which spreadsheet "
                "programs can run. Remove it and upload the file again."
            )
            % {"row": text.count("\n", 0, dde.start()) + 1},
            "csv_formula",
        )


def _check_pdf(data: bytes) -> None:
    from .pdfs import check_pdf

    check_pdf(data)
