"""Reads of responses for a person. Every read starts from `visible_to(user)`."""

from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from engage.accounts.models import Membership
from engage.directory.models import PolicingBody
from engage.engagements.models import Engagement, Status

from .models import Response, ResponseVersion
from .services import responding_body

EDIT = "responses.edit_response"


def get_response_for_user(user, public_id, *, write: bool = False, perm: str = EDIT) -> Response:
    """The response if `user` may see it (404 otherwise); with `write`, 403 unless they also
    hold `perm` on it (by default: a member of the responding body)."""
    response = get_object_or_404(
        Response.objects.visible_to(user).select_related(
            "engagement__owner", "engagement__policy", "body__organisation"
        ),
        public_id=public_id,
    )
    if write and not rules.has_perm(perm, user, response):
        raise PermissionDenied
    return response


def is_own(user, response: Response) -> bool:
    """Whether `user` is in the responding body, and so reads the working copy."""
    return rules.has_perm(EDIT, user, response)


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
        Response.objects.visible_to(user)
        .filter(engagement=engagement, body=body)
        .select_related("updated_by")
        .first()
    )


def responses_for_engagement(user, engagement: Engagement) -> QuerySet[Response]:
    """The submitted responses to `engagement` that `user` may read, by body name."""
    return (
        Response.objects.visible_to(user)
        .submitted()
        .filter(engagement=engagement)
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


@dataclass(frozen=True)
class ResponsePanel:
    """What the engagement page says about responses to the person looking at it."""

    body: PolicingBody | None  # the body the person acts for, if it is addressed
    own: Response | None  # that body's response, if started
    can_respond: bool  # the engagement is open, asks for a response, and is addressed to body
    can_submit: bool  # the person may submit for the body
    submitted_count: int  # other bodies' submitted responses the person may read


def response_panel(user, engagement: Engagement, membership: Membership | None) -> ResponsePanel:
    body = responding_body(membership)
    addressed = (
        body is not None
        and membership is not None
        and Engagement.objects.visible_to(user)
        .addressed_to(membership)
        .filter(pk=engagement.pk)
        .exists()
    )
    if not addressed:
        body = None
    readable = responses_for_engagement(user, engagement)
    if body is not None:
        readable = readable.exclude(body=body)
    count = readable.count() if engagement.asks_response else 0
    return ResponsePanel(
        body=body,
        own=body_response(user, engagement, body),
        can_respond=body is not None
        and engagement.asks_response
        and engagement.status == Status.OPEN,
        can_submit=body is not None and rules.has_perm("responses.submit_for_body", user, body),
        submitted_count=count,
    )
