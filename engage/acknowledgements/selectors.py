"""Reads of acknowledgements for a person. Every read starts from `visible_to(user)`."""

from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied, ValidationError

from engage.accounts.models import Membership
from engage.accounts.viewer import Viewer
from engage.directory.models import PolicingBody
from engage.engagements import audience
from engage.engagements.models import LIVE, Engagement

from .models import ACKNOWLEDGED_KINDS, Acknowledgement
from .services import (
    acknowledgement_body_check,
    acknowledgement_state_check,
    existing_acknowledgement,
)

VIEW_TABLE = "acknowledgements.view_table"


def can_view_table(user, engagement: Engagement) -> bool:
    return rules.has_perm(VIEW_TABLE, user, engagement)


@dataclass(frozen=True)
class Row:
    body: PolicingBody
    acknowledgement: Acknowledgement | None


def acknowledgement_table(user, engagement: Engagement) -> list[Row]:
    """Every body the engagement is addressed to, by name, with its acknowledgement if it has
    made one: for the owning organisation and the APCC (403 for others). Two queries."""
    if not can_view_table(user, engagement):
        raise PermissionDenied
    made = {
        acknowledgement.body_id: acknowledgement
        for acknowledgement in Acknowledgement.objects.visible_to(user)
        .filter(engagement=engagement)
        .select_related("acknowledged_by")
    }
    bodies = audience.audience_bodies(engagement).select_related("organisation")
    return [
        Row(body=body, acknowledgement=made.get(body.pk))
        for body in bodies.order_by("organisation__name")
    ]


@dataclass(frozen=True)
class AcknowledgementPanel:
    body: PolicingBody | None  # the body the person acts for, if addressed
    own: Acknowledgement | None  # its acknowledgement
    can_acknowledge: bool  # it may acknowledge now
    refusal: str  # why it may not, if it is addressed and has not acknowledged
    sees_table: bool  # the owning organisation and the APCC
    acknowledged: int  # how many bodies have acknowledged (for the table's readers)
    addressed: int  # how many bodies it is addressed to (for the table's readers)


def acknowledgement_panel(
    user, engagement: Engagement, membership: Membership | None
) -> AcknowledgementPanel | None:
    """None (and no query) unless the engagement is a change notice or a priorities update
    that has reached its audience; else at most two queries."""
    if engagement.kind not in ACKNOWLEDGED_KINDS or engagement.status not in LIVE:
        return None
    viewer = Viewer.of(user)
    body = own = None
    refusal = ""
    if membership is not None and membership.organisation_id in viewer.body_organisation_ids:
        try:
            body = acknowledgement_body_check(engagement, membership, user)
        except ValidationError:
            body = None
        if body is not None:
            own = existing_acknowledgement(engagement, body)
            if own is None:
                try:
                    acknowledgement_state_check(engagement, body, user, existing=None)
                except ValidationError as exc:
                    refusal = " ".join(exc.messages)
    sees_table = can_view_table(user, engagement)
    acknowledged = addressed = 0
    if sees_table:
        made = Acknowledgement.objects.visible_to(user).filter(engagement=engagement)
        acknowledged = made.count()
        addressed = audience.audience_bodies(engagement).count()
    if body is None and not sees_table:
        return None
    return AcknowledgementPanel(
        body=body,
        own=own,
        can_acknowledge=body is not None and own is None and not refusal,
        refusal=refusal,
        sees_table=sees_table,
        acknowledged=acknowledged,
        addressed=addressed,
    )
