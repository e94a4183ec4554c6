"""Who may do what with an implementation agreement. Who may *read* one is
`ImplementationAgreement.objects.visible_to` (models.py); which side a person acts for on a
given agreement, and whether it is that side's turn, is the services' question
(`services.side_of`, `services.*_check`), since it depends on the organisation acted for now.

- A policy lead of the owning organisation proposes a local role, revises it, accepts the
  body's changes and withdraws it (`propose_agreement`, on the policy; `lead_agreement`, on
  an agreement), as a lead changes the policy itself (policies/rules.py).
- Members of the owning organisation and of the body concerned add milestones and updates;
  the body's members answer a proposal, for their own body only (the services check that the
  person acts for it now).
- The APCC secretariat reads every agreement and acts on none.

Check with `rules.has_perm(name, user, obj)`, never `user.has_perm`: a superuser gets nothing
from these rules.
"""

import rules

from engage.accounts.viewer import Viewer

PROPOSE = "implementation.propose_agreement"
LEAD = "implementation.lead_agreement"


@rules.predicate
def is_lead_of_policy_owner(user, policy) -> bool:
    return policy is not None and Viewer.of(user).is_policy_lead_of(policy.owner_id)


@rules.predicate
def is_lead_of_agreement_owner(user, agreement) -> bool:
    return agreement is not None and Viewer.of(user).is_policy_lead_of(agreement.policy.owner_id)


rules.add_perm(PROPOSE, is_lead_of_policy_owner)
rules.add_perm(LEAD, is_lead_of_agreement_owner)
