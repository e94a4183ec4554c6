"""Clarification requests (issue 8, point 3; DESIGN.md section 2): a member of a policing body
an engagement is addressed to asks the policy lead a question about the engagement or one of
its documents; any member of the owning organisation answers; the answer may be published to
every body addressed, as a running list of questions and answers that never names the asker.

Who reads what (DESIGN.md section 6, composed from `engage.engagements.audience`):
- a request (with who asked) is read by the asking body, the owning organisation and the APCC
  secretariat, each only while they read the engagement (`audience.concerned_read`);
- a published question and answer (the edited texts, no asker) by everyone who reads the
  engagement (`audience.engagement_read`).
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engage.accounts.viewer import Viewer


class ClarificationQuerySet(models.QuerySet["ClarificationRequest"]):
    def visible_to(self, user) -> "ClarificationQuerySet":
        """The requests `user` reads in full: the asking body, the owning organisation, the
        APCC secretariat, each while they read the engagement. One query."""
        from engage.engagements.audience import concerned_read

        return self.filter(concerned_read(Viewer.of(user)))

    def readable_on(self, engagement, user) -> "ClarificationQuerySet":
        """As `visible_to`, for the requests on one engagement (its page): cheaper, since
        whether `user` reads the engagement is settled once, not in the query."""
        from engage.engagements.audience import concerned_read

        return self.filter(concerned_read(Viewer.of(user), on=engagement))

    def published_to(self, user) -> "ClarificationQuerySet":
        """The published questions and answers `user` reads: everyone who reads the
        engagement. Pages show only the published texts of these, never the asker."""
        from engage.engagements.audience import engagement_read

        return self.filter(engagement_read(Viewer.of(user), "engagement__")).published()

    def published(self) -> "ClarificationQuerySet":
        return self.filter(published_at__isnull=False)

    def open(self) -> "ClarificationQuerySet":
        return self.filter(answered_at__isnull=True)

    def answered(self) -> "ClarificationQuerySet":
        return self.filter(answered_at__isnull=False)


class ClarificationRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.PROTECT, related_name="clarifications"
    )
    # A question about one of the engagement's documents; none for the engagement as a whole.
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clarifications",
    )
    # The body asking: the organisation the asker acted for, never one named in a form.
    body = models.ForeignKey(
        "directory.PolicingBody", on_delete=models.PROTECT, related_name="clarifications"
    )
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now, editable=False)

    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    # What every body addressed reads once published: the lead's edit of the question and
    # the answer, with anything that would identify the asker taken out.
    published_question = models.TextField(_("question as published"), blank=True)
    published_answer = models.TextField(_("answer as published"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ClarificationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-asked_at", "-pk"]
        indexes = [
            models.Index(fields=["engagement", "published_at"]),
            models.Index(fields=["body", "asked_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(answered_at__isnull=False),
                name="clarification_published_only_once_answered",
            )
        ]

    def __str__(self) -> str:
        return f"Clarification from {self.body} on {self.engagement}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def age_days(self, today: date | None = None) -> int:
        """Whole days since it was asked: while open, how long the body has waited; once
        answered, how long the answer took."""
        end = timezone.localdate(self.answered_at) if self.answered_at else None
        end = end or today or timezone.localdate()
        return (end - timezone.localdate(self.asked_at)).days
