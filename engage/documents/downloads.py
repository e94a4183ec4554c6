"""Building the response for a download: a stamped PDF, or the file itself with the label in
its name. The views check access and log; this only shapes what leaves the service."""

import re
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from engage.core.labels import LABEL_MEANING, Label

from .filetypes import CONTENT_TYPES, FileType
from .models import Document, DocumentVersion
from .stamping import stamp_pdf

LONDON = ZoneInfo("Europe/London")
MAX_TITLE_CHARS = 80


def download_filename(document: Document, version: DocumentVersion, *, old: bool = False) -> str:
    """e.g. Victims-services-commissioning-TLP-AMBER+STRICT.docx: ASCII letters, digits and
    hyphens from the title, then the label."""
    ascii_title = (
        unicodedata.normalize("NFKD", document.title).encode("ascii", "ignore").decode("ascii")
    )
    stem = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-")[:MAX_TITLE_CHARS].strip("-")
    parts = [stem or "document"]
    if old:
        parts.append(f"v{version.number}")
    parts.append(Label(document.label).label.replace(":", "-"))
    return f"{'-'.join(parts)}.{version.file_type}"


def stamp_text(
    *, document: Document, recipient, organisation, at: datetime
) -> tuple[str, list[str]]:
    """The stamp's top line and bottom lines: label, recipient, organisation, time."""
    label = Label(document.label)
    local = timezone.localtime(at, LONDON)
    when = f"{local.day} {local:%B %Y %H:%M} {local.tzname()} (Europe/London)"
    for_whom = organisation.name if organisation else _("no organisation")
    return str(label.label), [
        f"{label.label}: {LABEL_MEANING[label]}",
        _("Recipient: %(name)s, %(organisation)s")
        % {"name": recipient.get_full_name(), "organisation": for_whom},
        _("Downloaded: %(when)s. Every download is logged.") % {"when": when},
    ]


def _secure(response: HttpResponseBase) -> HttpResponseBase:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser ever render it, it runs nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def file_response(
    *, document: Document, version: DocumentVersion, recipient, organisation, old: bool = False
) -> HttpResponseBase:
    filename = download_filename(document, version, old=old)
    content_type = CONTENT_TYPES[FileType(version.file_type)]
    if version.file_type == FileType.PDF:
        with version.file.open("rb") as stored:
            data = stored.read()
        top, lines = stamp_text(
            document=document, recipient=recipient, organisation=organisation, at=timezone.now()
        )
        stamped = stamp_pdf(data, top=top, lines=lines)
        response: HttpResponse = HttpResponse(stamped, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return _secure(response)
    file_response = FileResponse(
        version.file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    return _secure(file_response)
