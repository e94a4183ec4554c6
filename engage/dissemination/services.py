"""Writes for dissemination requests: the lead asks the bodies to communicate something
locally; each body says what it did, or why it could not, and may correct it.

Every function is keyword-only and atomic. It checks who is acting (PermissionDenied), then the
state and the input (ValidationError with a message for the page, keyed by form field where
there is one), and attributes history records to the person acting.

Decisions:
- Any member of the owning organisation asks, while they read the engagement, once it has
  reached its audience (open or closed: before it opens, the bodies cannot read it). Several
  requests on one engagement are allowed (a second message, a later date).
- The message carries its own label, because it is meant to be passed on: TLP:CLEAR, GREEN
  (the default) or AMBER. TLP:AMBER+STRICT and TLP:RED are refused: a message restricted to the
  body itself, or to named people, cannot be communicated locally.
- The due date is today or later: a request is never due before it was made.
- The bodies asked are those the engagement is addressed to when the request is made
  (`audience.audience_bodies`), one row each; none, and the request is refused.
- The body confirming is the policing body the person acts for now (their current membership),
  never one named in a form, and must be one the request asked, and read the engagement. It
  says what it did (the channel, to whom, when: not in the future; an optional link and an
  optional attachment) or why it could not, and may correct that later; every version is kept
  in the history. Its first answer tells the requesting side (`notification`); a correction
  tells nobody again.
- The attachment (one file per confirmation, e.g. the bulletin or the board paper as sent) is
  read and checked as a document is (`documents.uploads.read_upload`: type by content, size,
  formula-safe CSV, PDF checks). A bad file refuses the whole answer, nothing saved. It comes
  only with "done": a "could not" answer with a file is refused, and correcting an answer to
  "could not" drops the attachment. A new file replaces the old; "remove" drops it; both at
  once is refused. A replaced or removed file stays stored (the history rows name it), and is
  never served again.
- Nothing is done on an engagement whose policy was screened out (recorded like every other
  attempt, `engagements.services.refusals`).
"""

from collections.abc import Iterable
from datetime import date
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from engage.accounts.models import Membership, OrganisationKind, User
from engage.accounts.selectors import membership_is_active
from engage.accounts.viewer import Viewer
from engage.core.labels import Label
from engage.core.services import lock, refresh, require, require_permission, save
from engage.documents.uploads import Upload, read_upload
from engage.engagements import audience
from engage.engagements.models import LIVE, Engagement
from engage.engagements.services.refusals import check_not_screened_out, records_refusals

from .models import (
    MESSAGE_LABELS,
    Audience,
    Channel,
    DisseminationConfirmation,
    DisseminationRequest,
    Outcome,
)
from .notification import notify_dissemination_confirmed, notify_dissemination_requested

ASK = "dissemination.ask_dissemination"
MAX_MESSAGE = 5_000  # characters in a message
MAX_TEXT = 2_000  # characters in "to whom" and "why it could not"
MAX_SHORT = 200  # characters in an "other" audience or channel
MAX_LINK = 500


class _Errors:
    """Collects the input's errors by field, so the page shows them all at once."""

    def __init__(self) -> None:
        self.found: dict[str, str] = {}

    def check(self, condition: object, field: str, message: str) -> None:
        if not condition and field not in self.found:
            self.found[field] = message

    def text(self, value: str | None, field: str, missing: str, limit: int) -> str:
        text = (value or "").strip()
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


def _choices(values: Iterable[str] | None, allowed: list[str]) -> list[str] | None:
    """The values in the order of `allowed`'s choices; None if one is not a choice."""
    chosen = set(values or ())
    valid = allowed
    if not chosen <= set(valid):
        return None
    return [value for value in valid if value in chosen]


# Asking -----------------------------------------------------------------------------------


def dissemination_ask_check(engagement: Engagement, by: User) -> None:
    """Refuse unless `by` may ask the bodies to communicate `engagement` locally now: a member
    of the owning organisation who reads it, once it has reached its audience, its policy not
    screened out. The engagement page asks this before offering the link."""
    check_not_screened_out(engagement.policy, by, "ask for dissemination")
    require_permission(ASK, by, engagement)
    if not audience.reads(Viewer.of(by), engagement):
        raise PermissionDenied  # TLP:RED: only the policy's own leads
    require(
        engagement.status in LIVE,
        _(
            "You can ask bodies to communicate an engagement locally once it is open. "
            "It is %(status)s."
        )
        % {"status": engagement.get_status_display().lower()},
    )
    # Under TLP:RED only named people read the engagement: a body with nobody named would be
    # asked for what it cannot see, and counted overdue for it.
    require(
        engagement.label != Label.RED,
        _(
            "This engagement is TLP:RED, for named people only, so the bodies cannot be asked "
            "to communicate it locally. Release it to a wider label first if it may be shared."
        ),
    )


def _message_label(errors: _Errors, value: str | None) -> str:
    label = value or ""
    if label in (Label.RED, Label.AMBER_STRICT):
        errors.check(
            False,
            "message_label",
            _(
                "A message meant to be passed on cannot be restricted to the body itself "
                "(%(label)s). Choose TLP:AMBER, TLP:GREEN or TLP:CLEAR."
            )
            % {"label": Label(label).label},
        )
    errors.check(
        label in [str(choice) for choice in MESSAGE_LABELS],
        "message_label",
        _("Choose the message's label: TLP:AMBER, TLP:GREEN or TLP:CLEAR"),
    )
    return label


@records_refusals
def dissemination_request_create(
    *,
    engagement: Engagement,
    by: User,
    message: str,
    due_on: date | None,
    audiences: Iterable[str],
    audience_other: str = "",
    message_label: str = Label.GREEN,
) -> DisseminationRequest:
    """The lead asks every body the engagement is addressed to to communicate `message`
    locally, to the audiences suggested, by `due_on`."""
    current = lock(engagement, "policy", "owner")
    dissemination_ask_check(current, by)
    errors = _Errors()
    text = errors.text(message, "message", _("Enter the message to communicate"), MAX_MESSAGE)
    label = _message_label(errors, message_label)
    chosen = _choices(audiences, Audience.values)
    errors.check(chosen is not None, "audiences", _("Choose audiences from the list"))
    errors.check(chosen, "audiences", _("Choose at least one audience to suggest"))
    # A message for the public is public: nothing narrower than TLP:CLEAR fits its purpose.
    errors.check(
        not chosen or Audience.PUBLIC not in chosen or label == Label.CLEAR,
        "message_label",
        _("A message for the public must be TLP:CLEAR. Choose TLP:CLEAR or another audience."),
    )
    other = ""
    if chosen and Audience.OTHER in chosen:
        other = errors.text(
            audience_other, "audience_other", _("Say which other audience"), MAX_SHORT
        )
    today = timezone.localdate()
    errors.check(due_on is not None, "due_on", _("Enter the due date"))
    errors.check(
        due_on is None or due_on >= today,
        "due_on",
        _("The due date must be today or later: a request cannot be due before it is made"),
    )
    errors.raise_any()
    bodies = list(audience.audience_bodies(current).order_by("pk").values_list("pk", flat=True))
    require(
        bodies,
        _("This engagement is addressed to no policing body, so there is no body to ask."),
    )
    request = DisseminationRequest(
        engagement=current,
        message=text,
        message_label=label,
        audiences=chosen,
        audience_other=other,
        due_on=cast(date, due_on),  # checked above
        created_by=by,
    )
    save(request, by, clean=False)
    DisseminationConfirmation.objects.bulk_create(
        DisseminationConfirmation(request=request, engagement=current, body_id=body)
        for body in bodies
    )
    notify_dissemination_requested(request, by)
    return request


# Confirming -------------------------------------------------------------------------------


def dissemination_confirm_check(
    request: DisseminationRequest, membership: Membership | None, by: User
) -> DisseminationConfirmation:
    """The row of the body `membership` acts for, if the request asked it and `by` reads the
    engagement; else why not, in words for the page. Loaded with the body's organisation."""
    engagement = request.engagement
    organisation = membership.organisation if membership is not None else None
    if organisation is None or organisation.kind != OrganisationKind.POLICING_BODY:
        raise ValidationError(
            _(
                "Only a policing body asked to communicate this says what it did, and you are "
                "not acting for one."
            )
        )
    check_not_screened_out(engagement.policy, by, "confirm dissemination")
    row = (
        DisseminationConfirmation.objects.filter(
            request=request, body__organisation_id=organisation.pk
        )
        .select_related("body__organisation", "confirmed_by")
        .first()
    )
    if row is None or not audience.reads(Viewer.of(by), engagement):
        raise ValidationError(
            _("%(body)s was not asked to communicate this.") % {"body": organisation.name}
        )
    return row


def _link(errors: _Errors, value: str | None) -> str:
    link = (value or "").strip()
    if not link:
        return ""
    errors.check(
        len(link) <= MAX_LINK,
        "link",
        _("Keep the link to %(max)s characters or fewer") % {"max": MAX_LINK},
    )
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError:
        errors.check(False, "link", _("Enter a web address starting https://"))
    return link


@records_refusals
def dissemination_confirm(
    *,
    dissemination: DisseminationRequest,
    membership: Membership | None,
    by: User,
    outcome: str,
    channel: str = "",
    channel_other: str = "",
    to_whom: str = "",
    audiences_reached: Iterable[str] = (),
    done_on: date | None = None,
    link: str = "",
    attachment: File | None = None,
    remove_attachment: bool = False,
    reason: str = "",
) -> DisseminationConfirmation:
    """The body the person acts for says what it did (`outcome` done: how, to whom, when, a
    link, a file) or why it could not; or corrects what it said, replacing or removing the
    file. An unchanged answer saves nothing."""
    if membership is not None and not membership_is_active(membership, by):
        raise PermissionDenied
    current = lock(dissemination, "engagement__policy", "engagement__owner")
    found = dissemination_confirm_check(current, membership, by)
    row = lock(found, "body__organisation")
    errors = _Errors()
    errors.check(
        outcome in (Outcome.DONE, Outcome.COULD_NOT),
        "outcome",
        _("Say whether your body communicated it"),
    )
    values: dict[str, object] = {
        "outcome": outcome,
        "channel": "",
        "channel_other": "",
        "to_whom": "",
        "audiences_reached": [],
        "done_on": None,
        "link": "",
        "reason": "",
    }
    if outcome == Outcome.DONE:
        errors.check(
            channel in [str(choice) for choice in Channel],
            "channel",
            _("Choose how you communicated it"),
        )
        values["channel"] = channel
        if channel == Channel.OTHER:
            values["channel_other"] = errors.text(
                channel_other, "channel_other", _("Say which other channel"), MAX_SHORT
            )
        values["to_whom"] = errors.text(
            to_whom, "to_whom", _("Say who you communicated it to"), MAX_TEXT
        )
        reached = _choices(audiences_reached, Audience.values)
        errors.check(reached is not None, "audiences_reached", _("Choose audiences from the list"))
        values["audiences_reached"] = reached or []
        errors.check(done_on is not None, "done_on", _("Enter the date you communicated it"))
        errors.check(
            done_on is None or done_on <= timezone.localdate(),
            "done_on",
            _("The date you communicated it must be today or in the past"),
        )
        asked_on = timezone.localdate(current.created_at)
        errors.check(
            done_on is None or done_on >= asked_on,
            "done_on",
            _("The date you communicated it cannot be before you were asked, on %(date)s")
            % {"date": f"{asked_on:%-d %B %Y}"},
        )
        values["done_on"] = done_on
        values["link"] = _link(errors, link)
    elif outcome == Outcome.COULD_NOT:
        values["reason"] = errors.text(
            reason, "reason", _("Say why your body could not communicate it"), MAX_TEXT
        )
        errors.check(
            attachment is None,
            "attachment",
            _("Attach a file only if your body communicated it"),
        )
    errors.check(
        attachment is None or not remove_attachment,
        "attachment",
        _("Either choose a new file or remove the attachment, not both"),
    )
    upload = _attachment(errors, attachment)
    errors.raise_any()
    keeps_file = outcome == Outcome.DONE and not remove_attachment
    drops_file = row.has_attachment and (upload is not None or not keeps_file)
    same = all(getattr(row, field) == value for field, value in values.items())
    if same and upload is None and not drops_file:
        return refresh(found, row)
    first_answer = not row.is_confirmed
    reason_text = "Confirmed" if first_answer else "Corrected"
    for field, value in values.items():
        setattr(row, field, value)
    fields = [*values, "confirmed_by", "confirmed_at"]
    if upload is not None or drops_file:
        fields += ATTACHMENT_FIELDS
        _set_attachment(row, upload)
    row.confirmed_by = by
    row.confirmed_at = timezone.now()
    if row.first_confirmed_at is None:
        row.first_confirmed_at = row.confirmed_at
        fields.append("first_confirmed_at")
    row._change_reason = reason_text  # type: ignore[attr-defined]
    try:
        save(row, by, fields, clean=False)
    except BaseException:
        if upload is not None:
            row.attachment.delete(save=False)  # the new file only: the row was not saved
        raise
    if first_answer:
        # The first answer tells the requesting side; a correction tells nobody again.
        notify_dissemination_confirmed(current, row, by)
    return refresh(found, row)


ATTACHMENT_FIELDS = ["attachment", "attachment_name", "attachment_type", "attachment_size"]


def _attachment(errors: _Errors, file: File | None) -> Upload | None:
    """The file read and checked as a document is, or None (none given, or refused: the
    reason is on the field)."""
    if file is None:
        return None
    try:
        return read_upload(file)
    except ValidationError as exc:
        errors.check(False, "attachment", " ".join(exc.messages))
        return None


def _set_attachment(row: DisseminationConfirmation, upload: Upload | None) -> None:
    """Put `upload` on the row (stored under a random name: `attachment_upload_to`), or clear
    the row's attachment. The file it had stays stored, named by the history."""
    if upload is None:
        row.attachment = ""  # type: ignore[assignment]
        row.attachment_name = ""
        row.attachment_type = ""
        row.attachment_size = 0
        return
    row.attachment_name = upload.name
    row.attachment_type = upload.checked.file_type
    row.attachment_size = upload.size
    row.attachment.save(upload.name, ContentFile(upload.data), save=False)
