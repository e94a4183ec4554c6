"""Who may do what with an engagement. The single source of truth for these checks; who may
*see* one is `Engagement.objects.visible_to` (DESIGN.md section 6).

- A policy lead of the policy's owning organisation creates engagements on it, and edits,
  routes, closes and releases them (`manage_engagement`); edits and routing need a draft,
  closing an open engagement. Services check the state and say what is wrong.
- The APCC secretariat and members of the national organisations read the protocol review
  figures (`view_protocol_review`), aggregates only (review.py).
- The APCC secretariat consults on the wider route, confirms routing (amending the groups or
  adding APACE alongside them) or returns an engagement to its lead (`act_as_apcc`), for
  engagements awaiting the APCC; and adds a body to an open engagement's audience.
- The owning organisation and the secretariat read the routing record
  (`view_routing_record`).

Check with `rules.has_perm(name, user, obj)`, not `user.has_perm`: Django lets a superuser
through every `has_perm`, and being a site administrator gives no part in the protocol.
"""

import rules

from engage.accounts.models import NATIONAL_KINDS
from engage.accounts.rules import is_apcc_secretariat
from engage.accounts.viewer import Viewer
from engage.core.labels import Label

from .models import Status


@rules.predicate
def is_lead_of_policy_owner(user, policy) -> bool:
    return policy is not None and Viewer.of(user).is_policy_lead_of(policy.owner_id)


@rules.predicate
def is_owner_lead(user, engagement) -> bool:
    """A policy lead of the owning organisation; under TLP:RED, also one who reads it (the
    policy's own leads, audience.py), since nobody acts on what they may not read."""
    if engagement is None:
        return False
    viewer = Viewer.of(user)
    if not viewer.is_policy_lead_of(engagement.owner_id):
        return False
    if engagement.label != Label.RED:
        return True
    from .audience import reads

    return reads(viewer, engagement)


@rules.predicate
def is_member_of_owner(user, engagement) -> bool:
    return engagement is not None and Viewer.of(user).is_member_of(engagement.owner_id)


@rules.predicate
def is_draft(user, engagement) -> bool:
    return engagement is not None and engagement.status == Status.DRAFT


@rules.predicate
def is_awaiting_apcc(user, engagement) -> bool:
    return engagement is not None and engagement.status == Status.AWAITING_APCC


@rules.predicate
def is_open(user, engagement) -> bool:
    """Open, or confirmed to open later: what the lead may still close."""
    return engagement is not None and engagement.status in (Status.OPEN, Status.SCHEDULED)


@rules.predicate
def reviews_the_protocol(user) -> bool:
    """The protocol review figures are for the APCC secretariat and the national
    organisations (DESIGN.md section 6); the figures each reads are `review.py`'s."""
    viewer = Viewer.of(user)
    return viewer.is_secretariat or any(kind in NATIONAL_KINDS for kind in viewer.kind_of.values())


# Role: what the person may do to the engagement at some point.
rules.add_perm("engagements.add_engagement", is_lead_of_policy_owner)
rules.add_perm("engagements.manage_engagement", is_owner_lead)
rules.add_perm("engagements.act_as_apcc", is_apcc_secretariat)
rules.add_perm("engagements.view_protocol_review", reviews_the_protocol)
# The routing record (route, amendments, the audience fixed at opening and bodies added later):
# for the owning organisation and the APCC secretariat, who route and answer for it.
rules.add_perm("engagements.view_routing_record", is_member_of_owner | is_apcc_secretariat)
# Role and state: what the page offers now (the state predicate first, to spare a query).
rules.add_perm("engagements.change_engagement", is_draft & is_owner_lead)
rules.add_perm("engagements.close_engagement", is_open & is_owner_lead)
rules.add_perm("engagements.confirm_routing", is_awaiting_apcc & is_apcc_secretariat)
