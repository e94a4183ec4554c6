"""Reads about people and their organisations."""

import rules
from django.db.models import Prefetch

from .models import Membership, Organisation


def active_memberships(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
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
