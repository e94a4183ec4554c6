"""Helpers for forms that several apps share."""

from django import forms
from django.core.exceptions import ValidationError


def apply_errors(
    form: forms.Form, exc: ValidationError, fields: dict[str, str] | None = None
) -> None:
    """Put a service's errors on the form: on the field they name (or the form field that
    stands for it, through `fields`), the rest at the top of the error summary."""
    fields = fields or {}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            name = fields.get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
