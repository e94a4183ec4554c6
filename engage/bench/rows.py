"""The shared state of the bench data and its first phases: standing groups, people,
policies and engagements (engage/bench/data.py runs them, then the rest, in order).

Every phase draws from the one seeded generator in `Bench`, in the same order each run, so
the same seed and scale give the same rows.
"""

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from engage.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from engage.core.labels import Label
from engage.directory.models import (
    PolicingBody,
    PriorityTheme,
    StandingGroup,
    StandingGroupMembership,
)
from engage.engagements.models import (
    AudienceBody,
    Decision,
    Engagement,
    Kind,
    Question,
    QuestionKind,
    Route,
    Status,
    WiderRouteRequest,
)
from engage.policies.models import Policy, Stage, TriageOutcome

# At scale 1 (the figures of issue 7).
USERS = 987
POLICIES = 600
ENGAGEMENTS = 2_500
RESPONSES = 40_000
VERSIONS = 54_000
ACCESS_LOG = 500_000

EMAIL_DOMAIN = "bench.example.org"
BATCH = 2_000
PDF_NAME = "documents/bench/briefing.pdf"
QUESTIONS = 3
# Bodies the demo describes by their groups; the bench leaves their memberships alone.
KEEP_GROUPS = ("gwent", "kent", "dorset")


@dataclass
class Counts:
    users: int = 0
    policies: int = 0
    engagements: int = 0
    responses: int = 0
    versions: int = 0
    documents: int = 0
    access_log: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _weighted(rng: random.Random, choices: dict[Any, int]) -> Any:
    return rng.choices(list(choices), weights=list(choices.values()))[0]


def _bulk(model, rows: list, batch: int = BATCH) -> list:
    return model.objects.bulk_create(rows, batch_size=batch)


@dataclass
class Bench:
    """What every phase reads: the seeded generator, the clock, the scale, the counts so far,
    the demo personas the rows hang on, and the reference data."""

    rng: random.Random
    now: datetime
    today: date
    scale: float
    log: Callable[[str], Any]
    moj_lead: User
    ho_lead: User
    secretariat: User
    gwent_commissioner: User
    organisations: list[Organisation]
    bodies: list[PolicingBody]
    groups: list[StandingGroup]
    themes: list[PriorityTheme]
    counts: Counts = field(default_factory=Counts)

    @classmethod
    def load(cls, *, scale: float, seed: int, log: Callable[[str], Any]) -> "Bench":
        return cls(
            rng=random.Random(seed),  # noqa: S311 - repeatable test data, not a secret
            now=timezone.now().replace(microsecond=0),
            today=timezone.localdate(),
            scale=scale,
            log=log,
            moj_lead=User.objects.get(email="lead@moj.example.org"),
            ho_lead=User.objects.get(email="lead@homeoffice.example.org"),
            secretariat=User.objects.get(email="secretariat@apcc.example.org"),
            gwent_commissioner=User.objects.get(email="commissioner@gwent.example.org"),
            organisations=list(Organisation.objects.order_by("pk")),
            bodies=list(PolicingBody.objects.select_related("organisation").order_by("pk")),
            groups=list(StandingGroup.objects.order_by("pk")),
            themes=list(PriorityTheme.objects.order_by("pk")),
        )

    def n(self, base: int) -> int:
        return max(1, round(base * self.scale))

    @property
    def national(self) -> list[Organisation]:
        return [o for o in self.organisations if o.is_national]

    @property
    def victims(self) -> StandingGroup:
        return next(g for g in self.groups if g.slug == "victims")

    @property
    def apcc(self) -> Organisation:
        return next(o for o in self.organisations if o.kind == OrganisationKind.APCC)

    @property
    def voluntary(self) -> list[Organisation]:
        return [o for o in self.organisations if o.kind == OrganisationKind.VOLUNTARY]

    @property
    def moj(self) -> Organisation:
        return next(o for o in self.organisations if o.slug == "moj")


def standing_groups(bench: Bench) -> dict[int, set[int]]:
    """The bodies of each standing group, after adding the bench's memberships."""
    rng, bodies, groups, log = bench.rng, bench.bodies, bench.groups, bench.log

    # Standing groups: each body but the demo's three in seven groups (about 21 bodies a group).
    taken = set(StandingGroupMembership.objects.values_list("group_id", "body_id"))
    memberships = []
    for body in bodies:
        if body.organisation.slug in KEEP_GROUPS:
            continue
        for group in rng.sample(groups, min(7, len(groups))):
            if (group.pk, body.pk) not in taken:
                memberships.append(StandingGroupMembership(group=group, body=body))
    _bulk(StandingGroupMembership, memberships)
    group_bodies: dict[int, set[int]] = {}
    for group_id, body_id in StandingGroupMembership.objects.values_list("group_id", "body_id"):
        group_bodies.setdefault(group_id, set()).add(body_id)
    log(f"standing group memberships: {len(memberships)}")
    return group_bodies


Person = tuple[User, Organisation, str]


def people(bench: Bench) -> list[Person]:
    """The bench's people, each with the organisation and role of their one membership."""
    rng, now, bodies, log = bench.rng, bench.now, bench.bodies, bench.log
    national, apcc, voluntary, n = bench.national, bench.apcc, bench.voluntary, bench.n
    counts = bench.counts

    # People: policing bodies (commissioner, chief executive, OPCC staff), the national
    # bodies' policy leads and staff, the APCC, and the voluntary sector.
    password = make_password(None)  # unusable: bench people never sign in
    wanted = max(0, n(USERS) - User.objects.count())
    people: list[Person] = []
    for index in range(wanted):
        share = index % 20
        if share < 12:
            body = bodies[index % len(bodies)]
            organisation = body.organisation
            role = (
                Role.COMMISSIONER
                if index < len(bodies)
                else Role.CHIEF_EXECUTIVE
                if index < 2 * len(bodies)
                else Role.OPCC_STAFF
            )
        elif share < 18:
            organisation = national[index % len(national)]
            role = Role.POLICY_LEAD if index % 3 else Role.STAFF
        elif share < 19 or not voluntary:
            organisation, role = apcc, Role.SECRETARIAT if index % 2 else Role.STAFF
        else:
            organisation, role = voluntary[index % len(voluntary)], Role.MEMBER
        user = User(
            email=f"person-{index:05d}@{EMAIL_DOMAIN}",
            full_name=f"Bench Person {index}",
            password=password,
            public_id=_uuid(rng),
            date_joined=now - timedelta(days=rng.randint(1, 900)),
        )
        people.append((user, organisation, role))
    _bulk(User, [p[0] for p in people])
    _bulk(
        Membership,
        [Membership(user=user, organisation=org, role=r) for user, org, r in people],
    )
    counts.users = len(people)
    log(f"users: {counts.users}")
    return people


def leads_by_organisation(bench: Bench, people: list[Person]) -> dict[int, list[User]]:
    """Each national body's policy leads, the demo's two leads first."""
    moj_lead, ho_lead = bench.moj_lead, bench.ho_lead
    by_org: dict[int, list[User]] = {}
    for user, organisation, person_role in people:
        if person_role == Role.POLICY_LEAD:
            by_org.setdefault(organisation.pk, []).append(user)
    by_org.setdefault(moj_lead.memberships.get().organisation_id, []).insert(0, moj_lead)
    by_org.setdefault(ho_lead.memberships.get().organisation_id, []).insert(0, ho_lead)
    return by_org


def policies(bench: Bench, by_org: dict[int, list[User]]) -> list[Policy]:
    """The policies, each carrying its lead (`_bench_lead`) for the engagements on it."""
    rng, now, themes, moj_lead, log = bench.rng, bench.now, bench.themes, bench.moj_lead, bench.log
    national, moj, counts, n = bench.national, bench.moj, bench.counts, bench.n

    # Policies: a third the Ministry of Justice's, so its lead's register is the largest.
    policies: list[Policy] = []
    for index in range(n(POLICIES)):
        owner = moj if index % 3 == 0 else national[index % len(national)]
        lead = rng.choice(by_org.get(owner.pk) or [moj_lead])
        outcome = _weighted(
            rng,
            {
                TriageOutcome.MERITS: 80,
                TriageOutcome.SCREENED_OUT: 8,
                TriageOutcome.NOT_MERITED: 6,
                TriageOutcome.UNTRIAGED: 6,
            },
        )
        triaged = outcome != TriageOutcome.UNTRIAGED
        decided = outcome in (TriageOutcome.MERITS, TriageOutcome.NOT_MERITED)
        created = now - timedelta(days=rng.randint(30, 700))
        policies.append(
            Policy(
                public_id=_uuid(rng),
                owner=owner,
                title=f"Bench policy {index}: {rng.choice(themes).name}",
                summary="A national policy made for the benchmark. " * 4,
                stage=rng.choice(Stage.values),
                merits_engagement=(outcome == TriageOutcome.MERITS) if decided else None,
                magnitude_reason="Recorded for the benchmark." if decided else "",
                magnitude_decided_by=lead if decided else None,
                magnitude_decided_at=created if decided else None,
                screened_at=created if triaged else None,
                screened_by=lead if triaged else None,
                national_security=outcome == TriageOutcome.SCREENED_OUT,
                triage_outcome=outcome,
                created_by=lead,
                created_at=created,
                updated_at=created + timedelta(days=rng.randint(0, 29)),
            )
        )
        policies[-1]._bench_lead = lead  # type: ignore[attr-defined]
    _bulk(Policy, policies)
    _bulk(
        Policy.themes.through,
        [
            Policy.themes.through(policy_id=p.pk, prioritytheme_id=t.pk)
            for p in policies
            for t in rng.sample(themes, 2)
        ],
    )
    _bulk(
        Policy.policy_leads.through,
        [Policy.policy_leads.through(policy_id=p.pk, user_id=p._bench_lead.pk) for p in policies],  # type: ignore[attr-defined]
    )
    counts.policies = len(policies)
    log(f"policies: {counts.policies}")
    return policies


def _audience_rows(engagements: list[Engagement]) -> list[AudienceBody]:
    """The audience each open or closed engagement fixed when it opened (as
    `engagement_open` writes it): its groups' bodies, or every body on the wider route."""
    every_body = list(PolicingBody.objects.order_by("pk").values_list("pk", flat=True))
    group_bodies: dict[int, set[int]] = {}
    for group_id, body_id in StandingGroupMembership.objects.values_list("group_id", "body_id"):
        group_bodies.setdefault(group_id, set()).add(body_id)
    rows = []
    for e in engagements:
        if e.status not in (Status.OPEN, Status.CLOSED):
            continue
        if e.route == Route.ALL_BODIES:
            bodies = set(every_body)
        elif e.route == Route.STANDING_GROUPS:
            bodies = {
                body
                for g in e._bench_groups  # type: ignore[attr-defined]
                for body in group_bodies.get(g.pk, ())
            }
        else:
            continue
        rows += [
            AudienceBody(engagement_id=e.pk, body_id=body, added_at=e.opened_at or e.created_at)
            for body in sorted(bodies)
        ]
    return rows


def engagements(
    bench: Bench, policies: list[Policy], all_users: list[User]
) -> tuple[list[Engagement], dict[int, list[Question]]]:
    """The engagements, with their routing, recipients and questions (by engagement pk)."""
    rng, now, today, groups, log = bench.rng, bench.now, bench.today, bench.groups, bench.log
    moj, victims, secretariat = bench.moj, bench.victims, bench.secretariat
    gwent_commissioner, counts, n = bench.gwent_commissioner, bench.counts, bench.n

    # Engagements on policies that merit them. The first is the benchmark's target: the
    # Ministry of Justice's, open to every policing body, asking for responses.
    engageable = [p for p in policies if p.triage_outcome == TriageOutcome.MERITS]
    moj_engageable = [p for p in engageable if p.owner_id == moj.pk]
    engagements: list[Engagement] = []
    for index in range(n(ENGAGEMENTS)):
        target = index == 0
        policy = moj_engageable[0] if target else engageable[index % len(engageable)]
        kind = (
            Kind.CONSULTATION
            if target
            else _weighted(
                rng,
                {
                    Kind.CONSULTATION: 30,
                    Kind.EARLY: 30,
                    Kind.IMPLEMENTATION: 15,
                    Kind.CHANGE_NOTICE: 15,
                    Kind.PRIORITIES: 10,
                },
            )
        )
        status = (
            Status.OPEN
            if target
            else _weighted(
                rng,
                {Status.OPEN: 45, Status.CLOSED: 25, Status.DRAFT: 15, Status.AWAITING_APCC: 15},
            )
        )
        route = (
            Route.ALL_BODIES
            if target
            else ""
            if status == Status.DRAFT
            else _weighted(rng, {Route.STANDING_GROUPS: 45, Route.ALL_BODIES: 45, Route.APACE: 10})
        )
        label = (
            Label.AMBER
            if target
            else _weighted(
                rng,
                {
                    Label.GREEN: 25,
                    Label.AMBER: 30,
                    Label.AMBER_STRICT: 30,
                    Label.RED: 10,
                    Label.CLEAR: 5,
                },
            )
        )
        asks_response = target or (
            kind in (Kind.CONSULTATION, Kind.EARLY, Kind.IMPLEMENTATION) and rng.random() < 0.9
        )
        created = policy.created_at + timedelta(days=rng.randint(1, 20))
        opens_on = today - timedelta(days=rng.randint(0, 200))
        routed = status != Status.DRAFT
        live = status in (Status.OPEN, Status.CLOSED)
        lead = policy._bench_lead  # type: ignore[attr-defined]
        engagement = Engagement(
            public_id=_uuid(rng),
            policy=policy,
            owner_id=policy.owner_id,
            kind=kind,
            title=f"Bench engagement {index}: {policy.title[:120]}",
            body="What we are telling or asking the policing bodies, for the benchmark. " * 6,
            opens_on=opens_on,
            response_deadline=opens_on + timedelta(days=rng.randint(20, 90))
            if asks_response
            else None,
            rationale="Why the change, for the benchmark." if kind == Kind.CHANGE_NOTICE else "",
            effective_date=opens_on + timedelta(days=60) if kind == Kind.CHANGE_NOTICE else None,
            asks_response=asks_response,
            asks_dissemination=not asks_response,
            status=status,
            label=label,
            route=route,
            routed_at=created if routed else None,
            routed_by=lead if routed else None,
            confirmed_at=created if live else None,
            confirmed_by=secretariat if live else None,
            opened_at=created if live else None,
            stage_at_opening=policy.stage if live else "",
            closed_at=now if status == Status.CLOSED else None,
            created_by=lead,
            created_at=created,
        )
        engagement._bench_groups = (  # type: ignore[attr-defined]
            [victims, *rng.sample(groups, 1)]
            if route == Route.STANDING_GROUPS and index % 3 == 0
            else rng.sample(groups, rng.randint(1, 3))
            if route == Route.STANDING_GROUPS
            else []
        )
        engagements.append(engagement)
    _bulk(Engagement, engagements)
    _bulk(
        Engagement.routed_groups.through,
        list(
            {
                (e.pk, g.pk): Engagement.routed_groups.through(
                    engagement_id=e.pk, standinggroup_id=g.pk
                )
                for e in engagements
                for g in e._bench_groups  # type: ignore[attr-defined]
            }.values()
        ),
    )
    red = [e for e in engagements if e.label == Label.RED]
    _bulk(
        Engagement.recipients.through,
        [
            Engagement.recipients.through(engagement_id=e.pk, user_id=user.pk)
            for e in red
            for user in {gwent_commissioner, *rng.sample(all_users, 3)}
        ],
    )
    _bulk(
        WiderRouteRequest,
        [
            WiderRouteRequest(
                engagement=e,
                request="Every policing body is affected.",
                requested_by=e.created_by,
                requested_at=e.created_at,
                advice="Agreed.",
                decision=Decision.AGREED,
                decided_by=secretariat,
                decided_at=e.created_at,
            )
            for e in engagements
            if e.route == Route.ALL_BODIES
        ],
    )
    _bulk(AudienceBody, _audience_rows(engagements))
    questions: dict[int, list[Question]] = {}
    rows = []
    for e in engagements:
        if e.asks_response:
            questions[e.pk] = [
                Question(
                    engagement=e,
                    number=number,
                    text=f"Question {number}: what would this change in your area?",
                    kind=QuestionKind.STANCE if number == QUESTIONS else QuestionKind.FREE_TEXT,
                )
                for number in range(1, QUESTIONS + 1)
            ]
            rows += questions[e.pk]
    _bulk(Question, rows)
    counts.engagements = len(engagements)
    log(f"engagements: {counts.engagements}")
    return engagements, questions
