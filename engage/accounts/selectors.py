"""Reads about people and their organisations."""

import rules
from django.db.models import Prefetch

from engage.core.access import is_signed_in

from .models import Membership, Organisation


def active_memberships(user) -> list[Membership]:
    if not is_signed_in(user):
        return []
    return list(
        Membership.objects.active()
        .filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def user_has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def organisations_with_members():
    return Organisation.objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.active().select_related("user"))
    )


def get_organisation_for_user(user, public_id, *, write: bool = False) -> Organisation:
    """404 if the person may not see the organisation, 403 if they may see but not manage it."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    organisation = get_object_or_404(Organisation.objects.visible_to(user), public_id=public_id)
    if write and not rules.has_perm("accounts.manage_organisation", user, organisation):
        raise PermissionDenied
    return organisation


def get_account_request_for_user(user, public_id):
    from django.shortcuts import get_object_or_404

    from .models import AccountRequest

    return get_object_or_404(AccountRequest.objects.visible_to(user), public_id=public_id)


def get_invitation_for_user(user, public_id):
    from django.shortcuts import get_object_or_404

    from .models import Invitation

    return get_object_or_404(
        Invitation.objects.visible_to(user).select_related("organisation"), public_id=public_id
    )


def get_membership_for_user(user, pk, *, write: bool = False) -> Membership:
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    membership = get_object_or_404(
        Membership.objects.visible_to(user).select_related("user", "organisation"), pk=pk
    )
    if write and not rules.has_perm("accounts.manage_organisation", user, membership.organisation):
        raise PermissionDenied
    return membership


# Other people's memberships, for choices and checks (never the viewer's own facts: those are
# engage.accounts.viewer). Every read of memberships outside this app goes through these.


def organisation_memberships(organisation: Organisation):
    """Everyone in the organisation now, for its page."""
    return Membership.objects.active().filter(organisation=organisation).select_related("user")


def members(organisation_id: int, *, role: str | None = None):
    """The active memberships of active people in the organisation (of `role`, if given)."""
    found = Membership.objects.active().filter(
        organisation_id=organisation_id, user__is_active=True
    )
    return found.filter(role=role) if role else found


def people_in_kinds(users, kinds) -> set[int]:
    """The ids of those of `users` who are active members of an organisation of `kinds`."""
    return set(
        Membership.objects.active()
        .filter(user__in=list(users), user__is_active=True, organisation__kind__in=list(kinds))
        .values_list("user_id", flat=True)
    )


def membership_is_active(membership: Membership, user) -> bool:
    """`membership` is `user`'s and still active, read from the database (not a copy loaded
    earlier): a membership ended since no longer acts for its organisation."""
    return (
        membership.user_id == getattr(user, "pk", None)
        and Membership.objects.active().filter(pk=membership.pk).exists()
    )


def apcc_secretariat():
    """The active people of the APCC secretariat now (one query when evaluated), for those who
    must be told that something waits for the APCC."""
    from .models import OrganisationKind, Role, User

    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.active()
        .filter(organisation__kind=OrganisationKind.APCC, role=Role.SECRETARIAT)
        .values("user_id"),
    )
