"""Acknowledgements (issue 8, point 5): each policing body a change notice or a priorities
update is addressed to acknowledges it, once, with an optional note; the owning organisation
sees who has and who has not.

An acknowledgement is read (DESIGN.md section 6, composed from `engage.engagements.audience`)
by the body concerned, the owning organisation and the APCC secretariat, each only while they
read the engagement (`audience.concerned_read`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engage.accounts.viewer import Viewer
from engage.engagements.models import Kind

# The engagements bodies acknowledge: what they are told, rather than asked.
ACKNOWLEDGED_KINDS = (Kind.CHANGE_NOTICE, Kind.PRIORITIES)


class AcknowledgementQuerySet(models.QuerySet["Acknowledgement"]):
    def visible_to(self, user) -> "AcknowledgementQuerySet":
        """The body concerned, the owning organisation, the APCC secretariat, each while they
        read the engagement. One query."""
        from engage.engagements.audience import concerned_read

        return self.filter(concerned_read(Viewer.of(user)))


class Acknowledgement(models.Model):
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.PROTECT, related_name="acknowledgements"
    )
    # The body the person acted for, never one named in a form.
    body = models.ForeignKey(
        "directory.PolicingBody", on_delete=models.PROTECT, related_name="acknowledgements"
    )
    note = models.TextField(_("note"), blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AcknowledgementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["engagement", "acknowledged_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "body"], name="one_acknowledgement_per_body_per_engagement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.body} acknowledged {self.engagement}"
