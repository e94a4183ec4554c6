"""Form fields and parsers that refuse out-of-range or malformed numbers, ids and dates
before they reach the database.

A database integer has a range (SQLite and PostgreSQL's bigint stop at 2**63 - 1) and a date
has a calendar: a 20-digit id or year typed into a form must get a message on the page, never
an `OverflowError` from Python or an integer-overflow error from the database. Every form
that takes an id, a number or a date uses these rather than a check of its own.
"""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The largest id a BigAutoField can hold, on SQLite and PostgreSQL alike.
MAX_ID = 2**63 - 1


def parse_whole_number(value: object, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """The whole number `value` spells in ASCII digits (no sign, no spaces inside), if it lies
    within [minimum, maximum]; None for anything else. Long strings are refused by length
    before `int()` sees them."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        if not text or len(text) > len(str(maximum)) or not (text.isascii() and text.isdigit()):
            return None
        number = int(text)
    return number if minimum <= number <= maximum else None


def parse_id(value: object) -> int | None:
    """A database id (1 to MAX_ID) from a query string or form value; None if it is not one."""
    return parse_whole_number(value, minimum=1)


def _refuse(field: forms.ModelChoiceField, value) -> ValidationError:
    return ValidationError(
        field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
    )


def check_key(field: forms.ModelChoiceField, value) -> None:
    """Check a value against the column it will be looked up in, before any query runs:
    within the column's integer range for an integer key, within max_length for a text key,
    and free of NUL bytes. Anything else is the field's own "invalid_choice" error."""
    if isinstance(value, models.Model):
        return
    if isinstance(value, str) and "\x00" in value:
        raise _refuse(field, value)
    meta = field.queryset.model._meta  # type: ignore[union-attr]
    column = meta.pk if field.to_field_name is None else meta.get_field(field.to_field_name)
    if isinstance(column, models.IntegerField):
        low, high = connections[field.queryset.db].ops.integer_field_range(  # type: ignore[union-attr]
            column.get_internal_type()
        )
        if parse_whole_number(value, minimum=max(low, 0), maximum=high) is None:
            raise _refuse(field, value)
    elif (max_length := getattr(column, "max_length", None)) and len(str(value)) > max_length:
        raise _refuse(field, value)


class ModelChoiceField(forms.ModelChoiceField):
    """One row chosen from a list, its key checked before the lookup."""

    def validate_no_null_characters(self, value) -> None:
        check_key(self, value)  # a NUL byte gets the field's own message

    def to_python(self, value):
        if value not in self.empty_values:
            check_key(self, value)
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Rows chosen from a list, each key checked before the `IN` query (Django guards an
    exact lookup against integer overflow, but not `IN`: a 20-digit id overflows SQLite)."""

    def clean(self, value):
        if isinstance(value, list | tuple):
            for key in value:
                check_key(self, key)
        return super().clean(value)


# Dates ------------------------------------------------------------------------------------

MIN_YEAR = 1990
MAX_YEAR = 2100


class DateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes in a fieldset."""

    template_name = "core/widgets/date_input.html"
    parts = (("day", _("Day"), 2), ("month", _("Month"), 2), ("year", _("Year"), 4))

    def __init__(self, attrs=None):
        widgets = [forms.TextInput(attrs={"inputmode": "numeric"}) for _part in self.parts]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        error = "--error" in (attrs or {}).get("class", "")
        for subwidget, (_key, label, width) in zip(
            context["widget"]["subwidgets"], self.parts, strict=True
        ):
            classes = f"govuk-input govuk-date-input__input govuk-input--width-{width}"
            subwidget["attrs"]["class"] = classes + (" govuk-input--error" if error else "")
            subwidget["label"] = label
        return context

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else ""


class _DatePart(forms.Field):
    """A day, month or year as typed: kept as text, judged whole in DateField.compress (so a
    NUL byte or a letter gets the date's own message, not a generic one)."""

    def to_python(self, value):
        return "" if value is None else str(value).strip()


class DateField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK error messages, between MIN_YEAR and
    MAX_YEAR. Every part is checked as text before it becomes a number."""

    widget = DateInput

    def __init__(
        self,
        *,
        required: bool = True,
        name: str | Promise,
        min_year: int = MIN_YEAR,
        max_year: int = MAX_YEAR,
        **kwargs,
    ):
        self.name = name
        self.min_year, self.max_year = min_year, max_year
        fields = tuple(_DatePart(required=False) for _part in DateInput.parts)
        super().__init__(fields, required=required, require_all_fields=False, **kwargs)
        self.error_messages["required"] = _("Enter the %(name)s") % {"name": name}
        self.error_messages["incomplete"] = self.error_messages["required"]

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        missing = [
            str(label)
            for (_key, label, _width), part in zip(DateInput.parts, (day, month, year), strict=True)
            if not part
        ]
        if missing:
            raise ValidationError(
                _("The %(name)s must include a %(parts)s")
                % {"name": self.name, "parts": _(" and ").join(m.lower() for m in missing)}
            )
        numbers = (
            parse_whole_number(day, minimum=1, maximum=31),
            parse_whole_number(month, minimum=1, maximum=12),
            parse_whole_number(year, minimum=1, maximum=9999),
        )
        if numbers[0] is None or numbers[1] is None or numbers[2] is None:
            if numbers[2] is None and year.isascii() and year.isdigit():
                raise ValidationError(self._year_message())
            raise ValidationError(_("The %(name)s must be a real date") % {"name": self.name})
        if len(year) != 4:
            raise ValidationError(self._year_message())
        try:
            value = date(numbers[2], numbers[1], numbers[0])
        except ValueError:
            raise ValidationError(
                _("The %(name)s must be a real date") % {"name": self.name}
            ) from None
        if not self.min_year <= value.year <= self.max_year:
            raise ValidationError(
                _("The %(name)s must be between %(min)s and %(max)s")
                % {"name": self.name, "min": self.min_year, "max": self.max_year}
            )
        return value

    def _year_message(self):
        return _("The year of the %(name)s must be four digits, like 2026") % {"name": self.name}
