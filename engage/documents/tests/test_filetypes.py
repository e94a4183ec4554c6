"""The type of an upload is judged by its content; the name must agree."""

import pytest
from django.core.exceptions import ValidationError

from engage.documents import filetypes
from engage.documents.filetypes import FileType, check_upload

from . import samples


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("report.pdf", samples.pdf, FileType.PDF),
        ("REPORT.PDF", samples.pdf, FileType.PDF),
        ("letter.docx", samples.docx, FileType.DOCX),
        ("figures.xlsx", samples.xlsx, FileType.XLSX),
        ("letter.odt", samples.odt, FileType.ODT),
        ("figures.ods", samples.ods, FileType.ODS),
        ("figures.csv", lambda: samples.CSV, FileType.CSV),
        ("linked.pdf", samples.pdf_with_web_link, FileType.PDF),
        (
            "signed.csv",
            lambda: (
                b"area,change,phone,when\n"
                b"Gwent,-1200,+44 29 2000 0000,-\nKent,+3.5,(01622) 000,--\n"
            ),
            FileType.CSV,
        ),
        ("notes.txt", lambda: samples.TXT, FileType.TXT),
        ("one-column.csv", lambda: b"area\nGwent\nKent\n", FileType.CSV),
        ("bom.txt", lambda: "\ufeffCaf\u00e9 notes\n".encode(), FileType.TXT),
    ],
)
def test_accepted_files_are_recognised_by_content(name, make, expected):
    checked = check_upload(make(), name)
    assert checked.file_type == expected
    assert checked.content_type == filetypes.CONTENT_TYPES[expected]


def _refusal(data: bytes, name: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(data, name)
    return caught.value


@pytest.mark.parametrize(
    ("name", "data", "code", "words"),
    [
        ("setup.pdf", samples.EXE, "not_accepted", "Windows program"),
        ("photo.pdf", samples.PNG, "not_accepted", "PNG image"),
        ("photo.png", samples.PNG, "not_accepted", "PNG image"),
        ("page.txt", samples.HTML, "not_accepted", "web page"),
        ("page.txt", b"  \n<html><body>hi</body></html>", "not_accepted", "web page"),
        (
            "image.txt",
            b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
            "not_accepted",
            "web page",
        ),
        ("broken.pdf", samples.BROKEN_PDF, "bad_pdf", "damaged"),
        ("truncated.pdf", samples.pdf()[:200], "bad_pdf", "damaged"),
        ("locked.pdf", samples.encrypted_pdf(), "bad_pdf", "password"),
        ("script.pdf", samples.pdf_with_javascript(), "pdf_active_content", "scripts"),
        ("launch.pdf", samples.pdf_with_launch_link(), "pdf_active_content", "starts programs"),
        ("bomb.docx", samples.zip_bomb(), "zip_bomb", "unpack"),
        ("macros.docx", samples.docx(samples.DOCM_MAIN), "macros", "contains macros"),
        ("archive.docx", samples._zip([("a.txt", b"hello")]), "not_accepted", "zip archive"),
        ("damaged.docx", b"PK\x03\x04" + bytes(100), "damaged", "damaged"),
        ("latin1.txt", "Caf\u00e9".encode("latin-1"), "not_utf8", "UTF-8"),
        ("nul.txt", b"text\x00with a NUL", "not_accepted", "must be a"),
        ("control.txt", b"text\x07bell", "not_accepted", "binary"),
        ("empty.pdf", b"", "empty", "empty"),
        ("bad.csv", b'a,b\n"unterminated,c\n', "bad_csv", "not a valid CSV"),
        ("sum.csv", b"area,total\nGwent,=SUM(B1:B2)\n", "csv_formula", "Cell B2 begins with"),
        ("at.csv", b"note\n  @HYPERLINK(1)\n", "csv_formula", "Cell A2"),
        ("dde.csv", b"a,b,c\n1,2,\"-2+3+cmd|' /C calc'!A0\"\n", "csv_formula", "Cell C2"),
        ("plus.csv", b"a\n+cmd\n", "csv_formula", "run as a formula"),
    ],
)
def test_wrong_or_dangerous_content_is_refused_with_a_clear_message(name, data, code, words):
    error = _refusal(data, name)
    assert error.code == code
    assert words in error.messages[0]


@pytest.mark.parametrize(
    ("name", "make", "expected_ext"),
    [
        ("report.docx", samples.pdf, "pdf"),
        ("report", samples.pdf, "pdf"),
        ("letter.pdf", samples.docx, "docx"),
        ("letter.odt", samples.docx, "docx"),
        ("figures.xlsx", samples.ods, "ods"),
        ("notes.pdf", lambda: samples.TXT, "txt"),
        ("letter.doc", samples.docx, "docx"),
    ],
)
def test_the_name_must_agree_with_the_content(name, make, expected_ext):
    error = _refusal(make(), name)
    assert error.code == "wrong_extension"
    assert f"“.{expected_ext}”" in error.messages[0]


def test_too_big_is_refused_before_looking_at_the_content(monkeypatch):
    monkeypatch.setattr(filetypes, "MAX_UPLOAD_BYTES", 100)
    error = _refusal(b"x" * 101, "notes.txt")
    assert error.code == "too_big"
    assert "smaller than 100" in error.messages[0]
    assert check_upload(b"x" * 100, "notes.txt").file_type == FileType.TXT


def test_html_lookalikes_that_are_plain_text_are_accepted():
    # "<abbr" is not "<a", and "<" inside the text does not matter.
    assert check_upload(b"<abbreviations> list\n", "notes.txt").file_type == FileType.TXT
    assert check_upload(b"Totals < 5 were <b>suppressed", "notes.txt").file_type == FileType.TXT


def test_a_zip_with_too_many_entries_is_refused(monkeypatch):
    monkeypatch.setattr(filetypes, "MAX_ZIP_ENTRIES", 1)
    assert _refusal(samples.docx(), "letter.docx").code == "zip_bomb"
