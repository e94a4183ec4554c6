"""Stamping a downloaded PDF with who received it, for whom, when, and under what label.

Each page gets an overlay merged on top: the label at the top, and at the bottom a white band
with the label, the recipient and their organisation, and the time. The overlay's content
stream is built from pypdf's generic objects and draws in the standard Helvetica font, which
every PDF reader has, so nothing is embedded.
"""

import io
import logging
import textwrap
from collections.abc import Sequence

from django.utils.translation import gettext as _
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    ContentStream,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
)

FONT = NameObject("/FEngageStamp")
FONT_SIZE = 7
LEADING = 9
MARGIN = 12
# Helvetica's widest common glyphs are about 0.72 em; most text averages well under 0.6.
EM_PER_CHAR = 0.6

logger = logging.getLogger(__name__)


class StampError(Exception):
    """The PDF cannot be read or stamped. The message is fit to show to the uploader."""


# What makes a PDF act rather than show: scripts (document, page, annotation and form-field
# actions, the document's JavaScript name tree), actions that start programs, and XFA forms,
# which carry their own scripts. Readers run these when a file is opened or clicked, so a
# labelled document that carries them is refused at upload.
ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/XFA"})
ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute"})
MAX_OBJECTS_CHECKED = 500_000


def active_content(reader: PdfReader) -> bool:
    """Whether anything reachable from the document catalogue is a script or a program launch.
    Walks every dictionary and array once (object streams are already unpacked by pypdf)."""
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer["/Root"]]
    checked = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        checked += 1
        if checked > MAX_OBJECTS_CHECKED:
            raise StampError(_("The PDF is too complex to check. Save it again as a PDF."))
        if isinstance(item, DictionaryObject):
            if ACTIVE_KEYS.intersection(item.keys()) or item.get("/S") in ACTIVE_ACTIONS:
                return True
            stack.extend(value for name, value in item.items() if name != "/Parent")
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return False


def helvetica_font() -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )


def _encode(text: str) -> ByteStringObject:
    # WinAnsiEncoding is Windows-1252; anything outside it becomes "?".
    return ByteStringObject(text.encode("cp1252", errors="replace"))


def _num(value: float) -> FloatObject:
    return FloatObject(round(value, 2))


def _text(x: float, y: float, text: str) -> list:
    return [
        ([], b"BT"),
        ([FONT, NumberObject(FONT_SIZE)], b"Tf"),
        ([_num(x), _num(y)], b"Td"),
        ([_encode(text)], b"Tj"),
        ([], b"ET"),
    ]


def _wrap(lines: Sequence[str], width: float) -> list[str]:
    chars = max(20, int(width / (FONT_SIZE * EM_PER_CHAR)))
    wrapped: list[str] = []
    for line in lines:
        wrapped.extend(textwrap.wrap(line, chars, break_on_hyphens=False) or [""])
    return wrapped


def _overlay(writer: PdfWriter, page: PageObject, top: str, lines: Sequence[str]) -> PageObject:
    box = page.cropbox
    left, bottom = float(box.left), float(box.bottom)
    width, height = float(box.width), float(box.height)
    body = _wrap(lines, width - 2 * MARGIN)
    band = LEADING * len(body) + 6
    operations: list = [
        ([], b"q"),
        # A white band under the bottom lines so they stay legible over the page's content.
        ([NumberObject(1), NumberObject(1), NumberObject(1)], b"rg"),
        ([_num(left), _num(bottom), _num(width), _num(band + MARGIN / 2)], b"re"),
        ([], b"f"),
        ([NumberObject(0), NumberObject(0), NumberObject(0)], b"rg"),
    ]
    operations += _text(left + MARGIN, bottom + height - MARGIN - FONT_SIZE, top)
    for index, line in enumerate(reversed(body)):
        operations += _text(left + MARGIN, bottom + MARGIN / 2 + 3 + index * LEADING, line)
    operations.append(([], b"Q"))

    stream = ContentStream(None, writer)
    stream.operations = operations
    overlay = PageObject.create_blank_page(writer, width=box.right, height=box.top)
    overlay[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({FONT: helvetica_font()})}
    )
    overlay.replace_contents(stream)
    return overlay


def stamp_pdf(data: bytes, *, top: str, lines: Sequence[str]) -> bytes:
    """The PDF with `top` at the head of every page and `lines` at its foot."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise StampError(
                _(
                    "The PDF is password-protected or encrypted. "
                    "Remove the protection and upload it again."
                )
            )
        if len(reader.pages) == 0:
            raise StampError(_("The PDF has no pages."))
        if active_content(reader):
            raise StampError(
                _(
                    "The PDF contains scripts or actions that start programs, which we do not "
                    "accept. Print it to a new PDF (or export it without scripts) and upload "
                    "that."
                )
            )
        writer = PdfWriter(clone_from=reader)
        for page in writer.pages:
            page.transfer_rotation_to_content()
            page.merge_page(_overlay(writer, page, top, lines))
        output = io.BytesIO()
        writer.write(output)
    except StampError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on a broken file
        logger.info("Could not stamp a PDF: %s: %s", type(exc).__name__, exc)
        raise StampError(
            _("The PDF is damaged or cannot be read. Save it again as a PDF and upload it again.")
        ) from exc
    return output.getvalue()
