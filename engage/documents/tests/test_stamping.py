"""A downloaded PDF carries, on every page, who received it, for whom, when and its label."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from engage.accounts.models import Organisation
from engage.documents.downloads import download_filename, stamp_text
from engage.documents.stamping import StampError, stamp_pdf

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
