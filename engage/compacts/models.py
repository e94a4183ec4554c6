"""Local Compacts (DESIGN.md section 3, tip 5): agreements between the public bodies of an area
and its voluntary sector, and who has signed them. Open to every signed-in person (section 6)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engage.directory.models import VisibleToSignedInQuerySet


class Compact(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    area = models.CharField(_("area"), max_length=200, help_text=_("The place it covers."))
    # The policing bodies whose areas the Compact covers: the map and the brief read these.
    bodies = models.ManyToManyField(
        "directory.PolicingBody", related_name="compacts", verbose_name=_("policing body areas")
    )
    agreed_on = models.DateField(_("date agreed"))
    url = models.URLField(_("link"), max_length=500, blank=True)
    is_sample = models.BooleanField(_("sample content"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleToSignedInQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[bodies])

    class Meta:
        ordering = ["area", "-agreed_on"]

    def __str__(self) -> str:
        return self.title


class CompactSignatory(models.Model):
    """An organisation (a policing body's, a voluntary organisation, another partner) that has
    signed a Compact, and when."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="signatories")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="compact_signatures"
    )
    signed_on = models.DateField(_("date signed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleToSignedInQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["compact", "signed_on", "organisation__name"]
        verbose_name_plural = "compact signatories"
        constraints = [
            models.UniqueConstraint(
                fields=["compact", "organisation"], name="one_signature_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} signed {self.compact} on {self.signed_on}"
