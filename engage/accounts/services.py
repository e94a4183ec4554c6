"""Writes about people, organisations and how they join. Each records its own history."""

import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from engage.core.links import absolute
from engage.core.services import lock, required_text
from engage.core.tasks import send_email

from .models import (
    AccountRequest,
    AccountRequestStatus,
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
    hash_token,
)

INVITATION_VALID_FOR = timedelta(days=14)

# The roles that make sense in each kind of organisation.
ROLES_BY_KIND: dict[str, list[str]] = {
    OrganisationKind.NATIONAL_DEPARTMENT: [Role.POLICY_LEAD, Role.STAFF],
    OrganisationKind.NATIONAL_AGENCY: [Role.POLICY_LEAD, Role.STAFF],
    OrganisationKind.APCC: [Role.SECRETARIAT, Role.STAFF],
    OrganisationKind.APACE: [Role.STAFF],
    OrganisationKind.POLICING_BODY: [Role.COMMISSIONER, Role.OPCC_STAFF, Role.CHIEF_EXECUTIVE],
    OrganisationKind.VOLUNTARY: [Role.MEMBER],
    OrganisationKind.LOCAL_PARTNER: [Role.MEMBER, Role.STAFF],
}


def roles_for(organisation: Organisation) -> list[tuple[str, Any]]:
    allowed = ROLES_BY_KIND.get(organisation.kind, [])
    return [(value, label) for value, label in Role.choices if value in allowed]


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    invited_by: User | None,
    full_name: str = "",
    is_admin: bool = False,
) -> tuple[Invitation, str]:
    """Invite someone to an organisation; returns the invitation and its one-time token."""
    email = email.strip().lower()
    if role not in ROLES_BY_KIND.get(organisation.kind, []):
        raise ValidationError({"role": _("Choose a role that fits this organisation.")})
    if Membership.objects.active().filter(user__email=email, organisation=organisation).exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    if Invitation.objects.pending().filter(email=email, organisation=organisation).exists():
        raise ValidationError({"email": _("This person already has an invitation waiting.")})
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation=organisation,
        email=email,
        full_name=full_name.strip(),
        role=role,
        is_admin=is_admin,
        token_hash=hash_token(token),
        invited_by=invited_by,
        expires_at=timezone.now() + INVITATION_VALID_FOR,
    )
    invitation.full_clean()
    invitation.save()
    link = absolute(reverse("accounts:invitation_accept", kwargs={"token": token}))
    send_email.enqueue(
        key=f"invitation:{invitation.public_id}",
        subject=_("You are invited to join %(org)s on Engage") % {"org": organisation.name},
        body=_(
            "You have been invited to join %(org)s on Engage as %(role)s.\n\n"
            "Accept the invitation within 14 days: %(link)s\n\n"
            "If you did not expect this email, you can ignore it."
        )
        % {"org": organisation.name, "role": invitation.get_role_display(), "link": link},
        to=[email],
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.pending()
        .select_related("organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, full_name: str = "", password: str | None = None, user=None
) -> User:
    """Accept an invitation: as the signed-in person it was sent to, or by creating the account."""
    invitation = lock(invitation)
    if not invitation.is_pending:
        raise ValidationError(_("This invitation has expired or has already been used."))
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        if user is None or user.pk != existing.pk:
            raise ValidationError(
                _("Sign in as %(email)s to accept.") % {"email": invitation.email}
            )
        account = existing
    else:
        if not password:
            raise ValidationError({"password1": _("Enter a password.")})
        account = User.objects.create_user(
            email=invitation.email, password=password, full_name=full_name.strip()
        )
    Membership.objects.create(
        user=account,
        organisation=invitation.organisation,
        role=invitation.role,
        is_admin=invitation.is_admin,
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return account


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> None:
    if not invitation.is_pending:
        raise ValidationError(_("Only a waiting invitation can be withdrawn."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


@transaction.atomic
def membership_end(*, membership: Membership, reason: str, ended_by: User) -> None:
    """End a membership (kept, with its reason, for the record)."""
    if membership.ended_at is not None:
        raise ValidationError(_("This membership has already ended."))
    reason = required_text(reason, "reason", _("Enter why this membership is ending."))
    membership.ended_at = timezone.now()
    membership.ended_reason = reason
    membership._change_reason = f"Ended by {ended_by.email}"  # type: ignore[attr-defined]
    membership.save(update_fields=["ended_at", "ended_reason"])


def unique_slug(name: str) -> str:
    base = slugify(name)[:90] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_create(
    *, name: str, kind: str, short_name: str = "", description: str = ""
) -> Organisation:
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        short_name=short_name.strip(),
        description=description.strip(),
        slug=unique_slug(name),
    )
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def account_request_submit(
    *,
    organisation_name: str,
    contact_name: str,
    email: str,
    purpose: str,
    areas_served,
    charity_number: str = "",
) -> AccountRequest:
    request = AccountRequest(
        organisation_name=organisation_name.strip(),
        contact_name=contact_name.strip(),
        email=email.strip().lower(),
        purpose=purpose.strip(),
        charity_number=charity_number.strip(),
    )
    request.full_clean()
    request.save()
    request.areas_served.set(areas_served)
    admins = list(
        User.objects.filter(is_staff=True, is_active=True).values_list("email", flat=True)
    )
    if admins:
        send_email.enqueue(
            key=f"account-request:{request.public_id}",
            subject=_("A voluntary organisation has asked for an Engage account"),
            body=_("%(org)s has asked for an account. Review it: %(link)s")
            % {
                "org": request.organisation_name,
                "link": absolute(
                    reverse("accounts:request_detail", kwargs={"public_id": request.public_id})
                ),
            },
            to=admins,
        )
    return request


def _decide(request: AccountRequest, decided_by: User, status: str, note: str) -> None:
    if request.status != AccountRequestStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    request.status = status
    request.decided_by = decided_by
    request.decided_at = timezone.now()
    request.decision_note = note.strip()


@transaction.atomic
def account_request_approve(
    *, account_request: AccountRequest, decided_by: User, note: str = ""
) -> Organisation:
    """Approve: create the voluntary organisation and invite the requester as its admin."""
    account_request = lock(account_request)
    _decide(account_request, decided_by, AccountRequestStatus.APPROVED, note)
    organisation = organisation_create(
        name=account_request.organisation_name, kind=OrganisationKind.VOLUNTARY
    )
    organisation.areas_served.set(account_request.areas_served.all())
    account_request.organisation = organisation
    account_request.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "organisation"]
    )
    invitation_create(
        organisation=organisation,
        email=account_request.email,
        full_name=account_request.contact_name,
        role=Role.MEMBER,
        is_admin=True,
        invited_by=decided_by,
    )
    return organisation


@transaction.atomic
def account_request_reject(*, account_request: AccountRequest, decided_by: User, note: str) -> None:
    note = required_text(note, "note", _("Explain why the request is turned down."))
    account_request = lock(account_request)
    _decide(account_request, decided_by, AccountRequestStatus.REJECTED, note)
    account_request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    send_email.enqueue(
        key=f"account-request-rejected:{account_request.public_id}",
        subject=_("Your request for an Engage account"),
        body=_(
            "Thank you for asking for an Engage account for %(org)s. "
            "We cannot open one at present:\n\n%(note)s"
        )
        % {"org": account_request.organisation_name, "note": account_request.decision_note},
        to=[account_request.email],
    )
