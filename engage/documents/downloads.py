"""Building the response for a download: a stamped PDF, or the file itself with the label in
its name. The views check access and log; this only shapes what leaves the service.

The label is the one in force for the organisation the person downloads for: a release
request granted to that body widens it, with its scope and end date on the stamp
(engage.releases.labels)."""

from datetime import datetime

from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from engage.core.files import labelled_filename, recipient_lines, secure
from engage.core.labels import Label
from engage.releases.labels import BodyLabel, document_label_for

from .filetypes import CONTENT_TYPES, FileType
from .models import Document, DocumentVersion
from .stamping import stamp_pdf


def download_filename(
    document: Document, version: DocumentVersion, *, old: bool = False, label: str | None = None
) -> str:
    """e.g. Victims-services-commissioning-TLP-AMBER+STRICT.docx (with -v2 before the label
    for an old version); `label` is the one in force for the recipient's body."""
    extra = [f"v{version.number}"] if old else []
    return labelled_filename(
        document.title, label or document.label, version.file_type, extra=extra
    )


def label_for(document: Document, organisation) -> BodyLabel:
    """The document's label for the organisation the person acts for (one query)."""
    return document_label_for(document, organisation)


def stamp_text(
    *, document: Document, recipient, organisation, at: datetime, label: BodyLabel | None = None
) -> tuple[str, list[str]]:
    """The stamp's top line and bottom lines: label, recipient, organisation, time; and, when
    a release widens the label for the recipient's body, to whom and until when."""
    label = label or label_for(document, organisation)
    lines = recipient_lines(
        label=label.label,
        recipient=recipient,
        organisation=organisation,
        at=at,
        verb=_("Downloaded"),
    )
    if label.widened:
        lines.insert(1, _("Released: %(text)s.") % {"text": label.text})
    return str(Label(label.label).label), lines


def file_response(
    *, document: Document, version: DocumentVersion, recipient, organisation, old: bool = False
) -> HttpResponseBase:
    label = label_for(document, organisation)
    filename = download_filename(document, version, old=old, label=label.label)
    content_type = CONTENT_TYPES[FileType(version.file_type)]
    if version.file_type == FileType.PDF:
        with version.file.open("rb") as stored:
            data = stored.read()
        top, lines = stamp_text(
            document=document,
            recipient=recipient,
            organisation=organisation,
            at=timezone.now(),
            label=label,
        )
        stamped = stamp_pdf(data, top=top, lines=lines)
        response: HttpResponse = HttpResponse(stamped, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return secure(response)
    file_response = FileResponse(
        version.file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    return secure(file_response)
