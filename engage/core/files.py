"""What every file that leaves the service shares, downloads and exports alike: a name that
carries the handling label, the recipient and time written into it, headers that keep a
browser from running it, and spreadsheet cells that cannot run as formulas."""

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from .labels import LABEL_MEANING, Label

LONDON = ZoneInfo("Europe/London")
MAX_TITLE_CHARS = 80

# A cell a spreadsheet would run as a formula (CSV injection): one starting with "=", "@", or
# with "+" or "-" followed by anything but a number, a date or a telephone number, once the
# quotes and spaces a spreadsheet may drop are stripped from its start.
FORMULA_STARTS = ("=", "@", "+", "-")
SIGNED_NUMBER = re.compile(r"[+-][\d\s.,()/:-]*")
DROPPED = " \t\r\n\"'"


def labelled_filename(title: str, label: str, extension: str, *, extra: Iterable[str] = ()) -> str:
    """e.g. Victims-services-commissioning-TLP-AMBER+STRICT.docx: ASCII letters, digits and
    hyphens from the title, any `extra` parts, then the label."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-")[:MAX_TITLE_CHARS].strip("-")
    parts = [stem or "document", *extra, Label(label).label.replace(":", "-")]
    return f"{'-'.join(parts)}.{extension}"


def recipient_lines(*, label: str, recipient, organisation, at: datetime, verb: str) -> list[str]:
    """The label and what it means, who the file is for, and when it left (`verb`:
    "Downloaded", "Exported"), in UK time."""
    tlp = Label(label)
    local = timezone.localtime(at, LONDON)
    when = f"{local.day} {local:%B %Y %H:%M} {local.tzname()} (Europe/London)"
    for_whom = organisation.name if organisation else _("no organisation")
    return [
        f"{tlp.label}: {LABEL_MEANING[tlp]}",
        _("Recipient: %(name)s, %(organisation)s")
        % {"name": recipient.get_full_name(), "organisation": for_whom},
        _("%(verb)s: %(when)s. Every download is logged.") % {"verb": verb, "when": when},
    ]


def secure(response: HttpResponseBase) -> HttpResponseBase:
    """Headers for a file download: never sniffed, never cached, never run."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser ever render it, it runs nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def formula_start(cell: str) -> str:
    """The character that makes the cell a formula, or "" if it is not one."""
    stripped = cell.lstrip(DROPPED)
    if not stripped.startswith(FORMULA_STARTS):
        return ""
    if stripped[0] in "=@" or not SIGNED_NUMBER.fullmatch(stripped.rstrip(DROPPED)):
        return stripped[0]
    return ""


def is_formula(cell: str) -> bool:
    return bool(formula_start(cell))


def safe_cell(value: object) -> str:
    """A value for a CSV cell that a spreadsheet shows as text, never runs: a would-be
    formula gets a leading apostrophe (the OWASP advice for CSV injection)."""
    text = "" if value is None else str(value)
    return f"'{text}" if is_formula(text) else text


def column_name(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how spreadsheets name columns."""
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(ord("A") + remainder) + name
    return name
