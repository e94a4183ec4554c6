"""The shared parsers and fields: out-of-range and malformed numbers, ids and dates are
refused with a message before any query runs, on SQLite and PostgreSQL alike."""

from datetime import date

import pytest
from django import forms

from engage.accounts.models import User
from engage.core.fields import (
    MAX_ID,
    DateField,
    ModelChoiceField,
    ModelMultipleChoiceField,
    parse_id,
    parse_whole_number,
)
from engage.directory.models import PriorityTheme

from .bad_input import BAD_SLUGS, BAD_VALUES


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        (" 42 ", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("9" * 20, None),
        ("9" * 5000, None),
        ("0", None),
        ("-1", None),
        ("+1", None),
        ("1.0", None),
        ("1e3", None),
        ("١", None),  # an Arabic-Indic digit: int() takes it, an id never has it
        ("1\x00", None),
        ("", None),
        (None, None),
        (True, None),
        (7, 7),
    ],
)
def test_parse_id(value, expected):
    assert parse_id(value) == expected


def test_parse_whole_number_bounds():
    assert parse_whole_number("0") == 0
    assert parse_whole_number("12", maximum=12) == 12
    assert parse_whole_number("13", maximum=12) is None
    assert parse_whole_number("2", minimum=3) is None


class DateForm(forms.Form):
    when = DateField(label="When", name="date")


def _date_form(day, month, year) -> DateForm:
    return DateForm({"when_0": day, "when_1": month, "when_2": year})


@pytest.mark.parametrize("part", [0, 1, 2])
@pytest.mark.parametrize("value", BAD_VALUES)
def test_a_bad_date_part_is_an_error_on_the_field(part, value):
    parts = ["27", "3", "2027"]
    parts[part] = value
    form = _date_form(*parts)
    assert not form.is_valid()
    expected = (
        "The year of the date must be four digits, like 2026"
        if part == 2 and value.isdigit()
        else "The date must be a real date"
    )
    assert form.errors["when"] == [expected]


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("", "3", "2027"), "The date must include a day"),
        (("27", "", ""), "The date must include a month and year"),
        (("31", "2", "2027"), "The date must be a real date"),
        (("27", "3", "27"), "The year of the date must be four digits, like 2026"),
        (("27", "3", "1989"), "The date must be between 1990 and 2100"),
        (("1", "1", "2101"), "The date must be between 1990 and 2100"),
        (("", "", ""), "Enter the date"),
    ],
)
def test_date_messages(parts, message):
    form = _date_form(*parts)
    assert not form.is_valid()
    assert form.errors["when"] == [message]


def test_a_real_date_in_range():
    form = _date_form(" 07 ", "03", "2027")
    assert form.is_valid()
    assert form.cleaned_data["when"] == date(2027, 3, 7)


class ChoiceForm(forms.Form):
    people = ModelMultipleChoiceField(
        queryset=User.objects.all(), error_messages={"invalid_choice": "Choose people"}
    )
    person = ModelChoiceField(
        queryset=User.objects.all(),
        required=False,
        error_messages={"invalid_choice": "Choose a person"},
    )
    themes = ModelMultipleChoiceField(
        queryset=PriorityTheme.objects.all(),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": "Choose themes"},
    )


@pytest.mark.django_db
@pytest.mark.parametrize("value", BAD_VALUES)
def test_bad_ids_are_refused_before_the_query(value):
    user = User.objects.create_user(email="someone@example.org")
    form = ChoiceForm({"people": [str(user.pk), value], "person": value})
    assert not form.is_valid()
    assert form.errors["people"] == ["Choose people"]
    assert form.errors["person"] == ["Choose a person"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", BAD_SLUGS)
def test_bad_slugs_are_refused_before_the_query(reference_data, value):
    form = ChoiceForm({"people": [], "themes": [value]})
    assert not form.is_valid()
    assert form.errors["themes"] == ["Choose themes"]


@pytest.mark.django_db
def test_good_ids_are_chosen():
    user = User.objects.create_user(email="someone@example.org")
    form = ChoiceForm({"people": [str(user.pk)], "person": str(user.pk)})
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["people"]) == [user]
    assert form.cleaned_data["person"] == user
