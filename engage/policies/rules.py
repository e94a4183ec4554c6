"""Who may do what with a policy. The single source of truth for these checks.

- Members of the owning organisation see the whole register entry: triage, leads, key dates.
- A policy lead of the owning organisation creates, edits and triages it.
- Anyone else who can see the policy (through an engagement on it) sees its title, summary
  and stage only (DESIGN.md section 6).

Check with `rules.has_perm(name, user, obj)`, not `user.has_perm`: Django lets a superuser
through every `has_perm`, and being a site administrator gives no part in the protocol.
"""

import rules

from engage.accounts.models import Membership
from engage.accounts.rules import is_policy_lead_of


@rules.predicate
def is_member_of_owner(user, policy) -> bool:
    if not (user.is_authenticated and user.is_active) or policy is None:
        return False
    return Membership.objects.active().filter(user=user, organisation=policy.owner_id).exists()


@rules.predicate
def is_lead_of_owner(user, policy) -> bool:
    if policy is None:
        return False
    return bool(is_policy_lead_of(user, policy.owner))


# The organisation is the object: the one the person acts for when adding a policy.
rules.add_perm("policies.add_policy", is_policy_lead_of)
rules.add_perm("policies.view_policy_details", is_member_of_owner)
rules.add_perm("policies.change_policy", is_lead_of_owner)
rules.add_perm("policies.triage_policy", is_lead_of_owner)
