"""Who sees the table of acknowledgements of an engagement: the owning organisation and the
APCC secretariat (DESIGN.md section 6), while they read the engagement (the page asks for an
engagement they read). Who may acknowledge is the service's check
(`services.acknowledgement_body_check`): a question of the body acted for.

Check with `rules.has_perm(name, user, obj)`, never `user.has_perm`.
"""

import rules

from engage.accounts.rules import is_apcc_secretariat
from engage.accounts.viewer import Viewer


@rules.predicate
def is_member_of_owner(user, engagement) -> bool:
    return engagement is not None and Viewer.of(user).is_member_of(engagement.owner_id)


rules.add_perm("acknowledgements.view_table", is_member_of_owner | is_apcc_secretariat)
