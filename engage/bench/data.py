"""National-scale data for the benchmark (`manage.py bench_data`, `make bench`).

Built on top of the reference data and the demo personas: at scale 1 about 987 users, 600
policies, 2,500 engagements, 40,000 responses, 54,000 submitted versions and 500,000
access-log rows; scale 10 is ten times each. Rows go in with `bulk_create`, without the
services, signals or history records: the services would take hours at this scale, and
the pages read none of what they would add. States are valid all the same (the models'
constraints hold, and every engagement is as the services would leave it), and the same
seed gives the same data.

`generate` runs one function a phase, in order: the first four (and the shared state) are in
engage/bench/rows.py, documents, responses and the access log here. The key pages the
benchmark measures are in engage/bench/pages.py.

Only the benchmark and its test import this module; runtime code never does.
"""

import hashlib
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from engage.accounts.models import Membership, OrganisationKind, User
from engage.audit.models import AccessAction, AccessLog
from engage.core.labels import Label
from engage.documents.models import Document, DocumentVersion
from engage.documents.samples import text_pdf
from engage.engagements.models import Engagement, Question, QuestionKind, Route, Stance, Status
from engage.policies.models import Policy
from engage.responses.models import Answer, Response, ResponseVersion

from . import rows
from .rows import (
    ACCESS_LOG,
    EMAIL_DOMAIN,
    PDF_NAME,
    RESPONSES,
    VERSIONS,
    Bench,
    Counts,
    Person,
    _bulk,
    _uuid,
    _weighted,
)


def already_generated() -> bool:
    return User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exists() or (
        Policy.objects.filter(title__startswith="Bench policy").exists()
    )


@transaction.atomic
def generate(*, scale: float, seed: int = 7, log=lambda message: None) -> Counts:
    """Add the bench data at `scale`. Needs the reference data and the personas."""
    bench = Bench.load(scale=scale, seed=seed, log=log)
    # The phases draw from `bench.rng` in this order: reordering them, or the draws within
    # one, changes the data a seed gives.
    group_bodies = rows.standing_groups(bench)
    people = rows.people(bench)
    by_org = rows.leads_by_organisation(bench, people)
    all_users = list(User.objects.order_by("pk").only("pk"))
    policies = rows.policies(bench, by_org)
    engagements, questions = rows.engagements(bench, policies, all_users)
    documents(bench, engagements)
    responses = responses_to(bench, engagements, group_bodies, people)
    answers_and_versions(bench, responses, questions)
    access_log(bench, engagements, all_users)
    return bench.counts


def documents(bench: Bench, engagements: list[Engagement]) -> None:
    """One document an engagement, each with its first version."""
    rng, gwent_commissioner = bench.rng, bench.gwent_commissioner
    counts, log = bench.counts, bench.log

    # One document a engagement, across the labels, each with a version: the same small PDF,
    # stored once, so a stamped download works.
    pdf = text_pdf("Briefing for the benchmark", ["A short briefing, the same for every document."])
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


def responses_to(
    bench: Bench,
    engagements: list[Engagement],
    group_bodies: dict[int, set[int]],
    people: list[Person],
) -> list[Response]:
    """The responses, three in four submitted, some of those twice."""
    rng, bodies, gwent_commissioner = bench.rng, bench.bodies, bench.gwent_commissioner
    counts, log, n = bench.counts, bench.log, bench.n

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
    return responses


def answers_and_versions(
    bench: Bench, responses: list[Response], questions: dict[int, list[Question]]
) -> None:
    """Each response's answers, and a version for each time it was submitted."""
    rng, counts, log = bench.rng, bench.counts, bench.log

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


def access_log(bench: Bench, engagements: list[Engagement], all_users: list[User]) -> None:
    """A year of views, downloads, exports and a few refusals."""
    rng, now, counts, log, n = bench.rng, bench.now, bench.counts, bench.log, bench.n

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
