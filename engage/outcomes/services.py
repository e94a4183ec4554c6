"""Writes for outcomes ("you said, we did"): the lead records what was heard, what changed and
what did not and why (with optional notes per question), publishes it to everyone who reads
the engagement, and corrects it afterwards.

Every function is keyword-only and atomic. It checks who is acting (PermissionDenied, through
`rules.py`), then the state and the input (ValidationError with a message fit for the page,
keyed by form field where there is one), and attributes history records to the person acting.

Decisions:
- One outcome per engagement, recorded once the engagement has reached its audience (open or
  closed): before that nobody has been heard. The engagement's row is locked first, so two
  leads starting the outcome at once make one outcome, not two.
- A draft may be saved with only part of it written; publishing needs what was heard and what
  changed (what did not change is optional: sometimes everything asked for did).
- Publishing shows the outcome to everyone who reads the engagement, so the page asks for a
  confirmation first. A published outcome cannot be withdrawn (what people have read cannot
  be recalled), but it can be corrected: a correction says why, is kept in the outcome's
  history with who and when, and the audience sees the latest text marked "updated on".
- The form sends back the revision it was drawn from; a save or publication from an older
  revision is refused, so two leads working at once never overwrite each other, and nobody
  publishes text they have not seen.
- Nothing can be done on an engagement of a screened-out policy: recording an outcome on one
  is refused and recorded like any other write (engagements' `check_not_screened_out`).
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engage.accounts.models import User
from engage.core.fields import parse_whole_number
from engage.core.services import lock, refresh, require, require_permission, save
from engage.engagements.models import LIVE, Engagement, Question
from engage.engagements.services import check_not_screened_out, records_refusals

from .models import Outcome, OutcomePoint, OutcomeStatus
from .notification import notify_outcome_published

RECORD = "outcomes.record_outcome"
TEXT_FIELDS = ("heard", "changed", "not_changed")
MAX_TEXT = 10_000  # characters in any one field or note
# The history's change reason holds at most 100 characters.
REASON_MAX = 100

CONFLICT = gettext_lazy(
    "Someone else saved this outcome after you opened it. Your changes have not been saved: "
    "the page now shows the latest version, so make your changes again."
)


def point_field(number: int) -> str:
    """The form field (and error key) for the note on question `number`."""
    return f"point_{number}"


# Checks ---------------------------------------------------------------------------------


def outcome_record_check(engagement: Engagement) -> None:
    """Refuse unless the engagement has reached its audience (open or closed): the services
    check it on the locked row, and the pages ask it before offering the form."""
    require(
        engagement.status in LIVE,
        _(
            "You can record the outcome once the engagement has reached its audience. "
            "It is %(status)s."
        )
        % {"status": engagement.get_status_display().lower()},
    )


def outcome_publish_check(outcome: Outcome) -> None:
    """Refuse unless the outcome is a draft with what was heard and what changed: the
    publish page asks it before offering the button, the service again on the locked row."""
    require(not outcome.is_published, _("This outcome is already published."))
    errors = {}
    if not outcome.heard.strip():
        errors["heard"] = _("Say what you heard before you publish the outcome")
    if not outcome.changed.strip():
        errors["changed"] = _("Say what changed before you publish the outcome")
    if errors:
        raise ValidationError(errors)


def _check_revision(outcome: Outcome | None, revision: object) -> None:
    expected = outcome.revision if outcome is not None else 0
    if parse_whole_number(revision) != expected:
        raise ValidationError(CONFLICT, code="conflict")


def _clean(value: str | None, field: str, errors: dict) -> str:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        errors[field] = _("Keep this to %(max)s characters or fewer") % {"max": f"{MAX_TEXT:,}"}
    return text


def _start(engagement: Engagement, by: User) -> Engagement:
    """The engagement's row, locked and read afresh, once `by` may record its outcome and it
    has reached its audience."""
    current = lock(engagement, "policy", "owner")
    require_permission(RECORD, by, current)
    outcome_record_check(current)
    check_not_screened_out(current.policy, by, "record an outcome")
    return current


# Writes ---------------------------------------------------------------------------------


@records_refusals
def outcome_save(
    *,
    engagement: Engagement,
    by: User,
    revision: object,
    heard: str = "",
    changed: str = "",
    not_changed: str = "",
    points: Mapping[int, str] | None = None,
    reason: str = "",
) -> Outcome:
    """Start or change the engagement's outcome: `points` maps a question number to the note
    on it (an empty note removes it). While a draft, any part may be empty (but not all); a
    published outcome is corrected, which needs what was heard, what changed and `reason`
    (why it is corrected, kept in the history). Saving with nothing changed changes
    nothing (the revision stays)."""
    current = _start(engagement, by)
    outcome = Outcome.objects.select_for_update().filter(engagement=current).first()
    _check_revision(outcome, revision)

    errors: dict[str, str] = {}
    values = {
        name: _clean(value, name, errors)
        for name, value in zip(TEXT_FIELDS, (heard, changed, not_changed), strict=True)
    }
    questions = {question.number: question for question in current.questions.all()}
    notes: dict[int, str] = {}
    for number, text in (points or {}).items():
        if number not in questions:
            raise ValidationError(
                _("There is no question %(number)s on this engagement.") % {"number": number}
            )
        notes[number] = _clean(text, point_field(number), errors)
    published = outcome is not None and outcome.is_published
    why = (reason or "").strip()
    if published:
        if not values["heard"]:
            errors["heard"] = _("Say what you heard: a published outcome cannot be emptied")
        if not values["changed"]:
            errors["changed"] = _("Say what changed: a published outcome cannot be emptied")
        if not why:
            errors["reason"] = _("Say why you are correcting the published outcome")
        elif len(why) > REASON_MAX:
            errors["reason"] = _("Keep the reason to %(max)s characters or fewer") % {
                "max": REASON_MAX
            }
    elif not any(values.values()) and not any(notes.values()):
        errors["heard"] = _("Write what you heard, or what changed, before saving")
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    if outcome is None:
        outcome = Outcome(engagement=current, created_by=by, updated_by=by, revision=1, **values)
        save(outcome, by, updated_at=now)
        _save_points(outcome, questions, notes, by)
        return outcome
    changed_fields = [name for name in TEXT_FIELDS if getattr(outcome, name) != values[name]]
    for name in changed_fields:
        setattr(outcome, name, values[name])
    if not _save_points(outcome, questions, notes, by) and not changed_fields:
        return outcome  # nothing changed: no new revision, no history record
    outcome.revision += 1
    outcome.updated_by = by
    fields = [*changed_fields, "revision", "updated_by"]
    if published:
        outcome.corrected_at = now
        fields.append("corrected_at")
        outcome._change_reason = why  # type: ignore[attr-defined]
    save(outcome, by, fields, updated_at=now)
    return outcome


def _save_points(
    outcome: Outcome, questions: Mapping[int, Question], notes: Mapping[int, str], by: User
) -> bool:
    """Write the notes that differ from what is stored; True if any did."""
    stored = {point.question.number: point for point in outcome.points.select_related("question")}
    changed = False
    for number, text in notes.items():
        point = stored.get(number)
        if point is None and text:
            point = OutcomePoint(outcome=outcome, question=questions[number], text=text)
            save(point, by)
            changed = True
        elif point is not None and not text:
            point._history_user = by  # type: ignore[attr-defined]
            point.delete()
            changed = True
        elif point is not None and point.text != text:
            point.text = text
            save(point, by, ["text"])
            changed = True
    return changed


@records_refusals
def outcome_publish(*, outcome: Outcome, by: User, revision: object) -> Outcome:
    """Publish the draft outcome to everyone who reads the engagement."""
    _start(outcome.engagement, by)
    current = lock(outcome)
    _check_revision(current, revision)
    outcome_publish_check(current)
    now = timezone.now()
    current.status = OutcomeStatus.PUBLISHED
    current.published_at = now
    current.published_by = by
    current.updated_by = by
    current._change_reason = "Published"  # type: ignore[attr-defined]
    save(current, by, ["status", "published_at", "published_by", "updated_by"], updated_at=now)
    notify_outcome_published(current, by)
    return refresh(outcome, current)
