"""CSV cells that a spreadsheet would run, however it splits and quotes the file: the delimiter
it sniffs or one it might choose (comma, semicolon, tab or pipe), either quote character, and
cells dressed in quotes or leading spaces. Signed numbers and telephone numbers still pass."""

import pytest
from django.core.exceptions import ValidationError

from engage.core.files import is_formula, safe_cell
from engage.documents.filetypes import FileType, check_upload


def _refusal(data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(data, "figures.csv")
    return caught.value


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"area,notes\nGwent,x|=1+1\n", "If the file is split at “|”, cell B2 begins with “=”"),
        (b"area,notes\nGwent,x;@SUM(1)\n", "If the file is split at “;”, cell B2 begins with “@”"),
        (b"area,notes\nGwent,x\t+cmd\n", "If the file is split at tabs, cell B2 begins with “+”"),
        (b'a|b\n1|"x|=cmd"\n', "split at “|”, cell C2 begins with “=”"),  # quotes not read as such
        (b"a,b\n1,'=1+1'\n", "Cell B2 begins with “=”"),
        (b'a,b\n1," \'=1+1"\n', "Cell B2 begins with “=”"),
        (b'a,b\n1,"\r\t=1+1"\n', "Cell B2 begins with “=”"),
        (b"a,b\n1,cmd|' /C calc'!A0\n", "Row 2 holds a link to another program (DDE)"),
    ],
)
def test_hidden_formula_cells_are_refused(data, words):
    error = _refusal(data)
    assert error.code == "csv_formula"
    assert words in error.messages[0]


@pytest.mark.parametrize(
    "data",
    [
        b"change,area\n-1200,Gwent\n+3.5,Kent\n",
        b"area;change;phone\nGwent;-1200;+44 29 2000 0000\n",
        b"area|phone\nKent|'+44 (0)1622 000000'\n",
        b"area\tchange\nGwent\t-0.5\n",
        b'area,note\nGwent,"Costs fell; 5% down on last year"\n',
        b"area,note\nGwent,Teams A|B scored well!\n",
    ],
)
def test_signed_numbers_telephone_numbers_and_ordinary_text_pass(data):
    assert check_upload(data, "figures.csv").file_type == FileType.CSV


def test_exports_neutralise_cells_dressed_in_quotes_or_spaces():
    assert is_formula("'=1+1")
    assert is_formula('\r\t"=1+1')
    assert not is_formula("'-12'")
    assert safe_cell(' "@SUM(1)') == "' \"@SUM(1)"
