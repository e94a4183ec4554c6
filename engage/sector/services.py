"""Writes for the voluntary sector's own records: the organisation profile, and the log of
engagement activity with policing bodies and its follow-ups.

Every function is keyword-only and atomic. It checks who is acting (PermissionDenied, through
`sector.rules`), then the input (ValidationError with a message for the page, keyed by form
field), and attributes history records to the person acting. A refused write changes nothing.

Decisions:
- A charity number (England and Wales) and a company number are checked, and stored without
  spaces, by `engage.accounts.numbers`, as the account request checks them.
- The website, when given, is an https address. At least one policing area is served.
- An activity happened today or earlier; a lasting arrangement needs a sentence about it (the
  details are dropped when the activity is no lasting arrangement).
- An activity is shared with its policing body only when its organisation chooses (at creation
  or later), and can be unshared. Changing a shared activity's body unshares it: it was
  shared with the former body, not with the new one. It can be deleted only while not
  shared: the body reads what is shared, so it is unshared first. Deleting keeps the history rows.
- A follow-up's due date may be any date; whether it is overdue is worked out when read.
"""

from collections.abc import Callable, Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engage.accounts.models import Organisation, User
from engage.accounts.numbers import clean_charity_number, clean_company_number
from engage.core.services import as_history_user, lock, refresh, require_permission, save
from engage.directory.models import PolicingBody, PriorityTheme

from .models import Activity, ActivityKind, Arrangement, FollowUp, OrganisationProfile
from .rules import EDIT_PROFILE, KEEP_LOG

MAX_TEXT = 5_000  # characters in a profile's or an activity's long texts
MAX_DETAILS = 300  # characters about an arrangement (the column's length)
MAX_FOLLOW_UP = 300


class _Errors:
    """Collects the input's errors by field, so the page shows them all at once."""

    def __init__(self) -> None:
        self.found: dict[str, str] = {}

    def check(self, condition: object, field: str, message: str) -> None:
        if not condition and field not in self.found:
            self.found[field] = message

    def text(self, value: str | None, field: str, limit: int, missing: str = "") -> str:
        text = (value or "").strip()
        if missing:
            self.check(text, field, missing)
        self.check(
            len(text) <= limit,
            field,
            _("Keep this to %(max)s characters or fewer") % {"max": f"{limit:,}"},
        )
        return text

    def raise_any(self) -> None:
        if self.found:
            raise ValidationError(self.found)


# Numbers ------------------------------------------------------------------------------------


def _number(errors: "_Errors", clean: Callable[[str], str], value: str, field: str) -> str:
    """`value` as stored (accounts.numbers), or "" with the message on `field`."""
    try:
        return clean(value)
    except ValidationError as exc:
        errors.check(False, field, exc.messages[0])
        return ""


# The profile --------------------------------------------------------------------------------


@transaction.atomic
def profile_save(
    *,
    organisation: Organisation,
    by: User,
    areas_served: Iterable[PolicingBody],
    themes: Iterable[PriorityTheme] = (),
    charity_number: str = "",
    company_number: str = "",
    summary: str = "",
    services: str = "",
    people_supported: str = "",
    offer: str = "",
    website: str = "",
) -> OrganisationProfile:
    """Write the profile of voluntary `organisation` (made on first save) and the policing
    areas it serves. Its members and site administrators may."""
    organisation = lock(organisation)
    require_permission(EDIT_PROFILE, by, organisation)
    errors = _Errors()
    charity = _number(errors, clean_charity_number, charity_number, "charity_number")
    company = _number(errors, clean_company_number, company_number, "company_number")
    texts = {
        name: errors.text(value, name, MAX_TEXT)
        for name, value in (
            ("summary", summary),
            ("services", services),
            ("people_supported", people_supported),
            ("offer", offer),
        )
    }
    site = (website or "").strip()
    if site:
        try:
            URLValidator(schemes=["https"])(site)
        except ValidationError:
            errors.check(False, "website", _("Enter the website's address, starting https://"))
        errors.check(len(site) <= 500, "website", _("Keep the address to 500 characters or fewer"))
    areas = list(areas_served)
    errors.check(
        areas, "areas_served", _("Choose at least one policing body area the organisation serves")
    )
    errors.raise_any()

    profile = OrganisationProfile.objects.select_for_update().filter(
        organisation=organisation
    ).first() or OrganisationProfile(organisation=organisation)
    profile.charity_number = charity
    profile.company_number = company
    for name, value in texts.items():
        setattr(profile, name, value)
    profile.website = site
    profile.updated_by = by
    fields = ["charity_number", "company_number", *texts, "website", "updated_by", "updated_at"]
    save(profile, by, fields if profile.pk else None)
    as_history_user(profile, by)
    profile.themes.set(list(themes))
    as_history_user(organisation, by)
    organisation.areas_served.set(areas)
    return profile


# Activities ---------------------------------------------------------------------------------


def _activity_fields(
    errors: _Errors,
    *,
    body: PolicingBody | None,
    kind: str,
    happened_on: date | None,
    participants: str,
    summary: str,
    outcome: str,
    arrangement: str,
    arrangement_details: str,
) -> dict:
    errors.check(body is not None, "body", _("Choose the policing body"))
    errors.check(kind in ActivityKind.values, "kind", _("Choose the kind of activity"))
    errors.check(happened_on is not None, "happened_on", _("Enter the date"))
    errors.check(
        happened_on is None or happened_on <= timezone.localdate(),
        "happened_on",
        _("Date must be today or in the past"),
    )
    people = errors.text(participants, "participants", MAX_TEXT, _("Say who took part"))
    text = errors.text(summary, "summary", MAX_TEXT, _("Enter a summary of the activity"))
    result = errors.text(outcome, "outcome", MAX_TEXT)
    chosen = arrangement or ""
    errors.check(
        chosen in Arrangement.values, "arrangement", _("Choose a lasting arrangement from the list")
    )
    details = ""
    if chosen:
        details = errors.text(
            arrangement_details,
            "arrangement_details",
            MAX_DETAILS,
            _("Say what the lasting arrangement is, for example the role and the board"),
        )
    return {
        "body": body,
        "kind": kind,
        "happened_on": happened_on,
        "participants": people,
        "summary": text,
        "outcome": result,
        "arrangement": chosen,
        "arrangement_details": details,
    }


@transaction.atomic
def activity_create(
    *,
    organisation: Organisation,
    by: User,
    body: PolicingBody | None,
    kind: str,
    happened_on: date | None,
    participants: str,
    summary: str,
    outcome: str = "",
    arrangement: str = "",
    arrangement_details: str = "",
    share: bool = False,
) -> Activity:
    """Log an activity of `organisation` with a policing body; shared with the body now if
    `share`."""
    require_permission(KEEP_LOG, by, organisation)
    errors = _Errors()
    fields = _activity_fields(
        errors,
        body=body,
        kind=kind,
        happened_on=happened_on,
        participants=participants,
        summary=summary,
        outcome=outcome,
        arrangement=arrangement,
        arrangement_details=arrangement_details,
    )
    errors.raise_any()
    activity = Activity(
        organisation=organisation,
        created_by=by,
        shared_at=timezone.now() if share else None,
        **fields,
    )
    save(activity, by)
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    by: User,
    body: PolicingBody | None,
    kind: str,
    happened_on: date | None,
    participants: str,
    summary: str,
    outcome: str = "",
    arrangement: str = "",
    arrangement_details: str = "",
) -> Activity:
    """Correct an activity. A shared activity stays shared, unless its policing body changes:
    then it is no longer shared (the new body sees it only once the organisation shares it
    with that body)."""
    current = lock(activity, "organisation")
    require_permission(KEEP_LOG, by, current.organisation)
    errors = _Errors()
    fields = _activity_fields(
        errors,
        body=body,
        kind=kind,
        happened_on=happened_on,
        participants=participants,
        summary=summary,
        outcome=outcome,
        arrangement=arrangement,
        arrangement_details=arrangement_details,
    )
    errors.raise_any()
    changed = list(fields)
    if current.shared_at is not None and body is not None and current.body_id != body.pk:
        current.shared_at = None
        changed.append("shared_at")
    for name, value in fields.items():
        setattr(current, name, value)
    save(current, by, changed)
    return refresh(activity, current)


@transaction.atomic
def activity_share(*, activity: Activity, by: User) -> Activity:
    """Share the activity and its follow-ups with its policing body's members."""
    current = lock(activity, "organisation")
    require_permission(KEEP_LOG, by, current.organisation)
    if current.shared_at is None:
        current.shared_at = timezone.now()
        save(current, by, ["shared_at"])
    return refresh(activity, current)


@transaction.atomic
def activity_unshare(*, activity: Activity, by: User) -> Activity:
    """Stop sharing the activity: the body's members no longer see it."""
    current = lock(activity, "organisation")
    require_permission(KEEP_LOG, by, current.organisation)
    if current.shared_at is not None:
        current.shared_at = None
        save(current, by, ["shared_at"])
    return refresh(activity, current)


@transaction.atomic
def activity_delete(*, activity: Activity, by: User) -> None:
    """Delete an activity not shared, with its follow-ups (their history kept)."""
    current = lock(activity, "organisation", "body__organisation")
    require_permission(KEEP_LOG, by, current.organisation)
    if current.shared_at is not None:
        raise ValidationError(
            _(
                "This activity is shared with %(body)s, so its members can see it. "
                "Stop sharing it first, then delete it."
            )
            % {"body": current.body.organisation.name}
        )
    for follow_up in current.follow_ups.all():
        as_history_user(follow_up, by)
        follow_up.delete()
    as_history_user(current, by)
    current.delete()


# Follow-ups ---------------------------------------------------------------------------------


def _follow_up_fields(errors: _Errors, description: str, due_on: date | None) -> dict:
    text = errors.text(description, "description", MAX_FOLLOW_UP, _("Say what is to be done"))
    errors.check(due_on is not None, "due_on", _("Enter the due date"))
    return {"description": text, "due_on": due_on}


@transaction.atomic
def followup_add(
    *, activity: Activity, by: User, description: str, due_on: date | None
) -> FollowUp:
    current = lock(activity, "organisation")
    require_permission(KEEP_LOG, by, current.organisation)
    errors = _Errors()
    fields = _follow_up_fields(errors, description, due_on)
    errors.raise_any()
    follow_up = FollowUp(activity=current, **fields)
    save(follow_up, by)
    return follow_up


@transaction.atomic
def followup_update(
    *, follow_up: FollowUp, by: User, description: str, due_on: date | None, done: bool
) -> FollowUp:
    """Correct a follow-up; `done` marks it done today (kept if it was done already) or not."""
    current = lock(follow_up, "activity__organisation")
    require_permission(KEEP_LOG, by, current.activity.organisation)
    errors = _Errors()
    fields = _follow_up_fields(errors, description, due_on)
    errors.raise_any()
    for name, value in fields.items():
        setattr(current, name, value)
    if done and current.done_on is None:
        current.done_on = timezone.localdate()
    elif not done:
        current.done_on = None
    save(current, by, [*fields, "done_on"])
    return refresh(follow_up, current)


@transaction.atomic
def followup_done(*, follow_up: FollowUp, by: User) -> FollowUp:
    """Mark a follow-up done today (no change if it is done already)."""
    current = lock(follow_up, "activity__organisation")
    require_permission(KEEP_LOG, by, current.activity.organisation)
    if current.done_on is None:
        current.done_on = timezone.localdate()
        save(current, by, ["done_on"])
    return refresh(follow_up, current)
