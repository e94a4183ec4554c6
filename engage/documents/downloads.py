"""Building the response for a download: a stamped PDF, or the file itself with the label in
its name. The views check access and log; this only shapes what leaves the service."""

from datetime import datetime

from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from engage.core.files import labelled_filename, recipient_lines, secure
from engage.core.labels import Label

from .filetypes import CONTENT_TYPES, FileType
from .models import Document, DocumentVersion
from .stamping import stamp_pdf


def download_filename(document: Document, version: DocumentVersion, *, old: bool = False) -> str:
    """e.g. Victims-services-commissioning-TLP-AMBER+STRICT.docx (with -v2 before the label
    for an old version)."""
    extra = [f"v{version.number}"] if old else []
    return labelled_filename(document.title, document.label, version.file_type, extra=extra)


def stamp_text(
    *, document: Document, recipient, organisation, at: datetime
) -> tuple[str, list[str]]:
    """The stamp's top line and bottom lines: label, recipient, organisation, time."""
    lines = recipient_lines(
        label=document.label,
        recipient=recipient,
        organisation=organisation,
        at=at,
        verb=_("Downloaded"),
    )
    return str(Label(document.label).label), lines


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
        return secure(response)
    file_response = FileResponse(
        version.file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    return secure(file_response)
