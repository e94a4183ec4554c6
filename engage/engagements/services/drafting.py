"""Starting an engagement and changing its draft: fields, label (narrowing only) and named
recipients."""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from engage.accounts.models import OrganisationKind, User
from engage.accounts.selectors import people_in_kinds
from engage.core.labels import DEFAULT_LABEL, Label, is_wider
from engage.core.services import lock, refresh, require_permission, save
from engage.policies.models import Policy

from ..models import Engagement, Kind, Status
from .common import _check_kind_fits_stage, _check_status, _text
from .refusals import PolicyRefused, _check_policy, records_refusals
from .timing import opening_date_check, short_notice_check

# A new engagement starts at the default label or narrower; wider labels come by release.
CREATE_LABELS = (Label.RED, Label.AMBER_STRICT)
RECIPIENT_KINDS = (OrganisationKind.POLICING_BODY, OrganisationKind.APACE, OrganisationKind.APCC)
ENGAGEMENT_FIELDS = (
    "kind",
    "title",
    "body",
    "opens_on",
    "response_deadline",
    "rationale",
    "effective_date",
    "asks_response",
    "asks_dissemination",
    "asks_implementation_support",
    "share_responses",
    "label",
    "short_notice_reason",
)


def _check_fields(kind: str, title: str, body: str, opens_on: date | None) -> None:
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = _("Choose what kind of engagement this is")
    if not _text(title):
        errors["title"] = _("Enter a title")
    if not _text(body):
        errors["body"] = _("Enter what you are telling or asking policing bodies")
    if opens_on is None:
        errors["opens_on"] = _("Enter the opening date")
    if errors:
        raise ValidationError(errors)


def _check_recipients(label: str, recipients: Iterable[User]) -> list[User]:
    """The named recipients to keep: required under TLP:RED, none under other labels."""
    if label != Label.RED:
        return []
    people = list({person.pk: person for person in recipients}.values())
    if not people:
        raise ValidationError(
            {"recipients": _("Name at least one recipient: TLP:RED is for named people only")}
        )
    eligible = people_in_kinds(people, RECIPIENT_KINDS)
    if outside := [person.email for person in people if person.pk not in eligible]:
        raise ValidationError(
            {
                "recipients": _(
                    "Named recipients must be people in a policing body or the APCC. "
                    "Not eligible: %(emails)s"
                )
                % {"emails": ", ".join(sorted(outside))}
            }
        )
    return people


DATE_FIELDS = {"opens_on", "response_deadline", "effective_date"}


def _collect[R](errors: dict, check: Callable[..., R], *args: Any) -> R | None:
    """Run a check, adding what it finds to `errors`, so the page shows every problem at once."""
    try:
        return check(*args)
    except PolicyRefused:
        raise
    except ValidationError as exc:
        exc.update_error_dict(errors)
        return None


def _validate_engagement(engagement: Engagement, recipients: Iterable[User]) -> list[User]:
    errors: dict = {}
    e = engagement
    _collect(errors, _check_fields, e.kind, e.title, e.body, e.opens_on)
    _collect(errors, _check_kind_fits_stage, e.kind, e.policy)
    people = _collect(errors, _check_recipients, e.label, recipients)
    _collect(errors, opening_date_check, e.opens_on)
    _collect(errors, e.clean)
    if e.opens_on is not None and not errors.keys() & {
        "opens_on",
        "response_deadline",
        "effective_date",
    }:
        # Counted from the opening date; confirmation counts again from the day it opens.
        _collect(errors, short_notice_check, e, e.opens_on)
    if errors:
        raise ValidationError(errors)
    return people or []


@records_refusals
def policy_engagement_check(*, policy: Policy, by: User) -> None:
    """Refuse (and, for a screened-out policy, record) an attempt to start engaging on
    `policy`: the new-engagement page calls this before offering the form."""
    require_permission("engagements.add_engagement", by, policy)
    _check_policy(policy, by, "start an engagement")


@records_refusals
def engagement_create(
    *,
    policy: Policy,
    by: User,
    kind: str,
    title: str,
    body: str,
    opens_on: date | None,
    response_deadline: date | None = None,
    rationale: str = "",
    effective_date: date | None = None,
    asks_response: bool = False,
    asks_dissemination: bool = False,
    asks_implementation_support: bool = False,
    share_responses: bool = False,
    label: str = DEFAULT_LABEL,
    recipients: Iterable[User] = (),
    short_notice_reason: str = "",
) -> Engagement:
    """A draft engagement on `policy` by one of its owning organisation's policy leads."""
    require_permission("engagements.add_engagement", by, policy)
    _check_policy(policy, by, "create an engagement")
    if label not in CREATE_LABELS:
        raise ValidationError(
            {
                "label": _(
                    "A new engagement is TLP:AMBER+STRICT or TLP:RED. Release it to a wider "
                    "label once it is saved"
                )
            }
        )
    engagement = Engagement(
        policy=policy,
        owner=policy.owner,
        kind=kind,
        title=_text(title),
        body=_text(body),
        opens_on=opens_on,  # type: ignore[misc]  # None is reported by _validate_engagement
        response_deadline=response_deadline,
        rationale=_text(rationale),
        effective_date=effective_date,
        asks_response=bool(asks_response),
        asks_dissemination=bool(asks_dissemination),
        asks_implementation_support=bool(asks_implementation_support),
        share_responses=bool(share_responses),
        label=label,
        short_notice_reason=_text(short_notice_reason),
        created_by=by,
    )
    people = _validate_engagement(engagement, recipients)
    save(engagement, by)
    engagement.recipients.set(people)
    return engagement


def engagement_update_check(engagement: Engagement) -> None:
    """Refuse unless the engagement is a draft: `engagement_update` checks it, and so does
    the page that offers the change."""
    _check_status(
        engagement, Status.DRAFT, message=_("Only a draft can be changed. This one is %(status)s.")
    )


@records_refusals
def engagement_update(
    *,
    engagement: Engagement,
    by: User,
    kind: str,
    title: str,
    body: str,
    opens_on: date | None,
    response_deadline: date | None = None,
    rationale: str = "",
    effective_date: date | None = None,
    asks_response: bool = False,
    asks_dissemination: bool = False,
    asks_implementation_support: bool = False,
    share_responses: bool = False,
    label: str = DEFAULT_LABEL,
    recipients: Iterable[User] = (),
    short_notice_reason: str = "",
) -> Engagement:
    """Change a draft (new, or returned by the APCC). The label may narrow, never widen."""
    current = lock(engagement, "policy", "owner")
    require_permission("engagements.manage_engagement", by, current)
    engagement_update_check(current)
    _check_policy(current.policy, by, "change an engagement")
    if label not in Label.values:
        raise ValidationError({"label": _("Choose a handling label")})
    if is_wider(label, current.label):
        raise ValidationError(
            {
                "label": _(
                    "To share the engagement more widely than %(label)s, release it to a wider "
                    "label"
                )
                % {"label": current.get_label_display()}
            }
        )
    current.kind = kind
    current.title = _text(title)
    current.body = _text(body)
    current.opens_on = opens_on  # type: ignore[assignment]
    current.response_deadline = response_deadline
    current.rationale = _text(rationale)
    current.effective_date = effective_date
    current.asks_response = bool(asks_response)
    current.asks_dissemination = bool(asks_dissemination)
    current.asks_implementation_support = bool(asks_implementation_support)
    current.share_responses = bool(share_responses)
    current.label = label
    current.short_notice_reason = _text(short_notice_reason)
    people = _validate_engagement(current, recipients)
    save(current, by, list(ENGAGEMENT_FIELDS))
    current.recipients.set(people)
    return refresh(engagement, current)
