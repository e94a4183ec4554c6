"""Reads of the policy register for the person asking, each scoped with `visible_to(user)`.

Every function runs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404

from engage.accounts.models import Organisation
from engage.directory.models import PriorityTheme

from .models import SCREEN_GROUNDS, KeyDate, Policy, Stage, StageChange

# Engaging at these stages is engaging early (protocol duty 2: in development and testing).
EARLY_STAGES = frozenset({Stage.IDEA, Stage.DEVELOPMENT, Stage.TESTING})


def get_policy_for_user(user, public_id, *, write: bool = False) -> Policy:
    """404 if the person may not see the policy, 403 if they may see but not change it."""
    policy = get_object_or_404(
        Policy.objects.visible_to(user).select_related(
            "owner", "magnitude_decided_by", "screened_by"
        ),
        public_id=public_id,
    )
    # rules.has_perm, not user.has_perm: Django lets a superuser through every has_perm.
    if write and not rules.has_perm("policies.change_policy", user, policy):
        raise PermissionDenied
    return policy


def register_for_user(
    user,
    organisation: Organisation | None,
    *,
    q: str = "",
    stage: str = "",
    theme: str = "",
    triage: str = "",
) -> QuerySet[Policy]:
    """The organisation's register: its policies the person can see, latest change first."""
    if organisation is None:
        return Policy.objects.none()
    policies = (
        Policy.objects.visible_to(user)
        .filter(owner=organisation)
        .prefetch_related(Prefetch("themes", queryset=PriorityTheme.objects.order_by("name")))
    )
    if q:
        policies = policies.filter(title__icontains=q)
    if stage:
        policies = policies.filter(stage=stage)
    if theme:
        policies = policies.filter(
            pk__in=Policy.themes.through.objects.filter(prioritytheme__slug=theme).values("policy")
        )
    if triage:
        policies = policies.filter(triage_outcome=triage)
    return policies.order_by("-updated_at", "title", "pk")


def theme_choices() -> list[tuple[str, str]]:
    return list(PriorityTheme.objects.order_by("name").values_list("slug", "name"))


def load_policy_details(policy: Policy) -> Policy:
    """Fetch what the owner's page shows: themes, leads, key dates and stage history."""
    prefetch_related_objects(
        [policy],
        Prefetch("themes", queryset=PriorityTheme.objects.order_by("name")),
        "policy_leads",
        Prefetch("key_dates", queryset=KeyDate.objects.current(), to_attr="current_key_dates"),
        Prefetch(
            "key_dates",
            queryset=KeyDate.objects.archived().select_related("archived_by"),
            to_attr="archived_key_dates",
        ),
        Prefetch("stage_changes", queryset=StageChange.objects.select_related("changed_by")),
    )
    return policy


@dataclass(frozen=True)
class TriageRecord:
    """An earlier magnitude decision or sensitivity screen, from the policy's history."""

    kind: str  # "magnitude" or "screen"
    at: datetime
    by: str
    merits: bool | None = None
    reason: str = ""
    grounds: tuple[str, ...] = ()
    notes: str = ""


def triage_history(policy: Policy) -> list[TriageRecord]:
    """Every magnitude decision and screen the policy has had, newest first (the first is
    the one in force)."""
    records: list[TriageRecord] = []
    seen_magnitude: set[datetime] = set()
    seen_screen: set[datetime] = set()
    rows = (
        policy.history.filter(Q(magnitude_decided_at__isnull=False) | Q(screened_at__isnull=False))
        .select_related("magnitude_decided_by", "screened_by")
        .order_by("history_date", "history_id")
    )
    for row in rows:
        at = row.magnitude_decided_at
        if at is not None and at not in seen_magnitude:
            seen_magnitude.add(at)
            records.append(
                TriageRecord(
                    kind="magnitude",
                    at=at,
                    by=str(row.magnitude_decided_by or ""),
                    merits=row.merits_engagement,
                    reason=row.magnitude_reason,
                )
            )
        at = row.screened_at
        if at is not None and at not in seen_screen:
            seen_screen.add(at)
            records.append(
                TriageRecord(
                    kind="screen",
                    at=at,
                    by=str(row.screened_by or ""),
                    grounds=tuple(
                        str(label) for field, label in SCREEN_GROUNDS if getattr(row, field)
                    ),
                    notes=row.screen_notes,
                )
            )
    records.sort(key=lambda record: record.at, reverse=True)
    return records


def engagements_closed_by_screen(policy: Policy) -> int:
    """How many engagements on the policy its latest screen closed (`policy_screen` closes
    them at the moment of the screen)."""
    if not policy.is_screened_out or policy.screened_at is None:
        return 0
    # Only closing sets closed_at, so these are the ones the screen closed. Through the
    # reverse relation: engagements build on policies, not the other way round.
    return policy.engagements.filter(closed_at=policy.screened_at).count()


_STAGE_LABELS = dict(Stage.choices)


@dataclass(frozen=True)
class TimelineEntry:
    public_id: str
    title: str
    kind: str
    status: str
    opened_at: datetime | None
    stage: str  # the stage the policy was at when the engagement opened ("" if not yet)

    @property
    def stage_label(self) -> str:
        return str(_STAGE_LABELS.get(self.stage, self.stage))

    @property
    def early(self) -> bool:
        return self.stage in EARLY_STAGES


@dataclass(frozen=True)
class Timeline:
    entries: list[TimelineEntry]

    @property
    def first_opened(self) -> TimelineEntry | None:
        return next((entry for entry in self.entries if entry.opened_at), None)

    @property
    def engaged_early(self) -> bool | None:
        """None until an engagement has opened; then whether the first one opened early."""
        first = self.first_opened
        return None if first is None else first.early


def engagement_timeline(user, policy: Policy) -> Timeline:
    """The policy's engagements the person can see, in the order they opened (those not yet
    open last), each with the stage the policy was at when it opened."""
    engagements = (
        policy.engagements.visible_to(user)
        .order_by(F("opened_at").asc(nulls_last=True), "created_at", "pk")
        .only("public_id", "title", "kind", "status", "opened_at", "stage_at_opening")
    )
    return Timeline(
        entries=[
            TimelineEntry(
                public_id=str(engagement.public_id),
                title=engagement.title,
                kind=engagement.get_kind_display(),
                status=engagement.get_status_display(),
                opened_at=engagement.opened_at,
                stage=engagement.stage_at_opening if engagement.opened_at else "",
            )
            for engagement in engagements
        ]
    )
