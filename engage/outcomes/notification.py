"""What publishing an outcome tells people, through the one notification path
(engage.notifications, decision 17): an event recorded in the publication's transaction, then
a task that asks the provider below who to tell, when it runs.

- `outcome_published`: those the engagement is for who read the published outcome
  (`models.outcome_read`: everyone who reads the engagement), as its parties: its audience
  (`audience.audience_members`: none once the policy is screened out, the named people only
  under TLP:RED), the policy's own leads and the APCC secretariat while it reads the
  engagement; not the lead who published it (the task leaves out the actor). Those who reach
  the engagement only because it was released to TLP:GREEN or TLP:CLEAR read the outcome on
  the engagement's page but are not told. A correction tells nobody again.

The email (the default one: the kind, the title if any, the link) names the engagement's title
only when it is TLP:CLEAR or TLP:GREEN (`shareable_title`), never what the outcome says.
One query when the recipients are evaluated, whatever their number.
"""

from django.db.models import QuerySet
from django.urls import reverse

from engage.accounts.models import User
from engage.engagements.audience import (
    audience_members,
    policy_leads_reading,
    secretariat_reading,
)
from engage.notifications.models import Event, EventKind
from engage.notifications.services import event_record, shareable_title

from .models import Outcome


def notify_outcome_published(outcome: Outcome, by: User) -> Event:
    """Record the publication, in the caller's transaction."""
    engagement = outcome.engagement
    return event_record(
        EventKind.OUTCOME_PUBLISHED,
        subject_id=outcome.public_id,
        link=reverse("outcomes:detail", args=[engagement.public_id]),
        title=shareable_title(engagement.title, engagement.label),
        context={"owner": str(engagement.owner)},
        actor=by,
    )


def outcome_published_recipients(event: Event) -> QuerySet[User]:
    """The engagement's audience, the policy's leads and the secretariat who read it now."""
    outcome = (
        Outcome.objects.select_related("engagement__policy", "engagement__owner")
        .filter(public_id=event.subject_id)
        .first()
    )
    if outcome is None or not outcome.is_published:
        return User.objects.none()
    engagement = outcome.engagement
    return (
        audience_members(engagement)
        | policy_leads_reading(engagement)
        | secretariat_reading(engagement)
    ).order_by("pk")
