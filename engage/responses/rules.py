"""Who may do what with a body's response. The single source of truth for these checks; who
may *see* one is `Response.objects.visible_to` (DESIGN.md section 6).

- Any member of the responding policing body drafts its response (`edit_response`): the
  commissioner, OPCC staff and the chief executive see and work on the same records.
- Only the commissioner, or a member the commissioner has delegated to, submits it
  (`submit_response`); the commissioner grants and revokes delegations (`manage_delegations`).

Services also check the state (the engagement open and asking for a response) and say what is
wrong. Check with `rules.has_perm(name, user, obj)`, never `user.has_perm`: a superuser gets
nothing from these rules.
"""

import rules

from engage.accounts.viewer import Viewer


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
def is_member_of_responding_body(user, response) -> bool:
    return response is not None and bool(is_member_of_body(user, response.body))


@rules.predicate
def may_submit_for_responding_body(user, response) -> bool:
    return response is not None and bool(
        is_commissioner_of_body(user, response.body) or is_delegate_of_body(user, response.body)
    )


rules.add_perm("responses.edit_response", is_member_of_responding_body)
rules.add_perm("responses.submit_response", may_submit_for_responding_body)
rules.add_perm("responses.manage_delegations", is_commissioner_of_body)
# For a body: may this person submit its responses (to say so on pages before a draft exists).
rules.add_perm("responses.submit_for_body", is_commissioner_of_body | is_delegate_of_body)
