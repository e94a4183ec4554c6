"""Who may answer and publish a clarification request. Who may *see* one is
`ClarificationRequest.objects.visible_to` (DESIGN.md section 6); who may *ask* is a question of
the body acted for and the engagement's state, so the service's own check answers it
(`services.clarification_ask_check`).

- Any member of the owning organisation answers a request and publishes the answer
  (`answer_clarification`); the services also refuse anyone who does not read the request
  (TLP:RED: only those who read the engagement).

Check with `rules.has_perm(name, user, obj)`, never `user.has_perm`: a superuser gets nothing
from these rules.
"""

import rules

from engage.accounts.viewer import Viewer


@rules.predicate
def is_member_of_engagement_owner(user, clarification) -> bool:
    return clarification is not None and Viewer.of(user).is_member_of(
        clarification.engagement.owner_id
    )


rules.add_perm("clarifications.answer_clarification", is_member_of_engagement_owner)
