"""Who may do what with an outcome. Who may *read* one is `Outcome.objects.visible_to`
(models.py, from the audience decider).

- The lead records, changes, publishes and corrects the outcome (`record_outcome`): a policy
  lead of the owning organisation who may manage the engagement (engagements/rules.py; under
  TLP:RED only one who reads it). The services check the state (the engagement open or
  closed, the outcome a draft to publish) and say what is wrong.

Check with `rules.has_perm(name, user, obj)`, never `user.has_perm`: a superuser gets nothing
from these rules.
"""

import rules

from engage.engagements.rules import is_owner_lead

rules.add_perm("outcomes.record_outcome", is_owner_lead)
