"""Demo content (development only): a question asked, answered and published on an engagement.
`seed_demo` calls `clarification_demo`."""

from engage.accounts.models import Membership, User
from engage.engagements.models import Engagement

from . import services
from .models import ClarificationRequest


def clarification_demo(engagement: Engagement, asker: User, lead: User) -> ClarificationRequest:
    """`asker` (a member of a body `engagement` is addressed to) asks; `lead` (a member of the
    owning organisation) answers and publishes the answer to every body, without the asker.
    `engagement` must be open."""
    membership = (
        Membership.objects.active()
        .filter(user=asker, organisation__kind="policing_body")
        .select_related("organisation")
        .first()
    )
    asked = services.clarification_ask(
        engagement=engagement,
        membership=membership,
        by=asker,
        question="Does the change apply to services we commission jointly with a neighbouring "
        "force area, or only to those we commission alone?",
    )
    services.clarification_answer(
        clarification=asked,
        by=lead,
        answer="It applies to jointly commissioned services too: the lead commissioner reports "
        "for both areas.",
    )
    return services.clarification_publish(
        clarification=asked,
        by=lead,
        question="Does the change apply to jointly commissioned services?",
        answer="Yes: the lead commissioner reports for both areas.",
    )
