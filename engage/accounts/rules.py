"""Who may manage people and organisations. The single source of truth for these checks."""

import rules

from .models import Membership, OrganisationKind, Role


@rules.predicate
def is_site_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


@rules.predicate
def is_org_admin(user, organisation) -> bool:
    if not (user.is_authenticated and user.is_active) or organisation is None:
        return False
    return (
        Membership.objects.active()
        .filter(user=user, organisation=organisation, is_admin=True)
        .exists()
    )


@rules.predicate
def is_apcc_secretariat(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return (
        Membership.objects.active()
        .filter(user=user, role=Role.SECRETARIAT, organisation__kind=OrganisationKind.APCC)
        .exists()
    )


rules.add_perm("accounts.manage_organisation", is_site_admin | is_org_admin)
rules.add_perm("accounts.create_organisation", is_site_admin)
rules.add_perm("accounts.decide_account_request", is_site_admin)
rules.add_perm("accounts.administer", is_site_admin)
rules.add_perm("audit.view_all_access", is_site_admin | is_apcc_secretariat)


@rules.predicate
def is_policy_lead_of(user, organisation) -> bool:
    """A policy lead of a national department or agency acts for that organisation's policies."""
    from .models import NATIONAL_KINDS

    if not (user.is_authenticated and user.is_active) or organisation is None:
        return False
    return (
        Membership.objects.active()
        .filter(
            user=user,
            organisation=organisation,
            role=Role.POLICY_LEAD,
            organisation__kind__in=NATIONAL_KINDS,
        )
        .exists()
    )
