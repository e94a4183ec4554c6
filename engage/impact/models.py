"""Impact evidence and impact cases (DESIGN.md section 3, tip 4).

- `ImpactEvidence`: what an organisation achieved against one priority of a policing body's plan
  (`priority`; `body` repeats `priority.body`), over a period, with outcomes measured
  (`EvidenceOutcome`) and files (`EvidenceAttachment`, checked as documents are).
- `ImpactCase`: a case an organisation makes to one policing body; its content is worked out
  when read: the organisation's evidence on that body's current plan, in the plan's order.

Evidence is read by its organisation's members and, once shared (`shared_at`), by the policing
body's members (`sector.models.shared_or_own`); an impact case likewise.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engage.accounts.viewer import Viewer
from engage.documents.filetypes import FileType
from engage.sector.models import shared_or_own


class EvidenceQuerySet(models.QuerySet["ImpactEvidence"]):
    def visible_to(self, user) -> "EvidenceQuerySet":
        return self.filter(shared_or_own(Viewer.of(user)))


class ImpactEvidence(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="impact_evidence"
    )
    body = models.ForeignKey(
        "directory.PolicingBody", on_delete=models.PROTECT, related_name="impact_evidence"
    )
    priority = models.ForeignKey(
        "directory.PlanPriority", on_delete=models.PROTECT, related_name="impact_evidence"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what was done"), blank=True)
    starts_on = models.DateField(_("period starts"))
    ends_on = models.DateField(_("period ends"))
    people_reached = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    cost = models.DecimalField(
        _("cost (£)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    savings = models.DecimalField(
        _("savings (£)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    evaluation = models.TextField(_("how it was evaluated"), blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    is_sample = models.BooleanField(_("sample content"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-ends_on", "-pk"]
        verbose_name_plural = "impact evidence"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="evidence_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None


class EvidenceOutcome(models.Model):
    """One outcome, measured: what, by which measure, from what baseline to what result."""

    evidence = models.ForeignKey(ImpactEvidence, on_delete=models.CASCADE, related_name="outcomes")
    description = models.CharField(_("outcome"), max_length=300)
    measure = models.CharField(_("measure"), max_length=200, blank=True)
    baseline = models.CharField(_("baseline"), max_length=100, blank=True)
    result = models.CharField(_("result"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["evidence", "position", "pk"]
        constraints = [
            # A result means nothing without its measure.
            models.CheckConstraint(
                condition=models.Q(result="") | ~models.Q(measure=""),
                name="outcome_result_has_measure",
            )
        ]

    def __str__(self) -> str:
        return self.description


def attachment_upload_to(instance: "EvidenceAttachment", filename: str) -> str:
    """A random name under impact/: never the uploader's file name."""
    return f"impact/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.file_type}"


class EvidenceAttachment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    evidence = models.ForeignKey(
        ImpactEvidence, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_upload_to, max_length=200)
    name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("type"), max_length=10, choices=FileType.choices)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evidence", "uploaded_at"]

    def __str__(self) -> str:
        return self.name


class CaseQuerySet(models.QuerySet["ImpactCase"]):
    def visible_to(self, user) -> "CaseQuerySet":
        return self.filter(shared_or_own(Viewer.of(user)))


class ImpactCase(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="impact_cases"
    )
    body = models.ForeignKey(
        "directory.PolicingBody", on_delete=models.PROTECT, related_name="impact_cases"
    )
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    is_sample = models.BooleanField(_("sample content"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None
