"""Registered numbers a voluntary organisation gives: a charity number of England and Wales
and a Companies House number. Used by the account request and the organisation profile."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The Charity Commission's register: 6 to 8 digits (most are 7, e.g. 1123456), and a linked
# charity adds "-" and its number (1123456-1).
CHARITY_NUMBER = re.compile(r"[0-9]{6,8}(-[0-9]{1,3})?")
# Companies House: 8 digits (leading zeros kept), or a two-letter prefix (SC, NI, OC, SO, NC,
# R0, ...) and 6 digits.
COMPANY_NUMBER = re.compile(r"([0-9]{8}|[A-Z]{2}[0-9]{6}|R0[0-9]{6})")


def clean_charity_number(value: str) -> str:
    """The number without spaces; a ValidationError saying the right form if it is not one."""
    value = re.sub(r"\s+", "", value or "")
    if value and not CHARITY_NUMBER.fullmatch(value):
        raise ValidationError(
            _(
                "Enter a registered charity number of 6 to 8 digits, like 1123456, with a "
                "subsidiary number after a dash if there is one, like 1123456-1"
            ),
            code="charity_number",
        )
    return value


def clean_company_number(value: str) -> str:
    """Upper-cased without spaces; a ValidationError saying the right form if it is not one."""
    value = re.sub(r"\s+", "", value or "").upper()
    if value and not COMPANY_NUMBER.fullmatch(value):
        raise ValidationError(
            _(
                "Enter a company number of 8 characters: 8 digits, like 01234567, or 2 letters "
                "and 6 digits, like SC123456"
            ),
            code="company_number",
        )
    return value


def clean_charity_or_company_number(value: str) -> str:
    """For a single field that takes either number (the account request)."""
    value = re.sub(r"\s+", "", value or "").upper()
    if value and not (CHARITY_NUMBER.fullmatch(value) or COMPANY_NUMBER.fullmatch(value)):
        raise ValidationError(
            _(
                "Enter a registered charity number (6 to 8 digits, like 1123456) or a company "
                "number (8 characters, like 01234567 or SC123456)"
            ),
            code="registered_number",
        )
    return value
