"""Reads of dissemination requests and confirmations for a person. Every read starts from
`visible_to(user)` (or `readable_on` for one engagement's page)."""

from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from engage.accounts.models import Membership
from engage.accounts.viewer import Viewer
from engage.directory.maps import MapKey, StatusMap, status_map
from engage.directory.models import PolicingBody
from engage.directory.selectors import policing_body_of
from engage.engagements.models import Engagement

from .models import DisseminationConfirmation, DisseminationRequest, Outcome, State
from .services import dissemination_ask_check, dissemination_confirm_check

VIEW_STATUS = "dissemination.view_status"
STATES = [str(state) for state in State]


def map_keys() -> list[MapKey]:
    """The status map's key, in the language of the request."""
    return [
        MapKey(State.DONE.value, _("Done"), "done"),
        MapKey(State.COULD_NOT.value, _("Could not"), "declined"),
        MapKey(State.OVERDUE.value, _("Overdue"), "overdue"),
        MapKey(State.DUE.value, _("Not due yet"), "due"),
        MapKey("none", _("Not asked"), "none"),
    ]


def get_dissemination_request_for_user(user, public_id) -> DisseminationRequest:
    """The request if `user` reads it (404 otherwise)."""
    return get_object_or_404(
        DisseminationRequest.objects.visible_to(user).select_related(
            "engagement__owner", "engagement__policy", "created_by"
        ),
        public_id=public_id,
    )


def get_confirmation_for_user(user, public_id) -> DisseminationConfirmation:
    """A body's confirmation if `user` reads it (`DisseminationConfirmation.visible_to`: the
    body, the owning organisation, the APCC secretariat, each while they read the
    engagement); 404 otherwise. With its request, engagement and body joined."""
    return get_object_or_404(
        DisseminationConfirmation.objects.visible_to(user).select_related(
            "request", "engagement__policy", "body__organisation"
        ),
        public_id=public_id,
    )


def can_view_status(user, request: DisseminationRequest) -> bool:
    return rules.has_perm(VIEW_STATUS, user, request.engagement)


def get_status_for_user(user, public_id) -> DisseminationRequest:
    """The request, for its status page and exports: 404 unless `user` reads it, 403 unless
    they are of the owning organisation or the APCC secretariat."""
    request = get_dissemination_request_for_user(user, public_id)
    if not can_view_status(user, request):
        raise PermissionDenied
    return request


def can_ask(user, engagement: Engagement) -> bool:
    try:
        dissemination_ask_check(engagement, user)
    except (ValidationError, PermissionDenied):
        return False
    return True


def own_row(
    user, request: DisseminationRequest, membership: Membership | None
) -> DisseminationConfirmation | None:
    """The row of the body `membership` acts for on `request`, if it was asked; else None."""
    try:
        row = dissemination_confirm_check(request, membership, user)
    except ValidationError:
        return None
    row.request = request  # loaded already
    row.state = row.state_on()  # type: ignore[attr-defined]
    return row


def acting_body(membership: Membership | None) -> PolicingBody | None:
    return policing_body_of(membership)


# The status of one request ----------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    rows: list[DisseminationConfirmation]  # every body asked, by name, with `state`
    counts: dict[str, int]  # state -> how many bodies

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def status_rows(user, request: DisseminationRequest, *, state: str = "") -> Status:
    """Every body the request asked, by name, with where it stands; `state` filters the rows
    (the counts are of every body). For the owning organisation and the APCC. One query."""
    if not can_view_status(user, request):
        raise PermissionDenied
    today = timezone.localdate()
    rows = list(
        DisseminationConfirmation.objects.readable_on(request.engagement, user)
        .filter(request=request)
        .with_state(today)
        .select_related("body__organisation", "body__force", "confirmed_by")
        .order_by("body__organisation__name")
    )
    counts = dict.fromkeys(STATES, 0)
    for row in rows:
        row.request = request  # the request is loaded already
        counts[row.state] += 1  # type: ignore[attr-defined]
    if state in STATES:
        rows = [row for row in rows if row.state == state]  # type: ignore[attr-defined]
    return Status(rows=rows, counts=counts)


# Lists --------------------------------------------------------------------------------------


def asked_of(user, body: PolicingBody, *, state: str = "") -> QuerySet:
    """What `body` has been asked, as `user` reads it: waiting ones first, by due date."""
    rows = (
        DisseminationConfirmation.objects.visible_to(user)
        .filter(body=body)
        .with_state()
        .select_related("request", "engagement")
    )
    if state in STATES:
        rows = rows.filter(state=state)  # type: ignore[misc]
    # Waiting ones ("" sorts first), then by due date.
    return rows.order_by("outcome", "request__due_on", "pk")


def _counts() -> dict[str, Count]:
    today = timezone.localdate()
    return {
        "done": Count("confirmations", filter=Q(confirmations__outcome=Outcome.DONE)),
        "could_not": Count("confirmations", filter=Q(confirmations__outcome=Outcome.COULD_NOT)),
        "overdue": Count("confirmations", filter=Q(confirmations__outcome="", due_on__lt=today)),
        "due": Count("confirmations", filter=Q(confirmations__outcome="", due_on__gte=today)),
    }


def requests_made(user, membership: Membership | None, *, overdue_only: bool = False) -> QuerySet:
    """For the owning organisation: the requests on its engagements; for the APCC secretariat,
    every one it reads; newest first, each with how many bodies stand where."""
    if membership is None:
        return DisseminationRequest.objects.none()
    requests = DisseminationRequest.objects.visible_to(user)
    if membership.is_secretariat:
        pass
    elif membership.organisation.is_national:
        requests = requests.filter(engagement__owner=membership.organisation)
    else:
        return DisseminationRequest.objects.none()
    requests = requests.select_related("engagement").annotate(**_counts())
    if overdue_only:
        requests = requests.filter(overdue__gt=0)  # type: ignore[misc]
    return requests.order_by("-created_at", "-pk")


def waiting_for_body(user, organisation_id: int) -> dict[str, int]:
    """For a body's inbox: how many requests wait for its answer, and how many of those are
    overdue. One query."""
    today = timezone.localdate()
    return (
        DisseminationConfirmation.objects.visible_to(user)
        .filter(body__organisation_id=organisation_id, outcome="")
        .aggregate(waiting=Count("pk"), overdue=Count("pk", filter=Q(request__due_on__lt=today)))
    )


def bodies_overdue(user, membership: Membership) -> int:
    """For the owner's inbox: how many bodies are overdue across its requests. One query."""
    return (
        DisseminationConfirmation.objects.visible_to(user)
        .filter(
            engagement__owner=membership.organisation,
            outcome="",
            request__due_on__lt=timezone.localdate(),
        )
        .count()
    )


# The engagement page's section --------------------------------------------------------------


@dataclass(frozen=True)
class DisseminationPanel:
    requests: list[DisseminationRequest]  # for the owner and the APCC, with counts
    own: list[DisseminationConfirmation]  # for a body: its rows on this engagement
    can_ask: bool
    asks_but_none: bool  # the engagement says it asks for dissemination, and no request yet
    for_body: bool


def dissemination_panel(user, engagement: Engagement) -> DisseminationPanel | None:
    """What the engagement page says about dissemination: at most one query."""
    viewer = Viewer.of(user)
    party = viewer.is_secretariat or viewer.is_member_of(engagement.owner_id)
    requests: list[DisseminationRequest] = []
    own: list[DisseminationConfirmation] = []
    if party:
        requests = list(
            DisseminationRequest.objects.readable_on(engagement, user)
            .annotate(**_counts())
            .order_by("-created_at", "-pk")
        )
    elif viewer.body_ids:
        own = list(
            DisseminationConfirmation.objects.readable_on(engagement, user)
            .filter(body_id__in=viewer.body_ids)
            .with_state()
            .select_related("request", "body__organisation")
            .order_by("-request__created_at", "-pk")
        )
    can = can_ask(user, engagement) if viewer.is_member_of(engagement.owner_id) else False
    if not (requests or own or can):
        return None
    return DisseminationPanel(
        requests=requests,
        own=own,
        can_ask=can,
        asks_but_none=can and engagement.asks_dissemination and not requests,
        for_body=not party,
    )


# The map ------------------------------------------------------------------------------------


def status_map_of(rows: list[DisseminationConfirmation]) -> StatusMap:
    """The map of England and Wales shaded by each body's state on the request; areas whose
    body was not asked are "Not asked". The status table beside it says the same. One query
    (the force areas)."""
    return status_map(
        {row.body_id: row.state for row in rows},  # type: ignore[attr-defined]
        map_keys(),
        default="none",
    )
