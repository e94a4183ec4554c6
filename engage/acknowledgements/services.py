"""Writes for acknowledgements: a body acknowledges a change notice or a priorities update.

Decisions:
- The body acknowledging is the policing body the person acts for now (their current
  membership), never one named in a form; any of its members may acknowledge for it, while
  they read the engagement (TLP:RED: the named ones).
- Only an open change notice or priorities update is acknowledged, by a body it is addressed
  to (`audience.audience_bodies`), and once: a second acknowledgement (a colleague's, a second
  click) is refused with who acknowledged and when. An acknowledgement is not withdrawn.
- Nothing is done on an engagement whose policy was screened out (recorded like every other
  attempt, `engagements.services.refusals`).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from engage.accounts.models import Membership, OrganisationKind, User
from engage.accounts.selectors import membership_is_active
from engage.accounts.viewer import Viewer
from engage.core.services import lock, require, save
from engage.directory.models import PolicingBody
from engage.engagements import audience
from engage.engagements.models import Engagement, Status
from engage.engagements.services.refusals import check_not_screened_out, records_refusals

from .models import ACKNOWLEDGED_KINDS, Acknowledgement

MAX_NOTE = 2_000  # characters


def acknowledgement_body_check(
    engagement: Engagement, membership: Membership | None, by: User
) -> PolicingBody:
    """The body `membership` acts for, if the engagement is addressed to it and `by` reads
    it; else why not, in words for the page."""
    organisation = membership.organisation if membership is not None else None
    if organisation is None or organisation.kind != OrganisationKind.POLICING_BODY:
        raise ValidationError(
            _(
                "Only a policing body the engagement is addressed to acknowledges it, and you "
                "are not acting for one."
            )
        )
    body = audience.addressed_body(Viewer.of(by), engagement, organisation)
    if body is None:
        raise ValidationError(
            _("This engagement is not addressed to %(body)s, so it has nothing to acknowledge.")
            % {"body": organisation.name}
        )
    return body


def already_acknowledged(acknowledgement: Acknowledgement) -> str:
    return _("%(body)s acknowledged this on %(date)s (%(person)s). It is acknowledged once.") % {
        "body": acknowledgement.body.organisation.name,
        "date": date_format(timezone.localtime(acknowledgement.acknowledged_at), "j F Y"),
        "person": acknowledgement.acknowledged_by.get_full_name(),
    }


def acknowledgement_state_check(
    engagement: Engagement, body: PolicingBody, by: User, *, existing: Acknowledgement | None
) -> None:
    """Refuse unless `body` can acknowledge `engagement` now: an open change notice or
    priorities update of a policy not screened out, not yet acknowledged (`existing`, loaded
    with its body's organisation and who acknowledged)."""
    require(
        engagement.kind in ACKNOWLEDGED_KINDS,
        _("Only a change notice or a priorities update is acknowledged."),
    )
    check_not_screened_out(engagement.policy, by, "acknowledge")
    require(
        engagement.status == Status.OPEN,
        _("It can be acknowledged only while the engagement is open. It is %(status)s.")
        % {"status": engagement.get_status_display().lower()},
    )
    if existing is not None:
        raise ValidationError(already_acknowledged(existing), code="already")


def existing_acknowledgement(engagement: Engagement, body: PolicingBody) -> Acknowledgement | None:
    return (
        Acknowledgement.objects.filter(engagement=engagement, body=body)
        .select_related("body__organisation", "acknowledged_by")
        .first()
    )


@records_refusals
def acknowledge(
    *, engagement: Engagement, membership: Membership | None, by: User, note: str = ""
) -> Acknowledgement:
    """The body the person acts for acknowledges the engagement, with an optional note."""
    if membership is not None and not membership_is_active(membership, by):
        raise PermissionDenied
    current = lock(engagement, "policy", "owner")
    # First, so that an attempt on a screened-out policy is recorded, whoever makes it.
    check_not_screened_out(current.policy, by, "acknowledge")
    body = acknowledgement_body_check(current, membership, by)
    acknowledgement_state_check(current, body, by, existing=existing_acknowledgement(current, body))
    text = (note or "").strip()
    require(
        len(text) <= MAX_NOTE,
        _("Keep the note to %(max)s characters or fewer") % {"max": f"{MAX_NOTE:,}"},
        field="note",
    )
    acknowledgement = Acknowledgement(engagement=current, body=body, note=text, acknowledged_by=by)
    try:
        with transaction.atomic():
            save(acknowledgement, by, clean=False)
    except IntegrityError:  # a colleague acknowledged a moment ago
        raise ValidationError(
            already_acknowledged(existing_acknowledgement(current, body)),  # type: ignore[arg-type]
            code="already",
        ) from None
    return acknowledgement
