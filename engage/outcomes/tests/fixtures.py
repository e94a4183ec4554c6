"""Helpers for the outcome tests: an MoJ consultation routed to the Victims standing group
(Gwent leads it, Kent is a member, Dorset is in no group) with two questions, Gwent's response
submitted, then closed; and its outcome, drafted or published, all through the services."""

from engage.engagements import services as engagement_services
from engage.engagements.models import Engagement
from engage.outcomes import services
from engage.outcomes.models import Outcome
from engage.responses.tests.fixtures import COMPLETE, open_consultation, save, start, submit

HEARD = "Heard: bodies want a cope-and-recover measure"
CHANGED = "Changed: three-year grant settlements"
NOT_CHANGED = "Not changed: no inflation uplift, fixed by the spending review"
POINT = "On question one: rural travel times shaped the local measures"

# Who reads the engagement (and so a published outcome): the owning organisation, the APCC
# secretariat and the routed group's bodies.
AUDIENCE = {"gwent_commissioner", "gwent_staff", "kent_commissioner"}
READERS = AUDIENCE | {"moj_lead", "secretariat"}


def closed_consultation(personas, policy, groups) -> Engagement:
    engagement = open_consultation(personas, policy, groups)
    commissioner = personas.gwent_commissioner
    submit(save(start(engagement, commissioner), commissioner, answers=COMPLETE), commissioner)
    return engagement_services.engagement_close(engagement=engagement, by=personas.moj_lead)


def draft_outcome(engagement: Engagement, lead, **overrides) -> Outcome:
    fields = {
        "heard": HEARD,
        "changed": CHANGED,
        "not_changed": NOT_CHANGED,
        "points": {1: POINT},
    }
    fields.update(overrides)
    return services.outcome_save(engagement=engagement, by=lead, revision=0, **fields)


def published_outcome(engagement: Engagement, lead, **overrides) -> Outcome:
    outcome = draft_outcome(engagement, lead, **overrides)
    return services.outcome_publish(outcome=outcome, by=lead, revision=outcome.revision)
