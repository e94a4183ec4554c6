"""Reads of outcomes for a person. Every read starts from `visible_to` / `readable_on`."""

import rules
from django.db.models import QuerySet

from engage.engagements.models import Engagement
from engage.policies.models import Policy

from .models import Outcome, OutcomePoint

RECORD = "outcomes.record_outcome"


def outcome_on(user, engagement: Engagement) -> Outcome | None:
    """The outcome of `engagement` if `user` reads it (the engagement loaded with
    `get_engagement_for_user`, so whether they read it is settled): one query."""
    return (
        Outcome.objects.readable_on(engagement, user)
        .select_related("published_by", "updated_by")
        .first()
    )


def can_record(user, engagement: Engagement) -> bool:
    """Whether `user` is the lead who records the outcome (no query: the person's facts)."""
    return rules.has_perm(RECORD, user, engagement)


def points(outcome: Outcome | None) -> list[OutcomePoint]:
    """The notes per question, in question order: one query."""
    if outcome is None:
        return []
    return list(outcome.points.select_related("question"))


def corrections(outcome: Outcome) -> list:
    """The outcome's history once published, latest first: its publication and every
    correction, with who and why. One query."""
    if not outcome.is_published:
        return []
    return list(
        outcome.history.filter(history_change_reason__isnull=False)
        .exclude(history_change_reason="")
        .select_related("history_user")
        .order_by("-history_date")
    )


def outcomes_on_policy(user, policy: Policy) -> QuerySet[Outcome]:
    """The outcomes of the policy's engagements `user` reads, newest first: one query."""
    return (
        Outcome.objects.visible_to(user)
        .filter(engagement__policy=policy)
        .select_related("engagement")
        .order_by("-published_at", "-created_at")
    )
