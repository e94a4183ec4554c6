"""Opening an engagement: the one step every opening goes through, and the audience it fixes.

The audience is fixed when an engagement opens (DESIGN.md section 6, ADR 0012): the bodies of
its routed standing groups at that moment, or every policing body on the agreed wider route,
are written as `AudienceBody` rows. Bodies that join a group later do not gain its past
engagements unless the APCC secretariat adds them (`audience_body_add`, recorded with why);
bodies that leave keep what they were sent. The APACE route stays role-based: the chief
executives at any time."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engage.accounts.models import User
from engage.core.services import lock, refresh, require_permission, required_text
from engage.core.services import save as save_row
from engage.directory.models import PolicingBody

from ..audience import groups_bodies
from ..models import AudienceBody, Decision, Engagement, Route, Status
from .common import _check_status
from .notification import notify_engagement_opened, notify_engagement_routed
from .refusals import check_not_screened_out, records_refusals

# The statuses an engagement opens from: awaiting the APCC (its confirmation opens it at once
# when the opening date has come) and scheduled (confirmed, opened on its date by
# `engagements_open_due`).
OPENABLE = (Status.AWAITING_APCC, Status.SCHEDULED)


def audience_fix(*, engagement: Engagement, at: datetime) -> int:
    """Write the engagement's audience as it stands at `at`: the bodies of its routed groups
    now, or every body when the APCC agreed the wider route; nothing for the APACE route
    (role-based). Idempotent. Returns how many bodies were written. `engagement_open` calls
    it; so do fixtures and the benchmark's data that make open engagements directly."""
    if engagement.route == Route.STANDING_GROUPS:
        bodies = groups_bodies(engagement.routed_groups.all())
    elif (
        engagement.route == Route.ALL_BODIES
        and engagement.wider_route_requests.filter(decision=Decision.AGREED).exists()
    ):
        bodies = PolicingBody.objects.all()
    else:
        return 0
    rows = [
        AudienceBody(engagement=engagement, body_id=pk, at_opening=True, added_at=at)
        for pk in bodies.order_by("pk").values_list("pk", flat=True)
    ]
    AudienceBody.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def engagement_open(*, engagement: Engagement, at: datetime, by: User) -> Engagement:
    """Open the engagement to its audience at `at`: the one function every opening goes
    through (the APCC's confirmation now, a scheduled opening later). It keeps the policy's
    stage at this moment, fixes the audience (`audience_fix`) and emails everyone it reaches
    once the transaction commits. The caller checks who may open it; this checks the state."""
    current = lock(engagement, "policy", "owner")
    _check_status(
        current,
        *OPENABLE,
        message=_("This engagement cannot be opened. It is %(status)s."),
    )
    check_not_screened_out(current.policy, by, "open an engagement")
    open_locked(current, at=at, by=by)
    return refresh(engagement, current)


def open_locked(current: Engagement, *, at: datetime, by: User, also: tuple[str, ...] = ()) -> None:
    """`engagement_open` on a row the caller has locked and checked, saving `also` (fields
    the caller set) in the same save: the APCC's confirmation opens in one history record."""
    current.status = Status.OPEN
    current.opened_at = at
    current.stage_at_opening = current.policy.stage
    save_row(current, by, ["status", "opened_at", "stage_at_opening", *also])
    audience_fix(engagement=current, at=at)
    notify_engagement_opened(current, by)


# Adding a body later ----------------------------------------------------------------------

ADD_REASON_MAX = 500


def audience_body_add_check(engagement: Engagement) -> None:
    """Refuse unless the engagement is open: `audience_body_add` checks it, and so does the
    page that offers to add a body."""
    _check_status(
        engagement,
        Status.OPEN,
        message=_("A body can only be added to an open engagement. This one is %(status)s."),
    )


def addable_bodies(engagement: Engagement):
    """The policing bodies not yet in the engagement's audience, by name."""
    return (
        PolicingBody.objects.exclude(audience_of__engagement=engagement)
        .select_related("organisation")
        .order_by("organisation__name")
    )


@records_refusals
def audience_body_add(
    *, engagement: Engagement, body: PolicingBody, by: User, reason: str
) -> AudienceBody:
    """The APCC secretariat adds a body to an open engagement's audience, saying why: a body
    that joined a routed group after it opened, say. Kept with who, when and why, and shown
    on the engagement's routing record. Its members read the engagement from now on."""
    current = lock(engagement, "policy", "owner")
    require_permission("engagements.act_as_apcc", by, current)
    audience_body_add_check(current)
    check_not_screened_out(current.policy, by, "add a body to an engagement")
    reason = required_text(reason, "reason", _("Say why you are adding this body"))
    if len(reason) > ADD_REASON_MAX:
        raise ValidationError(
            {
                "reason": _("Keep the reason to %(max)s characters or fewer")
                % {"max": ADD_REASON_MAX}
            }
        )
    if AudienceBody.objects.filter(engagement=current, body=body).exists():
        raise ValidationError({"body": _("That body is already in the engagement's audience")})
    row = AudienceBody(
        engagement=current,
        body=body,
        at_opening=False,
        added_at=timezone.now(),
        added_by=by,
        reason=reason,
    )
    save_row(row, by)
    notify_engagement_routed(current, [body.pk], by)
    return row
