"""Who may answer a release request: the owning organisation's members who may release its
labels (`engagements.manage_engagement`: a policy lead of the owner; under TLP:RED only one who
reads it). Who may *see* a request is `ReleaseRequest.objects.visible_to`; who may ask is the
service's check (a member acting for a policing body that reads the item).

Check with `rules.has_perm(name, user, obj)`, never `user.has_perm`: a superuser gets nothing
from these rules."""

import rules

from engage.engagements.rules import is_owner_lead

# On the engagement the request is about.
rules.add_perm("releases.decide_release", is_owner_lead)
