"""Input checks shared by the writes on what a body publishes (plans and published facts):
every problem is collected, keyed by the form field it belongs to, and refused at once, so the
page shows them all and nothing is saved."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

MAX_LINK = 500


class Errors:
    """Problems found in one write's input, by field."""

    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.found.setdefault(field, []).append(message)

    def check(self, condition: object, field: str, message: str) -> None:
        if not condition:
            self.add(field, message)

    def text(self, value: str | None, field: str, *, required: str | None, max_length: int) -> str:
        """`value` stripped; refused when empty (with `required`, if it is required) or too
        long."""
        text = (value or "").strip()
        if required is not None:
            self.check(text, field, required)
        self.check(
            len(text) <= max_length,
            field,
            _("Keep this to %(max)s characters or fewer") % {"max": max_length},
        )
        if "\x00" in text:
            self.add(field, _("Remove the invisible control characters"))
        return text

    def choice(self, value: str | None, field: str, choices: type[models.TextChoices]) -> str:
        self.check(value in choices.values, field, _("Choose one from the list"))
        return value or ""

    def link(self, value: str | None, field: str = "url") -> str:
        """An optional web address: https only, at most MAX_LINK characters."""
        link = (value or "").strip()
        if not link:
            return ""
        if len(link) > MAX_LINK:
            self.add(field, _("Keep the link to %(max)s characters or fewer") % {"max": MAX_LINK})
            return link
        try:
            URLValidator(schemes=["https"])(link)
        except ValidationError:
            self.add(field, _("Enter a web address starting https://"))
        return link

    def not_future(self, value: date | None, field: str, message: str) -> None:
        if value is not None:
            self.check(value <= timezone.localdate(), field, message)

    def ordered(self, start: date | None, end: date | None, field: str, message: str) -> None:
        if start is not None and end is not None:
            self.check(end >= start, field, message)

    def raise_if_any(self) -> None:
        if self.found:
            raise ValidationError(self.found)


def reason(text: str) -> str:
    """A history change reason (the column holds 100 characters)."""
    return Truncator(text).chars(100)
