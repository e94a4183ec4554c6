"""The APCC's collective view of an engagement (DESIGN.md section 2, issue 8).

One per engagement routed to standing groups or to all policing bodies. The APCC secretariat
drafts it from the bodies' submitted response versions (never their working copies): a
summary, the collective position (a stance and its text), points per question, an annex of
each body's local variations (pre-filled from its submitted version, editable) and, worked
out from the sources, stance counts per question and a dissent annex. Each routed standing
group's lead signs it off or sends it back; the secretariat then submits it to the policy
lead. Every sign-off round and the submission keep a frozen `CollectiveViewVersion`.

Who sees it (DESIGN.md section 6) composes from `engage.engagements.audience`: see
`CollectiveViewQuerySet.visible_to`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engage.engagements.models import Stance


class ViewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    WITH_LEADS = "with_leads", _("With the group leads for sign-off")
    SUBMITTED = "submitted", _("Submitted to the policy lead")


class CollectiveViewQuerySet(models.QuerySet["CollectiveView"]):
    def visible_to(self, user) -> "CollectiveViewQuerySet":
        """What `user` may read (`access.view_read`): one query."""
        from .access import view_read

        return self.filter(view_read(user))

    def readable_on(self, engagement, user) -> "CollectiveViewQuerySet":
        """As `visible_to`, for the view of one engagement (its page): cheaper, since whether
        `user` reads the engagement is settled once, not in the query."""
        from .access import view_read

        return self.filter(view_read(user, on=engagement))

    def drafts_visible_to(self, user) -> "CollectiveViewQuerySet":
        """The views `user` reads as a drafter or signer: the secretariat and the routed
        groups' lead bodies, whatever the status (`access.draft_read`)."""
        from .access import draft_read

        return self.filter(draft_read(user))


class CollectiveView(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    engagement = models.OneToOneField(
        "engagements.Engagement", on_delete=models.PROTECT, related_name="collective_view"
    )
    status = models.CharField(max_length=20, choices=ViewStatus.choices, default=ViewStatus.DRAFT)
    summary = models.TextField(_("summary"), blank=True)
    position = models.CharField(
        _("collective stance"), max_length=20, choices=Stance.choices, blank=True
    )
    position_text = models.TextField(_("collective position"), blank=True)
    # [{"number", "question", "kind", "text"}]: the secretariat's points on each question,
    # with the question's words as they were when the view was started.
    points = models.JSONField(default=list)
    # [{"body_id", "body", "text"}]: each source body's local variations, pre-filled from its
    # submitted version and edited by the secretariat.
    variations = models.JSONField(default=list)
    sources = models.ManyToManyField(
        "responses.ResponseVersion", related_name="collective_views", blank=True
    )

    # Bumped by every save: a save from an older revision is refused (no lost update), and a
    # sign-off counts only for the revision it was given on.
    revision = models.PositiveIntegerField(default=0)
    # How many versions have been frozen (the next one's number is this plus one).
    version_count = models.PositiveIntegerField(default=0)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    sources_refreshed_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = CollectiveViewQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[sources])

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"Collective view on {self.engagement}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ViewStatus.SUBMITTED


class SignOffState(models.TextChoices):
    PENDING = "pending", _("Waiting for sign-off")
    SIGNED = "signed", _("Signed off")
    RETURNED = "returned", _("Sent back with comments")


class SignOff(models.Model):
    """A routed standing group's sign-off of the view: one per group, changed each round
    (its history keeps every decision). It counts only while `revision` is the view's: an
    edit after it voids it."""

    view = models.ForeignKey(CollectiveView, on_delete=models.CASCADE, related_name="sign_offs")
    group = models.ForeignKey("directory.StandingGroup", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        max_length=20, choices=SignOffState.choices, default=SignOffState.PENDING
    )
    revision = models.PositiveIntegerField(null=True, blank=True)
    comments = models.TextField(_("comments"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["group__name"]
        constraints = [
            models.UniqueConstraint(fields=["view", "group"], name="one_sign_off_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.group} on {self.view}"

    def is_current(self, view: CollectiveView) -> bool:
        """Signed off on the text as it stands now."""
        return self.state == SignOffState.SIGNED and self.revision == view.revision


class VersionEvent(models.TextChoices):
    SENT = "sent", _("Sent to the group leads for sign-off")
    SUBMITTED = "submitted", _("Submitted to the policy lead")


class CollectiveViewVersionQuerySet(models.QuerySet["CollectiveViewVersion"]):
    def visible_to(self, user) -> "CollectiveViewVersionQuerySet":
        """A submitted version: whoever reads the view. A sign-off round's: the drafters and
        signers only, whatever the view's status now."""
        drafts = CollectiveView.objects.drafts_visible_to(user).values("pk")
        seen = CollectiveView.objects.visible_to(user).values("pk")
        return self.filter(
            models.Q(view__in=drafts) | models.Q(view__in=seen, event=VersionEvent.SUBMITTED)
        )


class CollectiveViewVersion(models.Model):
    """The view frozen when it was sent for sign-off or submitted: never changed or deleted."""

    view = models.ForeignKey(CollectiveView, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    event = models.CharField(max_length=20, choices=VersionEvent.choices)
    revision = models.PositiveIntegerField()
    # What the page showed: summary, position, points, counts, variations, dissent, sources
    # and sign-offs, as `content.view_content` builds it.
    content = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = CollectiveViewVersionQuerySet.as_manager()

    class Meta:
        ordering = ["view", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["view", "number"], name="one_collective_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.view}, version {self.number}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("A collective view version is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A collective view version is never deleted.")
