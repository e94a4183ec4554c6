"""Demo outcome (`manage.py seed_demo` calls `outcome_demo` on a closed engagement): the MoJ
lead's "you said, we did" on the victims' services engagement, published, with a note on each
question answered. Made through the services, as the lead would. Safe to run again: an
engagement that already has a published outcome is left as it is."""

from django.db import transaction

from engage.accounts.models import User
from engage.engagements.models import Engagement

from . import services
from .models import Outcome

HEARD = (
    "Every body that responded supported a single outcomes framework, but asked that it "
    "measure whether victims feel able to cope and recover, not only how many referrals were "
    "closed. Rural and coastal areas described long travel times to face-to-face support; "
    "areas with ports described victims of exploitation who are in transit. Most asked for "
    "three-year grant settlements with an annual uplift for inflation."
)
CHANGED = (
    "The framework now includes the cope-and-recover measure as a headline outcome, and "
    "allows local measures for victims in transit. Grant settlements from next year will run "
    "for three years."
)
NOT_CHANGED = (
    "We have not added an annual inflation uplift: settlements are fixed by the spending "
    "review. We will review the amounts at its midpoint."
)
POINT = "Your answers shaped the headline outcome measure: see what changed, above."


@transaction.atomic
def outcome_demo(engagement: Engagement, by: User) -> Outcome:
    """Record and publish the outcome of `engagement` (open or closed) as `by`, its lead."""
    existing = Outcome.objects.filter(engagement=engagement).first()
    if existing is not None and existing.is_published:
        return existing
    numbers = list(engagement.questions.values_list("number", flat=True))
    outcome = services.outcome_save(
        engagement=engagement,
        by=by,
        revision=existing.revision if existing else 0,
        heard=HEARD,
        changed=CHANGED,
        not_changed=NOT_CHANGED,
        points={number: POINT for number in numbers[:1]},
    )
    return services.outcome_publish(outcome=outcome, by=by, revision=outcome.revision)
