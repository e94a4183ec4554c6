"""Who may do what with a body's response. The single source of truth for these checks; who
may *see* one is `Response.objects.visible_to` (DESIGN.md section 6).

- Any member of the responding policing body drafts its response (`edit_response`): the
  commissioner, OPCC staff and the chief executive see and work on the same records.
- Only the commissioner, or a member the commissioner has delegated to, submits it
  (`submit_response`); the commissioner grants and revokes delegations (`manage_delegations`).
- On an engagement routed to APACE (alone, or alongside standing groups), the body's chief
  executive may also submit its response, without a delegation (ADR 0013): APACE is engaged
  on technical detail through the chief executives themselves.

Services also check the state (the engagement open and asking for a response) and say what is
wrong. Check with `rules.has_perm(name, user, obj)`, never `user.has_perm`: a superuser gets
nothing from these rules.
"""

from dataclasses import dataclass
from typing import Any

import rules

from engage.accounts.models import Role
from engage.accounts.viewer import Viewer


@dataclass(frozen=True)
class Submitting:
    """A body's response to an engagement, before a draft exists: what `submit_response` is
    asked about on pages that offer to submit (a `Response` has the same two attributes)."""

    body: Any
    engagement: Any


@rules.predicate
def is_member_of_body(user, body) -> bool:
    return Viewer.of(user).is_member_of_body(body)


@rules.predicate
def is_commissioner_of_body(user, body) -> bool:
    return Viewer.of(user).is_commissioner_of(body)


@rules.predicate
def is_delegate_of_body(user, body) -> bool:
    from .models import SubmissionDelegation

    return (
        Viewer.of(user).is_member_of_body(body)
        and SubmissionDelegation.objects.active().filter(body=body, delegate=user).exists()
    )


@rules.predicate
def is_chief_executive_on_apace_route(user, response) -> bool:
    """The body's chief executive, on an engagement that reaches APACE (ADR 0013)."""
    if response is None or not response.engagement.reaches_apace:
        return False
    viewer = Viewer.of(user)
    return (
        viewer.is_member_of_body(response.body)
        and viewer.role_in.get(response.body.organisation_id) == Role.CHIEF_EXECUTIVE
    )


@rules.predicate
def is_member_of_responding_body(user, response) -> bool:
    return response is not None and bool(is_member_of_body(user, response.body))


@rules.predicate
def may_submit_for_responding_body(user, response) -> bool:
    return response is not None and bool(
        is_commissioner_of_body(user, response.body) or is_delegate_of_body(user, response.body)
    )


rules.add_perm("responses.edit_response", is_member_of_responding_body)
rules.add_perm(
    "responses.submit_response",
    may_submit_for_responding_body | is_chief_executive_on_apace_route,
)
rules.add_perm("responses.manage_delegations", is_commissioner_of_body)
# For a body: may this person submit its responses (to say so on pages before a draft exists).
rules.add_perm("responses.submit_for_body", is_commissioner_of_body | is_delegate_of_body)
