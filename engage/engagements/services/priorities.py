"""The national priorities a priorities update publishes."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from engage.accounts.models import User
from engage.core.services import (
    as_history_user,
    lock,
    require,
    require_permission,
    required_text,
    save,
)
from engage.directory.models import PriorityTheme

from ..models import Engagement, Kind, NationalPriority, PrioritySource, Status
from .common import _check_status
from .refusals import _check_policy, records_refusals


def national_priority_add_check(engagement: Engagement) -> None:
    """Refuse unless the engagement is a priorities update still in draft:
    `national_priority_add` checks it, and so does the page that offers to add one."""
    require(
        engagement.kind == Kind.PRIORITIES,
        _("National priorities are published in a priorities update."),
    )
    _check_status(
        engagement,
        Status.DRAFT,
        message=_("Priorities can only be added while the update is a draft. It is %(status)s."),
    )


@records_refusals
def national_priority_add(
    *,
    engagement: Engagement,
    by: User,
    title: str,
    source: str,
    period_start: date | None,
    supporting_information: str,
    period_end: date | None = None,
    themes: Iterable[PriorityTheme] = (),
) -> NationalPriority:
    """Add a ministerial or Criminal Justice Board priority to a draft priorities update."""
    current = lock(engagement, "policy", "owner")
    require_permission("engagements.manage_engagement", by, current)
    national_priority_add_check(current)
    _check_policy(current.policy, by, "add a national priority")
    title = required_text(title, "title", _("Enter the priority"))
    if source not in PrioritySource.values:
        raise ValidationError({"source": _("Choose whether it is a ministerial or Board priority")})
    supporting_information = required_text(
        supporting_information,
        "supporting_information",
        _("Enter the supporting information for the priority"),
    )
    if period_start is None:
        raise ValidationError({"period_start": _("Enter the date the priority applies from")})
    priority = NationalPriority(
        engagement=current,
        title=title,
        source=source,
        period_start=period_start,
        period_end=period_end,
        supporting_information=supporting_information,
    )
    save(priority, by)
    priority.themes.set(list(themes))
    return priority


@records_refusals
def national_priority_remove(*, priority: NationalPriority, by: User) -> None:
    """Take a priority out of a draft priorities update. History keeps it."""
    current = lock(priority.engagement, "policy", "owner")
    require_permission("engagements.manage_engagement", by, current)
    _check_status(
        current,
        Status.DRAFT,
        message=_("Priorities can only be removed while the update is a draft. It is %(status)s."),
    )
    _check_policy(current.policy, by, "remove a national priority")
    as_history_user(priority, by)
    priority.delete()
