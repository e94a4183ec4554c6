"""Who may change the directory's standing groups. Check with `rules.has_perm`.

The APCC secretariat manages standing-group membership and leads: it runs the groups. Site
administrators do not, though they manage other reference data: a group's members form the
audience of the engagements routed to it, and its lead body reads every submitted response to
them (ADR 0012), so changing a group decides who reads engagement content, which no
administrator does by virtue of being one (ADR 0002).

What a body publishes (`directory.edit_body_publications`, obj = the PolicingBody) is edited
by that body's members and by site administrators."""

import rules

from engage.accounts.rules import is_apcc_secretariat, is_site_admin
from engage.accounts.viewer import Viewer

rules.add_perm("directory.manage_standing_groups", is_apcc_secretariat)


@rules.predicate
def is_member_of_the_body(user, body) -> bool:
    """A member of the policing body (any role), from the person's `Viewer`."""
    return body is not None and Viewer.of(user).is_member_of_body(body)


# What a body publishes about itself (its police and crime plan, contacts, commissioning,
# engagement routes, key dates) is kept by its own members and by site administrators; nobody
# else (voluntary members, national bodies, the APCC) changes it.
rules.add_perm("directory.edit_body_publications", is_member_of_the_body | is_site_admin)
