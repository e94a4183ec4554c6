"""Who may write the voluntary sector's own records. Who may *read* them is the models'
`visible_to` (DESIGN.md section 6): every signed-in person reads a profile; an activity is read
by its organisation and, once shared, by the policing body concerned.

- `sector.edit_profile` (obj: an Organisation): a member of that organisation, which must be a
  voluntary organisation; site administrators too, since they manage organisations.
- `sector.keep_log` (obj: an Organisation): a member of that voluntary organisation. Not site
  administrators: the log is the organisation's own record. The policing body an activity was
  shared with only reads it.

Check with `rules.has_perm(name, user, obj)`, never `user.has_perm`: a superuser gets nothing
from these rules.
"""

import rules

from engage.accounts.models import OrganisationKind
from engage.accounts.rules import is_site_admin
from engage.accounts.viewer import Viewer

EDIT_PROFILE = "sector.edit_profile"
KEEP_LOG = "sector.keep_log"


@rules.predicate
def is_voluntary(user, organisation) -> bool:
    return (
        organisation is not None
        and organisation.kind == OrganisationKind.VOLUNTARY
        and organisation.is_active
    )


@rules.predicate
def is_member(user, organisation) -> bool:
    return organisation is not None and Viewer.of(user).is_member_of(organisation.pk)


rules.add_perm(EDIT_PROFILE, is_voluntary & (is_member | is_site_admin))
rules.add_perm(KEEP_LOG, is_voluntary & is_member)
