"""Writes: adding a document to an engagement, and replacing it with a new version.

The file is checked (type by content, size) before anything is written; a refused file leaves
no row and no stored file behind.
"""

import hashlib
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext as _

from engage.accounts.models import PROTOCOL_KINDS, User
from engage.accounts.selectors import people_in_kinds
from engage.core.labels import WIDENING_ORDER, Label, is_wider
from engage.core.services import lock, require_permission, save
from engage.engagements.services import check_not_screened_out, records_refusals

from . import filetypes
from .models import Document, DocumentVersion
from .rules import UPLOAD_STATUSES
from .uploads import read_upload


def labels_for(engagement) -> list[Label]:
    """The labels a document may carry: none wider than its engagement's (widening is a
    release, recorded on its own)."""
    return [label for label in WIDENING_ORDER if not is_wider(label, engagement.label)]


def _check_file(file: File) -> tuple[bytes, str, filetypes.Checked]:
    try:
        upload = read_upload(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    return upload.data, upload.name, upload.checked


def document_upload_check(engagement) -> None:
    """Refuse unless documents can still be added to the engagement, or replaced on it:
    `document_upload` and `document_replace` check it, and so do the pages that offer them."""
    if engagement.status not in UPLOAD_STATUSES:
        raise ValidationError(
            _("The engagement is %(status)s: documents can no longer be added or replaced.")
            % {"status": engagement.get_status_display().lower()}
        )


def _check_recipients(label: str, recipients: list[User]) -> None:
    if label == Label.RED and not recipients:
        raise ValidationError(
            {"recipients": _("A TLP:RED document needs at least one named recipient.")}
        )
    if label != Label.RED and recipients:
        raise ValidationError({"recipients": _("Only a TLP:RED document has named recipients.")})
    eligible = people_in_kinds(recipients, PROTOCOL_KINDS)
    refused = [str(user) for user in recipients if user.pk not in eligible]
    if refused:
        raise ValidationError(
            {
                "recipients": _(
                    "These people cannot receive protocol material: %(people)s. Name people "
                    "in national bodies, the APCC or policing bodies."
                )
                % {"people": ", ".join(refused)}
            }
        )


def _add_version(
    *, document: Document, data: bytes, name: str, checked: filetypes.Checked, uploaded_by: User
) -> DocumentVersion:
    last = document.versions.order_by("-number").values_list("number", flat=True).first()
    version = DocumentVersion(
        document=document,
        number=(last or 0) + 1,
        original_name=name[:255],
        file_type=checked.file_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=uploaded_by,
    )
    # The storage name comes from version_upload_to: random, never the uploader's file name.
    version.file.save(name, ContentFile(data), save=False)
    try:
        version.full_clean()
        version.save()
        document.current_version = version
        save(document, uploaded_by, ["current_version"], clean=False)
    except BaseException:
        version.file.delete(save=False)
        raise
    return version


@records_refusals
def document_upload(
    *,
    engagement,
    uploaded_by: User,
    title: str,
    file: File,
    label: str | None = None,
    recipients: Iterable[User] = (),
) -> Document:
    """Add a document to an engagement: by a policy lead of its owning organisation, while the
    engagement is a draft, awaiting the APCC or open."""
    require_permission("documents.add_document", uploaded_by, engagement)
    document_upload_check(engagement)
    check_not_screened_out(engagement.policy, uploaded_by, "add a document")
    label = label or engagement.label
    if label not in labels_for(engagement):
        raise ValidationError(
            {
                "label": _("A document cannot carry a wider label than its engagement (%(label)s).")
                % {"label": engagement.get_label_display()}
            }
        )
    recipients = list(recipients)
    _check_recipients(label, recipients)
    data, name, checked = _check_file(file)

    document = Document(
        engagement=engagement, title=title.strip(), label=label, created_by=uploaded_by
    )
    save(document, uploaded_by)
    document.recipients.set(recipients)
    _add_version(document=document, data=data, name=name, checked=checked, uploaded_by=uploaded_by)
    return document


@records_refusals
def document_replace(*, document: Document, uploaded_by: User, file: File) -> DocumentVersion:
    """A new version of the document. The old versions are kept."""
    # Lock the document so two replacements number their versions one after the other.
    document = lock(document, "engagement", "engagement__owner", "engagement__policy")
    require_permission("documents.change_document", uploaded_by, document)
    document_upload_check(document.engagement)
    check_not_screened_out(document.engagement.policy, uploaded_by, "replace a document")
    data, name, checked = _check_file(file)
    return _add_version(
        document=document, data=data, name=name, checked=checked, uploaded_by=uploaded_by
    )
