"""Demo content that closes the protocol's loop (issue 8):

- on the open early engagement about victims' services: the APCC's draft collective view
  drawing on Kent's and Gwent's submitted responses, Kent's question answered and published
  to every body, and two release requests (one granted to a body, one waiting);
- on the Home Office change notice: Gwent's acknowledgement;
- an older consultation on the victims' policy, closed two months ago with Kent's response,
  on which the MoJ lead published what changed ("you said, we did").

Each part is made once, through the services, then dated back where the story needs it (the
services stamp today's date)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from engage.accounts.models import User
from engage.acknowledgements.demo import acknowledgement_demo
from engage.acknowledgements.models import Acknowledgement
from engage.clarifications.demo import clarification_demo
from engage.clarifications.models import ClarificationRequest
from engage.collective.demo import collective_view_demo
from engage.collective.models import CollectiveView
from engage.directory.models import StandingGroup
from engage.engagements import services as engagements
from engage.engagements.models import Engagement, Kind, QuestionKind, Route, Stance, Status
from engage.outcomes.demo import outcome_demo
from engage.outcomes.models import Outcome
from engage.policies.models import Policy
from engage.releases.demo import release_request_demo
from engage.releases.models import ReleaseRequest
from engage.responses import services as responses
from engage.responses.models import Response
from engage.responses.services import AnswerInput

from .national import CHANGE_POLICY, VICTIMS_POLICY
from .responses import _membership

CLOSED_TITLE = "Consultation: minimum standards for victims' needs assessments"
CLOSED_QUESTIONS = (
    ("Should every area use one national needs-assessment template?", QuestionKind.STANCE),
    ("What would a national template miss in your area?", QuestionKind.FREE_TEXT),
)


def _closed_consultation(policy: Policy, users: dict[str, User]) -> Engagement:
    """Opened about four months ago, closed two months ago, with Kent's response."""
    lead, secretariat, kent = users["moj_lead"], users["secretariat"], users["kent_commissioner"]
    today = timezone.localdate()
    engagement = engagements.engagement_create(
        policy=policy,
        by=lead,
        kind=Kind.CONSULTATION,
        title=CLOSED_TITLE,
        body=(
            "We propose minimum standards for the needs assessments that policing bodies carry "
            "out before commissioning victims' services, and a national template."
        ),
        opens_on=today,
        response_deadline=today + timedelta(days=28),
        asks_response=True,
        asks_dissemination=False,
    )
    for text, kind in CLOSED_QUESTIONS:
        engagements.question_add(engagement=engagement, by=lead, text=text, kind=kind)
    engagements.engagement_route(
        engagement=engagement,
        by=lead,
        route=Route.STANDING_GROUPS,
        groups=[StandingGroup.objects.get(slug="victims")],
    )
    engagements.engagement_confirm_routing(engagement=engagement, by=secretariat)
    response = responses.response_start(
        engagement=engagement, membership=_membership(kent, "kent"), by=kent
    )
    responses.response_save_draft(
        response=response,
        by=kent,
        revision=response.revision,
        answers={
            1: AnswerInput(
                stance=Stance.SUPPORT_WITH_CHANGES,
                text="A template, yes, with room for local sections: one size does not fit.",
            ),
            2: AnswerInput(
                text=(
                    "Victims in transit through the ports, and the needs of coastal towns: a "
                    "template built on resident population would miss both."
                )
            ),
        },
        challenges="Data sharing with health partners for the assessment.",
        opportunities="One template would let neighbouring areas compare needs.",
        local_variations="Ports, coastal deprivation, two-tier local government.",
    )
    responses.response_submit(response=response, by=kent, revision=response.revision)
    engagements.engagement_close(engagement=engagement, by=lead)
    # The story happened months ago: date it back.
    now = timezone.now()
    Engagement.objects.filter(pk=engagement.pk).update(
        opens_on=today - timedelta(days=120),
        response_deadline=today - timedelta(days=92),
        created_at=now - timedelta(days=125),
        routed_at=now - timedelta(days=122),
        confirmed_at=now - timedelta(days=121),
        opened_at=now - timedelta(days=120),
        closed_at=now - timedelta(days=60),
    )
    response.versions.update(submitted_at=now - timedelta(days=95))
    type(response).objects.filter(pk=response.pk).update(submitted_at=now - timedelta(days=95))
    engagement.refresh_from_db()
    return engagement


@transaction.atomic
def seed_loop_content(users: dict[str, User]) -> bool:
    """Make what is missing; returns whether anything was made."""
    policy = Policy.objects.filter(owner__slug="moj", title=VICTIMS_POLICY).first()
    if policy is None:
        return False
    lead = users["moj_lead"]
    made: list[object] = []
    early = Engagement.objects.filter(policy=policy, kind=Kind.EARLY, status=Status.OPEN).first()
    if early is not None:
        submitted = Response.objects.filter(engagement=early, submitted_version__gt=0)
        if submitted.exists() and not CollectiveView.objects.filter(engagement=early).exists():
            made.append(collective_view_demo(early, users["secretariat"]))
        if not ClarificationRequest.objects.filter(engagement=early).exists():
            made.append(clarification_demo(early, users["kent_commissioner"], lead))
        if not ReleaseRequest.objects.filter(engagement=early).exists():
            made.extend(release_request_demo(early, lead))
    notice = Engagement.objects.filter(
        policy__title=CHANGE_POLICY, kind=Kind.CHANGE_NOTICE, status=Status.OPEN
    ).first()
    if notice is not None and not Acknowledgement.objects.filter(engagement=notice).exists():
        made.append(acknowledgement_demo(notice, users["gwent_commissioner"]))
    closed = Engagement.objects.filter(policy=policy, title=CLOSED_TITLE).first()
    if closed is None:
        closed = _closed_consultation(policy, users)
        made.append(closed)
    if not Outcome.objects.filter(engagement=closed, published_at__isnull=False).exists():
        made.append(outcome_demo(closed, lead))
    return bool(made)
