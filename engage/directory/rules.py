"""Who may change the directory's standing groups. Check with `rules.has_perm`.

The APCC secretariat manages standing-group membership and leads (it runs the groups); site
administrators may too, as they manage reference data. Neither reads engagements by it."""

import rules

from engage.accounts.rules import is_apcc_secretariat, is_site_admin

rules.add_perm("directory.manage_standing_groups", is_apcc_secretariat | is_site_admin)
