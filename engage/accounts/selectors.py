"""Reads about people and their organisations."""

from django.db.models import Prefetch

from .models import Membership, Organisation, OrganisationKind, Role


def active_memberships(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Membership.objects.active()
        .filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def user_requires_mfa(user) -> bool:
    """Anyone in a national, APCC, APACE or policing-body organisation must use MFA."""
    from .models import PROTOCOL_KINDS

    return (
        Membership.objects.active()
        .filter(user=user, organisation__kind__in=PROTOCOL_KINDS)
        .exists()
    )


def user_has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def is_apcc_secretariat(user) -> bool:
    return (
        Membership.objects.active()
        .filter(user=user, role=Role.SECRETARIAT, organisation__kind=OrganisationKind.APCC)
        .exists()
    )


def organisations_with_members():
    return Organisation.objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.active().select_related("user"))
    )
