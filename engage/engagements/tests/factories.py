"""factory_boy factories for policies and engagements as the engagement tests need them.

They write rows directly (for volume in query-count tests and for states the services would
refuse to create); the journeys in the tests go through the services."""

import datetime

import factory
from django.utils import timezone

from engage.accounts.models import Organisation
from engage.engagements.models import (
    LIVE,
    Engagement,
    Kind,
    NationalPriority,
    PrioritySource,
    Question,
)
from engage.engagements.services import audience_fix
from engage.policies.models import Policy, Stage, TriageOutcome


class PolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Policy
        skip_postgeneration_save = True

    owner = factory.LazyFunction(lambda: Organisation.objects.get(slug="moj"))
    title = factory.Sequence(lambda n: f"Victims code reform {n}")
    summary = "Changes to the code of practice for victims of crime."
    stage = Stage.DEVELOPMENT
    triage_outcome = TriageOutcome.MERITS
    merits_engagement = True
    magnitude_reason = "A national change to how victims are supported locally."
    screened_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def policy_leads(self, create, extracted, **kwargs):
        if create and extracted:
            self.policy_leads.set(extracted)


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement
        skip_postgeneration_save = True

    policy = factory.SubFactory(PolicyFactory)
    owner = factory.SelfAttribute("policy.owner")
    kind = Kind.CONSULTATION
    title = factory.Sequence(lambda n: f"Consultation {n}")
    body = "We would like your local perspective."
    opens_on = factory.LazyFunction(timezone.localdate)
    asks_response = True
    response_deadline = factory.LazyAttribute(lambda o: o.opens_on + datetime.timedelta(days=28))
    created_by = factory.SelfAttribute("policy.created_by")

    @factory.post_generation
    def routed_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.routed_groups.set(extracted)

    @factory.post_generation
    def recipients(self, create, extracted, **kwargs):
        if create and extracted:
            self.recipients.set(extracted)

    @factory.post_generation
    def audience(self, create, extracted, **kwargs):
        """An open or closed engagement has the audience `engagement_open` would have fixed
        (after its groups are set; pass `audience=False` to leave it unfixed, for a test
        that adds the wider-route agreement first and then calls `audience_fix`)."""
        if create and extracted is not False and self.status in LIVE:
            audience_fix(engagement=self, at=self.opened_at or timezone.now())


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    engagement = factory.SubFactory(EngagementFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Question {n}: what would change locally?")


class NationalPriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NationalPriority

    engagement = factory.SubFactory(EngagementFactory, kind=Kind.PRIORITIES)
    title = factory.Sequence(lambda n: f"Priority {n}")
    source = PrioritySource.MINISTERIAL
    period_start = datetime.date(2026, 4, 1)
    supporting_information = "Why it matters and what it asks of policing bodies."
