"""Demo content (development only): release requests on an open engagement, made through
the services as people would."""

import datetime

from django.utils import timezone

from engage.accounts.models import Membership, OrganisationKind, User
from engage.engagements.audience import audience_members
from engage.engagements.models import Engagement

from . import services
from .models import ReleaseRequest


def release_request_demo(engagement: Engagement, by: User) -> list[ReleaseRequest]:
    """On an open engagement the audience reads: the first body addressed asks to share it
    with its local partners and `by` (a lead of the owning organisation) grants it until the
    end of next March; the second body asks for TLP:GREEN and is left waiting. Fewer if
    fewer bodies read it."""
    memberships = (
        Membership.objects.active()
        .filter(
            user__in=audience_members(engagement),
            organisation__kind=OrganisationKind.POLICING_BODY,
        )
        .select_related("organisation", "user")
        .order_by("organisation__name", "pk")
    )
    askers: dict[int, Membership] = {}
    for membership in memberships:
        askers.setdefault(membership.organisation_id, membership)
    made: list[ReleaseRequest] = []
    for index, membership in enumerate(list(askers.values())[:2]):
        request = services.release_request_create(
            engagement=engagement,
            membership=membership,
            by=membership.user,
            to_label="amber" if index == 0 else "green",
            with_whom=(
                "The victims' services we commission locally"
                if index == 0
                else "Community safety partners across the region"
            ),
            why="They deliver the services this changes and must plan for it.",
        )
        if index == 0:
            today = timezone.localdate()
            services.release_request_decide(
                release_request=request,
                by=by,
                decision="granted",
                reason="Local partners need it to plan commissioning.",
                scope="the body's commissioned victims' services, not for publication",
                expires_on=datetime.date(today.year + 1, 3, 31),
            )
        made.append(request)
    return made
