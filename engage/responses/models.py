"""Responses: one per policing body per engagement (DESIGN.md section 2).

OPCC staff (any member of the body) draft the body's response: an answer to each question (a
stance where the question asks for one) and the local perspective (challenges, opportunities,
local variations). The commissioner, or a member of the body the commissioner has delegated
to, submits it. Each submission is kept as a ResponseVersion, a frozen copy that is never
changed: the working copy on Response and Answer can be edited again and resubmitted, which
makes the next version. Nobody outside the body ever reads the working copy.

Who reads a response (DESIGN.md section 6) is decided with everything else about an
engagement's reach, in `engage.engagements.audience.response_read` (ADR 0005, ADR 0012).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engage.accounts.viewer import Viewer
from engage.engagements.models import Stance


class ResponseQuerySet(models.QuerySet["Response"]):
    def visible_to(self, user) -> "ResponseQuerySet":
        """What `user` may read (`audience.response_read`): one query."""
        from engage.engagements.audience import response_read

        return self.filter(response_read(Viewer.of(user)))

    def readable_on(self, engagement, user) -> "ResponseQuerySet":
        """As `visible_to`, for the responses to one engagement: cheaper, since whether `user`
        reads the engagement is settled once, not in the query."""
        from engage.engagements.audience import response_read

        return self.filter(response_read(Viewer.of(user), on=engagement))

    def submitted(self) -> "ResponseQuerySet":
        return self.filter(submitted_version__gt=0)


class Response(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.PROTECT, related_name="responses"
    )
    body = models.ForeignKey(
        "directory.PolicingBody", on_delete=models.PROTECT, related_name="responses"
    )
    challenges = models.TextField(_("challenges"), blank=True)
    opportunities = models.TextField(_("opportunities"), blank=True)
    local_variations = models.TextField(_("local variations"), blank=True)

    # Bumped by every save of the working copy: a save or submission made from an older
    # revision is refused, so two people editing at once never overwrite each other.
    revision = models.PositiveIntegerField(default=0)
    # The latest submitted version (0: never submitted) and whether the working copy has
    # changed since; kept here so lists and counts need no join to the versions.
    submitted_version = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    changed_since_submission = models.BooleanField(default=False)
    # OPCC staff mark a draft ready for the commissioner (services `response_mark_ready`): it
    # then comes first on the body's inbox. Cleared by any save that changes the working copy
    # (what was marked ready is no longer what is there) and by a submission.
    ready_at = models.DateTimeField(null=True, blank=True)
    ready_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ResponseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["engagement", "body__organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "body"], name="one_response_per_body_per_engagement"
            )
        ]
        indexes = [models.Index(fields=["engagement", "submitted_version"])]

    def __str__(self) -> str:
        return f"{self.body} on {self.engagement}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_version > 0

    @property
    def has_something_to_submit(self) -> bool:
        """Never submitted, or changed since the last version: a submission would say
        something new."""
        return not self.is_submitted or self.changed_since_submission

    @property
    def is_ready(self) -> bool:
        """Marked ready for the commissioner since it last changed."""
        return self.ready_at is not None


class Answer(models.Model):
    """The working copy's answer to one question. Questions can only change while their
    engagement is a draft, before any body can answer, so an answer's question is stable."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        "engagements.Question", on_delete=models.CASCADE, related_name="answers"
    )
    text = models.TextField(_("answer"), blank=True)
    stance = models.CharField(_("stance"), max_length=20, choices=Stance.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["question__number"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question}"


class ResponseVersionQuerySet(models.QuerySet["ResponseVersion"]):
    def visible_to(self, user) -> "ResponseVersionQuerySet":
        """The versions of responses `user` may see: submitted versions are what everyone
        outside the body reads."""
        return self.filter(response__in=Response.objects.visible_to(user).values("pk"))


class ResponseVersion(models.Model):
    """A submitted response, frozen: the questions, answers and local perspective as they
    stood when submitted. Never changed or deleted; a resubmission is a new version."""

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    # {"answers": [{"number", "question", "kind", "stance", "text"}], "challenges",
    #  "opportunities", "local_variations"}: what was read, not a pointer to what may change.
    content = models.JSONField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    late = models.BooleanField(default=False)

    objects = ResponseVersionQuerySet.as_manager()

    class Meta:
        ordering = ["response", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "number"], name="one_response_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.response}, version {self.number}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("A submitted response version is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A submitted response version is never deleted.")

    @property
    def answers(self) -> list[dict]:
        """The answers with their stance in words, for pages."""
        stances = dict(Stance.choices)
        return [
            {**answer, "stance_label": str(stances.get(answer.get("stance", ""), ""))}
            for answer in self.content.get("answers", [])
        ]


class SubmissionDelegationQuerySet(models.QuerySet["SubmissionDelegation"]):
    def active(self) -> "SubmissionDelegationQuerySet":
        return self.filter(revoked_at__isnull=True)

    def visible_to(self, user) -> "SubmissionDelegationQuerySet":
        """The delegations of the bodies `user` is a member of."""
        return self.filter(body__organisation_id__in=Viewer.of(user).body_organisation_ids)


class SubmissionDelegation(models.Model):
    """The commissioner lets a member of the body submit its responses (DESIGN.md section 6).
    Revoked, never deleted, so who could submit when stays on record."""

    body = models.ForeignKey(
        "directory.PolicingBody", on_delete=models.PROTECT, related_name="submission_delegations"
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submission_delegations"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = SubmissionDelegationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "delegate"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_delegation_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.delegate} submits for {self.body}"
