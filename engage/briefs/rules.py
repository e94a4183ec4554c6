"""Who sees, on the brief, a way to add what is missing: members of the policing body and site
administrators (they edit the body's published facts in the directory). Everyone signed in
reads the brief. Check with `rules.has_perm("briefs.add_to_brief", user, body)`."""

import rules

from engage.accounts.rules import is_site_admin
from engage.accounts.viewer import Viewer


@rules.predicate
def is_member_of_body(user, body) -> bool:
    return Viewer.of(user).is_member_of_body(body)


rules.add_perm("briefs.add_to_brief", is_site_admin | is_member_of_body)
