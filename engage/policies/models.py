"""The policy register: national policies and reforms, their stage, and their triage.

Triage is protocol principles 1 and 2: the policy lead decides whether a policy merits
engagement with PCCs (the magnitude decision), and a sensitivity screen keeps sensitive
material, and anything touching prosecutorial or judicial independence or national security,
outside the protocol altogether.
"""

import uuid
from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engage.accounts.viewer import Viewer

if TYPE_CHECKING:
    from engage.accounts.models import Organisation


class Stage(models.TextChoices):
    IDEA = "idea", _("Idea")
    DEVELOPMENT = "development", _("Development")
    TESTING = "testing", _("Testing")
    IMPLEMENTATION = "implementation", _("Implementation")
    EVALUATION = "evaluation", _("Evaluation")
    CLOSED = "closed", _("Closed")


class TriageOutcome(models.TextChoices):
    UNTRIAGED = "untriaged", _("Not yet triaged")
    SCREENED_OUT = "screened_out", _("Outside the protocol")
    NOT_MERITED = "not_merited", _("Does not merit engagement")
    MERITS = "merits", _("Merits engagement")


# The four grounds of protocol principle 2, as (field name, label).
SCREEN_GROUNDS = [
    ("sensitive_information", _("Sensitive information")),
    ("prosecutorial_independence", _("Implications for prosecutorial independence")),
    ("judicial_independence", _("Implications for judicial independence")),
    ("national_security", _("Implications for national security")),
]


class PolicyQuerySet(models.QuerySet["Policy"]):
    def visible_to(self, user) -> "PolicyQuerySet":
        """Owners see their policies. Others see a policy only through an engagement on it
        that they can see; a screened-out policy never has one, so only its owner sees it."""
        viewer = Viewer.of(user)
        if not viewer.signed_in:
            return self.none()
        # Through the app registry, not an import: engagements build on policies, not the
        # other way round (docs/architecture.md).
        engagement = apps.get_model("engagements", "Engagement")
        engaged = engagement.objects.visible_to(viewer).values("policy")
        return self.filter(
            models.Q(owner_id__in=viewer.organisation_ids)
            | (models.Q(pk__in=engaged) & ~models.Q(triage_outcome=TriageOutcome.SCREENED_OUT))
        )

    def owned_by_user(self, user) -> "PolicyQuerySet":
        return self.filter(owner_id__in=Viewer.of(user).organisation_ids)


class Policy(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="policies",
        verbose_name=_("owning organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.IDEA)
    themes = models.ManyToManyField(
        "directory.PriorityTheme", blank=True, related_name="policies", verbose_name=_("themes")
    )
    policy_leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="led_policies", verbose_name=_("policy leads")
    )

    # The magnitude decision (principle 1): recorded by the lead before any engagement.
    merits_engagement = models.BooleanField(_("merits engagement with PCCs"), null=True, blank=True)
    magnitude_reason = models.TextField(_("why"), blank=True)
    magnitude_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    magnitude_decided_at = models.DateTimeField(null=True, blank=True)

    # The sensitivity screen (principle 2).
    screened_at = models.DateTimeField(null=True, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sensitive_information = models.BooleanField(default=False)
    prosecutorial_independence = models.BooleanField(default=False)
    judicial_independence = models.BooleanField(default=False)
    national_security = models.BooleanField(default=False)
    screen_notes = models.TextField(_("screen notes"), blank=True)

    # Kept in step by the triage services, so the register can filter on it.
    triage_outcome = models.CharField(
        max_length=20, choices=TriageOutcome.choices, default=TriageOutcome.UNTRIAGED
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[themes, policy_leads])

    class Meta:
        ordering = ["-updated_at", "title"]
        verbose_name_plural = "policies"
        indexes = [models.Index(fields=["owner", "triage_outcome", "stage"])]
        constraints = [
            # A magnitude decision always carries its reason (principle 1).
            models.CheckConstraint(
                condition=models.Q(merits_engagement__isnull=True) | ~models.Q(magnitude_reason=""),
                name="policy_magnitude_decision_has_reason",
            ),
            # Any ground of the screen puts the policy outside the protocol (principle 2).
            models.CheckConstraint(
                condition=models.Q(triage_outcome=TriageOutcome.SCREENED_OUT)
                | models.Q(
                    sensitive_information=False,
                    prosecutorial_independence=False,
                    judicial_independence=False,
                    national_security=False,
                ),
                name="policy_screen_ground_screens_out",
            ),
            # Screened out only by a completed screen.
            models.CheckConstraint(
                condition=~models.Q(triage_outcome=TriageOutcome.SCREENED_OUT)
                | models.Q(screened_at__isnull=False),
                name="policy_screened_out_after_screen",
            ),
            # A merits outcome needs both the magnitude decision and the screen.
            models.CheckConstraint(
                condition=~models.Q(
                    triage_outcome__in=[TriageOutcome.MERITS, TriageOutcome.NOT_MERITED]
                )
                | models.Q(screened_at__isnull=False, merits_engagement__isnull=False),
                name="policy_merits_outcome_after_triage",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.merits_engagement is not None and not self.magnitude_reason.strip():
            raise ValidationError(
                {"magnitude_reason": _("Explain why the policy does or does not merit engagement")}
            )

    @property
    def is_triaged(self) -> bool:
        return self.triage_outcome != TriageOutcome.UNTRIAGED

    @property
    def has_magnitude_decision(self) -> bool:
        return self.merits_engagement is not None

    @property
    def is_screened(self) -> bool:
        return self.screened_at is not None

    @property
    def screen_grounds(self) -> list[str]:
        return [str(label) for field, label in SCREEN_GROUNDS if getattr(self, field)]

    @property
    def is_screened_out(self) -> bool:
        return self.triage_outcome == TriageOutcome.SCREENED_OUT

    @property
    def log_confidential_to(self) -> "Organisation | None":
        """Whom an access-log entry about this policy, its engagements or what they hold is
        confidential to: the owning organisation once the policy is screened out, since any
        other reader of the entry would learn that it exists and was screened out."""
        return self.owner if self.is_screened_out else None


class KeyDateKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("Announcement")
    CONSULTATION = "consultation", _("Consultation")
    GO_LIVE = "go_live", _("Go-live")
    OTHER = "other", _("Other")


class KeyDateQuerySet(models.QuerySet["KeyDate"]):
    def current(self) -> "KeyDateQuerySet":
        return self.filter(archived_at__isnull=True)

    def archived(self) -> "KeyDateQuerySet":
        return self.filter(archived_at__isnull=False)


class KeyDate(models.Model):
    """A date in the policy's life. One that no longer applies is archived with a reason,
    never deleted (what people wrote stays on record)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="key_dates")
    kind = models.CharField(_("kind"), max_length=20, choices=KeyDateKind.choices)
    label = models.CharField(_("description"), max_length=120, blank=True)
    date = models.DateField(_("date"))
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    archive_reason = models.TextField(_("why it no longer applies"), blank=True)

    objects = KeyDateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d %b %Y}"


class StageChange(models.Model):
    """A policy's stage history: one row for each move, with who and when."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.policy}: {self.from_stage or '–'} → {self.to_stage}"
