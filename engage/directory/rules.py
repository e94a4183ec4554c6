"""Who may change the directory's standing groups. Check with `rules.has_perm`.

The APCC secretariat manages standing-group membership and leads: it runs the groups. Site
administrators do not, though they manage other reference data: a group's members form the
audience of the engagements routed to it, and its lead body reads every submitted response to
them (ADR 0012), so changing a group decides who reads engagement content, which no
administrator does by virtue of being one (ADR 0002)."""

import rules

from engage.accounts.rules import is_apcc_secretariat

rules.add_perm("directory.manage_standing_groups", is_apcc_secretariat)
