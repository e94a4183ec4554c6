"""Crafted Office files: macros, links to content outside the file, archives inside the
archive, and sizes measured by unpacking (under a cap), never taken from the zip's directory."""

import zlib

import pytest
from django.core.exceptions import ValidationError

from engage.documents import archives
from engage.documents.filetypes import FileType, check_upload

from . import samples


def _refusal(data: bytes, name: str = "crafted.docx") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(data, name)
    return caught.value


@pytest.fixture
def inflated(monkeypatch):
    """How many bytes zlib inflates during the test."""
    produced = [0]
    real = zlib.decompressobj

    class Counting:
        def __init__(self, *args):
            self.inner = real(*args)

        def decompress(self, data, max_length=0):
            out = self.inner.decompress(data, max_length)
            produced[0] += len(out)
            return out

        def __getattr__(self, name):
            return getattr(self.inner, name)

    monkeypatch.setattr(zlib, "decompressobj", Counting)
    return produced


def test_a_directory_that_lies_about_sizes_is_refused_without_inflating_it(inflated):
    data = samples.docx_with_lying_directory(300)  # 300 MB claiming 1 KB, 300 KB on disk
    error = _refusal(data)
    assert error.code == "zip_sizes_lie"
    assert "word/document.xml" in error.messages[0]
    assert "false sizes" in error.messages[0]
    assert inflated[0] < 1024 * 1024  # stopped just past the 1 KB it claimed


def test_real_sizes_over_the_limit_are_refused(monkeypatch, inflated):
    monkeypatch.setattr(archives, "MAX_UNCOMPRESSED_BYTES", 2 * 1024 * 1024)
    data = samples.docx(extra=[("word/media/big.xml", bytes(3 * 1024 * 1024))])
    error = _refusal(data)
    assert error.code == "zip_bomb"
    assert "would unpack to far more" in error.messages[0]
    assert inflated[0] <= 2 * 1024 * 1024 + 128 * 1024


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (samples.docx_with_macros(), "macros", "macros (word/vbaProject.bin)"),
        (samples.docx(samples.DOCM_MAIN), "macros", "macros ([Content_Types].xml"),
        (
            samples.docx_with_rels(
                "word/_rels/settings.xml.rels",
                samples.relationship("attachedTemplate", "https://example.net/evil.dotm"),
            ),
            "external_link",
            "a template at https://example.net/evil.dotm",
        ),
        (
            samples.docx_with_rels(
                "word/_rels/document.xml.rels",
                samples.relationship("oleObject", "file://server/share/x.bin"),
            ),
            "external_link",
            "an embedded object at file://server/share/x.bin",
        ),
        (
            samples.docx_with_rels(
                "word/_rels/document.xml.rels",
                samples.relationship("frame", "https://example.net/frame.html"),
            ),
            "external_link",
            "a frame at https://example.net/frame.html",
        ),
        (samples.docx_with_nested_zip(), "nested_archive", "word/embeddings/inner.zip"),
    ],
)
def test_office_files_that_act_or_reach_out_are_refused(data, code, words):
    error = _refusal(data)
    assert error.code == code
    assert words in error.messages[0]


def test_ordinary_hyperlinks_and_internal_relationships_are_accepted():
    data = samples.docx_with_rels(
        "word/_rels/document.xml.rels",
        samples.relationship("hyperlink", "https://www.gov.uk/"),
        samples.relationship("styles", "styles.xml", external=False),
    )
    assert check_upload(data, "letter.docx").file_type == FileType.DOCX


def test_a_relationships_part_with_a_doctype_is_refused():
    data = samples.docx(
        extra=[
            (
                "word/_rels/document.xml.rels",
                b'<!DOCTYPE r [<!ENTITY a "aaaa">]><Relationships>&a;</Relationships>',
            )
        ]
    )
    assert _refusal(data).code == "damaged"


def test_a_presentation_with_macros_is_refused_for_its_macros():
    # PowerPoint files are not accepted at all; one with macros is refused for what it is.
    types = samples.OOXML_TYPES.format(
        part="ppt/presentation.xml",
        main="application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
    )
    data = samples._zip(
        [
            ("[Content_Types].xml", types.encode()),
            ("ppt/presentation.xml", b"<p:presentation/>"),
            ("ppt/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(60)),
        ]
    )
    error = _refusal(data, "deck.pptx")
    assert error.code == "macros"
    assert "The file contains macros ([Content_Types].xml: macroEnabled)" in error.messages[0]


def test_an_odt_with_basic_macros_is_refused():
    data = samples._zip(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<office:document-content/>"),
            ("Basic/Standard/Module1.xml", b"<script:module/>"),
        ],
        stored_first=True,
    )
    error = _refusal(data, "letter.odt")
    assert error.code == "macros"
    assert "Basic/Standard/Module1.xml" in error.messages[0]
