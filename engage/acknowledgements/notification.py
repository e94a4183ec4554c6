"""What a change notice or a priorities update asks of the bodies it is addressed to, through
the one notification path (engage.notifications, decision 17).

The moment is its opening, which the engagements app owns: `notify_engagement_opened` records,
in the opening's transaction, the event of the engagement's own kind (`OPENING_EVENT`) instead
of `engagement_opened`, so the people it reaches are told once. This app registers, in
`AcknowledgementsConfig.ready`, who that event tells:

- `change_notice` / `priorities_update`: the members of the bodies it is addressed to
  (`audience.audience_bodies`) that have not acknowledged it when the event is delivered, who
  read it now (`audience.audience_members_of_bodies`: none once screened out, the named
  people only under TLP:RED); nobody once it is closed (it can no longer be acknowledged).

The email names the owning organisation and links to the engagement (whose page offers to
acknowledge); its title only when it is TLP:CLEAR or TLP:GREEN (`shareable_title`), never its
rationale or content. The provider asks two queries, whatever the number of bodies.
"""

from django.db.models import QuerySet

from engage.accounts.models import User
from engage.engagements.audience import audience_bodies, audience_members_of_bodies
from engage.engagements.models import Engagement, Status
from engage.engagements.services.notification import OPENING_EVENT
from engage.notifications.models import Event

from .models import Acknowledgement


def acknowledgement_asked_recipients(event: Event) -> QuerySet[User]:
    """The members of the addressed bodies that have not acknowledged yet, who read it, while
    it is open."""
    engagement = (
        Engagement.objects.select_related("policy").filter(public_id=event.subject_id).first()
    )
    if (
        engagement is None
        or OPENING_EVENT.get(engagement.kind) != event.kind  # type: ignore[call-overload]
        or engagement.status != Status.OPEN
    ):
        return User.objects.none()
    made = Acknowledgement.objects.filter(engagement_id=engagement.pk).values("body_id")
    waiting = audience_bodies(engagement).exclude(pk__in=made).values("pk")
    return audience_members_of_bodies(engagement, waiting)
