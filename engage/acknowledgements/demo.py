"""Demo content (development only): a body acknowledges a change notice or priorities update.
`seed_demo` calls `acknowledgement_demo`."""

from engage.accounts.models import Membership, User
from engage.engagements.models import Engagement

from . import services
from .models import Acknowledgement


def acknowledgement_demo(engagement: Engagement, by: User) -> Acknowledgement:
    """`by` (a member of a body `engagement` is addressed to) acknowledges it for their body,
    with a note. `engagement` must be an open change notice or priorities update."""
    membership = (
        Membership.objects.active()
        .filter(user=by, organisation__kind="policing_body")
        .select_related("organisation")
        .first()
    )
    return services.acknowledge(
        engagement=engagement,
        membership=membership,
        by=by,
        note="Shared with our commissioning team and the local criminal justice board.",
    )
