"""Engagements: the five national duties, routed through the APCC under handling labels.

Who sees and reads an engagement is decided in one place, `engage.engagements.audience`
(DESIGN.md section 6, ADR 0012); the queryset methods here only apply it.
"""

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ExpressionWrapper, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engage.accounts.viewer import Viewer
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
    # Confirmed by the APCC before its opening date: it opens on that date (a periodic task,
    # `engagements_open_due`). The secretariat and the owner see it; its audience does not yet.
    SCHEDULED = "scheduled", _("Confirmed, opens later")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Route(models.TextChoices):
    STANDING_GROUPS = "groups", _("Standing groups")
    ALL_BODIES = "all_bodies", _("All policing bodies")
    APACE = "apace", _("APACE (chief executives)")


# The requested actions (PCC duties 1 to 3), as (field name, words for pages).
REQUESTED_ACTIONS = (
    ("asks_response", _("respond")),
    ("asks_dissemination", _("disseminate locally")),
    ("asks_implementation_support", _("support implementation")),
)

LIVE = (Status.OPEN, Status.CLOSED)
ROUTED = (Status.AWAITING_APCC, Status.SCHEDULED, Status.OPEN, Status.CLOSED)


class EngagementQuerySet(models.QuerySet["Engagement"]):
    def visible_to(self, user) -> "EngagementQuerySet":
        """What `user` is shown: listed, with its heading (`audience.engagement_seen`)."""
        from .audience import engagement_seen

        return self.filter(engagement_seen(Viewer.of(user)))

    def readable_by(self, user) -> "EngagementQuerySet":
        """What `user` reads, content included (`audience.engagement_read`)."""
        from .audience import engagement_read

        return self.filter(engagement_read(Viewer.of(user)))

    def with_content_readable(self, user) -> "EngagementQuerySet":
        """Annotate `content_readable`: whether `user` reads each one's content, in the same
        query (pages show a heading only to those who see without reading)."""
        from .audience import engagement_read

        return self.annotate(
            content_readable=ExpressionWrapper(
                engagement_read(Viewer.of(user)), output_field=models.BooleanField()
            )
        )

    def addressed_to(self, membership) -> "EngagementQuerySet":
        """Open and closed engagements whose audience is the organisation `membership` acts
        for (a policing body, or APACE), whoever else they reach. Combine with visible_to."""
        from .audience import addressed_to

        return self.filter(addressed_to(membership))


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
    # Why the response window or the change notice is shorter than usual (ENGAGE_MIN_RESPONSE_DAYS,
    # ENGAGE_CHANGE_NOTICE_DAYS): required then (services/timing.py), shown to the audience.
    short_notice_reason = models.TextField(_("why the notice is shorter than usual"), blank=True)
    asks_response = models.BooleanField(_("respond"), default=False)
    asks_dissemination = models.BooleanField(_("disseminate locally"), default=False)
    asks_implementation_support = models.BooleanField(_("support implementation"), default=False)
    # Submitted responses reach the owning organisation, the APCC secretariat and the routed
    # groups' leads; the other bodies addressed see them only if the lead says so (DESIGN 6).
    share_responses = models.BooleanField(
        _("share responses with the other bodies addressed"), default=False
    )
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
    # A combined route: the standing groups' bodies and, alongside them, APACE (the chief
    # executives), when the lead or the APCC adds it (ADR 0013).
    also_apace = models.BooleanField(_("also engage APACE (chief executives)"), default=False)
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

    def clean(self) -> None:
        """The rules on the engagement's own fields; the services check the rest (the policy,
        the route, named recipients) before saving."""
        errors: dict[str, Any] = {}
        if self.asks_response and self.response_deadline is None:
            errors["response_deadline"] = _(
                "Enter the response deadline: you are asking for a response"
            )
        elif self.response_deadline is not None and not self.asks_response:
            errors["response_deadline"] = _(
                "Only set a response deadline when you ask for a response"
            )
        elif self.response_deadline and self.opens_on and self.response_deadline <= self.opens_on:
            errors["response_deadline"] = _("The response deadline must be after the opening date")
        if self.share_responses and not self.asks_response:
            errors["share_responses"] = _("Only share responses when you ask for a response")
        if self.kind == Kind.CHANGE_NOTICE:
            if not (self.rationale or "").strip():
                errors["rationale"] = _("Explain the rationale for the change")
            if self.effective_date is None:
                errors["effective_date"] = _("Enter the date the change takes effect")
        if errors:
            raise ValidationError(errors)

    @property
    def requested_actions(self) -> list[str]:
        """What is asked of the policing bodies, in words: "respond", "disseminate locally"."""
        return [str(label) for name, label in REQUESTED_ACTIONS if getattr(self, name)]

    @property
    def reaches_apace(self) -> bool:
        """The chief executives are in the audience: the APACE route, alone or combined."""
        return self.route == Route.APACE or (
            self.route == Route.STANDING_GROUPS and self.also_apace
        )

    @property
    def is_returned(self) -> bool:
        """A draft the APCC sent back to the lead with advice."""
        return self.status == Status.DRAFT and self.returned_at is not None

    @property
    def stage_at_opening_display(self) -> str:
        from engage.policies.models import Stage

        if not self.stage_at_opening:
            return ""
        try:
            return str(Stage(self.stage_at_opening).label)
        except ValueError:
            return self.stage_at_opening

    def days_left(self, today: date | None = None) -> int | None:
        """Whole days from today to the response deadline (negative once it has passed)."""
        if self.response_deadline is None:
            return None
        return (self.response_deadline - (today or timezone.localdate())).days


class RoutingRecordQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RoutingRecordQuerySet":
        """Rows of the routing records `user` reads (`audience.routing_record_read`)."""
        from .audience import routing_record_read

        return self.filter(routing_record_read(Viewer.of(user)))


class AudienceBody(models.Model):
    """A policing body in an engagement's audience, fixed when the engagement opens (DESIGN.md
    section 6): the bodies of the routed standing groups at that moment, or every body on the
    agreed wider route. Bodies that join a group later do not gain its past engagements; bodies
    that leave keep what they were sent. The APCC secretariat may add a body to an open
    engagement later, with a reason (`at_opening` False). The APACE route stays role-based."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="audience_bodies"
    )
    body = models.ForeignKey(
        "directory.PolicingBody", on_delete=models.PROTECT, related_name="audience_of"
    )
    at_opening = models.BooleanField(default=True)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("why add this body"), blank=True)

    objects = RoutingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "body"], name="one_audience_row_per_body")
        ]
        indexes = [models.Index(fields=["body", "engagement"])]

    def __str__(self) -> str:
        return f"{self.body_id} in the audience of {self.engagement_id}"


class RouteAmendment(models.Model):
    """The APCC secretariat changing the route of an engagement awaiting it (at confirmation):
    who, when, and the route before and after, in words, for the routing record."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="route_amendments"
    )
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amended_at = models.DateTimeField(default=timezone.now)
    groups_before = models.TextField(blank=True)
    groups_after = models.TextField(blank=True)
    also_apace_before = models.BooleanField(default=False)
    also_apace_after = models.BooleanField(default=False)

    objects = RoutingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["amended_at", "pk"]

    def __str__(self) -> str:
        return f"Route of {self.engagement_id} amended"


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

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Wider route for {self.engagement} ({self.get_decision_display()})"


class LabelRelease(models.Model):
    """A release of an engagement or document to a wider handling label: who, when, why and
    for whom. Narrowing a label is not a release (see services.label_release)."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.PROTECT, null=True, blank=True, related_name="releases"
    )
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
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
        """Read by those who read the priorities update that published it."""
        from .audience import engagement_read

        return self.filter(engagement_read(Viewer.of(user), "engagement__"))


class NationalPriority(models.Model):
    """A ministerial or Criminal Justice Board priority published in a priorities update."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    engagement = models.ForeignKey(
        Engagement, on_delete=models.PROTECT, related_name="national_priorities"
    )
    title = models.CharField(_("priority"), max_length=200)
    source = models.CharField(_("source"), max_length=20, choices=PrioritySource.choices)
    themes = models.ManyToManyField(
        "directory.PriorityTheme", blank=True, related_name="+", verbose_name=_("themes")
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"), null=True, blank=True)
    supporting_information = models.TextField(_("supporting information"))

    objects = NationalPriorityQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name_plural = "national priorities"

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError(
                {"period_end": _("The end of the period must be on or after its start")}
            )
