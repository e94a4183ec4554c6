"""Writes for release requests: a body asks, the owning organisation's lead grants or refuses.

Every function is keyword-only and atomic; it checks who is acting (PermissionDenied, through
`rules.py`), then the state and the input (ValidationError with a message fit for the page,
keyed by form field where there is one), and attributes the history record to the person
acting. Each state check is its own function (`release_request_check`,
`release_decide_check`): the pages ask it before offering the action and the service runs it
again on the locked rows, so the rule and its words are written once.

Rules (protocol principle 3; DESIGN.md sections 2 and 6):
- Only a member acting for a policing body asks, for that body (from the membership, never
  the form), about an item the person reads: the engagement, or one of its documents.
- Refused: a draft or an engagement not yet open, a closed engagement, a screened-out policy
  (recorded as an attempt), a TLP:RED item (named people only: it can never widen through a
  request), a label not wider than the one the body has now, and a second request while one
  waits for the same item.
- The lead (a policy lead of the owning organisation who may release its labels,
  `engagements.manage_engagement`) grants or refuses with a reason; a grant needs a scope and
  may have an expiry date (the last day it applies, from tomorrow on). A grant is given only
  while the engagement is open and the label asked for is still wider than the body's; a
  refusal may close a request at any time, so none is left waiting on a closed engagement.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from engage.accounts.models import Membership, OrganisationKind, User
from engage.accounts.selectors import membership_is_active
from engage.core.labels import WIDENING_ORDER, Label, is_wider
from engage.core.services import (
    lock,
    refresh,
    require,
    require_permission,
    required_text,
    save,
)
from engage.directory.models import PolicingBody
from engage.directory.selectors import policing_body_of
from engage.engagements.audience import audience_bodies
from engage.engagements.models import Engagement, Status
from engage.engagements.services import check_not_screened_out, records_refusals

from .labels import document_label_for, engagement_label_for
from .models import ASKABLE_LABELS, Decision, ReleaseRequest
from .notification import notify_release_answered, notify_release_asked

DECIDE = "releases.decide_release"
MAX_TEXT = 5_000


# Checks ----------------------------------------------------------------------------------


def asking_body(membership: Membership | None) -> PolicingBody:
    """The policing body the membership acts for; refused for anyone else."""
    if membership is None or membership.organisation.kind != OrganisationKind.POLICING_BODY:
        raise ValidationError(
            _("Only a policing body asks to share an item further, and you are not acting for one.")
        )
    body = policing_body_of(membership)
    if body is None:
        raise ValidationError(_("Your organisation is not set up as a policing body."))
    return body


def _check_engagement_state(engagement: Engagement) -> None:
    if engagement.status == Status.CLOSED:
        raise ValidationError(
            _(
                "This engagement is closed, so nothing in it can be released further now. "
                "Ask the policy lead directly if you still need to share it."
            )
        )
    if engagement.status != Status.OPEN:
        raise ValidationError(
            _("This engagement is not open yet (it is %(status)s), so it cannot be released.")
            % {"status": engagement.get_status_display().lower()}
        )


def _check_not_red(label: str, *, document: bool) -> None:
    if label == Label.RED:
        raise ValidationError(
            _(
                "This document is TLP:RED: it is for the people named on it only, and a "
                "TLP:RED item can never be widened through a request. Speak to the policy "
                "lead if others need to know."
            )
            if document
            else _(
                "This engagement is TLP:RED: it is for the people named on it only, and a "
                "TLP:RED item can never be widened through a request. Speak to the policy "
                "lead if others need to know."
            )
        )


def askable_labels(current: str) -> list[str]:
    """The labels a body may ask for over `current`: wider, and never RED or AMBER+STRICT."""
    return [
        label for label in WIDENING_ORDER if label in ASKABLE_LABELS and is_wider(label, current)
    ]


def release_request_check(
    *, engagement: Engagement, document=None, body: PolicingBody
) -> tuple[str, list[str]]:
    """The label the body has on the item now and the labels it may ask for; refused (in the
    page's words) when it may not ask. The ask page shows this before the form; the service
    runs it again on the locked engagement."""
    _check_engagement_state(engagement)
    _check_not_red(engagement.label, document=False)
    # Only a body the engagement was sent to asks (as for questions and acknowledgements): a
    # body that reads it through a TLP:GREEN release was not entrusted with it.
    if not audience_bodies(engagement).filter(pk=body.pk).exists():
        raise ValidationError(
            _("This engagement is not addressed to %(body)s, so it cannot ask to share it.")
            % {"body": body.organisation.name}
        )
    if document is not None:
        _check_not_red(document.label, document=True)
        current = document_label_for(document, body.organisation).label
    else:
        current = engagement_label_for(engagement, body.organisation).label
    labels = askable_labels(current)
    if not labels:
        raise ValidationError(
            _("This is already %(label)s for %(body)s: there is no wider label to ask for.")
            % {"label": Label(current).label, "body": body.organisation.name}
        )
    waiting = ReleaseRequest.objects.filter(
        engagement=engagement, document=document, body=body, decision=Decision.PENDING
    )
    if waiting.exists():
        raise ValidationError(
            _(
                "%(body)s already has a request waiting for a decision on this. You will see "
                "the answer on the request's page."
            )
            % {"body": body.organisation.name}
        )
    return current, labels


def release_decide_check(release_request: ReleaseRequest) -> None:
    """Whether the request can be answered now: it must be waiting for a decision."""
    if not release_request.is_pending:
        raise ValidationError(
            _("This request has already been %(decision)s.")
            % {"decision": release_request.get_decision_display().lower()}
        )


def _check_readable(by: User, engagement: Engagement, document) -> None:
    """Nobody asks about what they may not read (the page answers 404 before this)."""
    if not Engagement.objects.readable_by(by).filter(pk=engagement.pk).exists():
        raise PermissionDenied
    if document is not None:
        if document.engagement_id != engagement.pk:
            raise PermissionDenied
        if not type(document).objects.readable_on(engagement, by).filter(pk=document.pk).exists():
            raise PermissionDenied


def _text(value: str | None, field: str, message: str) -> str:
    text = required_text(value, field, message)
    require(
        len(text) <= MAX_TEXT,
        _("Keep this to %(max)s characters or fewer") % {"max": f"{MAX_TEXT:,}"},
        field=field,
    )
    return text


# Writes ----------------------------------------------------------------------------------


@records_refusals
def release_request_create(
    *,
    engagement: Engagement,
    membership: Membership | None,
    by: User,
    to_label: str,
    with_whom: str,
    why: str,
    document=None,
) -> ReleaseRequest:
    """A body asks to share the engagement (or one of its documents) further."""
    body = asking_body(membership)
    if membership is None or not membership_is_active(membership, by):
        raise PermissionDenied
    engagement = lock(engagement, "policy", "owner")
    if document is not None:
        document = lock(document, "engagement")
    _check_readable(by, engagement, document)
    check_not_screened_out(engagement.policy, by, "ask to release")
    current, labels = release_request_check(engagement=engagement, document=document, body=body)
    if to_label not in labels:
        raise ValidationError(
            {"to_label": _("Choose a label wider than %(label)s") % {"label": Label(current).label}}
        )
    release_request = ReleaseRequest(
        engagement=engagement,
        document=document,
        body=body,
        requested_by=by,
        from_label=current,
        to_label=to_label,
        with_whom=_text(with_whom, "with_whom", _("Say who you want to share it with")),
        why=_text(why, "why", _("Explain why you want to share it")),
    )
    require(
        len(release_request.with_whom) <= 300,
        _("Keep this to 300 characters or fewer"),
        field="with_whom",
    )
    save(release_request, by)
    notify_release_asked(release_request, by)
    return release_request


@records_refusals
def release_request_decide(
    *,
    release_request: ReleaseRequest,
    by: User,
    decision: str,
    reason: str,
    scope: str = "",
    expires_on: date | None = None,
) -> ReleaseRequest:
    """The owning organisation's lead grants or refuses the request, with a reason; a grant
    with a scope and an optional expiry date."""
    locked = lock(release_request, "engagement__policy", "engagement__owner", "body__organisation")
    engagement = locked.engagement
    require_permission(DECIDE, by, engagement)
    check_not_screened_out(engagement.policy, by, "decide a release request")
    release_decide_check(locked)
    if decision not in (Decision.GRANTED, Decision.REFUSED):
        raise ValidationError({"decision": _("Choose whether to grant or refuse the request")})
    reason = _text(reason, "reason", _("Give the reason for your decision"))
    fields = ["decision", "decided_by", "decided_at", "reason"]
    if decision == Decision.GRANTED:
        _check_grant(locked, engagement, expires_on=expires_on)
        locked.scope = required_text(scope, "scope", _("Say with whom they may share it"))
        require(len(locked.scope) <= 300, _("Keep this to 300 characters or fewer"), field="scope")
        locked.expires_on = expires_on
        fields += ["scope", "expires_on"]
    locked.decision = decision
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.reason = reason
    save(locked, by, fields)
    notify_release_answered(locked, by)
    refresh(release_request, locked)
    return release_request


def _check_grant(
    release_request: ReleaseRequest, engagement: Engagement, *, expires_on: date | None
) -> None:
    _check_engagement_state(engagement)
    document = release_request.document
    if document is not None:
        document = type(document).objects.select_related("engagement").get(pk=document.pk)
        _check_not_red(document.label, document=True)
        current = document_label_for(document, release_request.body.organisation).label
    else:
        _check_not_red(engagement.label, document=False)
        current = engagement_label_for(engagement, release_request.body.organisation).label
    if not is_wider(release_request.to_label, current):
        raise ValidationError(
            _(
                "%(body)s already has %(label)s on this, as wide as the label asked for: "
                "refuse the request, saying so."
            )
            % {"body": release_request.body.organisation.name, "label": Label(current).label}
        )
    if expires_on is not None and expires_on <= timezone.localdate():
        raise ValidationError({"expires_on": _("The expiry date must be after today")})
