"""A downloaded PDF carries, on every page, who received it, for whom, when and its label."""

import datetime as dt
import io
import logging
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from engage.accounts.models import Organisation
from engage.audit.models import AccessLog
from engage.documents.downloads import download_filename, stamp_text
from engage.documents.stamping import StampError, helvetica_font, stamp_pdf

from . import samples

SUMMER = dt.datetime(2026, 7, 1, 12, 30, tzinfo=dt.UTC)  # 13:30 BST in London


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: SUMMER)
    return SUMMER


def test_every_page_of_a_download_is_stamped(personas, client_for, make_document, frozen):
    document = make_document("two-pages.pdf", samples.pdf(pages=2))
    response = client_for(personas.gwent_staff).get(
        reverse("documents:download", args=[document.public_id])
    )
    assert response.status_code == 200
    gwent = Organisation.objects.get(slug="gwent").name
    pages = _pages(response.content)
    assert len(pages) == 2
    for number, text in enumerate(pages, start=1):
        assert f"Body of page {number}" in text  # the original content is still there
        assert "Owen Price" in text  # the recipient
        assert gwent in text  # the organisation they act for
        assert "1 July 2026 13:30 BST" in text  # the time, in Europe/London
        assert text.count("TLP:AMBER+STRICT") >= 2  # the label, top and bottom
    # The stored file is untouched: the stamp is made per download.
    with document.current_version.file.open("rb") as stored:
        assert b"Owen Price" not in stored.read()


def test_the_stamp_text(personas, frozen):
    winter = dt.datetime(2026, 12, 1, 9, 5, tzinfo=dt.UTC)
    document = type("D", (), {"label": "red"})()
    organisation = Organisation.objects.get(slug="kent")
    top, lines = stamp_text(
        document=document,
        recipient=personas.kent_commissioner,
        organisation=organisation,
        at=winter,
    )
    assert top == "TLP:RED"
    assert lines[0].startswith("TLP:RED: Named people only")
    assert lines[1] == f"Recipient: Sarah Hollis, {organisation.name}"
    assert lines[2].startswith("Downloaded: 1 December 2026 09:05 GMT (Europe/London)")


def _shown_direction(rotation: int, a: float, b: float) -> tuple[float, float]:
    """A direction in the page's space as the reader shows it: /Rotate turns it clockwise."""
    return {0: (a, b), 90: (b, -a), 180: (-a, -b), 270: (-b, a)}[rotation]


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_a_rotated_page_is_stamped_upright(rotation):
    stamped = stamp_pdf(
        samples.pdf(pages=1, rotate=rotation), top="TLP:RED", lines=["Recipient: A B"]
    )
    page = PdfReader(io.BytesIO(stamped)).pages[0]
    directions = {}

    def visit(text, cm, tm, font, size):
        if "Recipient" in text:
            a = tm[0] * cm[0] + tm[1] * cm[2]
            b = tm[0] * cm[1] + tm[1] * cm[3]
            directions[text] = _shown_direction(rotation, a, b)

    page.extract_text(visitor_text=visit)
    assert directions  # the stamp is there
    for x, y in directions.values():
        assert x > 0  # reads left to right as shown,
        assert abs(y) < 1e-6  # along the line, whatever the page's rotation
    assert page.rotation == rotation  # the page and its links are left as they were


def test_a_page_that_leaves_its_graphics_state_scaled_still_gets_a_full_size_stamp():
    stamped = stamp_pdf(samples.pdf_leaving_the_stamp_scaled(), top="TLP:RED", lines=["Me"])
    matrices = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            matrices[text] = cm

    PdfReader(io.BytesIO(stamped)).pages[0].extract_text(visitor_text=visit)
    assert matrices["Body"][0] == pytest.approx(0.01)  # the page's own content, as it was
    assert matrices["TLP:RED"][0] == pytest.approx(1)
    assert matrices["Me"][0] == pytest.approx(1)


def test_names_outside_latin_1_do_not_break_the_stamp():
    stamped = stamp_pdf(samples.pdf(1), top="TLP:RED", lines=["Recipient: Siân Ŵ Jones – 名"])
    text = _pages(stamped)[0]
    assert "Siân" in text
    assert "Jones" in text


@pytest.mark.parametrize("data", [samples.BROKEN_PDF, samples.encrypted_pdf(), b"%PDF-1.4 nothing"])
def test_an_unreadable_pdf_cannot_be_stamped(data):
    with pytest.raises(StampError):
        stamp_pdf(data, top="TLP:RED", lines=["x"])


def test_the_file_name_is_sanitised(make_document):
    document = make_document(title="  Gwent/Kent: “plans” ../../etc & Café  ")
    assert download_filename(document, document.current_version) == (
        "Gwent-Kent-plans-etc-Cafe-TLP-AMBER+STRICT.pdf"
    )
    document.title = "???"
    assert download_filename(document, document.current_version) == (
        "document-TLP-AMBER+STRICT.pdf"
    )


def _revised_pdf() -> bytes:
    """A PDF saved twice: an incremental update replaced the text of its one page, so the
    file holds an earlier revision and two ends of file; and its content carries "%%EOF" in a
    comment, one more place a file could be cut."""

    def content(writer: PdfWriter, text: bytes):
        stream = StreamObject()
        stream.set_data(b"% reads %%EOF\nBT /F1 12 Tf 72 700 Td (" + text + b") Tj ET")
        return writer._add_object(stream)

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): helvetica_font()})}
    )
    page[NameObject("/Contents")] = content(writer, b"First draft")
    first = io.BytesIO()
    writer.write(first)
    update = PdfWriter(io.BytesIO(first.getvalue()), incremental=True)
    update.pages[0][NameObject("/Contents")] = content(update, b"Final text")
    out = io.BytesIO()
    update.write(out)
    assert out.getvalue().startswith(first.getvalue())
    return out.getvalue()


STAMPABLE = {
    "plain": lambda: samples.pdf(3),
    "revised": _revised_pdf,
    "shared-stream": lambda: samples.pdf_sharing_one_content_stream(5),
    "object-stream": lambda: samples.pdf_hiding_in_an_object_stream(
        b"<< /S /URI /URI (https://example.org/) >>"
    ),
    "rotated": lambda: samples.pdf(2, rotate=90),
}


def _stamped_pages(data: bytes) -> list[str] | None:
    """The text of each page of `data` as pypdf reads it, or None if it cannot be read."""
    try:
        return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    except Exception:  # noqa: BLE001 - any failure to read is "not a readable PDF"
        return None


@pytest.mark.parametrize("make", STAMPABLE.values(), ids=STAMPABLE.keys())
def test_the_stamp_cannot_be_cut_off_at_an_end_of_file(make):
    # Cutting a file back to an earlier "%%EOF" is how an incremental update is undone: the
    # stamped file must hold no readable document whose pages lack the stamp.
    original = make()
    stamped = stamp_pdf(original, top="TLP:RED", lines=["Recipient: Ann Leaker"])
    ends = [found.end() for found in re.finditer(rb"%%EOF", stamped)]
    assert ends[-1] >= len(stamped.rstrip())
    for end in ends:
        pages = _stamped_pages(stamped[:end])
        if pages is not None:
            assert all("Recipient: Ann Leaker" in text for text in pages), (end, pages)
    assert _stamped_pages(stamped)  # and the whole file reads, every page stamped


@pytest.mark.parametrize("make", STAMPABLE.values(), ids=STAMPABLE.keys())
def test_a_stamped_pdf_is_one_complete_file_with_no_unstamped_page_inside(make):
    original = make()
    stamped = stamp_pdf(original, top="TLP:RED", lines=["Recipient: Ann Leaker"])
    reader = PdfReader(io.BytesIO(stamped), strict=True)
    # One cross-reference section, and nothing for a reader to fall back to.
    assert "/Prev" not in reader.trailer
    assert stamped.count(b"startxref") == 1
    assert len(re.findall(rb"(?m)^xref\s", stamped)) == 1
    assert original not in stamped  # the original is not carried inside
    before = PdfReader(io.BytesIO(original)).trailer.get("/ID")
    after = reader.trailer["/ID"]
    assert isinstance(after, ArrayObject)
    if isinstance(before, ArrayObject):
        assert not set(before) & set(after)  # a fresh file identifier
    # Each object is written once, and every page object in the file, reachable or not,
    # draws the stamp last.
    numbers = re.findall(rb"(?m)^(\d+) (\d+) obj", stamped)
    assert len(numbers) == len(set(numbers))
    pages = 0
    for number, generation in numbers:
        obj = reader.get_object(int(number)) if generation == b"0" else None
        if isinstance(obj, DictionaryObject) and obj.get("/Type") == "/Page":
            pages += 1
            contents = obj["/Contents"]
            assert isinstance(contents, ArrayObject)
            last = contents[-1].get_object().get_data()
            assert b"Recipient: Ann Leaker".hex().encode() in last
    assert pages == len(reader.pages)


def test_objects_that_only_look_like_file_structure_come_through_intact():
    # Plain objects are copied as stored, cut at their "endobj"; strings, names and comments
    # that hold such words, or references, must not cut or add anything.
    writer = PdfWriter(clone_from=io.BytesIO(samples.pdf(1)))
    note = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Text"),
                NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (1, 1, 9, 9)]),
                NameObject("/Contents"): TextStringObject("1 0 R) endobj stream %%EOF trailer"),
                NameObject("/NM"): NameObject("/Xendobj"),
            }
        )
    )
    plain = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (2, 2, 8, 8)]),
                NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
                NameObject("/F1"): note,  # a reference after a name ending in a digit
                NameObject("/Contents"): TextStringObject("100% (sure) \\ of 3 0 R"),
            }
        )
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([plain])
    out = io.BytesIO()
    writer.write(out)
    stamped = stamp_pdf(out.getvalue(), top="TLP:RED", lines=["Recipient: Ann Leaker"])
    page = PdfReader(io.BytesIO(stamped), strict=True).pages[0]
    annotations = page["/Annots"]
    assert isinstance(annotations, ArrayObject)
    link = annotations[0].get_object()
    assert link["/Rect"] == [2, 2, 8, 8]
    assert link["/Contents"] == "100% (sure) \\ of 3 0 R"
    text = link["/F1"].get_object()
    assert text["/Contents"] == "1 0 R) endobj stream %%EOF trailer"
    assert text["/NM"] == "/Xendobj"
    assert "Recipient: Ann Leaker" in page.extract_text()


def test_strings_as_a_person_might_write_them_come_through_intact():
    content = b"BT /F1 12 Tf 72 700 Td (Body) Tj ET"
    data = samples.handmade_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 7 0 R"
            b" /Annots [4 0 R 5 0 R 6 0 R] >>",
            b"<< /Type /Annot /Subtype /Text /Rect [1 1 9 9] /P 3 0 R"
            b" /Contents (nested (parens) endobj and \\) escaped) >>",
            b"<< /Type /Annot /Subtype /Text /Rect [1 1 9 9] /Popup 8 0 R"
            b" /Contents (100% plain \\(text\\) 9 0 R) >>",
            b"<< /Type /Annot /Subtype /Link /Rect [1 1 9 9] /NM (a \\\\)/Border [0 0 0] >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
            b"<< /Type /Annot /Subtype /Popup /Rect [1 1 9 9] >>",
        ]
    )
    stamped = stamp_pdf(data, top="TLP:RED", lines=["Recipient: Ann Leaker"])
    page = PdfReader(io.BytesIO(stamped), strict=True).pages[0]
    annotations = page["/Annots"]
    assert isinstance(annotations, ArrayObject)
    nested, plain, link = (item.get_object() for item in annotations)
    assert nested["/Contents"] == "nested (parens) endobj and ) escaped"
    assert plain["/Contents"] == "100% plain (text) 9 0 R"
    assert plain["/Popup"].get_object()["/Subtype"] == "/Popup"
    assert link["/NM"] == "a \\"
    assert link["/Border"] == [0, 0, 0]
    assert "Recipient: Ann Leaker" in page.extract_text()


def test_an_earlier_revision_of_the_original_is_left_out():
    stamped = stamp_pdf(_revised_pdf(), top="TLP:RED", lines=["Recipient: Ann Leaker"])
    assert b"First draft" not in stamped
    pages = _stamped_pages(stamped)
    assert pages is not None
    assert "Final text" in pages[0]


@pytest.mark.parametrize("old_version_route", [False, True])
def test_a_stored_pdf_that_cannot_be_stamped_gives_the_styled_page_and_is_logged(
    personas, client_for, make_document, caplog, old_version_route
):
    document = make_document("plan.pdf", samples.pdf())
    version = document.current_version
    # Damaged after upload (a bad disk, a bad restore): it passed the checks, it fails now.
    with version.file.storage.open(version.file.name, "wb") as stored:
        stored.write(samples.BROKEN_PDF)
    if old_version_route:
        person = personas.moj_lead
        url = reverse("documents:version_download", args=[document.public_id, version.number])
    else:
        person = personas.gwent_staff
        url = reverse("documents:download", args=[document.public_id])
    with caplog.at_level(logging.ERROR, logger="engage.documents"):
        response = client_for(person).get(url)
    assert response.status_code == 410  # not a server error: the stored file is unusable
    assert response["Content-Type"].startswith("text/html")
    assert 'class="govuk-heading-l">The download could not be prepared<' in response.text
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert f"document version {version.pk}" in errors[0].getMessage()
    assert not AccessLog.objects.filter(action="download", object_id=str(document.public_id))


@pytest.mark.parametrize(
    "action",
    [samples.REPEATED_S, samples.REPEATED_S.replace(b"/S /Launch", b"/#53 /Launch")],
)
def test_a_key_given_twice_is_written_once(action):
    # Refused at upload; but whatever reaches the stamper must not go out with two /S, one
    # read by pypdf (a web link) and the other by readers that keep the last (a launch).
    stamped = stamp_pdf(
        samples.pdf_with_a_key_given_twice(action), top="TLP:RED", lines=["Recipient: A B"]
    )
    innermost = re.findall(rb"<<((?:(?!<<|>>).)*)>>", stamped, re.DOTALL)
    assert innermost
    for body in innermost:
        keys = re.findall(rb"/(?:S|#53)(?=[\s/<(\[])", body)
        assert len(keys) <= 1, body
    assert b"Launch" not in stamped
    page = PdfReader(io.BytesIO(stamped), strict=True).pages[0]
    annotations = page["/Annots"]
    assert isinstance(annotations, ArrayObject)
    assert annotations[0].get_object()["/A"]["/S"] == "/URI"
    assert "Recipient: A B" in page.extract_text()
