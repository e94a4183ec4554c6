"""Crafted PDFs: limits on pages, content and checking time at upload; active content refused
wherever it hides; stamping whose work grows with the pages, not their square."""

import io
import re
import tracemalloc
import zlib

import pypdf.filters
import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader
from pypdf.generic import ContentStream, TextStringObject

from engage.documents import pdfs, pdfsyntax
from engage.documents.filetypes import FileType, check_upload
from engage.documents.stamping import _Document, stamp_pdf

from . import samples


def _refusal(data: bytes, name: str = "crafted.pdf") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(data, name)
    return caught.value


@pytest.fixture
def decoded(monkeypatch):
    """The work pypdf does on streams, in bytes: each stream decoded (by its decoded length)
    and each content stream parsed into operations (by its length)."""
    sizes: list[int] = []
    decode = pypdf.filters.decode_stream_data
    parse = ContentStream._parse_content_stream

    def counting_decode(stream):
        data = decode(stream)
        sizes.append(len(data))
        return data

    def counting_parse(self, stream):
        sizes.append(len(stream.getbuffer()))
        return parse(self, stream)

    monkeypatch.setattr(pypdf.filters, "decode_stream_data", counting_decode)
    monkeypatch.setattr(ContentStream, "_parse_content_stream", counting_parse)
    return sizes


def _work(pages: int, decoded: list[int]) -> int:
    data = samples.pdf_sharing_one_content_stream(pages)
    decoded.clear()
    check_upload(data, "shared.pdf")
    stamped = stamp_pdf(data, top="TLP:RED", lines=["Recipient: A B"])
    work = sum(decoded)
    reader = PdfReader(io.BytesIO(stamped))
    assert len(reader.pages) == pages
    assert "Recipient: A B" in reader.pages[-1].extract_text()
    return work


def test_checking_and_stamping_work_grows_linearly_with_pages(decoded):
    # One content stream of a line per page, shared by every page: reprocessing it per page
    # made the work 16 times larger for 4 times the pages (23 s for 500 pages).
    small, large = _work(100, decoded), _work(400, decoded)
    assert small > 0
    assert large <= 5 * small  # linear is 4; the square would be 16


def test_a_shared_content_stream_is_decoded_once(decoded):
    data = samples.pdf_sharing_one_content_stream(300)
    shared_size = len(PdfReader(io.BytesIO(data)).pages[0]["/Contents"].get_object().get_data())
    decoded.clear()
    check_upload(data, "shared.pdf")
    stamp_pdf(data, top="TLP:RED", lines=["x"])
    assert decoded.count(shared_size) <= 1  # counted once at upload, never while stamping


def test_stamping_decodes_and_parses_no_content(decoded):
    # The shared stream goes out as the very bytes it came in as, compressed.
    data = samples.pdf_sharing_one_content_stream(300)
    shared = PdfReader(io.BytesIO(data)).pages[0]["/Contents"].get_object()._data
    decoded.clear()
    stamped = stamp_pdf(data, top="TLP:RED", lines=["x"])
    assert decoded == []
    assert stamped.count(shared) == 1


@pytest.fixture
def reads(monkeypatch):
    """The objects stamping reads: those pypdf parses (it caches each as it does) and those
    copied as stored (plain ones, found by their offset); and every lookup of either."""
    counts: dict[str, list] = {"parsed": [], "copied": [], "lookups": []}
    cache, get, plain = PdfReader.cache_indirect_object, PdfReader.get_object, _Document.plain

    def counting_cache(self, generation, idnum, obj):
        counts["parsed"].append((idnum, generation))
        return cache(self, generation, idnum, obj)

    def counting_get(self, indirect_reference):
        counts["lookups"].append(1)
        return get(self, indirect_reference)

    def counting_plain(self, reference):
        counts["lookups"].append(1)
        raw = plain(self, reference)
        if raw is not None:
            counts["copied"].append((reference.idnum, reference.generation))
        return raw

    monkeypatch.setattr(PdfReader, "cache_indirect_object", counting_cache)
    monkeypatch.setattr(PdfReader, "get_object", counting_get)
    monkeypatch.setattr(_Document, "plain", counting_plain)
    return counts


def _stamp_counting(data: bytes, reads: dict[str, list]) -> int:
    """Stamp `data`; check each object was read once (parsed or copied) and written once;
    return the lookups the stamping made."""
    for seen in reads.values():
        seen.clear()
    stamped = stamp_pdf(data, top="TLP:RED", lines=["Recipient: A B"])
    read = reads["parsed"] + reads["copied"]
    assert len(read) == len(set(read))
    written = re.findall(rb"(?m)^(\d+) (\d+) obj", stamped)
    assert len(written) == len(set(written))
    assert len(written) >= len(set(read))
    return len(reads["lookups"])


def test_stamping_reads_and_writes_each_object_once(reads):
    # The stamped file is written anew (the original is not carried inside it), so every
    # object is read and written, here 3,000 then 12,000 annotations: each once, so the work
    # grows with the objects and nothing else.
    small = _stamp_counting(samples.pdf_with_annotations(30, 100), reads)
    assert len(reads["parsed"] + reads["copied"]) > 3000
    large = _stamp_counting(samples.pdf_with_annotations(30, 400), reads)
    assert len(reads["parsed"] + reads["copied"]) > 12000
    assert large <= 5 * small  # linear is 4


def test_stamping_work_grows_linearly_with_pages(reads):
    small = _stamp_counting(samples.pdf_sharing_one_content_stream(100), reads)
    large = _stamp_counting(samples.pdf_sharing_one_content_stream(400), reads)
    assert large <= 5 * small  # linear is 4; looking a page up again per page would be 16


def test_too_many_pages_are_refused(monkeypatch):
    monkeypatch.setattr(pdfs, "MAX_PAGES", 50)
    assert check_upload(samples.pdf(50), "fifty.pdf").file_type == FileType.PDF
    error = _refusal(samples.pdf_sharing_one_content_stream(51))
    assert error.code == "pdf_too_many_pages"
    assert error.messages == [
        "The PDF has 51 pages. The most we accept is 50. Split it into smaller files."
    ]


def test_a_content_bomb_is_refused_without_inflating_it(monkeypatch):
    monkeypatch.setattr(pdfs, "MAX_CONTENT_BYTES", 1024 * 1024)
    data = samples.pdf_with_content_bomb(64 * 1024 * 1024)
    assert len(data) < 200 * 1024
    tracemalloc.start()
    try:
        error = _refusal(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code == "pdf_too_much_content"
    assert "more than 1.0\xa0MB" in error.messages[0]
    assert peak < 16 * 1024 * 1024  # never the 64 MB it would inflate to


def test_content_within_the_limit_is_counted_once_per_stream(monkeypatch):
    data = samples.pdf_sharing_one_content_stream(200)
    size = len(PdfReader(io.BytesIO(data)).pages[0]["/Contents"].get_object().get_data())
    monkeypatch.setattr(pdfs, "MAX_CONTENT_BYTES", size)
    assert check_upload(data, "shared.pdf").file_type == FileType.PDF
    monkeypatch.setattr(pdfs, "MAX_CONTENT_BYTES", size - 1)
    assert _refusal(data).code == "pdf_too_much_content"


def test_a_pdf_that_takes_too_long_to_check_is_refused(monkeypatch):
    monkeypatch.setattr(pdfs, "MAX_CHECK_SECONDS", 0)
    error = _refusal(samples.pdf(2))
    assert error.code == "pdf_too_slow"
    assert "took too long to check" in error.messages[0]


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (samples.pdf_with_javascript, "scripts (JavaScript)"),
        (samples.pdf_with_outline_script, "scripts (JavaScript)"),
        (samples.pdf_with_xfa, "an XFA form"),
        (samples.pdf_with_launch_link, "an action that starts programs (/Launch)"),
        (samples.pdf_hiding_in_an_object_stream, "an action that starts programs (/Launch)"),
        (samples.pdf_with_embedded_file, "embedded files"),
        (samples.pdf_with_attachment_annotation, "embedded files"),
        (
            lambda: samples.pdf_with_link_action("/GoToE"),
            "an action that opens another file (/GoToE)",
        ),
        (
            lambda: samples.pdf_with_link_action("/GoToR", **{"/F": TextStringObject("other.pdf")}),
            "an action that opens another file (/GoToR)",
        ),
        (
            lambda: samples.pdf_with_link_action(
                "/SubmitForm", **{"/F": TextStringObject("https://example.org/")}
            ),
            "an action that sends form data (/SubmitForm)",
        ),
        (
            lambda: samples.pdf_with_link_action("/ImportData"),
            "an action that imports data (/ImportData)",
        ),
        (
            lambda: samples.pdf_hiding_in_an_object_stream(
                b"<< /S /Java#53cript /JS (app.alert(1)) >>"
            ),
            "scripts (JavaScript)",
        ),
    ],
)
def test_active_content_is_refused_wherever_it_hides(make, words):
    error = _refusal(make())
    assert error.code == "pdf_active_content"
    assert f"The PDF contains {words}" in error.messages[0]


def test_an_object_stream_with_an_ordinary_link_is_accepted():
    data = samples.pdf_hiding_in_an_object_stream(b"<< /S /URI /URI (https://example.org/) >>")
    assert check_upload(data, "compact.pdf").file_type == FileType.PDF


UNFINISHED = (
    "The PDF has a page whose content is unfinished. Save it again as a PDF and upload it again."
)
BODY = b"BT /F1 12 Tf 72 700 Td (Body) Tj ET "
FLATE = zlib.compress(b"\x80" * 10000)


@pytest.mark.parametrize(
    "streams",
    [
        # Readers that join a page's streams would read the stamp after these as part of
        # a string or an image, and show the page without it.
        [BODY + b"("],
        [BODY + b"BI /W 1 /H 1 /BPC 8 /CS /G ID "],
        [BODY + b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00EIx"],  # EI not delimited
        [BODY + b"BI /W 1 /H 1"],
        # Readers take the 10,000 bytes the image says it has before looking for EI.
        [BODY + b"BI /W 100 /H 100 /BPC 8 /CS /G ID x EI\nQ"],
        [
            BODY
            + b"BI /Width 10 /Height 10 /BitsPerComponent 8 /ColorSpace /DeviceRGB ID "
            + b"x" * 200
            + b" EI "
        ],
        # A filtered image's data must reach its filter's end before EI; MuPDF reads on
        # into the stamp, or fails and draws nothing more of the page.
        [BODY + b"BI /W 100 /H 100 /BPC 8 /CS /G /F /AHx ID 00 EI"],
        [BODY + b"BI /W 100 /H 100 /BPC 8 /CS /G /F /A85 ID !! EI"],
        [BODY + b"BI /W 100 /H 100 /BPC 8 /CS /G /F [/Fl] ID " + FLATE[:20] + b" EI"],
        [BODY + b"BI /W 100 /H 100 /BPC 8 /CS /G /Filter /RunLengthDecode ID \x7f EI"],
        [b"BI /W 100 /H 100 /BPC 8 /CS /G /F /AHx ID 00 EI " + BODY],
        [BODY + b"BI /W 8 /H 8 /BPC 1 /IM true /F /CCF ID \x00 EI"],  # no end we can find
        [BODY + b"(still \\) open"],
        [BODY + b"(nested (twice) still open"],
        [BODY + b"<426f6479"],
        [BODY + b"[(Bo) 20 (dy)"],
        [BODY + b"/Span << /ActualText (x) BDC"],
        [BODY + b"% a comment hides no ) here\n("],
        [b"BT /F1 12 Tf 72 700 Td (Bo", b"dy) Tj ET ("],
        # Joined as they are, the backslash escapes the ")" of the next stream.
        [b"BT /F1 12 Tf 72 700 Td (Body\\", b") Tj ET"],
    ],
)
def test_a_page_whose_content_is_unfinished_is_refused(streams):
    data = samples.pdf_with_page_content(*streams)
    error = _refusal(data)
    assert error.code == "pdf_unfinished_content"
    assert error.messages == [UNFINISHED]
    with pytest.raises(ValidationError):
        pdfs.check_pdf(data)


@pytest.mark.parametrize(
    "streams",
    [
        # A string opened in one stream and closed in the next: readers join the streams.
        [b"BT /F1 12 Tf 72 700 Td (Bo", b"dy) Tj ET"],
        [b"BT /F1 12 Tf 72 700 Td (a (nested) \\( \\\\) Tj ET % a comment ( < [ <<\n"],
        [b"BT /F1 12 Tf 72 700 Td <426f6479> Tj [(B) 5 (ody)] TJ ET /P <</MCID 0>> BDC EMC"],
        [b"BI /W 1 /H 1 /BPC 8 /CS /G ID ( EI " + BODY],
        # Data that holds " EI " itself: the image says how long it is.
        [b"BI /W 2 /H 3 /BPC 8 /CS /RGB ID " + b"a EI b" * 3 + b"\nEI " + BODY],
        [b"BI /W 4 /H 1 /F /AHx ID 00ff00ff> EI " + BODY],
        [b"BI /W 100 /H 100 /BPC 8 /CS /G /F /AHx ID " + b"80" * 10000 + b"> EI " + BODY],
        [BODY + b"BI /W 100 /H 100 /BPC 8 /CS /G /F /Fl ID " + FLATE + b" EI"],
        [
            BODY
            + b"BI /W 100 /H 100 /BPC 8 /CS /G /F [/AHx /Fl] ID "
            + FLATE.hex().encode()
            + b"> EI"
        ],
        [b"BI /W 1 /H 1 /BPC 8 /CS /G /D [(x ID y)] ID <\nEI\n" + BODY + b"/BI 1 d0"],
        [b"q q 0.5 0 0 0.5 0 0 cm " + BODY],  # left open: the stamp closes it
        [BODY + b"% a comment, and no line end"],  # the stamp starts on a new line
    ],
)
def test_a_page_whose_content_ends_cleanly_is_accepted_and_stamped(streams):
    data = samples.pdf_with_page_content(*streams)
    assert check_upload(data, "fine.pdf").file_type == FileType.PDF
    stamped = stamp_pdf(data, top="TLP:RED", lines=["Recipient: A B"])
    assert "Recipient: A B" in PdfReader(io.BytesIO(stamped)).pages[0].extract_text()


def test_content_shared_by_2000_pages_is_scanned_once(monkeypatch):
    scanned: list[int] = []
    unfinished = pdfs.unfinished

    def counting(content: bytes, tick=None) -> str | None:
        scanned.append(len(content))
        return unfinished(content, tick)

    monkeypatch.setattr(pdfs, "unfinished", counting)
    data = samples.pdf_sharing_one_content_stream(2000)
    assert check_upload(data, "shared.pdf").file_type == FileType.PDF
    shared = PdfReader(io.BytesIO(data)).pages[0]["/Contents"].get_object().get_data()
    assert scanned == [len(shared)]


@pytest.mark.parametrize(
    "action",
    [
        samples.REPEATED_S,
        samples.REPEATED_S.replace(b"/S /Launch", b"/#53 /Launch"),  # the same key, escaped
        b"<< /S /URI /URI (https://example.org/) /Next << /S /URI /S /Launch /F (a) >> >>",
    ],
)
def test_a_key_given_twice_is_refused(action):
    error = _refusal(samples.pdf_with_a_key_given_twice(action))
    assert error.code == "pdf_active_content"
    assert error.messages[0].startswith("The PDF contains an entry given twice (/S)")
    assert "active content" in error.messages[0]


def test_a_key_given_twice_in_an_object_stream_is_refused():
    data = samples.pdf_hiding_in_an_object_stream(
        b"<< /S /URI /URI (https://example.org/) /S /Launch /F (calc.exe) >>"
    )
    assert _refusal(data).code == "pdf_active_content"


def test_names_given_once_per_dictionary_are_accepted():
    # The same name in nested dictionaries, or as a value, is not a key given twice.
    action = (
        b"<< /Type /Action /S /URI /URI (https://example.org/ /S) /Next"
        b" << /Type /Action /S /URI /URI <68> >> >>"
    )
    data = samples.pdf_with_a_key_given_twice(action)
    assert check_upload(data, "links.pdf").file_type == FileType.PDF


class _Stopped(Exception):
    pass


@pytest.mark.parametrize("content", [b"(" * 1_000_000, b"(a) Tj " * 300_000])
def test_a_long_content_scan_gives_the_deadline_its_turn(content):
    # Byte by byte through nested parentheses, or string by string: either way the check's
    # deadline is asked every 100,000 steps, so no scan outlasts it.
    def tick():
        raise _Stopped

    with pytest.raises(_Stopped):
        pdfsyntax.unfinished(content, tick)
