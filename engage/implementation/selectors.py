"""Reads of implementation agreements for a person. Every read starts from
`ImplementationAgreement.objects.visible_to(user)`; each function asks a fixed number of
queries whatever the number of rows."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from engage.accounts.models import Membership
from engage.accounts.viewer import Viewer
from engage.directory.models import PolicingBody
from engage.engagements.models import Engagement
from engage.policies.models import Policy, TriageOutcome

from . import services
from .models import (
    AgreementState,
    ImplementationAgreement,
    Milestone,
    MilestoneStatus,
    MilestoneUpdate,
    Side,
    Summary,
    overdue_q,
    today,
)


def get_agreement_for_user(user, public_id) -> ImplementationAgreement:
    """The agreement if `user` reads it (404 otherwise: another body's stays invisible).
    Who may act on it, and how, is the services' question (`actions_for`)."""
    return get_object_or_404(
        ImplementationAgreement.objects.visible_to(user).select_related(
            "policy__owner", "body__organisation", "engagement", "proposed_by"
        ),
        public_id=public_id,
    )


def get_milestone_for_user(user, public_id) -> Milestone:
    return get_object_or_404(
        Milestone.objects.filter(
            agreement__in=ImplementationAgreement.objects.visible_to(user)
        ).select_related(
            "agreement__policy__owner",
            "agreement__body__organisation",
            "agreement__engagement",
            "agreement__proposed_by",
        ),
        public_id=public_id,
    )


# The agreement page -------------------------------------------------------------------------


@dataclass(frozen=True)
class Actions:
    """What the person may do on an agreement now, as the services would judge it."""

    side: str | None = None  # the side they act for, if any
    answer: bool = False  # the body's turn: accept, decline, propose changes
    lead_turn: bool = False  # the lead's turn: accept the changes, revise
    withdraw: bool = False
    track: bool = False  # add milestones and updates
    comment: bool = False
    why_not: str = ""  # why they may not act (the APCC, a member acting for another body)


def _allowed(check, *args) -> bool:
    try:
        check(*args)
    except (PermissionDenied, ValidationError):
        return False
    return True


def actions_for(agreement: ImplementationAgreement, user, membership: Membership | None) -> Actions:
    """The actions the page offers, from the services' own checks (no query beyond the
    person's facts)."""
    side = services.side_of(agreement, user, membership)
    if side is None:
        why_not = ""
        try:
            services.body_turn_check(agreement, user, membership)
        except ValidationError as exc:
            why_not = " ".join(exc.messages)
        except PermissionDenied:
            pass
        return Actions(why_not=why_not)
    screened = agreement.policy.triage_outcome == TriageOutcome.SCREENED_OUT
    return Actions(
        side=side,
        answer=side == Side.BODY
        and _allowed(services.body_turn_check, agreement, user, membership),
        lead_turn=side == Side.LEAD and _allowed(services.lead_turn_check, agreement, user),
        withdraw=side == Side.LEAD and _allowed(services.withdraw_check, agreement, user),
        track=_allowed(services.milestone_check, agreement, user, membership),
        comment=not screened,
    )


@dataclass
class AgreementPage:
    events: list
    milestones: list[Milestone]
    engagement_seen: bool


def agreement_page(user, agreement: ImplementationAgreement) -> AgreementPage:
    """The thread and the milestones with their updates: three queries, and one more when
    the agreement names the implementation update it came from (shown only to those who
    see that engagement)."""
    events = list(agreement.events.select_related("by"))
    milestones = list(
        agreement.milestones.prefetch_related(
            Prefetch("updates", queryset=MilestoneUpdate.objects.select_related("by"))
        )
    )
    seen = bool(
        agreement.engagement_id
        and Engagement.objects.visible_to(user).filter(pk=agreement.engagement_id).exists()
    )
    return AgreementPage(events=events, milestones=milestones, engagement_seen=seen)


# The lead's status page ---------------------------------------------------------------------


def get_policy_for_status(user, public_id) -> Policy:
    """The policy whose agreements `user` may survey: its owning organisation's members, and
    the APCC secretariat once there is an agreement on it they read (a policy screened out
    never). 404 for everyone else, bodies included: a body sees only its own agreements."""
    viewer = Viewer.of(user)
    if not viewer.signed_in:
        raise Http404
    condition = Q(owner_id__in=viewer.organisation_ids)
    if viewer.is_secretariat:
        condition |= Q(
            Exists(ImplementationAgreement.objects.filter(policy_id=OuterRef("pk")))
        ) & ~Q(triage_outcome=TriageOutcome.SCREENED_OUT)
    return get_object_or_404(
        Policy.objects.filter(condition).select_related("owner"), public_id=public_id
    )


@dataclass(frozen=True)
class StatusRow:
    body: PolicingBody
    agreement: ImplementationAgreement | None  # the latest on this policy, if any
    summary: str  # a Summary value, or NOT_ASKED

    @property
    def summary_label(self) -> str:
        return str(SUMMARY_LABELS[self.summary])


NOT_ASKED = "not_asked"
SUMMARY_LABELS = {**dict(Summary.choices), NOT_ASKED: _("Not asked")}


@dataclass
class StatusTable:
    rows: list[StatusRow]  # every body, filtered
    all_rows: list[StatusRow]  # every body
    counts: Counter = field(default_factory=Counter)  # every body, by summary
    total: int = 0

    @property
    def count_list(self) -> list[tuple[str, str, int]]:
        """(summary, its words, how many bodies), worst first, those with none left out."""
        return [
            (value, str(SUMMARY_LABELS[value]), self.counts[value])
            for value in [*Summary.values, NOT_ASKED]
            if self.counts[value]
        ]


def status_table(user, policy: Policy, *, summary: str = "") -> StatusTable:
    """Every policing body with its latest agreement on `policy` and that agreement's
    summary, "not asked" for the rest, worst first: two queries (the bodies; the agreements
    with their milestones counted), whatever the number of bodies, agreements and
    milestones."""
    on = today()
    latest: dict[int, ImplementationAgreement] = {}
    agreements = (
        ImplementationAgreement.objects.visible_to(user)
        .filter(policy=policy)
        .with_milestone_counts(on)
        .order_by("body_id", "-proposed_at", "-pk")
    )
    for found in agreements:
        latest.setdefault(found.body_id, found)
    rows = []
    counts: Counter = Counter()
    for body in PolicingBody.objects.select_related("organisation").order_by("organisation__name"):
        agreement = latest.get(body.pk)
        if agreement is not None:
            agreement.body = body  # no query per row
            agreement.policy = policy
        row = StatusRow(
            body=body,
            agreement=agreement,
            summary=agreement.summary(on) if agreement is not None else NOT_ASKED,
        )
        counts[row.summary] += 1
        rows.append(row)
    # Worst first (overdue, at risk, waiting for the lead, ...), "not asked" last; by name
    # within each.
    order = {value: index for index, value in enumerate([*Summary.values, NOT_ASKED])}
    rows.sort(key=lambda row: order[row.summary])  # stable: names stay in order
    shown = [row for row in rows if not summary or row.summary == summary]
    return StatusTable(rows=shown, all_rows=rows, counts=counts, total=len(rows))


# Lists --------------------------------------------------------------------------------------


def _priority(on) -> Case:
    """Overdue first, then at risk, then waiting for this list's reader, then the rest."""
    return Case(
        When(Q(state=AgreementState.AGREED) & Q(m_overdue__gt=0), then=Value(0)),
        When(
            Q(state=AgreementState.AGREED, due_on__lt=on)
            & (Q(m_total=0) | Q(m_done__lt=F("m_total"))),
            then=Value(0),
        ),
        When(Q(state=AgreementState.AGREED) & Q(m_at_risk__gt=0), then=Value(1)),
        When(state__in=(AgreementState.PROPOSED, AgreementState.CHANGES_PROPOSED), then=Value(2)),
        When(state=AgreementState.AGREED, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )


def body_agreements(user, body: PolicingBody) -> QuerySet:
    """The body's own agreements ("Your implementation roles"): overdue and at risk first,
    then those waiting for an answer, then the rest; by date due within each."""
    on = today()
    return (
        ImplementationAgreement.objects.visible_to(user)
        .filter(body=body)
        .with_milestone_counts(on)
        .annotate(priority=_priority(on))
        .select_related("policy__owner")
        .order_by("priority", "due_on", "pk")
    )


def owner_agreements(user, membership: Membership | None, *, state: str = "") -> QuerySet:
    """For the owning organisation: the agreements on its policies (changes waiting for the
    lead first); for the APCC secretariat every one it reads. None for anyone else."""
    agreements = ImplementationAgreement.objects.visible_to(user)
    if membership is None:
        return agreements.none()
    if membership.is_secretariat:
        pass
    elif membership.organisation.is_national:
        agreements = agreements.filter(policy__owner=membership.organisation)
    else:
        return agreements.none()
    if state:
        agreements = agreements.filter(state=state)
    on = today()
    waiting = Case(
        When(state=AgreementState.CHANGES_PROPOSED, then=Value(0)),
        When(state=AgreementState.PROPOSED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        agreements.with_milestone_counts(on)
        .annotate(waiting=waiting)
        .select_related("policy", "body__organisation")
        .order_by("waiting", "policy__title", "body__organisation__name", "pk")
    )


# Panels -------------------------------------------------------------------------------------


def policy_counts(user, policy: Policy) -> dict[str, int]:
    """How many agreements on `policy` the person reads, by state: one query."""
    return _counts(ImplementationAgreement.objects.visible_to(user).filter(policy=policy))


def engagement_counts(user, engagement: Engagement) -> dict[str, int]:
    """How many agreements proposed in `engagement` the person reads, by state: one query."""
    return _counts(ImplementationAgreement.objects.visible_to(user).filter(engagement=engagement))


def _counts(agreements: QuerySet) -> dict[str, int]:
    found = agreements.aggregate(
        proposed=Count(
            "pk",
            filter=Q(state__in=(AgreementState.PROPOSED, AgreementState.CHANGES_PROPOSED)),
        ),
        agreed=Count("pk", filter=Q(state=AgreementState.AGREED)),
        declined=Count("pk", filter=Q(state=AgreementState.DECLINED)),
        total=Count("pk"),
    )
    return {key: value or 0 for key, value in found.items()}


DUE_SOON_DAYS = 14  # a milestone due within this many days shows on the body's desk


def body_desk(user, membership: Membership) -> dict[str, int]:
    """For a body's inbox, in one query: its proposals waiting for its answer; what is
    flagged on its agreed roles (milestones overdue or at risk, and roles past their date
    with milestones not all done, or none); and milestones not done that fall due within
    DUE_SOON_DAYS."""
    on = today()
    agreed = Q(state=AgreementState.AGREED)
    unfinished = Milestone.objects.filter(agreement=OuterRef("pk")).exclude(
        status=MilestoneStatus.DONE
    )
    any_milestone = Milestone.objects.filter(agreement=OuterRef("pk"))
    found = (
        ImplementationAgreement.objects.visible_to(user)
        .filter(body__organisation_id=membership.organisation_id)
        .aggregate(
            total=Count("pk", distinct=True),
            waiting=Count("pk", filter=Q(state=AgreementState.PROPOSED), distinct=True),
            flagged_milestones=Count(
                "milestones",
                filter=agreed
                & (overdue_q(on, "milestones__") | Q(milestones__status=MilestoneStatus.AT_RISK)),
                distinct=True,
            ),
            late_roles=Count(
                "pk",
                filter=agreed & Q(due_on__lt=on) & (Exists(unfinished) | ~Exists(any_milestone)),
                distinct=True,
            ),
            due_soon=Count(
                "milestones",
                filter=agreed
                & Q(
                    milestones__due_on__gte=on,
                    milestones__due_on__lte=on + timedelta(days=DUE_SOON_DAYS),
                )
                & ~Q(milestones__status=MilestoneStatus.DONE),
                distinct=True,
            ),
        )
    )
    desk = {key: value or 0 for key, value in found.items()}
    desk["flagged"] = desk.pop("flagged_milestones") + desk.pop("late_roles")
    return desk


def owner_desk(user, membership: Membership) -> int:
    """For the owning organisation's inbox: agreements on its policies with changes proposed
    by a body, waiting for the lead; one query."""
    return (
        ImplementationAgreement.objects.visible_to(user)
        .filter(
            policy__owner_id=membership.organisation_id,
            state=AgreementState.CHANGES_PROPOSED,
        )
        .count()
    )
