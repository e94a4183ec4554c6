"""Who may manage people and organisations. The single source of truth for these checks.

Every predicate reads the person's facts from their `Viewer` (engage/accounts/viewer.py), never
from memberships directly, so a request asks the database once whatever the number of checks.
"""

import rules

from .viewer import Viewer


@rules.predicate
def is_site_admin(user) -> bool:
    return Viewer.of(user).is_site_admin


@rules.predicate
def is_org_admin(user, organisation) -> bool:
    return organisation is not None and Viewer.of(user).is_admin_of(organisation.pk)


@rules.predicate
def is_apcc_secretariat(user) -> bool:
    return Viewer.of(user).is_secretariat


rules.add_perm("accounts.manage_organisation", is_site_admin | is_org_admin)
rules.add_perm("accounts.create_organisation", is_site_admin)
rules.add_perm("accounts.decide_account_request", is_site_admin)
rules.add_perm("accounts.administer", is_site_admin)
rules.add_perm("audit.view_all_access", is_site_admin | is_apcc_secretariat)


@rules.predicate
def is_policy_lead_of(user, organisation) -> bool:
    """A policy lead of a national department or agency acts for that organisation's policies."""
    return organisation is not None and Viewer.of(user).is_policy_lead_of(organisation.pk)
