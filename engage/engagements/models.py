"""Engagements: the five national duties, routed through the APCC under handling labels.

Who sees an engagement (DESIGN.md section 6):
- the owning organisation, always (drafts included);
- the APCC secretariat, once it is sent for routing;
- its audience once open: members of the policing bodies in the routed standing groups, of
  every policing body when the wider route was agreed, or the chief executives for APACE;
  TLP:RED narrows the audience to the named recipients; TLP:GREEN widens it to every
  protocol organisation, TLP:CLEAR to everyone signed in.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engage.core.labels import DEFAULT_LABEL, Label


class Kind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation on a major policy")
    EARLY = "early", _("Early engagement")
    IMPLEMENTATION = "implementation", _("Implementation update")
    CHANGE_NOTICE = "change_notice", _("Change notice")
    PRIORITIES = "priorities", _("Priorities update")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_APCC = "awaiting_apcc", _("Awaiting APCC")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Route(models.TextChoices):
    STANDING_GROUPS = "groups", _("Standing groups")
    ALL_BODIES = "all_bodies", _("All policing bodies")
    APACE = "apace", _("APACE (chief executives)")


LIVE = (Status.OPEN, Status.CLOSED)
ROUTED = (Status.AWAITING_APCC, Status.OPEN, Status.CLOSED)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


class EngagementQuerySet(models.QuerySet["Engagement"]):
    def visible_to(self, user) -> "EngagementQuerySet":
        if not _signed_in(user):
            return self.none()
        from engage.accounts.models import (
            PROTOCOL_KINDS,
            Membership,
            OrganisationKind,
            Role,
        )
        from engage.directory.models import PolicingBody

        memberships = Membership.objects.active().filter(user=user)
        seen = Q(owner__in=memberships.values("organisation"))
        if memberships.filter(
            role=Role.SECRETARIAT, organisation__kind=OrganisationKind.APCC
        ).exists():
            seen |= Q(status__in=ROUTED)

        bodies = PolicingBody.objects.filter(
            organisation__in=memberships.filter(
                organisation__kind=OrganisationKind.POLICING_BODY
            ).values("organisation")
        )
        audience = Q(
            pk__in=Engagement.objects.filter(
                route=Route.STANDING_GROUPS,
                routed_groups__memberships__body__in=bodies.values("pk"),
            ).values("pk")
        )
        if bodies.exists():
            audience |= Q(route=Route.ALL_BODIES)
        if memberships.filter(
            Q(role=Role.CHIEF_EXECUTIVE) | Q(organisation__kind=OrganisationKind.APACE)
        ).exists():
            audience |= Q(route=Route.APACE)
        reach = (audience & ~Q(label=Label.RED)) | Q(
            label=Label.RED,
            pk__in=Engagement.recipients.through.objects.filter(user=user).values("engagement"),
        )
        if memberships.filter(organisation__kind__in=PROTOCOL_KINDS).exists():
            reach |= Q(label=Label.GREEN)
        reach |= Q(label=Label.CLEAR)
        seen |= Q(status__in=LIVE) & reach
        return self.filter(seen)


class Engagement(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    policy = models.ForeignKey(
        "policies.Policy", on_delete=models.PROTECT, related_name="engagements"
    )
    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="engagements"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what you are telling or asking"))
    opens_on = models.DateField(_("opening date"))
    response_deadline = models.DateField(_("response deadline"), null=True, blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    asks_response = models.BooleanField(_("respond"), default=False)
    asks_dissemination = models.BooleanField(_("disseminate locally"), default=False)
    asks_implementation_support = models.BooleanField(_("support implementation"), default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    label = models.CharField(
        _("handling label"), max_length=20, choices=Label.choices, default=DEFAULT_LABEL
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="named_engagements",
        verbose_name=_("named recipients"),
    )

    route = models.CharField(_("route"), max_length=20, choices=Route.choices, blank=True)
    routed_groups = models.ManyToManyField(
        "directory.StandingGroup", blank=True, related_name="engagements"
    )
    routed_at = models.DateTimeField(null=True, blank=True)
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    apcc_advice = models.TextField(_("APCC advice"), blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    stage_at_opening = models.CharField(max_length=20, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = EngagementQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[recipients, routed_groups])

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["status", "route", "label"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def requested_actions(self) -> list[str]:
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in ("asks_response", "asks_dissemination", "asks_implementation_support")
            if getattr(self, name)
        ]


class QuestionKind(models.TextChoices):
    FREE_TEXT = "free_text", _("Free text")
    STANCE = "stance", _("Stance")


class Stance(models.TextChoices):
    SUPPORT = "support", _("Support")
    SUPPORT_WITH_CHANGES = "support_with_changes", _("Support with changes")
    OPPOSE = "oppose", _("Oppose")
    NO_VIEW = "no_view", _("No view")


class Question(models.Model):
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(_("question"))
    kind = models.CharField(
        _("answer as"), max_length=20, choices=QuestionKind.choices, default=QuestionKind.FREE_TEXT
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "number"], name="one_question_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class Decision(models.TextChoices):
    PENDING = "pending", _("Waiting for the APCC")
    AGREED = "agreed", _("Agreed")
    DECLINED = "declined", _("Declined")


class WiderRouteRequest(models.Model):
    """The lead consulting the APCC before engaging all policing bodies."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="wider_route_requests"
    )
    request = models.TextField(_("why engage all policing bodies"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    advice = models.TextField(_("APCC advice"), blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Wider route for {self.engagement} ({self.get_decision_display()})"


class LabelRelease(models.Model):
    """A release of an engagement or document to a wider handling label."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, null=True, blank=True, related_name="releases"
    )
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="releases",
    )
    from_label = models.CharField(max_length=20, choices=Label.choices)
    to_label = models.CharField(max_length=20, choices=Label.choices)
    reason = models.TextField(_("why"))
    for_whom = models.CharField(_("for whom"), max_length=300)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["released_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(engagement__isnull=False, document__isnull=True)
                | Q(engagement__isnull=True, document__isnull=False),
                name="release_of_one_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_from_label_display()} → {self.get_to_label_display()}"


class PrioritySource(models.TextChoices):
    MINISTERIAL = "ministerial", _("Ministerial")
    BOARD = "board", _("Criminal Justice Board")


class NationalPriorityQuerySet(models.QuerySet["NationalPriority"]):
    def visible_to(self, user) -> "NationalPriorityQuerySet":
        return self.filter(engagement__in=Engagement.objects.visible_to(user))


class NationalPriority(models.Model):
    """A ministerial or Criminal Justice Board priority published in a priorities update."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    engagement = models.ForeignKey(
        Engagement, on_delete=models.PROTECT, related_name="national_priorities"
    )
    title = models.CharField(_("priority"), max_length=200)
    source = models.CharField(_("source"), max_length=20, choices=PrioritySource.choices)
    themes = models.ManyToManyField("directory.PriorityTheme", blank=True, related_name="+")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"), null=True, blank=True)
    supporting_information = models.TextField(_("supporting information"), blank=True)

    objects = NationalPriorityQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name_plural = "national priorities"

    def __str__(self) -> str:
        return self.title
