"""The emails sent when an engagement opens.

The APCC's confirm request only records the opening and enqueues one task (a fixed number of
queries, whatever the number of people); the task works out who the engagement reached with
one set-based query through the decider (`audience.audience_members`) and sends one email
each, at most once per person (`EmailDelivery`, unique per message key and address), so a
rerun sends nothing twice.
"""

from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _

from engage.core.links import absolute
from engage.core.tasks import send_email

from ..audience import audience_members
from ..models import Engagement


def notify_engagement_opened(engagement: Engagement) -> None:
    """Enqueue the opening's emails, in the caller's transaction: with the database task
    backend they go only if the opening commits."""
    engagement_opened_emails.enqueue(engagement_id=engagement.pk)


@task
def engagement_opened_emails(*, engagement_id: int) -> int:
    """Email everyone the engagement reached: who it is from and a link, never its title or
    content (they may be labelled), so an email read elsewhere gives nothing away. TLP:RED
    reaches its named recipients only. Returns how many were sent now."""
    engagement = Engagement.objects.select_related("owner", "policy").get(pk=engagement_id)
    addresses = list(audience_members(engagement).values_list("email", flat=True))
    if not addresses:
        return 0
    link = absolute(reverse("engagements:detail", args=[engagement.public_id]))
    # The same task as every other email: refusals are recorded and retried with back-off.
    return send_email.call(
        key=f"engagement-opened:{engagement.public_id}",
        subject=_("New engagement from %(owner)s on Engage") % {"owner": engagement.owner},
        body=_(
            "%(owner)s has opened an engagement that reaches you on Engage, through the "
            "APCC.\n\nSign in to read it, see what is asked and by when: %(link)s\n\n"
            "This email leaves out the engagement's title and content: they may carry a "
            "handling label."
        )
        % {"owner": engagement.owner, "link": link},
        to=addresses,
    )
