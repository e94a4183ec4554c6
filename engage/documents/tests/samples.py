"""Small, real files of every kind, made in the test (no fixtures on disk)."""

import functools
import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
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


def docx(main: str = DOCX_MAIN, extra: list[tuple[str, bytes]] | None = None) -> bytes:
    return _zip(
        [
            (
                "[Content_Types].xml",
                OOXML_TYPES.format(part="word/document.xml", main=main).encode(),
            ),
            ("word/document.xml", b"<w:document/>"),
            *(extra or []),
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


# Hostile PDFs ------------------------------------------------------------------------------


def pdf_sharing_one_content_stream(pages: int) -> bytes:
    """Every page draws the same compressed content stream, one line per page: small on disk,
    but work per page times the stream's size grows with the square of the pages."""
    writer = PdfWriter()
    content = StreamObject()
    content.set_data(
        b"".join(
            f"BT /F1 9 Tf 36 {36 + n % 700} Td (Shared line {n}) Tj ET\n".encode()
            for n in range(pages)
        )
    )
    shared = writer._add_object(content.flate_encode())
    resources = writer._add_object(
        DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): helvetica_font()})}
        )
    )
    for _ in range(pages):
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Contents")] = shared
        page[NameObject("/Resources")] = resources
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_annotations(pages: int, per_page: int) -> bytes:
    """Pages with `per_page` link annotations each: many objects that are not pages."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf(pages)))
    for page in writer.pages:
        page[NameObject("/Annots")] = ArrayObject(
            writer._add_object(
                DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/Annot"),
                        NameObject("/Subtype"): NameObject("/Link"),
                        NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (1, 1, 9, 9)]),
                    }
                )
            )
            for _ in range(per_page)
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_leaving_the_stamp_scaled() -> bytes:
    """A page whose content leaves two graphics states open, shrunk to 1%: a stamp drawn
    after it in that state would be a speck."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    content = StreamObject()
    content.set_data(b"q 0.01 0 0 0.01 0 0 cm q BT /F1 12 Tf 72 700 Td (Body) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(content)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): helvetica_font()})}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_content_bomb(size: int) -> bytes:
    """One page whose content stream inflates to `size` bytes of spaces."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    content = StreamObject()
    content.set_data(b" " * size)
    page[NameObject("/Contents")] = writer._add_object(content.flate_encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_link_action(action: str, **extra) -> bytes:
    """A link on page 2 whose action is `action` (e.g. "/GoToE", "/SubmitForm")."""
    return _with(_annotate({"/S": NameObject(action), **extra}))


def _attachment(writer: PdfWriter) -> DictionaryObject:
    embedded = StreamObject()
    embedded.set_data(b"MZ pretend program")
    embedded[NameObject("/Type")] = NameObject("/EmbeddedFile")
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Filespec"),
            NameObject("/F"): TextStringObject("payload.exe"),
            NameObject("/EF"): DictionaryObject({NameObject("/F"): writer._add_object(embedded)}),
        }
    )


def pdf_with_embedded_file() -> bytes:
    """An attachment in the catalogue's /EmbeddedFiles name tree."""

    def change(writer: PdfWriter) -> None:
        tree = DictionaryObject(
            {
                NameObject("/Names"): ArrayObject(
                    [TextStringObject("payload.exe"), writer._add_object(_attachment(writer))]
                )
            }
        )
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/EmbeddedFiles"): writer._add_object(tree)}
        )

    return _with(change)


def pdf_with_attachment_annotation() -> bytes:
    """A paperclip on page 2 holding a file."""

    def change(writer: PdfWriter) -> None:
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/FileAttachment"),
                NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (72, 72, 90, 90)]),
                NameObject("/FS"): _attachment(writer),
            }
        )
        writer.pages[1][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])

    return _with(change)


def pdf_with_xfa() -> bytes:
    def change(writer: PdfWriter) -> None:
        xfa = StreamObject()
        xfa.set_data(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")
        writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
            {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): writer._add_object(xfa)}
        )

    return _with(change)


def pdf_with_outline_script() -> bytes:
    """A bookmark whose action is JavaScript."""

    def change(writer: PdfWriter) -> None:
        item = writer.add_outline_item(title="Chapter 1", page_number=0).get_object()
        assert isinstance(item, DictionaryObject)
        item[NameObject("/A")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.launchURL('https://example.org/');"),
            }
        )

    return _with(change)


def pdf_hiding_in_an_object_stream(action: bytes = b"<< /S /Launc#68 /F (calc.exe) >>") -> bytes:
    """A one-page PDF whose catalogue, pages and OpenAction are compressed inside an object
    stream, the action's name spelt with a #-escape: nothing readable in the raw bytes."""
    inner = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R >>",
        action,
    ]
    offsets, body = [], b""
    for obj in inner:
        offsets.append(len(body))
        body += obj + b"\n"
    header = b" ".join(f"{n} {o}".encode() for n, o in zip(range(1, 5), offsets, strict=True))
    header += b"\n"
    packed = zlib.compress(header + body)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    positions = {}
    positions[5] = len(out)
    out += (
        (
            f"5 0 obj\n<< /Type /ObjStm /N 4 /First {len(header)} /Filter /FlateDecode "
            f"/Length {len(packed)} >>\nstream\n"
        ).encode()
        + packed
        + b"\nendstream\nendobj\n"
    )
    page_content = b"BT /F1 12 Tf 72 700 Td (Hidden) Tj ET"
    positions[6] = len(out)
    out += f"6 0 obj\n<< /Length {len(page_content)} >>\nstream\n".encode()
    out += page_content + b"\nendstream\nendobj\n"
    positions[7] = len(out)
    rows = [b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"]
    rows += [b"\x02" + (5).to_bytes(4, "big") + index.to_bytes(2, "big") for index in range(4)]
    rows += [b"\x01" + positions[n].to_bytes(4, "big") + b"\x00\x00" for n in (5, 6, 7)]
    xref = zlib.compress(b"".join(rows))
    out += (
        (
            f"7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode "
            f"/Length {len(xref)} >>\nstream\n"
        ).encode()
        + xref
        + b"\nendstream\nendobj\n"
    )
    out += f"startxref\n{positions[7]}\n%%EOF\n".encode()
    return bytes(out)


def pdf_with_page_content(*streams: bytes) -> bytes:
    """One page drawn by these content streams, in order, each stored as given."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    references = []
    for data in streams:
        stream = StreamObject()
        stream.set_data(data)
        references.append(writer._add_object(stream))
    page[NameObject("/Contents")] = ArrayObject(references)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): helvetica_font()})}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def handmade_pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects, numbered from 1, exactly as written, with a classic xref."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_with_a_key_given_twice(action: bytes) -> bytes:
    """A one-page PDF with a link whose action dictionary is written as `action`, stored
    plainly: e.g. /S given twice, which pypdf reads as its first value and others as its
    last."""
    content = b"BT /F1 12 Tf 72 700 Td (Body) Tj ET"
    return handmade_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Annots [5 0 R] >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] /Border [0 0 0] /A 6 0 R >>",
            action,
        ]
    )


# A link to a web address for pypdf, a program launch for readers that keep the last /S.
REPEATED_S = (
    b"<< /Type /Action /S /URI /URI <68747470733a2f2f6578616d706c652e6f7267>"
    b" /S /Launch /F <63616c632e657865> >>"
)


# Hostile Office files ------------------------------------------------------------------------

RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    "{}</Relationships>"
)
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def relationship(kind: str, target: str, *, external: bool = True) -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="rId9" Type="{OFFICE_RELS}{kind}" Target="{target}"{mode}/>'


def docx_with_rels(part: str, *relationships: str) -> bytes:
    return docx(extra=[(part, RELS.format("".join(relationships)).encode())])


def docx_with_macros() -> bytes:
    """A DOCX-typed package that carries a VBA project anyway."""
    return docx(extra=[("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64))])


def docx_with_nested_zip() -> bytes:
    return docx(extra=[("word/embeddings/inner.zip", _zip([("payload.txt", b"hello")]))])


def _raw_zip(name: str, raw: bytes, *, claimed: int, crc: int) -> bytes:
    """A one-part zip (plus [Content_Types].xml) written by hand, so its directory can lie:
    `raw` is the part's deflate data, `claimed` the size the headers give."""
    types = OOXML_TYPES.format(part="word/document.xml", main=DOCX_MAIN).encode()
    parts = [
        ("[Content_Types].xml", types, len(types), zlib.crc32(types), 0),
        (name, raw, claimed, crc, 8),
    ]
    out, central = bytearray(), bytearray()
    for part_name, data, size, checksum, method in parts:
        encoded = part_name.encode()
        offset = len(out)
        fields = (20, 0, method, 0, 0x21, checksum, len(data), size, len(encoded), 0)
        out += b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", *fields) + encoded + data
        central += b"PK\x01\x02" + struct.pack("<HHHHHHIIIHHHHHII", 20, *fields, 0, 0, 0, 0, offset)
        central += encoded
    end = struct.pack("<HHHHIIH", 0, 0, 2, 2, len(central), len(out), 0)
    return bytes(out + central + b"PK\x05\x06" + end)


@functools.cache
def docx_with_lying_directory(megabytes: int = 300) -> bytes:
    """A DOCX whose word/document.xml claims 1 KB (with the checksum of its first 1 KB) but
    inflates to `megabytes` MB: a reader trusting the directory reads 1 KB and is satisfied."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1024 * 1024)
    raw = b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()
    return _raw_zip("word/document.xml", raw, claimed=1024, crc=zlib.crc32(bytes(1024)))
