"""Documents attached to engagements: labelled, versioned, stored outside the web root and
served only through a view that checks access and logs every download."""

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engage.core.labels import DEFAULT_LABEL, LABEL_MEANING, Label

from .filetypes import FileType

if TYPE_CHECKING:
    from engage.accounts.models import MembershipQuerySet

# The labels whose documents reach the engagement's routed audience (and the APCC secretariat).
AUDIENCE_LABELS = (Label.AMBER_STRICT, Label.AMBER, Label.GREEN)


def routed_audience(mine: "MembershipQuerySet", engagement: str = "engagement") -> Q:
    """The condition that the person with active memberships `mine` is in the routed audience
    of the engagement at `engagement` (the path from the filtered model): members of the
    policing bodies in the routed standing groups, of every policing body when the APCC agreed
    the wider route, or the chief executives (and APACE) for the APACE route. As in
    `EngagementQuerySet.visible_to`; the status (open or closed) is for the caller to add."""
    from engage.accounts.models import OrganisationKind, Role
    from engage.directory.models import PolicingBody
    from engage.engagements.models import Decision, Engagement, Route, WiderRouteRequest

    my_bodies = PolicingBody.objects.filter(
        organisation__in=mine.filter(organisation__kind=OrganisationKind.POLICING_BODY).values(
            "organisation"
        )
    )
    in_routed_group = Exists(
        Engagement.routed_groups.through.objects.filter(
            engagement=OuterRef(engagement), standinggroup__memberships__body__in=my_bodies
        )
    )
    wider_agreed = Exists(
        WiderRouteRequest.objects.filter(engagement=OuterRef(engagement), decision=Decision.AGREED)
    )
    is_chief_executive = Exists(
        mine.filter(Q(role=Role.CHIEF_EXECUTIVE) | Q(organisation__kind=OrganisationKind.APACE))
    )
    route = f"{engagement}__route"
    return (
        Q(in_routed_group, **{route: Route.STANDING_GROUPS})
        | Q(wider_agreed, Exists(my_bodies), **{route: Route.ALL_BODIES})
        | Q(is_chief_executive, **{route: Route.APACE})
    )


class DocumentQuerySet(models.QuerySet["Document"]):
    def visible_to(self, user) -> "DocumentQuerySet":
        """Who sees the engagement, narrowed by the document's own label: its reach is the
        narrower of the two labels (ADR 0004), so releasing an engagement does not release the
        documents under it. By the document's label:
        - TLP:CLEAR: anyone who sees the engagement;
        - TLP:GREEN: as AMBER, and every member of a protocol organisation once it is open;
        - TLP:AMBER+STRICT and TLP:AMBER: the owning organisation, the APCC secretariat (as
          for the engagement: once routed, or a draft it was consulted on) and the routed
          audience once open or closed, but nobody who reaches the engagement only through
          its own TLP:GREEN or TLP:CLEAR;
        - TLP:RED: its named recipients and the owning organisation.
        One query, as for engagements."""
        if not (getattr(user, "is_authenticated", False) and user.is_active):
            return self.none()
        from engage.accounts.models import PROTOCOL_KINDS, Membership, OrganisationKind, Role
        from engage.engagements.models import LIVE, ROUTED, Engagement, WiderRouteRequest

        mine = Membership.objects.active().filter(user=user)
        is_secretariat = Exists(
            mine.filter(role=Role.SECRETARIAT, organisation__kind=OrganisationKind.APCC)
        )
        in_protocol = Exists(mine.filter(organisation__kind__in=PROTOCOL_KINDS))
        apcc_consulted = Exists(WiderRouteRequest.objects.filter(engagement=OuterRef("engagement")))
        named = Exists(
            Document.recipients.through.objects.filter(document=OuterRef("pk"), user=user)
        )
        live = Q(engagement__status__in=LIVE)

        owner = Q(engagement__owner__in=mine.values("organisation"))
        secretariat = is_secretariat & (Q(engagement__status__in=ROUTED) | apcc_consulted)
        audience = live & routed_audience(mine)
        reach = (
            Q(label=Label.CLEAR)
            | owner
            | (Q(label__in=AUDIENCE_LABELS) & (secretariat | audience))
            | (Q(label=Label.GREEN) & live & in_protocol)
            | (Q(label=Label.RED) & named)
        )
        return self.filter(engagement__in=Engagement.objects.visible_to(user)).filter(reach)


class Document(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    label = models.CharField(
        _("handling label"), max_length=20, choices=Label.choices, default=DEFAULT_LABEL
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("named recipients")
    )
    current_version = models.ForeignKey(
        "DocumentVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DocumentQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[recipients])

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def label_meaning(self) -> str:
        return str(LABEL_MEANING[Label(self.label)])

    @property
    def is_red(self) -> bool:
        return self.label == Label.RED


def version_upload_to(instance: "DocumentVersion", filename: str) -> str:
    """A random name under documents/: never the uploader's file name."""
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.file_type}"


class DocumentVersion(models.Model):
    """One uploaded file. Replacing a document adds a version; old ones are kept."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=version_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("type"), max_length=10, choices=FileType.choices)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_version_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    @property
    def is_pdf(self) -> bool:
        return self.file_type == FileType.PDF
