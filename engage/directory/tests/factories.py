"""factory_boy factories for the directory (and the organisations its bodies are)."""

import datetime

import factory

from engage.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from engage.directory.models import (
    BodyType,
    Force,
    GroupRole,
    Nation,
    PlanPriority,
    PolicePlan,
    PolicingBody,
    PriorityTheme,
    StandingGroup,
    StandingGroupMembership,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("pw-long-enough-123")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"organisation-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.NATIONAL_AGENCY


class ForceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Force

    ons_code = factory.Sequence(lambda n: f"E2399{n:04d}")
    name = factory.Sequence(lambda n: f"Shire {n} Police")
    ons_name = factory.Sequence(lambda n: f"Shire {n}")
    svg_path = "M10 10L20 10 20 20Z"


class PolicingBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicingBody

    organisation = factory.SubFactory(
        OrganisationFactory,
        kind=OrganisationKind.POLICING_BODY,
        name=factory.Sequence(lambda n: f"Police and Crime Commissioner for Shire {n}"),
        slug=factory.Sequence(lambda n: f"shire-{n}"),
    )
    force = factory.SubFactory(ForceFactory)
    body_type = BodyType.PCC
    nation = Nation.ENGLAND
    region = "South East"


class PriorityThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityTheme

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Theme {n}")


class StandingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandingGroup
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"Group {n}")

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class StandingGroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandingGroupMembership

    group = factory.SubFactory(StandingGroupFactory)
    body = factory.SubFactory(PolicingBodyFactory)
    role = GroupRole.MEMBER


class PolicePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicePlan

    body = factory.SubFactory(PolicingBodyFactory)
    title = factory.Sequence(lambda n: f"Police and crime plan {n}")
    starts_on = datetime.date(2024, 4, 1)
    ends_on = datetime.date(2029, 3, 31)


class PlanPriorityFactory(factory.django.DjangoModelFactory):
    """A priority in the body's current plan (one is made for the body if it has none)."""

    class Meta:
        model = PlanPriority

    body = factory.SubFactory(PolicingBodyFactory)
    plan = factory.LazyAttribute(
        lambda o: (
            PolicePlan.objects.current().filter(body=o.body).first()
            or PolicePlanFactory(body=o.body)
        )
    )
    theme = factory.SubFactory(PriorityThemeFactory)
    title = factory.Sequence(lambda n: f"Priority {n}")
    position = factory.Sequence(lambda n: n + 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.MEMBER
