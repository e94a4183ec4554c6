"""Reads of impact evidence and impact cases for a person, and of the sector as a policing body
sees it. Every read starts from `visible_to(user)`; each function runs a fixed number of
queries whatever the number of rows."""

from collections import defaultdict
from dataclasses import dataclass, field

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse

from engage.accounts.models import Membership, Organisation, OrganisationKind
from engage.accounts.viewer import Viewer
from engage.directory.models import PlanPriority, PolicePlan, PolicingBody
from engage.directory.selectors import current_plan_for_user
from engage.sector.models import Activity, OrganisationProfile

from .models import EvidenceAttachment, EvidenceOutcome, ImpactCase, ImpactEvidence

RECORD = "impact.record_evidence"
MAKE_CASE = "impact.make_case"
CHANGE_EVIDENCE = "impact.change_evidence"
CHANGE_CASE = "impact.change_case"
VIEW_SECTOR = "impact.view_sector"


# The organisation and body acted for ---------------------------------------------------------


def acting_organisation(membership: Membership | None) -> Organisation | None:
    return membership.organisation if membership is not None else None


def can_record(user, organisation: Organisation | None) -> bool:
    return organisation is not None and rules.has_perm(RECORD, user, organisation)


def can_make_case(user, organisation: Organisation | None) -> bool:
    return organisation is not None and rules.has_perm(MAKE_CASE, user, organisation)


def areas_served(organisation: Organisation) -> QuerySet[PolicingBody]:
    """The policing bodies whose areas `organisation` serves, by name."""
    return organisation.areas_served.select_related("organisation", "force").order_by(
        "organisation__name"
    )


def current_priorities() -> QuerySet[PlanPriority]:
    """Priorities of current plans, in each plan's order."""
    # Several bodies' plans in one query (directory.selectors.current_plan_for_user reads one).
    return (
        PlanPriority.objects.filter(plan__superseded_at__isnull=True)
        .select_related("theme", "plan")
        .order_by("position", "pk")
    )


def priority_choices(organisation: Organisation) -> QuerySet[PlanPriority]:
    """The priorities an organisation's evidence may address: those of the current plans of the
    bodies whose areas it serves, grouped by body, in each plan's order. One query."""
    return (
        current_priorities()
        .filter(body__in=organisation.areas_served.all())
        .select_related("body__organisation")
        .order_by("body__organisation__name", "position", "pk")
    )


# Evidence -------------------------------------------------------------------------------------


def outcomes_prefetch() -> Prefetch:
    return Prefetch("outcomes", queryset=EvidenceOutcome.objects.order_by("position", "pk"))


def get_evidence_for_user(user, public_id, *, write: bool = False) -> ImpactEvidence:
    """The evidence if `user` reads it (404 otherwise); with `write`, 403 unless they may change
    it (a member of its organisation)."""
    evidence = get_object_or_404(
        ImpactEvidence.objects.visible_to(user).select_related(
            "organisation", "body__organisation", "priority__plan", "priority__theme", "created_by"
        ),
        public_id=public_id,
    )
    if write and not rules.has_perm(CHANGE_EVIDENCE, user, evidence):
        raise PermissionDenied
    return evidence


def can_change_evidence(user, evidence: ImpactEvidence) -> bool:
    return rules.has_perm(CHANGE_EVIDENCE, user, evidence)


def evidence_list(
    user,
    organisation: Organisation | None,
    *,
    body: PolicingBody | None = None,
    theme_id: int | None = None,
    shared: str = "",
) -> QuerySet[ImpactEvidence]:
    """The evidence of the organisation acted for (for a policing body: the evidence shared
    with it), newest first, filtered by body, theme of the priority, shared or not."""
    if organisation is None:
        return ImpactEvidence.objects.none()
    rows = ImpactEvidence.objects.visible_to(user).filter(
        Q(organisation=organisation) | Q(body__organisation=organisation)
    )
    if organisation.kind == OrganisationKind.POLICING_BODY:
        # What the body reads is what is shared with it, even for a person who is also a
        # member of the voluntary organisation (and so reads its unshared evidence).
        rows = rows.filter(shared_at__isnull=False)
    if body is not None:
        rows = rows.filter(body=body)
    if theme_id is not None:
        rows = rows.filter(priority__theme_id=theme_id)
    if shared == "yes":
        rows = rows.filter(shared_at__isnull=False)
    elif shared == "no":
        rows = rows.filter(shared_at__isnull=True)
    return rows.select_related(
        "organisation", "body__organisation", "priority__theme", "priority__plan"
    ).order_by("-ends_on", "-pk")


def evidence_bodies(organisation: Organisation) -> QuerySet[PolicingBody]:
    """The bodies to filter an organisation's evidence by: the areas it serves."""
    return areas_served(organisation)


def evidence_detail(evidence: ImpactEvidence) -> tuple[list, list, list]:
    """The evidence's outcomes, attachments and history, newest change first (3 queries)."""
    outcomes = list(evidence.outcomes.order_by("position", "pk"))
    attachments = list(evidence.attachments.select_related("uploaded_by").order_by("uploaded_at"))
    history = list(
        evidence.history.select_related("history_user").order_by("-history_date", "-history_id")[
            :50
        ]
    )
    return outcomes, attachments, history


def get_attachment_for_user(user, public_id) -> EvidenceAttachment:
    """An attachment if `user` reads its evidence (404 otherwise)."""
    return get_object_or_404(
        EvidenceAttachment.objects.filter(
            evidence__in=ImpactEvidence.objects.visible_to(user)
        ).select_related("evidence__organisation", "evidence__body"),
        public_id=public_id,
    )


# Impact cases ---------------------------------------------------------------------------------


def get_case_for_user(user, public_id, *, write: bool = False) -> ImpactCase:
    """The case if `user` reads it (404 otherwise); with `write`, 403 unless they may change it.
    With the organisation, its profile and the body joined."""
    case = get_object_or_404(
        ImpactCase.objects.visible_to(user).select_related(
            "organisation__profile", "body__organisation", "body__force", "created_by"
        ),
        public_id=public_id,
    )
    if write and not rules.has_perm(CHANGE_CASE, user, case):
        raise PermissionDenied
    return case


def can_change_case(user, case: ImpactCase) -> bool:
    return rules.has_perm(CHANGE_CASE, user, case)


def case_list(user, organisation: Organisation | None) -> QuerySet[ImpactCase]:
    """The cases of the organisation acted for (for a policing body: those shared with it)."""
    if organisation is None:
        return ImpactCase.objects.none()
    rows = ImpactCase.objects.visible_to(user).filter(
        Q(organisation=organisation) | Q(body__organisation=organisation)
    )
    if organisation.kind == OrganisationKind.POLICING_BODY:
        # Only what is shared with the body, as in `evidence_list`.
        rows = rows.filter(shared_at__isnull=False)
    return rows.select_related("organisation", "body__organisation").order_by("-created_at", "-pk")


@dataclass
class CaseSection:
    priority: PlanPriority
    evidence: list[ImpactEvidence] = field(default_factory=list)


@dataclass
class CaseContent:
    profile: OrganisationProfile | None
    plan: PolicePlan | None
    sections: list[CaseSection]  # the current plan's priorities with evidence, in its order
    without_evidence: list[PlanPriority]  # the current plan's priorities with none
    earlier: list[ImpactEvidence]  # evidence on priorities of superseded plans
    own: bool  # the reader is of the organisation: all its evidence, shared or not


def case_content(user, case: ImpactCase) -> CaseContent:
    """What the case says: the organisation's evidence on the body's current plan, priority by
    priority in the plan's order, then the priorities with no evidence, then the evidence on
    earlier plans. The organisation sees all its evidence; the body only what is shared with
    it. Four queries whatever the number of priorities, evidence and outcomes."""
    own = Viewer.of(user).is_member_of(case.organisation_id)
    plan = current_plan_for_user(user, case.body)
    evidence = ImpactEvidence.objects.visible_to(user).filter(
        organisation_id=case.organisation_id, body_id=case.body_id
    )
    if not own:
        evidence = evidence.filter(shared_at__isnull=False)
    rows = list(
        evidence.select_related("priority__plan")
        .prefetch_related(outcomes_prefetch())
        .order_by("starts_on", "pk")
    )
    by_priority: dict[int, list[ImpactEvidence]] = defaultdict(list)
    for row in rows:
        by_priority[row.priority_id].append(row)
    priorities = list(plan.priorities.all()) if plan is not None else []
    current_ids = {priority.pk for priority in priorities}
    sections = [
        CaseSection(priority, by_priority[priority.pk])
        for priority in priorities
        if by_priority.get(priority.pk)
    ]
    without = [priority for priority in priorities if not by_priority.get(priority.pk)]
    earlier = [row for row in rows if row.priority_id not in current_ids]
    profile = getattr(case.organisation, "profile", None)
    return CaseContent(
        profile=profile,
        plan=plan,
        sections=sections,
        without_evidence=without,
        earlier=earlier,
        own=own,
    )


# The body's view of the sector ----------------------------------------------------------------


def profile_url(slug: str) -> str:
    """The organisation's profile page, or "" if the sector app's pages are not installed."""
    try:
        return reverse("sector:profile", args=[slug])
    except NoReverseMatch:
        return ""


@dataclass
class SectorOrganisation:
    organisation: Organisation
    profile: OrganisationProfile | None
    theme_ids: frozenset[int]
    activity_shared: int
    url: str


@dataclass
class SectorPriority:
    priority: PlanPriority
    organisations: list[SectorOrganisation]
    evidence: list[ImpactEvidence]


@dataclass
class SectorView:
    body: PolicingBody
    plan: PolicePlan | None
    priorities: list[SectorPriority]
    other_organisations: list[SectorOrganisation]  # serving the area on other themes
    earlier: list[ImpactEvidence]  # shared evidence on priorities of earlier plans


def sector_view(user, body: PolicingBody) -> SectorView:
    """For a member of `body`: each priority of its current plan, in order, with the voluntary
    organisations serving its area that work on the priority's theme and the evidence shared
    with the body on it; then the organisations serving the area on other themes. Seven
    queries whatever the number of organisations, evidence and activity."""
    if not rules.has_perm(VIEW_SECTOR, user, body):
        raise PermissionDenied
    plan = current_plan_for_user(user, body)
    priorities = list(plan.priorities.all()) if plan is not None else []
    organisations = list(
        Organisation.objects.visible_to(user)
        .filter(kind=OrganisationKind.VOLUNTARY, areas_served=body)
        .select_related("profile")
        .prefetch_related("profile__themes")
        .order_by("name")
    )
    activity = dict(
        Activity.objects.visible_to(user)
        .filter(body=body, shared_at__isnull=False)
        .values_list("organisation")
        .annotate(count=Count("pk"))
        .values_list("organisation", "count")
    )
    evidence = list(
        ImpactEvidence.objects.visible_to(user)
        .filter(body=body, shared_at__isnull=False)
        .select_related("organisation", "priority")
        .prefetch_related(outcomes_prefetch())
        .order_by("-ends_on", "-pk")
    )
    entries = []
    for organisation in organisations:
        profile = getattr(organisation, "profile", None)
        theme_ids = frozenset(t.pk for t in profile.themes.all()) if profile else frozenset()
        entries.append(
            SectorOrganisation(
                organisation=organisation,
                profile=profile,
                theme_ids=theme_ids,
                activity_shared=activity.get(organisation.pk, 0),
                url=profile_url(organisation.slug),
            )
        )
    by_priority: dict[int, list[ImpactEvidence]] = defaultdict(list)
    for row in evidence:
        by_priority[row.priority_id].append(row)
    plan_theme_ids = {priority.theme_id for priority in priorities}
    rows = [
        SectorPriority(
            priority=priority,
            organisations=[e for e in entries if priority.theme_id in e.theme_ids],
            evidence=by_priority.get(priority.pk, []),
        )
        for priority in priorities
    ]
    current_ids = {priority.pk for priority in priorities}
    return SectorView(
        body=body,
        plan=plan,
        priorities=rows,
        other_organisations=[e for e in entries if not (e.theme_ids & plan_theme_ids)],
        earlier=[row for row in evidence if row.priority_id not in current_ids],
    )
