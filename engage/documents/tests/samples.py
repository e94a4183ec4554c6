"""Small, real files of every kind, made in the test (no fixtures on disk)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from engage.documents.stamping import helvetica_font


def pdf(pages: int = 2, *, rotate: int = 0) -> bytes:
    writer = PdfWriter()
    for number in range(1, pages + 1):
        page = writer.add_blank_page(595, 842)
        content = ContentStream(None, writer)
        content.set_data(f"BT /F1 12 Tf 72 700 Td (Body of page {number}) Tj ET".encode())
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): helvetica_font()})}
        )
        page.replace_contents(content)
        if rotate:
            page.rotate(rotate)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _with(change) -> bytes:
    """A two-page PDF changed by `change(writer)` before it is written."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf(2)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _annotate(action: dict):
    def change(writer: PdfWriter) -> None:
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (72, 72, 200, 90)]),
                NameObject("/A"): DictionaryObject(
                    {NameObject(key): value for key, value in action.items()}
                ),
            }
        )
        writer.pages[1][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])

    return change


def pdf_with_javascript() -> bytes:
    """JavaScript run when the file opens."""

    def change(writer: PdfWriter) -> None:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('Hello');"),
            }
        )

    return _with(change)


def pdf_with_launch_link() -> bytes:
    """A link on page 2 that starts a program."""
    return _with(_annotate({"/S": NameObject("/Launch"), "/F": TextStringObject("calc.exe")}))


def pdf_with_web_link() -> bytes:
    """A link on page 2 to a web address: ordinary, and accepted."""
    return _with(
        _annotate({"/S": NameObject("/URI"), "/URI": TextStringObject("https://example.org/")})
    )


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf(1)))
    writer.encrypt("secret-password")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip(parts: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(parts):
            compress = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=compress)
    return out.getvalue()


OOXML_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{part}" ContentType="{main}"/></Types>'
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def docx(main: str = DOCX_MAIN) -> bytes:
    return _zip(
        [
            (
                "[Content_Types].xml",
                OOXML_TYPES.format(part="word/document.xml", main=main).encode(),
            ),
            ("word/document.xml", b"<w:document/>"),
        ]
    )


def xlsx() -> bytes:
    return _zip(
        [
            (
                "[Content_Types].xml",
                OOXML_TYPES.format(part="xl/workbook.xml", main=XLSX_MAIN).encode(),
            ),
            ("xl/workbook.xml", b"<workbook/>"),
        ]
    )


def odf(mimetype: str) -> bytes:
    return _zip(
        [("mimetype", mimetype.encode()), ("content.xml", b"<office:document-content/>")],
        stored_first=True,
    )


def odt() -> bytes:
    return odf("application/vnd.oasis.opendocument.text")


def ods() -> bytes:
    return odf("application/vnd.oasis.opendocument.spreadsheet")


def zip_bomb() -> bytes:
    """A docx-shaped zip whose one part unpacks to 300 MB of zeros (about 300 KB zipped)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            OOXML_TYPES.format(part="word/document.xml", main=DOCX_MAIN).encode(),
        )
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = bytes(1024 * 1024)
            for _ in range(300):
                part.write(chunk)
    return out.getvalue()


CSV = b"area,service,spend\nGwent,Victim support,120000\nKent,Advocacy,98000\n"
TXT = b"Notes from the standing group.\nNothing confidential here.\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
BROKEN_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ngarbage without pages\n%%EOF"


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def stored_bytes(document) -> bytes:
    with document.current_version.file.open("rb") as stored:
        return stored.read()
