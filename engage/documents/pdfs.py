"""Checking an uploaded PDF: limits on its pages, its content and the time the check takes,
and nothing in it that acts rather than shows.

The limits bound every download too: a PDF is stamped per download (stamping.py) by writing
it anew, each object once, so its work grows with its objects and pages alone; the same stamp
is tried here at upload within the deadline, so a file that passes cannot tie up a worker
later (ADR 0009).
"""

import io
import time
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf._configuration import apply_configuration
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from .pdfsyntax import repeated_key, unfinished

# Module constants, so tests can lower them.
MAX_PAGES = 2000
# Decoded page and form content, each stream counted once however many pages share it.
MAX_CONTENT_BYTES = 100 * 1024 * 1024
MAX_CHECK_SECONDS = 10.0
MAX_OBJECTS = 200_000

# What makes a PDF act rather than show, by the words the refusal uses. Readers run scripts
# and actions when a file is opened, a page shown or a link or bookmark clicked; embedded
# files and other-file actions carry or fetch content we have not checked.
JAVASCRIPT = "javascript"
ACTIONS = {
    "/JavaScript": JAVASCRIPT,
    "/Launch": "launch",
    "/GoToE": "gotoe",
    "/GoToR": "gotor",
    "/SubmitForm": "submitform",
    "/ImportData": "importdata",
    "/RichMediaExecute": "richmedia",
}
EMBEDDED = "embedded"


def _what(kind: str) -> str:
    return {
        JAVASCRIPT: _("scripts (JavaScript)"),
        "xfa": _("an XFA form"),
        EMBEDDED: _("embedded files"),
        "launch": _("an action that starts programs (/Launch)"),
        "gotoe": _("an action that opens another file (/GoToE)"),
        "gotor": _("an action that opens another file (/GoToR)"),
        "submitform": _("an action that sends form data (/SubmitForm)"),
        "importdata": _("an action that imports data (/ImportData)"),
        "richmedia": _("an action that runs media (/RichMediaExecute)"),
    }[kind]


class PdfRefused(ValidationError):
    pass


def _refuse(message: str, code: str) -> PdfRefused:
    return PdfRefused(message, code=code)


def configuration(remaining_content: int):
    """pypdf's own limits, so no single decode inflates past what we still allow."""
    cap = max(1, remaining_content + 1)
    return apply_configuration(
        zlib_maximum_output_length=cap,
        lzw_maximum_output_length=cap,
        run_length_maximum_output_length=cap,
        brotli_maximum_output_length=cap,
        zlib_maximum_recovery_input_length=1024 * 1024,
    )


class _Deadline:
    def __init__(self) -> None:
        self.ends = time.monotonic() + MAX_CHECK_SECONDS

    def check(self) -> None:
        if time.monotonic() >= self.ends:
            raise _refuse(
                _(
                    "The PDF took too long to check: it is too complex. Save it again as a "
                    "PDF, or split it into smaller files, and upload it again."
                ),
                "pdf_too_slow",
            )


def _active_kind(item: DictionaryObject) -> str | None:
    keys = item.keys()
    if "/JS" in keys or "/JavaScript" in keys:
        return JAVASCRIPT
    if "/XFA" in keys:
        return "xfa"
    if (
        "/EmbeddedFiles" in keys
        or "/EF" in keys
        or item.get("/Type") == "/EmbeddedFile"
        or item.get("/Subtype") == "/FileAttachment"
    ):
        return EMBEDDED
    action = item.get("/S")
    return ACTIONS.get(action) if isinstance(action, str) else None


def _objects(reader: PdfReader) -> Iterator[object]:
    """Every object the file defines (those packed in object streams too) and everything
    reachable from its catalogue, each once."""
    yield reader.trailer.get("/Root")
    for generation, numbers in reader.xref.items():
        for number in numbers:
            yield IndirectObject(number, generation, reader)
    for number in reader.xref_objStm:
        yield IndirectObject(number, 0, reader)


def check_objects(reader: PdfReader, deadline: _Deadline) -> list[StreamObject]:
    """Refuse active content anywhere; return the form XObjects (content to measure)."""
    seen: set[tuple[int, int]] = set()
    forms: list[StreamObject] = []
    checked = 0
    for start in _objects(reader):
        stack = [start]
        while stack:
            item = stack.pop()
            if isinstance(item, IndirectObject):
                key = (item.idnum, item.generation)
                if key in seen:
                    continue
                seen.add(key)
                item = item.get_object()
            checked += 1
            if checked % 1000 == 0:
                deadline.check()
            if checked > MAX_OBJECTS:
                raise _refuse(
                    _("The PDF is too complex to check. Save it again as a PDF."),
                    "pdf_too_complex",
                )
            if isinstance(item, DictionaryObject):
                kind = _active_kind(item)
                if kind:
                    raise _refuse(
                        _(
                            "The PDF contains %(what)s, which we do not accept. Print it to a "
                            "new PDF (or export it without them) and upload that."
                        )
                        % {"what": _what(kind)},
                        "pdf_active_content",
                    )
                if isinstance(item, StreamObject) and item.get("/Subtype") == "/Form":
                    forms.append(item)
                stack.extend(value for name, value in item.items() if name != "/Parent")
            elif isinstance(item, ArrayObject):
                stack.extend(item)
    return forms


def _page_streams(page: DictionaryObject) -> list[StreamObject]:
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    items = contents if isinstance(contents, ArrayObject) else [contents]
    streams = []
    for item in items:
        stream = item.get_object() if item is not None else None
        if isinstance(stream, StreamObject):
            streams.append(stream)
    return streams


def _check_page_ends(streams: list[StreamObject], deadline: _Deadline) -> None:
    """Refuse a page whose content ends inside a string, an inline image, an array or a
    dictionary: the stamp drawn after it would be read as part of it, and not drawn.
    Readers join a page's streams with or without whitespace between them (a string may
    go on from one to the next), so both joins must end cleanly."""
    parts = [stream.get_data() for stream in streams]  # decoded already, and kept
    joined = [parts[0]] if len(parts) == 1 else [b"".join(parts), b"\n".join(parts)]
    for content in joined:
        if unfinished(content, deadline.check):
            raise _refuse(
                _(
                    "The PDF has a page whose content is unfinished. Save it again as a PDF "
                    "and upload it again."
                ),
                "pdf_unfinished_content",
            )


def check_content(reader: PdfReader, forms: list[StreamObject], deadline: _Deadline) -> None:
    """The decoded size of the page and form content, each stream once, counted under a cap
    so that a bomb stops inflating at the limit; and how each page's content ends, scanned
    once per distinct list of streams (2,000 pages sharing one stream cost one scan)."""
    counted: set[int] = set()
    total = 0

    def count(stream: StreamObject) -> None:
        nonlocal total
        if id(stream) in counted:
            return
        counted.add(id(stream))
        deadline.check()
        try:
            with configuration(MAX_CONTENT_BYTES - total):
                total += len(stream.get_data())
        except LimitReachedError:
            total = MAX_CONTENT_BYTES + 1
        if total > MAX_CONTENT_BYTES:
            raise _refuse(
                _(
                    "The PDF’s pages unpack to more than %(limit)s of drawing instructions. "
                    "Save it again as a PDF, or split it into smaller files."
                )
                % {"limit": filesizeformat(MAX_CONTENT_BYTES)},
                "pdf_too_much_content",
            )

    pages = [_page_streams(page) for page in reader.pages]
    for stream in [*(stream for streams in pages for stream in streams), *forms]:
        count(stream)
    # pypdf keeps each object it has read, so id() names a stream for as long as `reader`.
    scanned: set[tuple[int, ...]] = set()
    for streams in pages:
        key = tuple(id(stream) for stream in streams)
        if streams and key not in scanned:
            scanned.add(key)
            _check_page_ends(streams, deadline)


def check_keys(reader: PdfReader, data: bytes, deadline: _Deadline) -> None:
    """Refuse a dictionary that gives a key twice: pypdf reads the first value and other
    readers the last, so `<< /S /URI ... /S /Launch >>` passes for a web link here and
    starts a program there. Every object stored in the file is scanned as written (each
    from where it starts to where the next does) and every object stream as decoded."""
    starts = sorted({offset for table in reader.xref.values() for offset in table.values()})
    sources: list[tuple[bytes, int, int]] = [
        (data, start, end) for start, end in zip(starts, [*starts[1:], len(data)], strict=True)
    ]
    for number in sorted({packed_in for packed_in, _index in reader.xref_objStm.values()}):
        packed = reader.get_object(number)
        if isinstance(packed, StreamObject):
            decoded = packed.get_data()
            sources.append((decoded, 0, len(decoded)))
    for index, (source, start, end) in enumerate(sources):
        if index % 1000 == 0:
            deadline.check()
        key = repeated_key(source, start, end)
        if key is not None:
            raise _refuse(
                _(
                    "The PDF contains an entry given twice (%(key)s), which could hide active "
                    "content such as an action that starts programs. Print it to a new PDF "
                    "and upload that."
                )
                % {"key": key.decode("latin-1")[:40]},
                "pdf_active_content",
            )


def check_pdf(data: bytes) -> None:
    """Refuse a PDF beyond the limits or with active content, then stamp it once as a trial:
    a PDF that cannot be stamped within the deadline could not be downloaded."""
    from .stamping import StampError, read_pdf, stamp_pdf

    deadline = _Deadline()
    try:
        with configuration(MAX_CONTENT_BYTES):
            reader = read_pdf(io.BytesIO(data))
            pages = len(reader.pages)
            if pages > MAX_PAGES:
                raise _refuse(
                    _(
                        "The PDF has %(pages)s pages. The most we accept is %(limit)s. "
                        "Split it into smaller files."
                    )
                    % {"pages": pages, "limit": MAX_PAGES},
                    "pdf_too_many_pages",
                )
            deadline.check()
            forms = check_objects(reader, deadline)
            check_keys(reader, data, deadline)
        check_content(reader, forms, deadline)
        stamp_pdf(data, top="TLP", lines=["check"])
        deadline.check()
    except PdfRefused:
        raise
    except StampError as exc:
        raise _refuse(str(exc), "bad_pdf") from exc
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on a broken file
        raise _refuse(str(StampError.damaged()), "bad_pdf") from exc
