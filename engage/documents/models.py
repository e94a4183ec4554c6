"""Documents attached to engagements: labelled, versioned, stored outside the web root and
served only through a view that checks access and logs every download."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engage.accounts.viewer import Viewer
from engage.core.labels import DEFAULT_LABEL, LABEL_MEANING, Label

from .filetypes import FileType


class DocumentQuerySet(models.QuerySet["Document"]):
    def visible_to(self, user) -> "DocumentQuerySet":
        """Read as its engagement, narrowed by the document's own label: the decision is
        `engage.engagements.audience.document_read` (ADR 0012)."""
        from engage.engagements.audience import document_read

        return self.filter(document_read(Viewer.of(user)))

    def readable_on(self, engagement, user) -> "DocumentQuerySet":
        """As `visible_to`, for the documents of one engagement (its page): cheaper, since
        whether `user` reads the engagement is settled once, not in the query."""
        from engage.engagements.audience import document_read

        return self.filter(document_read(Viewer.of(user), on=engagement))


class Document(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    label = models.CharField(
        _("handling label"), max_length=20, choices=Label.choices, default=DEFAULT_LABEL
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("named recipients")
    )
    # Documents the lead shares with the APCC when asking to engage all policing bodies: the
    # secretariat reads those, not the draft's other documents (DESIGN.md section 6).
    attached_to = models.ManyToManyField(
        "engagements.WiderRouteRequest", blank=True, related_name="attached_documents"
    )
    current_version = models.ForeignKey(
        "DocumentVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DocumentQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[recipients])

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def label_meaning(self) -> str:
        return str(LABEL_MEANING[Label(self.label)])

    @property
    def is_red(self) -> bool:
        return self.label == Label.RED


def version_upload_to(instance: "DocumentVersion", filename: str) -> str:
    """A random name under documents/: never the uploader's file name."""
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.file_type}"


class DocumentVersion(models.Model):
    """One uploaded file. Replacing a document adds a version; old ones are kept."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=version_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("type"), max_length=10, choices=FileType.choices)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_version_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    @property
    def is_pdf(self) -> bool:
        return self.file_type == FileType.PDF
