"""Stamping a downloaded PDF with who received it, for whom, when, and under what label.

Each page gets a stamp drawn over it: the label at the top, and at the bottom a white band
with the label, the recipient and their organisation, and the time, in the standard Helvetica
font, which every PDF reader has, so nothing is embedded. The stamped file is written anew,
whole, so the stamp cannot be cut away to recover the original (ADR 0009).
"""

import io
import logging
import re
import secrets
import textwrap
from collections.abc import Sequence

from django.utils.translation import gettext as _
from pypdf import PageObject, PdfReader
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
)

from .pdfsyntax import repeated_key

FONT = NameObject("/FEngageStamp")
FONT_SIZE = 7
LEADING = 9
MARGIN = 12
# Helvetica's widest common glyphs are about 0.72 em; most text averages well under 0.6.
EM_PER_CHAR = 0.6
MAX_NESTING = 28

logger = logging.getLogger(__name__)


class StampError(Exception):
    """The PDF cannot be read or stamped. The message is fit to show to the uploader."""

    @classmethod
    def damaged(cls) -> "StampError":
        return cls(
            _("The PDF is damaged or cannot be read. Save it again as a PDF and upload it again.")
        )


def helvetica_font() -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )


def _wrap(lines: Sequence[str], width: float) -> list[str]:
    chars = max(20, int(width / (FONT_SIZE * EM_PER_CHAR)))
    wrapped: list[str] = []
    for line in lines:
        wrapped.extend(textwrap.wrap(line, chars, break_on_hyphens=False) or [""])
    return wrapped


def _hex(text: str) -> bytes:
    # WinAnsiEncoding is Windows-1252; anything outside it becomes "?".
    return b"<" + text.encode("cp1252", errors="replace").hex().encode() + b">"


def _placement(page: PageObject) -> tuple[str, float, float]:
    """The matrix that puts the stamp upright as the page is shown (its /Rotate turns the
    page clockwise), and the width and height as shown."""
    box = page.cropbox
    left, bottom, right, top = (float(v) for v in (box.left, box.bottom, box.right, box.top))
    try:
        rotation = int(page.get("/Rotate", 0)) % 360
    except (TypeError, ValueError):
        rotation = 0
    width, height = right - left, top - bottom
    matrices = {
        90: (f"0 1 -1 0 {right:.2f} {bottom:.2f}", height, width),
        180: (f"-1 0 0 -1 {right:.2f} {top:.2f}", width, height),
        270: (f"0 -1 1 0 {left:.2f} {top:.2f}", height, width),
    }
    return matrices.get(rotation, (f"1 0 0 1 {left:.2f} {bottom:.2f}", width, height))


def _overlay(page: PageObject, top: str, lines: Sequence[str]) -> bytes:
    """The stamp for one page, drawn after the page's own content has restored the
    graphics state: a white band with the lines at the foot, the label at the head."""
    matrix, width, height = _placement(page)
    body = _wrap(lines, width - 2 * MARGIN)
    band = LEADING * len(body) + 6
    font = f"/{FONT[1:]} {FONT_SIZE} Tf".encode()

    def text(x: float, y: float, value: str) -> bytes:
        return b"BT %s %.2f %.2f Td %s Tj ET\n" % (font, x, y, _hex(value))

    parts = [
        # A newline first ends a comment the page's content may end in, for readers that
        # join streams as they are. Then close our "q" and any level the page left open
        # (to scale or clip the stamp away): PDF nests at most 28 levels, and readers
        # ignore a surplus "Q".
        b"\n" + b"Q\n" * (MAX_NESTING + 1) + b"q\n",
        matrix.encode() + b" cm\n",
        b"1 1 1 rg 0 0 %.2f %.2f re f\n0 0 0 rg\n" % (width, band + MARGIN / 2),
        text(MARGIN, height - MARGIN - FONT_SIZE, top),
    ]
    for index, line in enumerate(reversed(body)):
        parts.append(text(MARGIN, MARGIN / 2 + 3 + index * LEADING, line))
    parts.append(b"Q\n")
    return b"".join(parts)


def read_pdf(stream: io.BytesIO) -> PdfReader:
    reader = PdfReader(stream, strict=False)
    if reader.is_encrypted:
        raise StampError(
            _(
                "The PDF is password-protected or encrypted. "
                "Remove the protection and upload it again."
            )
        )
    if len(reader.pages) == 0:
        raise StampError(_("The PDF has no pages."))
    return reader


def _contents(page: PageObject) -> list:
    """References to the page's own content streams, in order."""
    contents = page.get("/Contents")
    if contents is None:
        return []
    resolved = contents.get_object()
    if isinstance(resolved, ArrayObject):
        return [item for item in resolved if isinstance(item, IndirectObject)]
    return [contents] if isinstance(contents, IndirectObject) else []


class _Document:
    """A complete PDF written anew from `reader`: our new objects first, then every object
    reachable from the trailer, each read once and written once (a replacement in its place
    where we have one), then one cross-reference section and a fresh trailer.

    Nothing of the original's file structure survives: no earlier revision, no object that
    nothing refers to, no object stream (its objects are written one by one), no /Prev and a
    new /ID, so no prefix of the output, and no part of it a reader could fall back to,
    holds a page without its stamp. Streams go out as the bytes they came in as, still
    compressed: writing never decodes or parses content."""

    def __init__(self, data: bytes, reader: PdfReader) -> None:
        self.data = data
        self.reader = reader
        # Where each object stored in the file itself starts, and where the next one does.
        starts = sorted({offset for table in reader.xref.values() for offset in table.values()})
        self.span_ends = dict(zip(starts, [*starts[1:], len(data)], strict=True))
        self.next_number = max(self._numbers(reader)) + 1
        self.new: list[tuple[int, PdfObject]] = []
        self.replaced: dict[int, tuple[int, PdfObject]] = {}

    @staticmethod
    def _numbers(reader: PdfReader) -> list[int]:
        numbers = [0]
        for table in reader.xref.values():
            numbers.extend(table)
        numbers.extend(reader.xref_objStm)
        return numbers

    def reserve(self) -> IndirectObject:
        number = self.next_number
        self.next_number += 1
        return IndirectObject(number, 0, self.reader)

    def add(self, obj: PdfObject, reference: IndirectObject | None = None) -> IndirectObject:
        reference = reference or self.reserve()
        self.new.append((reference.idnum, obj))
        return reference

    def replace(self, reference: IndirectObject, obj: PdfObject) -> None:
        self.replaced[reference.idnum] = (reference.generation, obj)

    def plain(self, reference: IndirectObject) -> tuple[bytes, bytes] | None:
        """The object's bytes as stored, up to its "endobj", when it is stored in the file
        itself and is plain: no comment or stream, nothing outside its strings that looks
        like another object or file structure; and those bytes with its strings blanked,
        to find its references in. Copying is then the same as parsing and writing it again,
        at a fraction of the cost (a file of 20,000 annotations is mostly such objects).
        Anything else is parsed."""
        offset = self.reader.xref.get(reference.generation, {}).get(reference.idnum)
        if offset is None or reference.idnum in self.reader.xref_objStm:
            return None
        header = _HEADER.match(self.data, offset)
        if header is None or (int(header[1]), int(header[2])) != (
            reference.idnum,
            reference.generation,
        ):
            return None
        end = _END.search(self.data, header.end(), self.span_ends.get(offset, offset))
        if end is None:
            return None
        body = self.data[header.end() : end.start() + 1]
        # Strings may hold anything, so they are set aside before looking. An "endobj"
        # inside one would have cut it open, leaving a "(" behind, so the object is parsed.
        bare = _STRING.sub(b" ", body) if b"(" in body else body
        if _NOT_PLAIN.search(bare):
            return None
        # A key given twice is read as its first value by pypdf (and so by the upload
        # check) and as its last by other readers: parsed, it is written once, as checked.
        if repeated_key(bare) is not None:
            return None
        return self.data[offset : end.start() + 1], bare

    def write(self, root: IndirectObject, info: PdfObject | None) -> bytes:
        out = io.BytesIO()
        version = self.reader.pdf_header
        out.write(version.encode() if re.fullmatch(r"%PDF-\d\.\d", version) else b"%PDF-1.7")
        out.write(b"\n%\xe2\xe3\xcf\xd3\n")  # binary content follows
        offsets: dict[int, tuple[int, int]] = {}
        pending: list[IndirectObject] = []

        def emit(number: int, generation: int, obj: PdfObject) -> None:
            offsets[number] = (generation, out.tell())
            out.write(b"%d %d obj\n" % (number, generation))
            obj.write_to_stream(out)
            out.write(b"\nendobj\n")
            pending.extend(_references(obj))

        # The stamps before any page that draws them, so that even a reader rebuilding a
        # cut file from the objects it finds meets no page without its stamp.
        for number, new in self.new:
            emit(number, 0, new)
        trailer = DictionaryObject({NameObject("/Root"): root})
        if info is not None:
            trailer[NameObject("/Info")] = info
        pending.extend(_references(trailer))
        visited = set(offsets)
        while pending:
            reference = pending.pop()
            if reference.idnum in visited:
                continue
            visited.add(reference.idnum)
            obj: PdfObject | None
            if reference.idnum in self.replaced:
                generation, obj = self.replaced[reference.idnum]
            elif (plain := self.plain(reference)) is not None:
                raw, bare = plain
                offsets[reference.idnum] = (reference.generation, out.tell())
                out.write(raw)
                out.write(b"endobj\n")
                pending.extend(
                    IndirectObject(int(number), int(generation), self.reader)
                    for number, generation in _REFERENCE.findall(bare)
                )
                continue
            else:
                generation, obj = reference.generation, self.reader.get_object(reference)
            if obj is not None and not isinstance(obj, NullObject):
                emit(reference.idnum, generation, obj)

        xref = out.tell()
        out.write(b"xref\n")
        runs: list[tuple[int, list[bytes]]] = [(0, [b"0000000000 65535 f \n"])]
        for number, (generation, offset) in sorted(offsets.items()):
            entry = b"%010d %05d n \n" % (offset, generation)
            first, entries = runs[-1]
            if number == first + len(entries):
                entries.append(entry)
            else:
                runs.append((number, [entry]))
        for first, entries in runs:
            out.write(b"%d %d\n" % (first, len(entries)))
            out.write(b"".join(entries))
        identifier = ByteStringObject(secrets.token_bytes(16))
        trailer[NameObject("/Size")] = NumberObject(max(offsets) + 1)
        trailer[NameObject("/ID")] = ArrayObject([identifier, identifier])
        out.write(b"trailer\n")
        trailer.write_to_stream(out)
        out.write(b"\nstartxref\n%d\n%%%%EOF\n" % xref)
        return out.getvalue()


_HEADER = re.compile(rb"(\d+)[ \t\r\n\f\0]+(\d+)[ \t\r\n\f\0]+obj\b")
_END = re.compile(rb"[ \t\r\n\f\0>\])]endobj")
_STRING = re.compile(rb"\((?:[^()\\]|\\.)*\)", re.DOTALL)  # a literal string, not nested
_NOT_PLAIN = re.compile(rb"[()%]|stream|obj|xref|trailer")
# A number not part of a name or another number, a second one, and R not part of a name.
_REFERENCE = re.compile(rb"(?<![\w.#/+-])(\d+)\s+(\d+)\s+R(?![\w#])")


def _references(obj: PdfObject) -> list[IndirectObject]:
    """The indirect references inside `obj` and the direct objects it holds."""
    found: list[IndirectObject] = []
    items: list[object] = [obj]
    while items:
        item = items.pop()
        if isinstance(item, IndirectObject):
            found.append(item)
        elif isinstance(item, DictionaryObject):
            items.extend(item.values())
        elif isinstance(item, ArrayObject):
            items.extend(item)
    found.reverse()  # written in the order they are named
    return found


def _stamped_resources(page: PageObject, font: IndirectObject) -> DictionaryObject:
    """A copy of the page's resources with our font added to its fonts."""
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    if not isinstance(resources, DictionaryObject):
        resources = DictionaryObject()
    fonts = resources.get("/Font")
    fonts = fonts.get_object() if fonts is not None else None
    new_fonts = DictionaryObject(fonts if isinstance(fonts, DictionaryObject) else {})
    new_fonts[FONT] = font
    new_resources = DictionaryObject(resources)
    new_resources[NameObject("/Font")] = new_fonts
    return new_resources


def stamp_pdf(data: bytes, *, top: str, lines: Sequence[str]) -> bytes:
    """The PDF with `top` at the head of every page and `lines` at its foot, written anew as
    one complete file (`_Document`), so the stamp cannot be cut off to recover the original.

    The work grows with the objects and pages and nothing else: each object is read once
    and written once. Each page becomes a fresh page object in a fresh, flat page tree, with
    the attributes it inherited made its own, its content streams left as they are (however
    many pages share them), framed by a shared "q" stream before and its stamp stream after
    (one per distinct page size and rotation), and resources that add our font, once per
    distinct resource dictionary. No content is decoded or parsed."""
    try:
        reader = read_pdf(io.BytesIO(data))
        document = _Document(data, reader)
        font = document.add(helvetica_font())
        save = StreamObject()
        save.set_data(b"q\n")
        save_ref = document.add(save)
        tree = document.reserve()
        kids = ArrayObject()
        overlays: dict[bytes, IndirectObject] = {}
        resources: dict[int, tuple[PdfObject | None, IndirectObject]] = {}
        stamped_pages: dict[int, IndirectObject] = {}
        for page in reader.pages:
            reference = page.indirect_reference
            if reference is not None and reference.idnum in stamped_pages:
                kids.append(stamped_pages[reference.idnum])  # listed twice, stamped once
                continue
            overlay = _overlay(page, top, lines)
            if overlay not in overlays:
                stream = StreamObject()
                stream.set_data(overlay)
                overlays[overlay] = document.add(stream)
            own = page.get("/Resources")
            own = own.get_object() if own is not None else None
            if id(own) not in resources:
                # The original is kept in the entry so that its id() stays its own.
                resources[id(own)] = (own, document.add(_stamped_resources(page, font)))
            stamped = DictionaryObject(page)  # with what it inherited: its tree is replaced
            stamped[NameObject("/Parent")] = tree
            stamped[NameObject("/Contents")] = ArrayObject(
                [save_ref, *_contents(page), overlays[overlay]]
            )
            stamped[NameObject("/Resources")] = resources[id(own)][1]
            if reference is None:  # an inline page dictionary
                kids.append(document.add(stamped))
            else:
                document.replace(reference, stamped)
                stamped_pages[reference.idnum] = reference
                kids.append(reference)
        document.add(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Pages"),
                    NameObject("/Kids"): kids,
                    NameObject("/Count"): NumberObject(len(kids)),
                }
            ),
            tree,
        )
        original_catalog = reader.trailer["/Root"]
        if not isinstance(original_catalog, DictionaryObject):
            raise StampError.damaged()
        catalog = DictionaryObject(original_catalog)
        catalog[NameObject("/Pages")] = tree
        root = reader.trailer.raw_get("/Root")
        if isinstance(root, IndirectObject):
            document.replace(root, catalog)
        else:
            root = document.add(catalog)
        info = reader.trailer.raw_get("/Info") if "/Info" in reader.trailer else None
        return document.write(root, info)
    except StampError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on a broken file
        logger.info("Could not stamp a PDF: %s: %s", type(exc).__name__, exc)
        raise StampError.damaged() from exc
