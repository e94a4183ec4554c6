"""Who may record and change local Compacts and their signatures (DESIGN.md section 3, tip 5).
Everyone signed in reads them (section 6: `visible_to`). Check with
`rules.has_perm(name, user, obj)`.

- Record a Compact (`compacts.record`): a member of a policing body or a voluntary
  organisation, or a site administrator.
- Edit one (`compacts.edit`): the person who recorded it, a site administrator (not every
  member of a body it covers: they sign it, they do not rewrite it).
- Sign one (`compacts.sign`): a member of a policing body or a voluntary organisation (for the
  organisation they act for, and only if it is in the area: the service checks which), a site
  administrator (for any).
- Remove a signature (`compacts.remove_signature`): a member of the organisation that signed
  (the organisation its recorder acted for), the person who recorded it, a site administrator.
"""

import rules

from engage.accounts.models import OrganisationKind
from engage.accounts.rules import is_site_admin
from engage.accounts.viewer import Viewer

# The organisations whose members take part in local Compact working.
COMPACT_KINDS = frozenset({OrganisationKind.POLICING_BODY, OrganisationKind.VOLUNTARY})


@rules.predicate
def is_in_compact_working(user) -> bool:
    return any(kind in COMPACT_KINDS for kind in Viewer.of(user).kind_of.values())


@rules.predicate
def recorded_compact(user, compact) -> bool:
    viewer = Viewer.of(user)
    return compact is not None and viewer.signed_in and compact.created_by_id == viewer.user_id


@rules.predicate
def is_member_of_signatory(user, signature) -> bool:
    return signature is not None and Viewer.of(user).is_member_of(signature.organisation_id)


@rules.predicate
def recorded_signature(user, signature) -> bool:
    viewer = Viewer.of(user)
    return signature is not None and viewer.signed_in and signature.recorded_by_id == viewer.user_id


rules.add_perm("compacts.record", is_site_admin | is_in_compact_working)
rules.add_perm("compacts.edit", is_site_admin | recorded_compact)
rules.add_perm("compacts.sign", is_site_admin | is_in_compact_working)
rules.add_perm(
    "compacts.remove_signature", is_site_admin | is_member_of_signatory | recorded_signature
)
