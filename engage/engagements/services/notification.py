"""Who a route reaches, and the emails sent when an engagement opens."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from engage.accounts.models import Membership, OrganisationKind, Role, User
from engage.core.links import absolute
from engage.core.tasks import send_email
from engage.directory.models import StandingGroup

from ..models import Engagement, Route


def _audience_members(route: str, groups: list[StandingGroup], *, with_apcc: bool = True):
    """Active memberships that put a person in the audience of `route` (or, `with_apcc`, in
    the APCC)."""
    in_route: Q
    if route == Route.STANDING_GROUPS:
        in_route = Q(organisation__policing_body__group_memberships__group__in=list(groups))
    elif route == Route.ALL_BODIES:
        in_route = Q(organisation__kind=OrganisationKind.POLICING_BODY)
    else:
        in_route = Q(role=Role.CHIEF_EXECUTIVE) | Q(organisation__kind=OrganisationKind.APACE)
    if with_apcc:
        in_route |= Q(organisation__kind=OrganisationKind.APCC)
    return Membership.objects.active().filter(in_route)


def notify_engagement_opened(engagement: Engagement) -> int:
    """Email everyone the engagement has just reached, one email each: who it is from and a
    link, never its title or content (they may be labelled), so an email read elsewhere gives
    nothing away. Who it reached is decided by `visible_to`, person by person, so TLP:RED
    reaches named recipients only. The emails are tasks enqueued in the caller's transaction:
    with the database task backend they go only if the opening commits. Returns how many."""
    groups = list(engagement.routed_groups.all())
    candidates = (
        User.objects.filter(
            is_active=True,
            memberships__in=_audience_members(engagement.route, groups, with_apcc=False),
        )
        .distinct()
        .order_by("pk")
    )
    reached = [
        person
        for person in candidates
        if Engagement.objects.visible_to(person).filter(pk=engagement.pk).exists()
    ]
    link = absolute(reverse("engagements:detail", args=[engagement.public_id]))
    for person in reached:
        send_email.enqueue(
            key=f"engagement-opened:{engagement.public_id}:{person.pk}",
            subject=_("New engagement from %(owner)s on Engage") % {"owner": engagement.owner},
            body=_(
                "%(owner)s has opened an engagement that reaches you on Engage, through the "
                "APCC.\n\nSign in to read it, see what is asked and by when: %(link)s\n\n"
                "This email leaves out the engagement's title and content: they may carry a "
                "handling label."
            )
            % {"owner": engagement.owner, "link": link},
            to=[person.email],
        )
    return len(reached)
