"""The landscape: forces, the local policing bodies that hold them to account, themes, groups.

A policing body is modelled with its *type* (PCC, PFCC, mayor, police authority, and later
policing and crime boards) so that a transfer of functions is a data change (DESIGN.md s.4).
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engage.core.access import is_signed_in


class VisibleToSignedInQuerySet(models.QuerySet):
    """Directory records are open to every signed-in person (DESIGN.md section 6)."""

    def visible_to(self, user):
        return self.all() if is_signed_in(user) else self.none()


class Nation(models.TextChoices):
    ENGLAND = "England", _("England")
    WALES = "Wales", _("Wales")


class BodyType(models.TextChoices):
    PCC = "pcc", _("Police and crime commissioner")
    PFCC = "pfcc", _("Police, fire and crime commissioner")
    MAYOR = "mayor", _("Mayor")
    POLICE_AUTHORITY = "police_authority", _("Police authority")
    BOARD = "board", _("Policing and crime board")


class Force(models.Model):
    ons_code = models.CharField(_("ONS code"), max_length=9, unique=True)
    name = models.CharField(_("force"), max_length=120, unique=True)
    ons_name = models.CharField(_("ONS area name"), max_length=120, blank=True)
    # SVG path data for the force area, projected once by `load_reference_data` into the map's
    # viewBox (see geo.MAP_VIEWBOX), so the map page draws from one query.
    svg_path = models.TextField(_("map outline (SVG path)"), blank=True)

    objects = VisibleToSignedInQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PolicingBody(models.Model):
    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="policing_body"
    )
    force = models.OneToOneField(Force, on_delete=models.PROTECT, related_name="policing_body")
    body_type = models.CharField(_("type"), max_length=20, choices=BodyType.choices)
    nation = models.CharField(_("nation"), max_length=10, choices=Nation.choices)
    region = models.CharField(_("region"), max_length=60)
    notes = models.TextField(_("notes"), blank=True)
    source = models.TextField(_("sources"), blank=True)

    objects = VisibleToSignedInQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name_plural = "policing bodies"

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def slug(self) -> str:
        return self.organisation.slug


class PriorityTheme(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(_("theme"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    objects = VisibleToSignedInQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StandingGroup(models.Model):
    """An APCC standing group or portfolio: the usual route for engagement."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField(PriorityTheme, blank=True, related_name="standing_groups")
    members = models.ManyToManyField(
        PolicingBody, through="StandingGroupMembership", related_name="standing_groups"
    )

    objects = VisibleToSignedInQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    MEMBER = "member", _("Member")


class StandingGroupMembership(models.Model):
    group = models.ForeignKey(StandingGroup, on_delete=models.CASCADE, related_name="memberships")
    body = models.ForeignKey(
        PolicingBody, on_delete=models.PROTECT, related_name="group_memberships"
    )
    role = models.CharField(max_length=10, choices=GroupRole.choices, default=GroupRole.MEMBER)

    objects = VisibleToSignedInQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["group__name", "-role", "body__organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "body"], name="one_membership_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.body} in {self.group} ({self.get_role_display()})"


class PolicePlanQuerySet(VisibleToSignedInQuerySet):
    def current(self) -> "PolicePlanQuerySet":
        return self.filter(superseded_at__isnull=True)


class PolicePlan(models.Model):
    """A body's police and crime plan (issue 10). A body has at most one current plan; a new
    plan replaces it (`superseded_at`, `superseded_by`) and the old one is kept, e.g. when
    functions move to a mayor."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(PolicingBody, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("plan period starts"))
    ends_on = models.DateField(_("plan period ends"))
    url = models.URLField(_("link to the plan"), max_length=500, blank=True)
    published_on = models.DateField(_("date published"), null=True, blank=True)
    # Demo and test content says so on every page that shows it.
    is_sample = models.BooleanField(_("sample content"), default=False)
    superseded_at = models.DateTimeField(null=True, blank=True, editable=False)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PolicePlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["body"],
                condition=models.Q(superseded_at__isnull=True),
                name="one_current_plan_per_body",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="plan_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def period(self) -> str:
        return f"{self.starts_on.year} to {self.ends_on.year}"


class PlanPriority(models.Model):
    """A priority in a body's police and crime plan, in the plan's order, linked to a priority
    theme. `body` repeats `plan.body` so lists by body need no join."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(PolicePlan, on_delete=models.CASCADE, related_name="priorities")
    body = models.ForeignKey(PolicingBody, on_delete=models.CASCADE, related_name="plan_priorities")
    theme = models.ForeignKey(PriorityTheme, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("priority"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("order in the plan"), default=1)

    objects = VisibleToSignedInQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name_plural = "plan priorities"

    def __str__(self) -> str:
        return self.title


# What a body publishes about itself, for the voluntary sector's brief (DESIGN.md section 3,
# tip 1). Open to every signed-in person, edited by the body's members and site administrators.


class ContactRole(models.TextChoices):
    COMMISSIONER = "commissioner", _("Commissioner")
    DEPUTY = "deputy", _("Deputy commissioner or deputy mayor")
    CHIEF_EXECUTIVE = "chief_executive", _("Chief executive")
    CHIEF_FINANCE = "chief_finance", _("Chief finance officer")
    COMMISSIONING_LEAD = "commissioning_lead", _("Commissioning lead")
    ENGAGEMENT_LEAD = "engagement_lead", _("Engagement or partnerships lead")
    OTHER = "other", _("Other")


class BodyContact(models.Model):
    """Who is involved in decisions, with the contact route the body publishes."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(PolicingBody, on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField(_("role"), max_length=30, choices=ContactRole.choices)
    name = models.CharField(_("name"), max_length=200)
    remit = models.CharField(_("remit"), max_length=300, blank=True)
    contact_route = models.CharField(
        _("published contact route"),
        max_length=300,
        blank=True,
        help_text=_("An email address, telephone number or web page the body publishes."),
    )
    position = models.PositiveSmallIntegerField(default=1)

    objects = VisibleToSignedInQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class CommissioningKind(models.TextChoices):
    VICTIMS_SERVICES = "victims_services", _("Victims' services")
    GRANTS = "grants", _("Grants")
    COMMUNITY_SAFETY = "community_safety", _("Community safety")
    REDUCING_REOFFENDING = "reducing_reoffending", _("Reducing reoffending")
    OTHER = "other", _("Other")


class Commissioning(models.Model):
    """Something the body commissions or funds, with an open funding round's dates where
    recorded (`opens_on`, `closes_on`)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(PolicingBody, on_delete=models.CASCADE, related_name="commissioning")
    kind = models.CharField(_("kind"), max_length=30, choices=CommissioningKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    opens_on = models.DateField(_("funding round opens"), null=True, blank=True)
    closes_on = models.DateField(_("funding round closes"), null=True, blank=True)

    objects = VisibleToSignedInQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "kind", "title"]
        verbose_name_plural = "commissioning"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_on__isnull=True)
                | models.Q(closes_on__isnull=True)
                | models.Q(closes_on__gte=models.F("opens_on")),
                name="funding_round_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title


class RouteKind(models.TextChoices):
    FORUM = "forum", _("Forum or network")
    ADVISORY = "advisory", _("Advisory role or panel")
    CONSULTATION = "consultation", _("Consultation")
    BOARD = "board", _("Partnership board")
    OTHER = "other", _("Other")


class EngagementRoute(models.Model):
    """A way in for the voluntary sector: a forum, an advisory role, a consultation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(
        PolicingBody, on_delete=models.CASCADE, related_name="engagement_routes"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RouteKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    closes_on = models.DateField(_("closes"), null=True, blank=True)

    objects = VisibleToSignedInQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "kind", "title"]

    def __str__(self) -> str:
        return self.title


class KeyDate(models.Model):
    """A date in the body's year the sector should know: the budget and precept, a plan
    refresh, an election, a funding decision."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(PolicingBody, on_delete=models.CASCADE, related_name="key_dates")
    title = models.CharField(_("what"), max_length=200)
    on = models.DateField(_("date"))
    description = models.TextField(_("details"), blank=True)

    objects = VisibleToSignedInQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "on"]

    def __str__(self) -> str:
        return self.title
