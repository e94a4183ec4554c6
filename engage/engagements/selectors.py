"""Reads of engagements for a person. Every read starts from `visible_to(user)`."""

import uuid
from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from engage.accounts.models import Membership, OrganisationKind, User
from engage.accounts.viewer import Viewer
from engage.core.fields import parse_id
from engage.directory.models import StandingGroup
from engage.policies.models import Policy

from . import audience
from .models import (
    ROUTED,
    AudienceBody,
    Decision,
    Engagement,
    EngagementQuerySet,
    Kind,
    NationalPriority,
    Question,
    RouteAmendment,
    Status,
    WiderRouteRequest,
)

MANAGE = "engagements.manage_engagement"
APCC = "engagements.act_as_apcc"


def get_engagement_for_user(
    user, public_id, *, write: bool = False, perm: str = MANAGE, read: bool = False
) -> Engagement:
    """The engagement if `user` may see it (404 otherwise); with `read`, 404 unless they also
    read its content (pages that show its questions or responses); with `write`, 403 unless
    they also hold `perm` on it (by default: a policy lead of the owning organisation)."""
    engagement = get_object_or_404(
        Engagement.objects.visible_to(user)
        .with_content_readable(user)
        .select_related("policy", "owner"),
        public_id=public_id,
    )
    if read and not engagement.content_readable:  # type: ignore[attr-defined]
        raise Http404
    if write and not rules.has_perm(perm, user, engagement):
        raise PermissionDenied
    return engagement


def get_policy_for_new_engagement(user, public_id) -> Policy:
    """The policy an engagement is to be created on: 404 if unseen, 403 unless its lead."""
    try:
        public_id = uuid.UUID(str(public_id))
    except ValueError:  # missing or malformed in the query string
        raise Http404 from None
    policy = get_object_or_404(
        Policy.objects.visible_to(user).select_related("owner"), public_id=public_id
    )
    if not rules.has_perm("engagements.add_engagement", user, policy):
        raise PermissionDenied
    return policy


def get_wider_request_for_user(user, engagement: Engagement) -> WiderRouteRequest:
    """The request waiting for the APCC on an engagement the secretariat can see."""
    if not rules.has_perm(APCC, user):
        raise PermissionDenied
    return get_object_or_404(
        WiderRouteRequest.objects.select_related("requested_by"),
        engagement=engagement,
        decision=Decision.PENDING,
    )


def get_question(engagement: Engagement, number) -> Question:
    """The question numbered `number` as sent in a form or query string: 404 unless it is a
    question number of this engagement (a malformed or out-of-range one included)."""
    parsed = parse_id(number)
    if parsed is None:
        raise Http404
    return get_object_or_404(Question, engagement=engagement, number=parsed)


def get_priority_for_user(user, public_id) -> NationalPriority:
    return get_object_or_404(
        NationalPriority.objects.visible_to(user).select_related(
            "engagement__owner", "engagement__policy"
        ),
        public_id=public_id,
    )


# The engagement page ---------------------------------------------------------------------


@dataclass(frozen=True)
class EngagementPermissions:
    manage: bool  # a policy lead of the owning organisation
    apcc: bool  # the APCC secretariat

    def can(self, engagement: Engagement) -> dict[str, bool]:
        status = engagement.status
        draft = status == Status.DRAFT
        screened_out = engagement.policy.is_screened_out
        return {
            "edit": self.manage and draft,
            "route": self.manage and draft,
            "ask_wider": self.manage and draft,
            # A scheduled one may be closed too: it has reached nobody yet.
            "close": self.manage and status in (Status.OPEN, Status.SCHEDULED),
            # Nothing more is done on an engagement of a screened-out policy.
            "release": self.manage and not screened_out,
            "share_responses": self.manage
            and not screened_out
            and status in (Status.OPEN, Status.CLOSED)
            and engagement.asks_response
            and not engagement.share_responses,
            "add_priority": self.manage and draft and engagement.kind == "priorities",
            "confirm": self.apcc and status == Status.AWAITING_APCC,
            "decide_wider": self.apcc,
            "see_routing": self.manage or self.apcc,
        }


def engagement_permissions(user, engagement: Engagement) -> EngagementPermissions:
    return EngagementPermissions(
        manage=rules.has_perm(MANAGE, user, engagement), apcc=rules.has_perm(APCC, user)
    )


def engagement_page(engagement: Engagement, *, reads: bool) -> dict:
    """What the engagement page lists, each in one query; its content only to those who read
    it (`audience.engagement_read`), its route to everyone who sees it."""
    return {
        "questions": list(engagement.questions.all()) if reads else [],
        "priorities": list(engagement.national_priorities.prefetch_related("themes"))
        if reads
        else [],
        "groups": list(engagement.routed_groups.all()),
    }


def engagement_routing_record(user, engagement: Engagement) -> dict:
    """For the lead and the APCC: named recipients, the wider route requests, label releases."""
    return {
        "recipients": list(engagement.recipients.order_by("email")),
        "wider_requests": list(
            engagement.wider_route_requests.select_related(
                "requested_by", "decided_by"
            ).prefetch_related(
                Prefetch(
                    "attached_documents",
                    queryset=audience.documents_read(Viewer.of(user)).order_by("title"),
                )
            )
        ),
        "releases": list(engagement.releases.select_related("released_by")),
    }


# The inbox ------------------------------------------------------------------------------

BODY, APCC_QUEUE, OWNER, NONE = "body", "apcc", "owner", "none"


def inbox_mode(membership: Membership | None) -> str:
    """Which inbox the organisation acted for gets."""
    if membership is None:
        return NONE
    kind = membership.organisation.kind
    if membership.is_secretariat:
        return APCC_QUEUE
    if membership.organisation.is_national:
        return OWNER
    if kind in (OrganisationKind.POLICING_BODY, OrganisationKind.APACE):
        return BODY
    return NONE


def _status_order(*statuses: str):
    return Case(
        *[When(status=status, then=Value(index)) for index, status in enumerate(statuses)],
        default=Value(len(statuses)),
        output_field=IntegerField(),
    )


def outcome_due() -> Q:
    """For the owner's inbox: a closed engagement that asked for responses and has no
    published outcome owes its audience one. The outcomes app builds on this one, so its
    model comes from the app registry (as audience.py takes documents); the same rule, for
    one engagement, is outcomes/panels.py `outcome_due`."""
    from django.apps import apps

    outcome = apps.get_model("outcomes", "Outcome")
    published = outcome.objects.filter(engagement_id=OuterRef("pk"), status="published")
    return Q(status=Status.CLOSED, asks_response=True) & ~Q(Exists(published))


def responds(membership: Membership | None) -> bool:
    """Whether the organisation acted for is a policing body, whose inbox shows its own
    response status and the acknowledgements asked of it (APACE neither responds nor
    acknowledges: its chief executives act for their bodies)."""
    return (
        membership is not None
        and membership.organisation.kind == OrganisationKind.POLICING_BODY
        and not membership.is_secretariat
    )


def acknowledgement_asked(user, organisation_id: int) -> Q:
    """For a body's inbox: an open change notice or priorities update it has not acknowledged
    (as `user` reads its acknowledgements). The acknowledgements app builds on this one, so its
    model comes from the app registry; the kinds are its `ACKNOWLEDGED_KINDS`."""
    from django.apps import apps

    acknowledgement = apps.get_model("acknowledgements", "Acknowledgement")
    given = acknowledgement.objects.visible_to(user).filter(
        engagement_id=OuterRef("pk"), body__organisation_id=organisation_id
    )
    return Q(status=Status.OPEN, kind__in=(Kind.CHANGE_NOTICE, Kind.PRIORITIES)) & ~Q(Exists(given))


def _body_inbox(user, membership: Membership, visible: EngagementQuerySet) -> QuerySet:
    """A body's inbox: open engagements first; for a policing body, within them the drafts
    its staff marked ready for the commissioner, then by deadline; each with the body's own
    response status and whether an acknowledgement is asked of it."""
    engagements = visible.addressed_to(membership)
    if not responds(membership):
        return engagements.order_by(
            _status_order(Status.OPEN, Status.CLOSED), "response_deadline", "-opened_at"
        )
    # Here, not at the top: the responses app builds on this one's models.
    from engage.responses.selectors import READY, own_response_annotations

    organisation_id = membership.organisation_id
    return engagements.annotate(
        **own_response_annotations(user, organisation_id),
        acknowledgement_asked=ExpressionWrapper(
            acknowledgement_asked(user, organisation_id), output_field=BooleanField()
        ),
    ).order_by(
        _status_order(Status.OPEN, Status.CLOSED),
        Case(When(own_state=READY, then=Value(0)), default=Value(1), output_field=IntegerField()),
        "response_deadline",
        "-opened_at",
    )


def inbox(
    user,
    membership: Membership | None,
    *,
    status: str = "",
    kind: str = "",
    outcome_due_only: bool = False,
    response: str = "",
    acknowledgement_asked_only: bool = False,
) -> QuerySet:
    """The engagements for the inbox of `membership`'s organisation, as `user` may see them;
    the owner's marked `outcome_due` (and, with `outcome_due_only`, only those); a policing
    body's with its own response status (`response` filters on it) and whether an
    acknowledgement is asked (with `acknowledgement_asked_only`, only those)."""
    mode = inbox_mode(membership)
    visible = Engagement.objects.visible_to(user).select_related("owner", "policy")
    if mode == BODY and membership is not None:
        engagements = _body_inbox(user, membership, visible)
    elif mode == APCC_QUEUE:
        engagements = visible.filter(status__in=ROUTED).order_by(
            _status_order(Status.AWAITING_APCC, Status.SCHEDULED, Status.OPEN, Status.CLOSED),
            "-routed_at",
        )
    elif mode == OWNER and membership is not None:
        # Here, not at the top: the responses app builds on this one's models.
        from engage.responses.selectors import submitted_count_for

        engagements = (
            visible.filter(owner=membership.organisation)
            .annotate(
                question_count=Coalesce(
                    Subquery(
                        Question.objects.filter(engagement=OuterRef("pk"))
                        .order_by()
                        .values("engagement")
                        .annotate(n=Count("pk"))
                        .values("n")
                    ),
                    0,
                ),
                group_body_count=audience.group_body_count(),
                # Submitted responses only (a resubmission is still one body's response).
                response_count=submitted_count_for(user),
                outcome_due=ExpressionWrapper(outcome_due(), output_field=BooleanField()),
            )
            .order_by(
                _status_order(
                    Status.DRAFT, Status.AWAITING_APCC, Status.SCHEDULED, Status.OPEN, Status.CLOSED
                ),
                "-created_at",
            )
        )
    else:
        return Engagement.objects.none()
    if status:
        engagements = engagements.filter(status=status)
    if kind:
        engagements = engagements.filter(kind=kind)
    if outcome_due_only and mode == OWNER:
        engagements = engagements.filter(outcome_due())
    if mode == BODY and responds(membership):
        if response:
            engagements = engagements.filter(own_state=response)
        if acknowledgement_asked_only:
            engagements = engagements.filter(acknowledgement_asked=True)
    return engagements.prefetch_related("routed_groups")


def audience_sizes() -> dict[str, int]:
    """How many bodies the national routes reach (`audience.audience_sizes`)."""
    return audience.audience_sizes()


def apcc_queue(user) -> dict[str, QuerySet]:
    """The APCC secretariat's queue: engagements awaiting routing, oldest first, and the
    requests to engage all policing bodies that wait for an answer."""
    visible = Engagement.objects.visible_to(user)
    return {
        "awaiting": visible.filter(status=Status.AWAITING_APCC)
        .select_related("owner", "routed_by")
        .prefetch_related("routed_groups")
        .order_by("routed_at", "pk"),
        # Joined to the engagement and filtered with the decider there, not `engagement__in`
        # every visible engagement: the pending requests are few, the engagements many.
        "wider": WiderRouteRequest.objects.filter(decision=Decision.PENDING)
        .filter(audience.engagement_seen(Viewer.of(user), "engagement__"))
        .select_related("engagement__owner", "requested_by")
        .order_by("requested_at", "pk"),
    }


def priorities_for_user(user, *, source: str = "") -> QuerySet:
    priorities = (
        NationalPriority.objects.visible_to(user)
        .select_related("engagement")
        .prefetch_related("themes")
    )
    if source:
        priorities = priorities.filter(source=source)
    return priorities


@dataclass(frozen=True)
class RoutingRecord:
    """What the routing record page shows: who routed and confirmed, the groups, the APCC's
    amendments, and the audience fixed at opening with the bodies added later."""

    routed_by: User | None
    confirmed_by: User | None
    groups: list[StandingGroup]
    amendments: list[RouteAmendment]
    at_opening: list[AudienceBody]
    added_later: list[AudienceBody]


def routing_record(user, engagement: Engagement) -> RoutingRecord:
    """The routing record of `engagement` as `user` reads it (`visible_to`). Four queries,
    whatever the number of groups, amendments or bodies."""
    people = {
        user.pk: user
        for user in User.objects.filter(
            pk__in=[pk for pk in (engagement.routed_by_id, engagement.confirmed_by_id) if pk]
        )
    }
    rows = list(
        AudienceBody.objects.visible_to(user)
        .filter(engagement=engagement)
        .select_related("body__organisation", "added_by")
        .order_by("at_opening", "body__organisation__name")
    )
    return RoutingRecord(
        routed_by=people.get(engagement.routed_by_id or 0),
        confirmed_by=people.get(engagement.confirmed_by_id or 0),
        groups=list(engagement.routed_groups.order_by("name")),
        amendments=list(
            RouteAmendment.objects.visible_to(user)
            .filter(engagement=engagement)
            .select_related("amended_by")
        ),
        at_opening=sorted(
            (row for row in rows if row.at_opening), key=lambda r: r.body.organisation.name
        ),
        added_later=sorted(
            (row for row in rows if not row.at_opening), key=lambda r: (r.added_at, r.pk)
        ),
    )
