"""The voluntary sector's own records (DESIGN.md section 3, tips 2 and 3):

- `OrganisationProfile`: the case for the organisation (its numbers, services, the themes it
  works on, the people it supports, its offer to the policing body). The areas it serves are
  `Organisation.areas_served`. Read by every signed-in person (section 6).
- `Activity` and its `FollowUp`s: the organisation's log of engagement with a policing body.
  Read by the organisation's members, and by the policing body's members once the organisation
  shares it (`shared_at`). Nobody else, site administrators included.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engage.accounts.viewer import Viewer
from engage.core.access import is_signed_in


class ProfileQuerySet(models.QuerySet["OrganisationProfile"]):
    def visible_to(self, user) -> "ProfileQuerySet":
        if not is_signed_in(user):
            return self.none()
        return self.filter(organisation__is_active=True)


class OrganisationProfile(models.Model):
    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="profile"
    )
    charity_number = models.CharField(_("registered charity number"), max_length=12, blank=True)
    company_number = models.CharField(_("company number"), max_length=8, blank=True)
    summary = models.TextField(_("what the organisation does"), blank=True)
    services = models.TextField(_("services"), blank=True)
    themes = models.ManyToManyField(
        "directory.PriorityTheme",
        blank=True,
        related_name="organisation_profiles",
        verbose_name=_("priority themes it works on"),
    )
    people_supported = models.TextField(_("the people it supports"), blank=True)
    offer = models.TextField(_("its offer to the policing body"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    is_sample = models.BooleanField(_("sample content"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[themes])

    def __str__(self) -> str:
        return str(self.organisation)


def shared_or_own(viewer: Viewer) -> Q:
    """Rows of an organisation's log or evidence `viewer` reads: its own organisation's, and
    those shared with a policing body `viewer` is a member of. For models with `organisation`,
    `body` and `shared_at`."""
    if not viewer.signed_in:
        return Q(pk__in=[])
    return Q(organisation_id__in=viewer.organisation_ids) | Q(
        shared_at__isnull=False, body__organisation_id__in=viewer.body_organisation_ids
    )


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    VISIT = "visit", _("Visit showing our work")
    ADVISORY = "advisory", _("Advisory role")
    FORUM = "forum", _("Forum or network")
    CONSULTATION = "consultation", _("Consultation response")
    COMMISSIONING = "commissioning", _("Commissioning or bid")
    EVENT = "event", _("Event")
    CORRESPONDENCE = "correspondence", _("Correspondence")


class Arrangement(models.TextChoices):
    """Whether a contact has become a lasting arrangement."""

    NONE = "", _("Not a lasting arrangement")
    SECTOR_ADVISER = "sector_adviser", _("Sector adviser to the policing body")
    BOARD_SEAT = "board_seat", _("Seat on a partnership board")
    MEMORANDUM = "memorandum", _("Memorandum of understanding")
    OTHER = "other", _("Other lasting arrangement")


class ActivityQuerySet(models.QuerySet["Activity"]):
    def visible_to(self, user) -> "ActivityQuerySet":
        return self.filter(shared_or_own(Viewer.of(user)))


class Activity(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="sector_activities"
    )
    body = models.ForeignKey(
        "directory.PolicingBody", on_delete=models.PROTECT, related_name="sector_activities"
    )
    kind = models.CharField(_("kind of activity"), max_length=20, choices=ActivityKind.choices)
    happened_on = models.DateField(_("date"))
    participants = models.TextField(_("who took part"), help_text=_("Their roles, not only names."))
    summary = models.TextField(_("summary"))
    outcome = models.TextField(_("outcome"), blank=True)
    arrangement = models.CharField(
        _("lasting arrangement"), max_length=20, choices=Arrangement.choices, blank=True
    )
    arrangement_details = models.CharField(_("about the arrangement"), max_length=300, blank=True)
    # Shared with the policing body only when the organisation chooses (DESIGN.md section 6).
    shared_at = models.DateTimeField(null=True, blank=True)
    is_sample = models.BooleanField(_("sample content"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["organisation", "happened_on"])]
        constraints = [
            # A lasting arrangement says what it is (the services ask for it by name).
            models.CheckConstraint(
                condition=Q(arrangement="") | ~Q(arrangement_details=""),
                name="activity_arrangement_described",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.body} on {self.happened_on}"

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None


class FollowUp(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="follow_ups")
    description = models.CharField(_("what"), max_length=300)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description
