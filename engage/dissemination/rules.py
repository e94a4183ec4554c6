"""Who may ask bodies to disseminate, and who sees where every body stands. Who may *read* a
request or a confirmation is the models' `visible_to` (DESIGN.md section 6); who may *confirm*
is a question of the body acted for, so the service's own check answers it
(`services.dissemination_confirm_check`).

- A policy lead of the owning organisation makes a request on its engagement
  (`ask_dissemination`), while they read it, as for the engagement's other decisions: the
  message usually carries a wider label than the engagement; the service checks its state.
- The owning organisation and the APCC secretariat see the table of every body's answer and
  export it (`view_status`), while they read the engagement.

Check with `rules.has_perm(name, user, obj)`, never `user.has_perm`: a superuser gets nothing
from these rules.
"""

import rules

from engage.accounts.rules import is_apcc_secretariat
from engage.accounts.viewer import Viewer
from engage.engagements.rules import is_owner_lead


@rules.predicate
def is_member_of_owner(user, engagement) -> bool:
    return engagement is not None and Viewer.of(user).is_member_of(engagement.owner_id)


rules.add_perm("dissemination.ask_dissemination", is_owner_lead)
rules.add_perm("dissemination.view_status", is_member_of_owner | is_apcc_secretariat)
