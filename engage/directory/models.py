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


class PlanPriority(models.Model):
    """A priority in a body's police and crime plan, linked to a priority theme."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(PolicingBody, on_delete=models.CASCADE, related_name="plan_priorities")
    theme = models.ForeignKey(PriorityTheme, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("priority"), max_length=200)
    plan_period = models.CharField(_("plan period"), max_length=20, blank=True)

    objects = VisibleToSignedInQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "title"]
        verbose_name_plural = "plan priorities"

    def __str__(self) -> str:
        return self.title
