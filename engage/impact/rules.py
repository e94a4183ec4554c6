"""Who may act on impact evidence and impact cases. Who may *read* them is the models'
`visible_to` (DESIGN.md section 6: the organisation, and the policing body concerned once the
organisation shares it; nobody else, site administrators included).

- A member of a voluntary organisation records evidence and makes impact cases for it
  (`record_evidence`, `make_case`, obj = the organisation), and changes, shares, unshares and
  deletes its organisation's evidence and cases (`change_evidence`, `change_case`, obj = the
  record). The policing body reads what is shared with it and changes nothing.
- A member of a policing body sees the sector in its area (`view_sector`, obj = the body).

Check with `rules.has_perm(name, user, obj)`, never `user.has_perm`: a superuser gets nothing
from these rules.
"""

import rules

from engage.accounts.models import OrganisationKind
from engage.accounts.viewer import Viewer


@rules.predicate
def is_member_of_voluntary_organisation(user, organisation) -> bool:
    """A member of `organisation`, a voluntary organisation (the equivalent of the sector app's
    `sector.edit_profile` rule)."""
    return (
        organisation is not None
        and organisation.kind == OrganisationKind.VOLUNTARY
        and Viewer.of(user).is_member_of(organisation.pk)
    )


@rules.predicate
def is_member_of_record_organisation(user, record) -> bool:
    """A member of the voluntary organisation whose evidence or case `record` is."""
    return record is not None and is_member_of_voluntary_organisation(user, record.organisation)


@rules.predicate
def is_member_of_body(user, body) -> bool:
    return body is not None and Viewer.of(user).is_member_of_body(body)


rules.add_perm("impact.record_evidence", is_member_of_voluntary_organisation)
rules.add_perm("impact.make_case", is_member_of_voluntary_organisation)
rules.add_perm("impact.change_evidence", is_member_of_record_organisation)
rules.add_perm("impact.change_case", is_member_of_record_organisation)
rules.add_perm("impact.view_sector", is_member_of_body)
