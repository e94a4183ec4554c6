"""Hostile values for every id, number and date field, and the check that a page refused one
with a message (never a server error). Imported by each app's test_bad_input.py."""

import html
import re

import pytest

BAD_VALUES = [
    pytest.param("9" * 20, id="20 digits"),
    pytest.param("-1", id="negative"),
    pytest.param("abc", id="not a number"),
    pytest.param("1\x00", id="NUL byte"),
    pytest.param("9" * 5000, id="5000 digits"),
]

# A bad value in each box of a date input: every value once and the 20 digits (an
# OverflowError before) in each box. The core tests try every value in every box.
BAD_DATE_PARTS = [
    pytest.param("9" * 20, 0, id="20-digit day"),
    pytest.param("9" * 20, 1, id="20-digit month"),
    pytest.param("9" * 20, 2, id="20-digit year"),
    pytest.param("-1", 0, id="negative day"),
    pytest.param("abc", 1, id="letters for the month"),
    pytest.param("1\x00", 2, id="NUL byte in the year"),
    pytest.param("9" * 5000, 2, id="5000-digit year"),
]

# Hostile values for a choice looked up by slug.
BAD_SLUGS = [
    pytest.param("x" * 500, id="500 characters"),
    pytest.param("victims\x00", id="NUL byte"),
    pytest.param("9" * 20, id="20 digits"),
]


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def error_summary(response) -> list[str]:
    """The messages in the page's GOV.UK error summary (failing if there is none)."""
    summary = re.search(
        r'<div class="govuk-error-summary".*?</ul>', response.content.decode(), re.S
    )
    assert summary, "no error summary on the page"
    return [
        html.unescape(re.sub(r"<[^>]+>", "", item)).strip()
        for item in re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)
    ]


def assert_refused(response, message: str) -> None:
    """The page came back (200) with `message` in its error summary."""
    assert response.status_code == 200, response.status_code
    assert message in error_summary(response)
    assert "<title>Error:" in response.content.decode()


def date_parts(name: str, day: str, month: str, year: str) -> dict[str, str]:
    return {f"{name}_0": day, f"{name}_1": month, f"{name}_2": year}


def date_message(name: str, part: int, value: str) -> str:
    """The message a date field gives for `value` typed in its part (0 day, 1 month, 2 year)."""
    if part == 2 and value.isdigit():
        return f"The year of the {name} must be four digits, like 2026"
    return f"The {name} must be a real date"


def assert_date_kept(response, name: str, parts: dict[str, str]) -> None:
    """Each box of the date input shows what was typed."""
    content = response.content.decode()
    for key, value in parts.items():
        assert f'name="{key}" type="text" inputmode="numeric" value="{html.escape(value)}"' in (
            content
        ), key
