"""Reads of responses for a person. Every read starts from `visible_to(user)`."""

from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from engage.accounts.models import Membership, Role, User
from engage.accounts.selectors import members
from engage.accounts.viewer import Viewer
from engage.directory.models import PolicingBody
from engage.engagements import audience
from engage.engagements.models import LIVE, Engagement, Status

from .models import Response, ResponseVersion, SubmissionDelegation
from .rules import Submitting
from .services import (
    _check_engagement_takes_responses,
    responding_body,
    response_mark_ready_check,
)

EDIT = "responses.edit_response"
MANAGE_DELEGATIONS = "responses.manage_delegations"


def get_response_for_user(user, public_id, *, write: bool = False, perm: str = EDIT) -> Response:
    """The response if `user` may see it (404 otherwise); with `write`, 403 unless they also
    hold `perm` on it (by default: a member of the responding body)."""
    response = get_object_or_404(
        Response.objects.visible_to(user).select_related(
            "engagement__owner", "engagement__policy", "body__organisation", "ready_by"
        ),
        public_id=public_id,
    )
    if write and not rules.has_perm(perm, user, response):
        raise PermissionDenied
    return response


def is_own(user, response: Response) -> bool:
    """Whether `user` is in the responding body, and so reads the working copy."""
    return rules.has_perm(EDIT, user, response)


def may_mark_ready(user, response: Response) -> bool:
    """Whether the response page offers to mark the draft ready for the commissioner: the
    service's own check, on a response the page read through `get_response_for_user`."""
    try:
        response_mark_ready_check(response, user, seen=True)
    except (ValidationError, PermissionDenied):
        return False
    return True


def get_version(response: Response, number) -> ResponseVersion:
    """A submitted version of a response already checked with `get_response_for_user`."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(
        ResponseVersion.objects.select_related("submitted_by"), response=response, number=number
    )


def versions(response: Response) -> list[ResponseVersion]:
    return list(response.versions.select_related("submitted_by").order_by("-number"))


def body_response(user, engagement: Engagement, body: PolicingBody | None) -> Response | None:
    """The response of `body` to `engagement`, if `user` may see it."""
    if body is None:
        return None
    return (
        Response.objects.readable_on(engagement, user)
        .filter(body=body)
        .select_related("updated_by")
        .first()
    )


def responses_for_engagement(user, engagement: Engagement) -> QuerySet[Response]:
    """The submitted responses to `engagement` that `user` may read, by body name."""
    return (
        Response.objects.readable_on(engagement, user)
        .submitted()
        .select_related("body__organisation", "body__force")
        .order_by("body__organisation__name")
    )


def submitted_count_for(user) -> Coalesce:
    """An annotation for engagements: how many submitted responses `user` may read on each.
    One subquery, whatever the number of engagements."""
    return Coalesce(
        Subquery(
            Response.objects.visible_to(user)
            .submitted()
            .filter(engagement=OuterRef("pk"))
            .order_by()
            .values("engagement")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


# The body's own response status on its inbox (issue 9, point 3). What each reads as: never
# "done" unless a version was submitted.
NOT_STARTED, DRAFT, READY, SUBMITTED, LATE = "not_started", "draft", "ready", "submitted", "late"


def own_response_annotations(user, organisation_id: int) -> dict:
    """Annotations for the inbox of the policing body `organisation_id`, as `user` reads its
    response (`visible_to`): `own_state`, one of the states above ("" on an engagement that
    asks for no response), and `own_version`, the latest version submitted (or None). Only
    subqueries and Exists in the inbox's own query: no query of their own."""
    own = (
        Response.objects.visible_to(user)
        .filter(engagement=OuterRef("pk"), body__organisation_id=organisation_id)
        .order_by()
    )
    return {
        "own_state": Case(
            When(asks_response=False, then=Value("")),
            # Ready for the commissioner only while there is something to do about it.
            When(
                Q(status=Status.OPEN) & Exists(own.filter(ready_at__isnull=False)),
                then=Value(READY),
            ),
            When(Exists(own.filter(submitted_version__gt=0)), then=Value(SUBMITTED)),
            When(response_deadline__lt=timezone.localdate(), then=Value(LATE)),
            When(Exists(own.filter(revision__gt=0)), then=Value(DRAFT)),
            default=Value(NOT_STARTED),
            output_field=CharField(),
        ),
        "own_version": Subquery(
            own.filter(submitted_version__gt=0).values("submitted_version")[:1],
            output_field=IntegerField(),
        ),
    }


@dataclass(frozen=True)
class ResponsePanel:
    """What the engagement page says about responses to the person looking at it."""

    body: PolicingBody | None  # the body the person acts for, if it is addressed
    own: Response | None  # that body's response, if started
    can_respond: bool  # the engagement is open, asks for a response, and is addressed to body
    can_submit: bool  # the person may submit for the body
    submitted_count: int  # other bodies' submitted responses the person may read


NO_PANEL = ResponsePanel(
    body=None, own=None, can_respond=False, can_submit=False, submitted_count=0
)


def addressed_body(
    user, engagement: Engagement, membership: Membership | None
) -> PolicingBody | None:
    """The policing body `membership` acts for, if `engagement` is addressed to it and `user`
    sees it; else None."""
    body = responding_body(membership)
    if body is None or membership is None:
        return None
    # Whether the person reads it is settled once (the annotation it was loaded with).
    addressed = (
        audience.reads(Viewer.of(user), engagement)
        and Engagement.objects.filter(pk=engagement.pk).addressed_to(membership).exists()
    )
    return body if addressed else None


def response_refusal(engagement: Engagement) -> str:
    """Why `engagement` takes no response now, in the services' words ("" if it does)."""
    try:
        _check_engagement_takes_responses(engagement)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def response_panel(user, engagement: Engagement, membership: Membership | None) -> ResponsePanel:
    """Nothing to say (and no query) unless the engagement asks for responses and has reached
    its audience."""
    if not engagement.asks_response or engagement.status not in LIVE:
        return NO_PANEL
    body = addressed_body(user, engagement, membership)
    readable = responses_for_engagement(user, engagement)
    if body is not None:
        readable = readable.exclude(body=body)
    return ResponsePanel(
        body=body,
        own=body_response(user, engagement, body),
        can_respond=body is not None and engagement.status == Status.OPEN,
        can_submit=body is not None
        and rules.has_perm("responses.submit_response", user, Submitting(body, engagement)),
        submitted_count=readable.count(),
    )


# The list of submitted responses ---------------------------------------------------------

LATE, ON_TIME = "late", "on_time"


def submitted_responses(
    user, engagement: Engagement, *, timing: str = "", with_content: bool = False
) -> QuerySet[Response]:
    """`responses_for_engagement` with what the list shows of each latest version (late, who
    submitted it and, `with_content`, what it says), filtered by `timing` (LATE, ON_TIME). One
    query for the rows, whatever their number."""
    # One row by the unique (response, number); no ordering, or the model's default
    # (response, then its engagement and body) would join three tables in each subquery.
    latest = ResponseVersion.objects.filter(
        response=OuterRef("pk"), number=OuterRef("submitted_version")
    ).order_by()
    responses = responses_for_engagement(user, engagement).annotate(
        latest_late=Exists(latest.filter(late=True)),
        latest_submitted_by=Subquery(
            latest.values("submitted_by__full_name")[:1], output_field=CharField()
        ),
    )
    if with_content:
        responses = responses.annotate(
            latest_content=Subquery(latest.values("content")[:1], output_field=JSONField())
        )
    if timing == LATE:
        responses = responses.filter(latest_late=True)
    elif timing == ON_TIME:
        responses = responses.filter(latest_late=False)
    return responses


def bodies_addressed(engagement: Engagement) -> int | None:
    """How many policing bodies the engagement is addressed to (None before it is routed)."""
    return audience.bodies_addressed(engagement)


# Delegations ---------------------------------------------------------------------------


def delegations_for(user, body: PolicingBody) -> QuerySet[SubmissionDelegation]:
    """The body's active delegations, as a member of the body sees them."""
    return (
        SubmissionDelegation.objects.visible_to(user)
        .active()
        .filter(body=body)
        .select_related("delegate", "granted_by")
        .order_by("delegate__full_name", "delegate__email")
    )


def commissioners_of(body: PolicingBody) -> QuerySet[User]:
    """Who submits for the body by role."""
    return User.objects.filter(
        pk__in=members(body.organisation_id, role=Role.COMMISSIONER).values("user_id")
    ).order_by("full_name", "email")


def delegation_candidates(body: PolicingBody) -> QuerySet[User]:
    """Members of the body the commissioner could delegate to: active, not commissioners, not
    delegates already."""
    everyone = members(body.organisation_id)
    return (
        User.objects.filter(pk__in=everyone.exclude(role=Role.COMMISSIONER).values("user_id"))
        .exclude(pk__in=everyone.filter(role=Role.COMMISSIONER).values("user_id"))
        .exclude(pk__in=SubmissionDelegation.objects.active().filter(body=body).values("delegate"))
        .distinct()
        .order_by("full_name", "email")
    )


def get_delegation_for_user(user, pk, *, write: bool = False) -> SubmissionDelegation:
    """An active delegation of a body `user` belongs to (404 otherwise); with `write`, 403
    unless they are its commissioner."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    delegation = get_object_or_404(
        SubmissionDelegation.objects.visible_to(user)
        .active()
        .select_related("body__organisation", "delegate", "granted_by"),
        pk=pk,
    )
    if write and not rules.has_perm(MANAGE_DELEGATIONS, user, delegation.body):
        raise PermissionDenied
    return delegation
