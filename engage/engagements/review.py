"""Protocol review figures on timing (DESIGN.md section 6, "Protocol review figures"):
aggregates only, for the APCC secretariat (every engagement it sees) and the national
organisations (their own engagements). Policing bodies have no meaningful timing figures of
their own (they do not set the dates), so the page is not theirs.

Counted over the engagements opened in the period, with the windows measured from the day
each opened (as the confirmation counts them) against the minimums configured now
(`ENGAGE_MIN_RESPONSE_DAYS`, `ENGAGE_CHANGE_NOTICE_DAYS`).
"""

import statistics
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from engage.accounts.models import Organisation
from engage.accounts.viewer import Viewer

from .models import Engagement, Kind
from .services.timing import timing_of

REVIEW = "engagements.view_protocol_review"  # rules.py


def review_owners(user) -> QuerySet[Organisation]:
    """The owning organisations whose figures `user` may read: every national organisation
    for the secretariat, else the national organisations they belong to."""
    viewer = Viewer.of(user)
    national = Organisation.objects.national().order_by("name")
    if viewer.is_secretariat:
        return national
    return national.filter(pk__in=viewer.organisation_ids)


@dataclass(frozen=True)
class Counted:
    total: int = 0
    with_reason: int = 0

    @property
    def without_reason(self) -> int:
        return self.total - self.with_reason


@dataclass(frozen=True)
class TimingFigures:
    opened: int
    asking_response: int
    short_response: Counted
    change_notices: int
    short_notice: Counted
    median_response_days: float | None
    median_notice_days: float | None


def _median(values: list[int]) -> float | None:
    return statistics.median(values) if values else None


def timing_figures(
    user, *, start: date, end: date, owner: Organisation | None = None
) -> TimingFigures:
    """The timing figures over the engagements `user` sees (`visible_to`) that opened from
    `start` to `end` (inclusive), owned by `owner` or by any organisation whose figures they
    may read. One query, whatever the number of engagements."""
    viewer = Viewer.of(user)
    engagements = Engagement.objects.visible_to(user).filter(
        opened_at__date__gte=start, opened_at__date__lte=end
    )
    if owner is not None:
        engagements = engagements.filter(owner=owner)
    elif not viewer.is_secretariat:
        engagements = engagements.filter(owner_id__in=viewer.organisation_ids)
    rows = engagements.order_by().values_list(
        "opened_at",
        "kind",
        "asks_response",
        "response_deadline",
        "effective_date",
        "short_notice_reason",
    )
    opened = asking = notices = 0
    short_response = short_response_reasoned = short_notice = short_notice_reasoned = 0
    windows: list[int] = []
    notice_periods: list[int] = []
    for opened_at, kind, asks_response, deadline, effective, reason in rows:
        opened += 1
        timing = timing_of(
            Engagement(
                kind=kind,
                asks_response=asks_response,
                response_deadline=deadline,
                effective_date=effective,
            ),
            timezone.localdate(opened_at),
        )
        reasoned = bool(reason.strip())
        if timing.response_days is not None:
            asking += 1
            windows.append(timing.response_days)
            if timing.short_response:
                short_response += 1
                short_response_reasoned += reasoned
        if kind == Kind.CHANGE_NOTICE:
            notices += 1
        if timing.notice_days is not None:
            notice_periods.append(timing.notice_days)
            if timing.short_notice:
                short_notice += 1
                short_notice_reasoned += reasoned
    return TimingFigures(
        opened=opened,
        asking_response=asking,
        short_response=Counted(short_response, short_response_reasoned),
        change_notices=notices,
        short_notice=Counted(short_notice, short_notice_reasoned),
        median_response_days=_median(windows),
        median_notice_days=_median(notice_periods),
    )
