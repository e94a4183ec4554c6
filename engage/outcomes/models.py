"""Outcomes ("you said, we did"): what the policy lead heard from an engagement, what changed
because of it, and what did not and why, with optional notes per question (DESIGN.md
section 2). One per engagement, recorded once it has reached its audience.

Who reads an outcome composes from the one audience decider (engage.engagements.audience,
ADR 0012): a draft is the owning organisation's (under TLP:RED only those of it who read the
engagement); once published, everyone who reads the engagement reads it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engage.accounts.viewer import Viewer
from engage.engagements.audience import NOTHING, engagement_read, reads
from engage.engagements.models import Engagement


class OutcomeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


def _published_or_owner(viewer: Viewer, prefix: str = "") -> Q:
    """Published, or a draft of the viewer's own organisation (who must also read the
    engagement: the caller composes this with `engagement_read`)."""
    published = Q(**{f"{prefix}status": OutcomeStatus.PUBLISHED})
    if not viewer.organisation_ids:
        return published
    return published | Q(**{f"{prefix}engagement__owner_id__in": viewer.organisation_ids})


def outcome_read(viewer: Viewer, prefix: str = "") -> Q:
    """The viewer reads the outcome: filter `Outcome` with it (or, with `prefix`, a record
    that points at one)."""
    if not viewer.signed_in:
        return NOTHING
    return engagement_read(viewer, f"{prefix}engagement__") & _published_or_owner(viewer, prefix)


class OutcomeQuerySet(models.QuerySet["Outcome"]):
    def visible_to(self, user) -> "OutcomeQuerySet":
        """What `user` reads (`outcome_read`): one query."""
        return self.filter(outcome_read(Viewer.of(user)))

    def readable_on(self, engagement: Engagement, user) -> "OutcomeQuerySet":
        """As `visible_to`, for the outcome of one engagement: whether `user` reads the
        engagement is settled once (from the annotation it was loaded with), not in the
        query."""
        viewer = Viewer.of(user)
        if not viewer.signed_in or not reads(viewer, engagement):
            return self.none()
        return self.filter(Q(engagement_id=engagement.pk) & _published_or_owner(viewer))

    def published(self) -> "OutcomeQuerySet":
        return self.filter(status=OutcomeStatus.PUBLISHED)


class Outcome(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    engagement = models.OneToOneField(
        "engagements.Engagement", on_delete=models.PROTECT, related_name="outcome"
    )
    heard = models.TextField(_("what you heard"), blank=True)
    changed = models.TextField(_("what changed because of it"), blank=True)
    not_changed = models.TextField(_("what did not change, and why"), blank=True)
    status = models.CharField(
        max_length=20, choices=OutcomeStatus.choices, default=OutcomeStatus.DRAFT
    )
    # Bumped by every save: a save or publication made from an older revision is refused,
    # so two leads working on it at once never overwrite each other.
    revision = models.PositiveIntegerField(default=0)

    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The last correction of the published outcome: the audience sees "updated on".
    corrected_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = OutcomeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["status", "engagement"])]

    def __str__(self) -> str:
        return f"Outcome of {self.engagement}"

    @property
    def is_published(self) -> bool:
        return self.status == OutcomeStatus.PUBLISHED


class OutcomePoint(models.Model):
    """What the lead says about one question: what its answers told them and what followed.
    Questions change only while their engagement is a draft, before any outcome exists, so a
    point's question is stable."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="points")
    question = models.ForeignKey(
        "engagements.Question", on_delete=models.CASCADE, related_name="outcome_points"
    )
    text = models.TextField(_("what you heard and did on this question"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["question__number"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "question"], name="one_point_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.outcome}: question {self.question.number}"
