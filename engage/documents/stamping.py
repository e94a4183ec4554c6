"""Stamping a downloaded PDF with who received it, for whom, when, and under what label.

Each page gets a stamp drawn over it: the label at the top, and at the bottom a white band
with the label, the recipient and their organisation, and the time, in the standard Helvetica
font, which every PDF reader has, so nothing is embedded.
"""

import io
import logging
import re
import textwrap
from collections.abc import Sequence

from django.utils.translation import gettext as _
from pypdf import PageObject, PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)

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
        # Close our "q" and any level the page left open (to scale or clip the stamp away):
        # PDF nests at most 28 levels, and readers ignore a surplus "Q".
        b"Q\n" * (MAX_NESTING + 1) + b"q\n",
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


class _Update:
    """An incremental update: objects appended after the original bytes, with a
    cross-reference section that points back to the original's. Nothing else is rewritten,
    so its cost is in what we add, not in the size of the document."""

    def __init__(self, data: bytes, reader: PdfReader) -> None:
        self.data = data
        self.reader = reader
        self.next_number = max(int(reader.trailer.get("/Size", 0)), *self._numbers(reader)) + 1
        self.objects: list[tuple[int, int, object]] = []

    @staticmethod
    def _numbers(reader: PdfReader) -> list[int]:
        numbers = [0]
        for table in reader.xref.values():
            numbers.extend(table)
        numbers.extend(reader.xref_objStm)
        return numbers

    def add(self, obj: object) -> IndirectObject:
        number = self.next_number
        self.next_number += 1
        self.objects.append((number, 0, obj))
        return IndirectObject(number, 0, self.reader)

    def replace(self, reference: IndirectObject, obj: object) -> None:
        self.objects.append((reference.idnum, reference.generation, obj))

    def write(self) -> bytes:
        out = io.BytesIO()
        out.write(self.data)
        if not self.data.endswith((b"\n", b"\r")):
            out.write(b"\n")
        offsets = []
        for number, generation, obj in self.objects:
            offsets.append((number, generation, out.tell()))
            out.write(b"%d %d obj\n" % (number, generation))
            obj.write_to_stream(out)  # type: ignore[attr-defined]
            out.write(b"\nendobj\n")
        xref = out.tell()
        out.write(b"xref\n0 1\n0000000000 65535 f \n")
        for number, generation, offset in sorted(offsets):
            out.write(b"%d 1\n%010d %05d n \n" % (number, offset, generation))
        trailer = DictionaryObject(
            {
                NameObject("/Size"): NumberObject(self.next_number),
                NameObject("/Root"): self.reader.trailer.raw_get("/Root"),
            }
        )
        for key in ("/Info", "/ID"):
            if key in self.reader.trailer:
                trailer[NameObject(key)] = self.reader.trailer.raw_get(key)
        previous = _last_startxref(self.data)
        if previous is not None:
            trailer[NameObject("/Prev")] = NumberObject(previous)
        out.write(b"trailer\n")
        trailer.write_to_stream(out)
        out.write(b"\nstartxref\n%d\n%%%%EOF\n" % xref)
        return out.getvalue()


def _last_startxref(data: bytes) -> int | None:
    found = re.search(rb"startxref\s+(\d+)\s*%%EOF\s*$", data[-2048:])
    if found and int(found.group(1)) < len(data):
        return int(found.group(1))
    return None


def stamp_pdf(data: bytes, *, top: str, lines: Sequence[str]) -> bytes:
    """The PDF with `top` at the head of every page and `lines` at its foot.

    Written as an incremental update of the original, so the work grows with the pages and
    nothing else: each page object is written again with its content streams left as they
    are (however many pages share them), framed by a shared "q" stream before and the page's
    own stamp stream after, and with resources that add our font, once per distinct resource
    dictionary. Nothing of the original content is decoded or parsed, and no other object is
    read."""
    try:
        reader = read_pdf(io.BytesIO(data))
        update = _Update(data, reader)
        font = update.add(helvetica_font())
        save = StreamObject()
        save.set_data(b"q\n")
        save_ref = update.add(save)
        stamped_resources: dict[int, IndirectObject] = {}
        stamped_pages: set[int] = set()
        for page in reader.pages:
            reference = page.indirect_reference
            if reference is None or reference.idnum in stamped_pages:
                continue
            stamped_pages.add(reference.idnum)
            resources = page.get("/Resources")
            resources = resources.get_object() if resources is not None else None
            if not isinstance(resources, DictionaryObject):
                resources = DictionaryObject()
            if id(resources) not in stamped_resources:
                fonts = resources.get("/Font")
                fonts = fonts.get_object() if fonts is not None else None
                new_fonts = DictionaryObject(fonts if isinstance(fonts, DictionaryObject) else {})
                new_fonts[FONT] = font
                new_resources = DictionaryObject(resources)
                new_resources[NameObject("/Font")] = new_fonts
                stamped_resources[id(resources)] = update.add(new_resources)
            overlay = StreamObject()
            overlay.set_data(_overlay(page, top, lines))
            stamped = DictionaryObject(page)
            stamped[NameObject("/Contents")] = ArrayObject(
                [save_ref, *_contents(page), update.add(overlay)]
            )
            stamped[NameObject("/Resources")] = stamped_resources[id(resources)]
            update.replace(reference, stamped)
        return update.write()
    except StampError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on a broken file
        logger.info("Could not stamp a PDF: %s: %s", type(exc).__name__, exc)
        raise StampError.damaged() from exc
