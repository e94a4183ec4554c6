"""National-scale data for the benchmark (`manage.py bench_data`, `make bench`).

Built on top of the reference data and the demo personas: at scale 1 about 987 users, 600
policies, 2,500 engagements, 40,000 responses, 54,000 submitted versions and 500,000
access-log rows; scale 10 is ten times each. Rows go in with `bulk_create`, without the
services, signals or history records: the services would take hours at this scale, and
the pages read none of what they would add. States are valid all the same (the models'
constraints hold, and every engagement is as the services would leave it), and the same
seed gives the same data. The key pages the benchmark measures are in
engage/bench/pages.py.

Only the benchmark and its test import this module; runtime code never does.
"""

import hashlib
import random
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from engage.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from engage.audit.models import AccessAction, AccessLog
from engage.core.labels import Label
from engage.directory.models import (
    PolicingBody,
    PriorityTheme,
    StandingGroup,
    StandingGroupMembership,
)
from engage.documents.models import Document, DocumentVersion
from engage.engagements.demo import _pdf
from engage.engagements.models import (
    Decision,
    Engagement,
    Kind,
    Question,
    QuestionKind,
    Route,
    Stance,
    Status,
    WiderRouteRequest,
)
from engage.policies.models import Policy, Stage, TriageOutcome
from engage.responses.models import Answer, Response, ResponseVersion

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


def already_generated() -> bool:
    return User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exists() or (
        Policy.objects.filter(title__startswith="Bench policy").exists()
    )


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _weighted(rng: random.Random, choices: dict[Any, int]) -> Any:
    return rng.choices(list(choices), weights=list(choices.values()))[0]


def _bulk(model, rows: list, batch: int = BATCH) -> list:
    return model.objects.bulk_create(rows, batch_size=batch)


@transaction.atomic
def generate(*, scale: float, seed: int = 7, log=lambda message: None) -> Counts:
    """Add the bench data at `scale`. Needs the reference data and the personas."""
    rng = random.Random(seed)  # noqa: S311 - repeatable test data, not a secret
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate()
    counts = Counts()

    def n(base: int) -> int:
        return max(1, round(base * scale))

    moj_lead = User.objects.get(email="lead@moj.example.org")
    ho_lead = User.objects.get(email="lead@homeoffice.example.org")
    secretariat = User.objects.get(email="secretariat@apcc.example.org")
    gwent_commissioner = User.objects.get(email="commissioner@gwent.example.org")

    organisations = list(Organisation.objects.order_by("pk"))
    national = [o for o in organisations if o.is_national]
    bodies = list(PolicingBody.objects.select_related("organisation").order_by("pk"))
    groups = list(StandingGroup.objects.order_by("pk"))
    victims = next(g for g in groups if g.slug == "victims")
    themes = list(PriorityTheme.objects.order_by("pk"))
    apcc = next(o for o in organisations if o.kind == OrganisationKind.APCC)
    voluntary = [o for o in organisations if o.kind == OrganisationKind.VOLUNTARY]

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

    # People: policing bodies (commissioner, chief executive, OPCC staff), the national
    # bodies' policy leads and staff, the APCC, and the voluntary sector.
    password = make_password(None)  # unusable: bench people never sign in
    wanted = max(0, n(USERS) - User.objects.count())
    people: list[tuple[User, Organisation, str]] = []
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

    by_org: dict[int, list[User]] = {}
    for user, organisation, person_role in people:
        if person_role == Role.POLICY_LEAD:
            by_org.setdefault(organisation.pk, []).append(user)
    by_org.setdefault(moj_lead.memberships.get().organisation_id, []).insert(0, moj_lead)
    by_org.setdefault(ho_lead.memberships.get().organisation_id, []).insert(0, ho_lead)
    all_users = list(User.objects.order_by("pk").only("pk"))

    # Policies: a third the Ministry of Justice's, so its lead's register is the largest.
    moj = next(o for o in organisations if o.slug == "moj")
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

    # One document a engagement, across the labels, each with a version: the same small PDF,
    # stored once, so a stamped download works.
    pdf = _pdf("Briefing for the benchmark", ["A short briefing, the same for every document."])
    if not default_storage.exists(PDF_NAME):
        default_storage.save(PDF_NAME, ContentFile(pdf))
    documents = [
        Document(
            public_id=_uuid(rng),
            engagement=e,
            title=f"Briefing {i}",
            label=Label.GREEN
            if i == 0
            else _weighted(
                rng, {Label.GREEN: 30, Label.AMBER: 30, Label.AMBER_STRICT: 25, Label.RED: 10}
            ),
            created_by=e.created_by,
            created_at=e.created_at,
        )
        for i, e in enumerate(engagements)
    ]
    _bulk(Document, documents)
    versions = _bulk(
        DocumentVersion,
        [
            DocumentVersion(
                document=d,
                number=1,
                file=PDF_NAME,
                original_name="briefing.pdf",
                file_type="pdf",
                size=len(pdf),
                sha256=hashlib.sha256(pdf).hexdigest(),
                uploaded_by=d.created_by,
                uploaded_at=d.created_at,
            )
            for d in documents
        ],
    )
    for document, version in zip(documents, versions, strict=True):
        document.current_version = version
    Document.objects.bulk_update(documents, ["current_version"], batch_size=500)
    _bulk(
        Document.recipients.through,
        [
            Document.recipients.through(document_id=d.pk, user_id=gwent_commissioner.pk)
            for d in documents
            if d.label == Label.RED
        ],
    )
    counts.documents = len(documents)
    log(f"documents: {counts.documents}")

    # Responses from the bodies each live engagement asking for them addresses.
    all_body_ids = [b.pk for b in bodies]
    slots: list[tuple[Engagement, int]] = []
    for e in engagements:
        if not (e.asks_response and e.status in (Status.OPEN, Status.CLOSED)):
            continue
        if e.route == Route.ALL_BODIES:
            addressed = all_body_ids
        elif e.route == Route.STANDING_GROUPS:
            addressed = sorted(
                {b for g in e._bench_groups for b in group_bodies.get(g.pk, ())}  # type: ignore[attr-defined]
            )
        else:
            continue
        slots += [(e, body_id) for body_id in addressed]
    target_slots = [s for s in slots if s[0] is engagements[0]]
    rest = [s for s in slots if s[0] is not engagements[0]]
    rng.shuffle(rest)
    chosen = (target_slots + rest)[: n(RESPONSES)]
    submitted_count = round(len(chosen) * 0.75)
    extra_versions = max(0, min(submitted_count, n(VERSIONS) - submitted_count))
    by_body = {b.pk: b for b in bodies}
    author = {b.pk: gwent_commissioner for b in bodies}  # any user: bench rows are not checked
    for user, organisation, _role in people:
        if organisation.kind == OrganisationKind.POLICING_BODY:
            author[organisation.policing_body.pk] = user
    responses = []
    for i, (e, body_id) in enumerate(chosen):
        submitted = i < submitted_count
        number = (2 if i < extra_versions else 1) if submitted else 0
        at = e.created_at + timedelta(days=rng.randint(1, 20))
        responses.append(
            Response(
                public_id=_uuid(rng),
                engagement=e,
                body=by_body[body_id],
                challenges="Challenges in our area, for the benchmark.",
                opportunities="Opportunities in our area.",
                local_variations="What varies here.",
                revision=number + 1,
                submitted_version=number,
                submitted_at=at if submitted else None,
                changed_since_submission=submitted and i % 7 == 0,
                created_by=author[body_id],
                created_at=at,
                updated_by=author[body_id],
                updated_at=at,
            )
        )
    _bulk(Response, responses)
    counts.responses = len(responses)
    log(f"responses: {counts.responses}")
    answer_rows = []
    version_rows = []
    stances = Stance.values
    for response in responses:
        stance = rng.choice(stances)
        for question in questions[response.engagement.pk]:
            answer_rows.append(
                Answer(
                    response=response,
                    question=question,
                    text="Our answer, for the benchmark.",
                    stance=stance if question.kind == QuestionKind.STANCE else "",
                )
            )
        content = {
            "answers": [
                {
                    "number": q.number,
                    "question": q.text,
                    "kind": q.kind,
                    "stance": stance if q.kind == QuestionKind.STANCE else "",
                    "text": "Our answer, for the benchmark.",
                }
                for q in questions[response.engagement.pk]
            ],
            "challenges": response.challenges,
            "opportunities": response.opportunities,
            "local_variations": response.local_variations,
        }
        for number in range(1, response.submitted_version + 1):
            version_rows.append(
                ResponseVersion(
                    response=response,
                    number=number,
                    content=content,
                    submitted_by=response.created_by,
                    submitted_at=response.created_at + timedelta(days=number - 1),
                    late=False,
                )
            )
        if len(answer_rows) >= 20_000:
            _bulk(Answer, answer_rows)
            answer_rows = []
        if len(version_rows) >= 10_000:
            counts.versions += len(_bulk(ResponseVersion, version_rows, 1_000))
            version_rows = []
    _bulk(Answer, answer_rows)
    counts.versions += len(_bulk(ResponseVersion, version_rows, 1_000))
    log(f"response versions: {counts.versions}")

    # The access log: a year of views, downloads, exports and a few refusals.
    user_orgs = dict(Membership.objects.active().values_list("user_id", "organisation_id"))
    user_ids = [u.pk for u in all_users]
    engagement_ids = [(str(e.public_id), e.label) for e in engagements]
    seconds = 365 * 24 * 3600
    remaining = n(ACCESS_LOG)
    while remaining:
        batch = []
        for _ in range(min(remaining, 10_000)):
            user_id = rng.choice(user_ids)
            public_id, label = rng.choice(engagement_ids)
            action = _weighted(
                rng,
                {
                    AccessAction.VIEW: 85,
                    AccessAction.DOWNLOAD: 10,
                    AccessAction.EXPORT: 3,
                    AccessAction.REFUSED: 2,
                },
            )
            batch.append(
                AccessLog(
                    at=now - timedelta(seconds=rng.randrange(seconds)),
                    user_id=user_id,
                    organisation_id=user_orgs.get(user_id),
                    action=action,
                    object_type="engagement",
                    object_id=public_id,
                    label=label,
                    path=f"/engagements/{public_id}/",
                )
            )
        _bulk(AccessLog, batch, 5_000)
        remaining -= len(batch)
        counts.access_log += len(batch)
    log(f"access log: {counts.access_log}")
    return counts
