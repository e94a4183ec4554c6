"""The decider against a plain reading of DESIGN.md section 6, on random worlds.

Each seed builds people with random memberships (organisations of every kind, roles, ended
memberships, a deactivated organisation and person), and engagements with random statuses,
routes (standing groups alone or combined with APACE), standing groups, labels, named
recipients, wider-route requests, screens and policy leads, with documents and responses under
them. Each engagement that opened fixed its audience then; afterwards bodies join and leave
standing groups, and the APCC adds bodies to some open engagements: the Python remembers who
was in the groups at opening and who was added, and reads the audience from that. Then, for
every (person, engagement, document, response), what the querysets answer must equal what
the plain Python below says. The Python reads the rows as objects, one rule at a time, as
section 6 and ADR 0012 word them; it shares no code with `engage.engagements.audience`."""

import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import cast

import pytest
from django.utils import timezone

from engage.accounts.models import (
    PROTOCOL_KINDS,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from engage.accounts.viewer import Viewer
from engage.core.labels import Label
from engage.directory.models import (
    GroupRole,
    PolicingBody,
    StandingGroup,
    StandingGroupMembership,
)
from engage.documents.models import Document
from engage.engagements.audience import audience_bodies, audience_members
from engage.engagements.models import Decision, Engagement, Route, Status, WiderRouteRequest
from engage.engagements.services import audience_body_add, audience_fix
from engage.policies.models import TriageOutcome
from engage.responses.models import Response

from .factories import EngagementFactory, PolicyFactory

pytestmark = pytest.mark.django_db

ROLES = {
    OrganisationKind.NATIONAL_DEPARTMENT: [Role.POLICY_LEAD, Role.STAFF],
    OrganisationKind.NATIONAL_AGENCY: [Role.POLICY_LEAD, Role.STAFF],
    OrganisationKind.APCC: [Role.SECRETARIAT, Role.STAFF],
    OrganisationKind.APACE: [Role.MEMBER, Role.CHIEF_EXECUTIVE],
    OrganisationKind.POLICING_BODY: [Role.COMMISSIONER, Role.OPCC_STAFF, Role.CHIEF_EXECUTIVE],
    OrganisationKind.VOLUNTARY: [Role.MEMBER],
}
LIVE = {Status.OPEN, Status.CLOSED}
# Confirmed to open later (SCHEDULED) is routed, for the secretariat, but not live: its
# audience neither sees it nor is emailed until it opens on its opening date.
ROUTED = {Status.AWAITING_APCC, Status.SCHEDULED, Status.OPEN, Status.CLOSED}
AUDIENCE_LABELS = {Label.AMBER_STRICT, Label.AMBER, Label.GREEN}


@dataclass
class World:
    people: list[User] = field(default_factory=list)
    engagements: list[Engagement] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)


def group_bodies_now(groups: list[StandingGroup]) -> set[int]:
    """The bodies in `groups` at this moment, read row by row."""
    return {gm.body_id for g in groups for gm in StandingGroupMembership.objects.filter(group=g)}


def build(seed: int, secretariat: User) -> World:
    rng = random.Random(seed)  # noqa: S311 - a repeatable world, not a secret
    world = World()
    national = list(Organisation.objects.national().order_by("pk")[:2])
    apcc = Organisation.objects.get(kind=OrganisationKind.APCC)
    apace = Organisation.objects.get(kind=OrganisationKind.APACE)
    bodies = list(PolicingBody.objects.select_related("organisation").order_by("pk")[:8])
    voluntary = Organisation.objects.create(
        slug=f"charity-{seed}", name="A charity", kind=OrganisationKind.VOLUNTARY
    )
    closed_down = Organisation.objects.create(
        slug=f"closed-{seed}", name="Gone", kind=OrganisationKind.POLICING_BODY, is_active=False
    )
    organisations = [
        *national,
        apcc,
        apace,
        *(body.organisation for body in bodies),
        voluntary,
        closed_down,
    ]
    groups = list(StandingGroup.objects.all())
    for number in range(14):
        person = User.objects.create_user(
            f"person-{seed}-{number}@example.org", is_active=number != 13
        )
        for organisation in rng.sample(organisations, rng.choice([0, 1, 1, 1, 2])):
            kind = OrganisationKind(organisation.kind)
            Membership.objects.create(
                user=person,
                organisation=organisation,
                role=rng.choice(ROLES.get(kind, [Role.MEMBER])),
                ended_at=timezone.now() if rng.random() < 0.1 else None,
            )
        world.people.append(person)
    # Some people the personas fixture made too (the secretariat, MoJ's lead, Gwent...).
    world.people += list(User.objects.filter(email__endswith=".example.org").order_by("pk"))
    protocol_people = [p for p in world.people if p.is_active]

    for number in range(24):
        screened = rng.random() < 0.15
        policy = PolicyFactory(
            owner=rng.choice(national),
            created_by=protocol_people[0],
            triage_outcome=TriageOutcome.SCREENED_OUT if screened else TriageOutcome.MERITS,
            national_security=screened,
            policy_leads=rng.sample(world.people, rng.choice([1, 2])),
        )
        # The first is open to standing groups in every world, so the fixed audience is always
        # put to the test (the guard in the test); the rest are random.
        first = number == 0
        status = Status.OPEN if first else rng.choice(list(Status))
        route = (
            Route.STANDING_GROUPS
            if first
            else ""
            if status == Status.DRAFT and rng.random() < 0.5
            else rng.choice(list(Route))
        )
        also_apace = route == Route.STANDING_GROUPS and rng.random() < 0.3
        routed = status != Status.DRAFT or rng.random() < 0.2  # a returned draft was routed
        never_opened = status == Status.CLOSED and rng.random() < 0.3
        now = timezone.now()
        engagement = cast(
            Engagement,
            EngagementFactory(
                policy=policy,
                title=f"Engagement {seed}-{number}",
                status=status,
                route=route,
                also_apace=also_apace,
                label=rng.choice(list(Label)),
                share_responses=rng.random() < 0.4,
                routed_at=now - timedelta(days=3) if routed else None,
                opened_at=now - timedelta(days=2) if status in LIVE and not never_opened else None,
                routed_groups=rng.sample(groups, rng.choice([1, 2] if first else [0, 1, 2])),
                recipients=rng.sample(world.people, rng.choice([0, 1, 3])),
                audience=False,  # fixed below, once the wider route is agreed or not
            ),
        )
        wider = None
        for decision in rng.sample(list(Decision), rng.choice([0, 0, 1, 2])):
            wider = WiderRouteRequest.objects.create(
                engagement=engagement,
                request="Why",
                requested_by=protocol_people[0],
                decision=decision,
            )
        # Opening fixes the audience: the groups' bodies now, or every body if agreed.
        fixed: set[int] = set()
        if status in LIVE and not never_opened:
            if route == Route.STANDING_GROUPS:
                fixed = group_bodies_now(list(engagement.routed_groups.all()))
            elif route == Route.ALL_BODIES and any(
                w.decision == Decision.AGREED for w in engagement.wider_route_requests.all()
            ):
                fixed = {b.pk for b in PolicingBody.objects.all()}
            audience_fix(engagement=engagement, at=now)
        engagement.fixed_bodies = fixed  # type: ignore[attr-defined]
        for title in range(rng.choice([0, 1, 2])):
            document = Document.objects.create(
                engagement=engagement,
                title=f"Document {title}",
                label=rng.choice(list(Label)),
                created_by=protocol_people[0],
            )
            document.recipients.set(rng.sample(world.people, rng.choice([0, 1, 2])))
            if wider is not None and rng.random() < 0.5:
                document.attached_to.add(wider)
            world.documents.append(document)
        for body in rng.sample(bodies, rng.choice([0, 1, 3])):
            world.responses.append(
                Response.objects.create(
                    engagement=engagement,
                    body=body,
                    submitted_version=rng.choice([0, 1]),
                    created_by=protocol_people[0],
                    updated_by=protocol_people[0],
                )
            )
        world.engagements.append(engagement)

    # Later: bodies join and leave standing groups (the audiences fixed above stay as they
    # are), and the APCC adds a body to some open engagements, with a reason.
    for group in groups:
        members = list(StandingGroupMembership.objects.filter(group=group, role=GroupRole.MEMBER))
        for gm in rng.sample(members, min(len(members), rng.choice([0, 1, 2]))):
            gm.delete()
        present = set(StandingGroupMembership.objects.filter(group=group).values_list("body_id"))
        outside = [b for b in bodies if (b.pk,) not in present]
        # At least one body joins each group, so every live engagement routed to groups has a
        # fixed audience that differs from its groups now (the guard in the test).
        for body in rng.sample(outside, min(len(outside), rng.choice([1, 2]))):
            StandingGroupMembership.objects.create(group=group, body=body)
    for engagement in world.engagements:
        addable = [b for b in bodies if b.pk not in engagement.fixed_bodies]  # type: ignore[attr-defined]
        if (
            engagement.status == Status.OPEN
            and not engagement.policy.is_screened_out
            and addable
            and rng.random() < 0.3
        ):
            body = rng.choice(addable)
            audience_body_add(
                engagement=engagement, body=body, by=secretariat, reason="Joined the group later"
            )
            engagement.fixed_bodies.add(body.pk)  # type: ignore[attr-defined]
    return world


# The plain reading ------------------------------------------------------------------------


@dataclass
class Person:
    user: User
    active: list[Membership]

    @classmethod
    def of(cls, user: User) -> "Person":
        memberships = [
            m
            for m in Membership.objects.filter(user=user).select_related("organisation")
            if m.ended_at is None and m.organisation.is_active
        ]
        return cls(user, memberships if user.is_active else [])

    @property
    def organisations(self) -> set[int]:
        return {m.organisation_id for m in self.active}

    @property
    def bodies(self) -> list[PolicingBody]:
        return [
            body
            for m in self.active
            if m.organisation.kind == OrganisationKind.POLICING_BODY
            for body in PolicingBody.objects.filter(organisation=m.organisation)
        ]

    def groups(self, *, lead: bool = False) -> set[int]:
        return {
            gm.group_id
            for body in self.bodies
            for gm in body.group_memberships.all()
            if gm.role == GroupRole.LEAD or not lead
        }

    @property
    def secretariat(self) -> bool:
        return any(
            m.organisation.kind == OrganisationKind.APCC and m.role == Role.SECRETARIAT
            for m in self.active
        )

    @property
    def in_apcc(self) -> bool:
        return any(m.organisation.kind == OrganisationKind.APCC for m in self.active)

    @property
    def chief_executive(self) -> bool:
        return any(
            m.role == Role.CHIEF_EXECUTIVE or m.organisation.kind == OrganisationKind.APACE
            for m in self.active
        )

    @property
    def protocol(self) -> bool:
        return any(m.organisation.kind in PROTOCOL_KINDS for m in self.active)


def in_audience(person: Person, e: Engagement) -> bool:
    """In the audience fixed at opening (or added later by the APCC), or a chief executive on
    an APACE route, alone or alongside standing groups."""
    fixed: set[int] = e.fixed_bodies  # type: ignore[attr-defined]
    if {body.pk for body in person.bodies} & fixed:
        return True
    apace = e.route == Route.APACE or (e.route == Route.STANDING_GROUPS and e.also_apace)
    return apace and person.chief_executive


def policy_lead(person: Person, e: Engagement) -> bool:
    return e.owner_id in person.organisations and person.user in e.policy.policy_leads.all()


def screened(e: Engagement) -> bool:
    return e.policy.triage_outcome == TriageOutcome.SCREENED_OUT


def reached_audience(e: Engagement) -> bool:
    """Open or closed after opening; never while scheduled, nor once closed before opening
    (a scheduled engagement the lead closed reached nobody)."""
    never_opened = e.status == Status.CLOSED and e.routed_at and not e.opened_at
    return e.status in LIVE and not never_opened


def reads(person: Person, e: Engagement) -> bool:
    if not person.user.is_active:
        return False
    red = e.label == Label.RED
    named = person.user in e.recipients.all()
    if e.owner_id in person.organisations and not red:
        return True
    if red and policy_lead(person, e):
        return True
    if screened(e):
        return False
    if person.secretariat and e.status in ROUTED and (not red or named):
        return True
    if not reached_audience(e):
        return False
    audience = in_audience(person, e)
    return (
        (not red and audience)
        or (red and named and (audience or person.in_apcc))
        or (e.label == Label.GREEN and person.protocol)
        or e.label == Label.CLEAR
    )


def sees(person: Person, e: Engagement) -> bool:
    if not person.user.is_active:
        return False
    if e.owner_id in person.organisations:
        return True
    consulted = e.wider_route_requests.exists()
    if person.secretariat and not screened(e) and (e.status in ROUTED or consulted):
        return True
    return reads(person, e)


def reads_document(person: Person, d: Document) -> bool:
    e = d.engagement
    if not person.user.is_active:
        return False
    attached = d.attached_to.exists()
    engagement_red_unnamed = e.label == Label.RED and person.user not in e.recipients.all()
    if (
        person.secretariat
        and attached
        and d.label != Label.RED
        and not engagement_red_unnamed
        and not screened(e)
    ):
        return True
    if not reads(person, e):
        return False
    if d.label == Label.CLEAR:
        return True
    if d.label == Label.RED:
        return person.user in d.recipients.all() or policy_lead(person, e)
    owner = e.owner_id in person.organisations
    secretariat = person.secretariat and e.status in ROUTED
    audience = e.status in LIVE and in_audience(person, e)
    green = d.label == Label.GREEN and e.status in LIVE and person.protocol
    return owner or secretariat or audience or green


def reads_response(person: Person, r: Response) -> bool:
    e = r.engagement
    if not reads(person, e):
        return False
    if r.body in person.bodies:
        return True
    if not r.submitted_version:
        return False
    leads_group = bool(person.groups(lead=True) & {g.pk for g in e.routed_groups.all()})
    return (
        e.owner_id in person.organisations
        or person.secretariat
        or leads_group
        or (e.share_responses and in_audience(person, e))
    )


def members(e: Engagement, people: list[User]) -> set[int]:
    """Who the opening email goes to: the audience that reads it (not the APCC, not the
    owner, not the protocol community a GREEN label adds)."""
    found = set()
    for user in people:
        person = Person.of(user)
        if not user.is_active or screened(e) or not reached_audience(e):
            continue
        if in_audience(person, e) and (e.label != Label.RED or user in e.recipients.all()):
            found.add(user.pk)
    return found


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_decider_matches_the_plain_reading(personas, seed):
    world = build(seed, personas.secretariat)
    # The groups have moved on since some engagements opened: the fixed audience is tested.
    assert any(
        e.status in LIVE
        and e.route == Route.STANDING_GROUPS
        and group_bodies_now(list(e.routed_groups.all())) != e.fixed_bodies  # type: ignore[attr-defined]
        for e in world.engagements
    )
    mismatches = []
    outcomes: set[tuple[str, bool]] = set()

    def check(kind: str, got: object, want: object, *about: object) -> None:
        outcomes.add((kind, bool(want)))
        if got != want:
            mismatches.append((kind, *about, got))

    docs_of: dict[int, list[Document]] = {e.pk: [] for e in world.engagements}
    answers_of: dict[int, list[Response]] = {e.pk: [] for e in world.engagements}
    for d in world.documents:
        docs_of[d.engagement_id].append(d)
    for r in world.responses:
        answers_of[r.engagement_id].append(r)
    for user in world.people:
        viewer, person = Viewer.of(user), Person.of(user)
        seen = set(Engagement.objects.visible_to(viewer).values_list("pk", flat=True))
        read = set(Engagement.objects.readable_by(viewer).values_list("pk", flat=True))
        docs = set(Document.objects.visible_to(viewer).values_list("pk", flat=True))
        answers = set(Response.objects.visible_to(viewer).values_list("pk", flat=True))
        for e in world.engagements:
            check("sees", e.pk in seen, sees(person, e), user.email, e.title)
            check("reads", e.pk in read, reads(person, e), user.email, e.title)
            check(
                "sees only",
                e.pk in seen - read,
                sees(person, e) and not reads(person, e),
                user.email,
                e.title,
            )
            # The one-engagement form (the engagement page) answers as the general one.
            on_docs = set(Document.objects.readable_on(e, viewer).values_list("pk", flat=True))
            on_answers = set(Response.objects.readable_on(e, viewer).values_list("pk", flat=True))
            check("documents on", on_docs, {d.pk for d in docs_of[e.pk] if d.pk in docs}, e.pk)
            check(
                "responses on",
                on_answers,
                {r.pk for r in answers_of[e.pk] if r.pk in answers},
                e.pk,
            )
        for d in world.documents:
            check("document", d.pk in docs, reads_document(person, d), user.email, d.pk)
        for r in world.responses:
            check("response", r.pk in answers, reads_response(person, r), user.email, r.pk)
    for e in world.engagements:
        got = set(audience_members(e).values_list("pk", flat=True))
        want = members(e, list(User.objects.all()))
        if got != want:
            mismatches.append(("email", e.title, sorted(got ^ want)))
        if e.status in LIVE and e.route:
            bodies_got = set(audience_bodies(e).values_list("pk", flat=True))
            bodies_want = set(e.fixed_bodies)  # type: ignore[attr-defined]
            if e.route == Route.APACE or (e.route == Route.STANDING_GROUPS and e.also_apace):
                bodies_want |= {
                    m.organisation.policing_body.pk
                    for m in Membership.objects.filter(
                        role=Role.CHIEF_EXECUTIVE, ended_at=None, organisation__is_active=True
                    ).select_related("organisation__policing_body")
                    if m.organisation.kind == OrganisationKind.POLICING_BODY
                    and hasattr(m.organisation, "policing_body")
                }
            if bodies_got != bodies_want:
                mismatches.append(("bodies", e.title, sorted(bodies_got ^ bodies_want)))
    assert not mismatches, mismatches[:10]
    # The world is varied enough to mean something: every kind of answer occurs both ways.
    kinds = {"sees", "reads", "sees only", "document", "response"}
    assert outcomes >= {(kind, answer) for kind in kinds for answer in (True, False)}
