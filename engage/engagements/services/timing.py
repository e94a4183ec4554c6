"""The timing the protocol asks for (national duties 2 and 4, principle 1).

- An opening date is today or later when the lead saves or sends a draft; one that passed
  while the draft waited for the APCC is not an error: confirming opens it at once.
- A response window (from the opening to the response deadline, when a response is asked)
  shorter than `ENGAGE_MIN_RESPONSE_DAYS`, or a change notice that takes effect sooner than
  `ENGAGE_CHANGE_NOTICE_DAYS` after the opening, needs a recorded reason
  (`short_notice_reason`), shown to the audience and counted in the review figures.
- Both are counted from the day it actually opens: the opening date, or the day the APCC
  confirms when that is later. A late confirmation that makes the window short is refused
  unless the lead has recorded a reason: the APCC returns it for the lead to give one or to
  move the dates (docs/decisions/0014).
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Engagement, Kind

# Characters in the reason the audience is shown for a short notice.
SHORT_NOTICE_REASON_MAX = 2_000


def min_response_days() -> int:
    return settings.ENGAGE_MIN_RESPONSE_DAYS


def change_notice_days() -> int:
    return settings.ENGAGE_CHANGE_NOTICE_DAYS


def opening_day(engagement: Engagement, today: date | None = None) -> date:
    """The day it opens if the APCC confirms it on `today`: its opening date, or today if
    that date has passed while it waited."""
    today = today or timezone.localdate()
    return max(engagement.opens_on, today)


@dataclass(frozen=True)
class Timing:
    """How long the audience has, counted from `opening`: days to respond (None when no
    response is asked) and days of notice before a change takes effect (None unless a
    change notice), and whether each is shorter than the protocol's usual."""

    opening: date
    response_days: int | None
    notice_days: int | None

    @property
    def short_response(self) -> bool:
        return self.response_days is not None and self.response_days < min_response_days()

    @property
    def short_notice(self) -> bool:
        return self.notice_days is not None and self.notice_days < change_notice_days()

    @property
    def is_short(self) -> bool:
        return self.short_response or self.short_notice


def timing_of(engagement: Engagement, opening: date) -> Timing:
    response = None
    if engagement.asks_response and engagement.response_deadline is not None:
        response = (engagement.response_deadline - opening).days
    notice = None
    if engagement.kind == Kind.CHANGE_NOTICE and engagement.effective_date is not None:
        notice = (engagement.effective_date - opening).days
    return Timing(opening=opening, response_days=response, notice_days=notice)


def short_notice_message(timing: Timing) -> str:
    """Why a reason is needed, in the lead's words."""
    parts = []
    if timing.short_response:
        parts.append(
            _("the response window is %(days)s days, shorter than the usual %(min)s")
            % {"days": timing.response_days, "min": min_response_days()}
        )
    if timing.short_notice:
        parts.append(
            _("the change takes effect %(days)s days after opening, sooner than the usual %(min)s")
            % {"days": timing.notice_days, "min": change_notice_days()}
        )
    return "; ".join(parts)


def opening_date_check(opens_on: date | None, today: date | None = None) -> None:
    """Refuse an opening date in the past (at the field)."""
    if opens_on is not None and opens_on < (today or timezone.localdate()):
        raise ValidationError(
            {"opens_on": _("The opening date must be today or in the future")}, code="past"
        )


def short_notice_check(engagement: Engagement, opening: date) -> None:
    """Refuse a short response window or change notice without a recorded reason (at the
    reason's field); drop a reason that is no longer needed, so what the audience is shown
    is never a reason for nothing."""
    timing = timing_of(engagement, opening)
    if not timing.is_short:
        engagement.short_notice_reason = ""
        return
    if len(engagement.short_notice_reason or "") > SHORT_NOTICE_REASON_MAX:
        raise ValidationError(
            {
                "short_notice_reason": _("Keep the reason to %(max)s characters or fewer")
                % {"max": f"{SHORT_NOTICE_REASON_MAX:,}"}
            },
            code="max_length",
        )
    if not (engagement.short_notice_reason or "").strip():
        raise ValidationError(
            {
                "short_notice_reason": _("Say why the notice is shorter than usual: %(why)s")
                % {"why": short_notice_message(timing)}
            },
            code="short_notice",
        )
