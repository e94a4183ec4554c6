"""People, the organisations they belong to, and how they join.

What a person may see follows from their memberships, never from a flag on the person alone
(DESIGN.md section 1). The one exception is the site administrator (`is_staff`), who manages
people and reference data but reads no protocol content by virtue of it (ADR 0002).
"""

import hashlib
import uuid
from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engage.core.access import is_signed_in


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        _("site administrator"),
        default=False,
        help_text=_("Manages organisations, people and reference data."),
    )
    date_joined = models.DateTimeField(default=timezone.now)
    # How many of the person's notifications are unread, for the header without a query (the
    # row is loaded on every request). Kept by engage.notifications with F() updates;
    # `notifications_recount` puts it right from the notifications.
    unread_notifications = models.PositiveIntegerField(_("unread notifications"), default=0)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    history = HistoricalRecords(excluded_fields=["password", "last_login", "unread_notifications"])

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class OrganisationKind(models.TextChoices):
    NATIONAL_DEPARTMENT = "department", _("National department")
    NATIONAL_AGENCY = "agency", _("National agency")
    APCC = "apcc", _("APCC")
    APACE = "apace", _("APACE")
    POLICING_BODY = "policing_body", _("Policing body")
    VOLUNTARY = "voluntary", _("Voluntary organisation")
    LOCAL_PARTNER = "local_partner", _("Local partner")


# Members of these organisations handle protocol material and must use MFA.
PROTOCOL_KINDS = frozenset(
    {
        OrganisationKind.NATIONAL_DEPARTMENT,
        OrganisationKind.NATIONAL_AGENCY,
        OrganisationKind.APCC,
        OrganisationKind.APACE,
        OrganisationKind.POLICING_BODY,
    }
)
NATIONAL_KINDS = frozenset({OrganisationKind.NATIONAL_DEPARTMENT, OrganisationKind.NATIONAL_AGENCY})


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user) -> "OrganisationQuerySet":
        """The directory of organisations is open to every signed-in person."""
        if not is_signed_in(user):
            return self.none()
        return self.filter(is_active=True)

    def national(self) -> "OrganisationQuerySet":
        return self.filter(kind__in=NATIONAL_KINDS)


class Organisation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("sponsoring organisation"),
    )
    on_criminal_justice_board = models.BooleanField(
        _("on the Criminal Justice Board"), default=False
    )
    description = models.TextField(_("description"), blank=True)
    areas_served = models.ManyToManyField(
        "directory.PolicingBody",
        blank=True,
        related_name="voluntary_organisations",
        verbose_name=_("policing body areas served"),
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[areas_served])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_protocol(self) -> bool:
        return self.kind in PROTOCOL_KINDS

    @property
    def is_national(self) -> bool:
        return self.kind in NATIONAL_KINDS


class Role(models.TextChoices):
    POLICY_LEAD = "policy_lead", _("Policy lead")
    STAFF = "staff", _("Staff")
    SECRETARIAT = "secretariat", _("APCC secretariat")
    COMMISSIONER = "commissioner", _("Commissioner")
    OPCC_STAFF = "opcc_staff", _("OPCC staff")
    CHIEF_EXECUTIVE = "chief_executive", _("Chief executive")
    MEMBER = "member", _("Member")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> "MembershipQuerySet":
        return self.filter(ended_at__isnull=True, organisation__is_active=True)

    def visible_to(self, user) -> "MembershipQuerySet":
        """Who belongs where is known to every signed-in person (names, organisations, roles)."""
        if not is_signed_in(user):
            return self.none()
        return self.active().filter(user__is_active=True)


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_admin = models.BooleanField(
        _("organisation administrator"),
        default=False,
        help_text=_("Can invite people to this organisation and change their roles."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.CharField(max_length=200, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_membership_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    @property
    def is_secretariat(self) -> bool:
        """Acting for the APCC as its secretariat (the organisation must be loaded)."""
        return self.organisation.kind == OrganisationKind.APCC and self.role == Role.SECRETARIAT


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )

    def visible_to(self, user) -> "InvitationQuerySet":
        """Site administrators see every invitation; organisation admins their own org's."""
        from .viewer import Viewer

        viewer = Viewer.of(user)
        if viewer.is_site_admin:
            return self.all()
        return self.filter(organisation_id__in=viewer.admin_of)


class Invitation(models.Model):
    """An invitation to join an organisation. Only the hash of its token is stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_admin = models.BooleanField(_("organisation administrator"), default=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} to {self.organisation}"

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class AccountRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Turned down")


class AccountRequestQuerySet(models.QuerySet["AccountRequest"]):
    def visible_to(self, user) -> "AccountRequestQuerySet":
        if is_signed_in(user) and user.is_staff:
            return self.all()
        return self.none()


class AccountRequest(models.Model):
    """A voluntary organisation asking for an account; a site administrator decides."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation_name = models.CharField(_("organisation name"), max_length=200)
    charity_number = models.CharField(_("charity or company number"), max_length=20, blank=True)
    areas_served = models.ManyToManyField(
        "directory.PolicingBody", related_name="+", verbose_name=_("areas served")
    )
    contact_name = models.CharField(_("your full name"), max_length=200)
    email = models.EmailField(_("your email address"))
    purpose = models.TextField(_("what you want to use Engage for"))
    status = models.CharField(
        max_length=10, choices=AccountRequestStatus.choices, default=AccountRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AccountRequestQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[areas_served])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation_name} ({self.email})"
