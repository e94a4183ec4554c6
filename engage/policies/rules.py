"""Who may do what with a policy. The single source of truth for these checks.

- Members of the owning organisation see the whole register entry: triage, leads, key dates.
- A policy lead of the owning organisation creates, edits and triages it.
- Anyone else who can see the policy (through an engagement on it) sees its title, summary
  and stage only (DESIGN.md section 6).

Check with `rules.has_perm(name, user, obj)`, not `user.has_perm`: Django lets a superuser
through every `has_perm`, and being a site administrator gives no part in the protocol.
"""

import rules

from engage.accounts.rules import is_policy_lead_of
from engage.accounts.viewer import Viewer


@rules.predicate
def is_member_of_owner(user, policy) -> bool:
    return policy is not None and Viewer.of(user).is_member_of(policy.owner_id)


@rules.predicate
def is_lead_of_owner(user, policy) -> bool:
    return policy is not None and Viewer.of(user).is_policy_lead_of(policy.owner_id)


# The organisation is the object: the one the person acts for when adding a policy.
rules.add_perm("policies.add_policy", is_policy_lead_of)
rules.add_perm("policies.view_policy_details", is_member_of_owner)
rules.add_perm("policies.change_policy", is_lead_of_owner)
rules.add_perm("policies.triage_policy", is_lead_of_owner)
