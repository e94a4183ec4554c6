"""Writes for responses: drafting a body's response, submitting it as a new version, and the
commissioner's delegations of the right to submit.

Every function is keyword-only and atomic. It checks who is acting (PermissionDenied, through
`rules.py`), then the state and the input (ValidationError with a message fit for the page,
keyed by form field where there is one), and attributes history records to the person acting.

Decisions:
- A body drafts and submits only while the engagement is open and asks for a response. A
  submission after the deadline is accepted and marked late: a late answer is still worth
  having, and the lead sees it is late. Closing the engagement ends drafting and submitting.
- The working copy carries a revision number. The form sends back the revision it was drawn
  from; a save or submission from an older revision is refused with a message, so two people
  editing at once never silently overwrite each other (DESIGN.md section 7, nothing lost).
- A submission freezes the questions, answers and local perspective into a new
  ResponseVersion; versions are never changed. Submitting again with nothing changed since
  the last version (a change undone counts as none) is refused, so every version says
  something new.
- Nobody drafts or submits a response they may not read (`Response.objects.visible_to`):
  under TLP:RED a member of the body who is not a named recipient can do neither.
- OPCC staff (any member of the body) mark a draft "ready for the commissioner" once something
  is saved in it and it has something to submit; it then comes first on the body's inbox. Any
  later save that changes the working copy clears the mark, whoever saves (what was marked
  ready is no longer what is there: mark it again), and so does a submission. A save that
  changes nothing keeps it.
- Every question must be answered to submit (a stance for a stance question, with an optional
  explanation; text for a free-text question). An engagement with no questions needs some
  local perspective instead.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engage.accounts.models import Membership, Role, User
from engage.accounts.selectors import members, membership_is_active
from engage.core.services import as_history_user, lock, refresh, require_permission, save
from engage.directory.models import PolicingBody
from engage.directory.selectors import policing_body_of
from engage.engagements.models import Engagement, Question, QuestionKind, Stance, Status

from .models import Answer, Response, ResponseVersion, SubmissionDelegation
from .notification import notify_draft_ready, notify_response_submitted

PERSPECTIVE_FIELDS = ("challenges", "opportunities", "local_variations")
MAX_TEXT = 10_000  # characters in any one answer or perspective field

CONFLICT = gettext_lazy(
    "Someone else saved this response after you opened it. Your changes have not been saved: "
    "the page now shows the latest version, so make your changes again."
)


@dataclass(frozen=True)
class AnswerInput:
    text: str = ""
    stance: str = ""


def answer_field(question: Question) -> str:
    """The form field (and error key) for a question's answer or explanation."""
    return f"answer_{question.number}"


def stance_field(question: Question) -> str:
    return f"stance_{question.number}"


# Checks ---------------------------------------------------------------------------------


def _check_engagement_takes_responses(engagement: Engagement) -> None:
    if not engagement.asks_response:
        raise ValidationError(_("This engagement does not ask for a response."))
    if engagement.status != Status.OPEN:
        raise ValidationError(
            _(
                "Responses can only be drafted or submitted while the engagement is open. "
                "It is %(status)s."
            )
            % {"status": engagement.get_status_display().lower()}
        )


def responding_body(membership: Membership | None) -> PolicingBody | None:
    """The policing body `membership` acts for, if it is one."""
    return policing_body_of(membership)


def response_addressed_check(
    engagement: Engagement, membership: Membership | None, by: User
) -> PolicingBody:
    """The body `membership` acts for, if `by` acts for it and the engagement is addressed to
    it (and seen by `by`); else why not, in words for the page (the respond page asks this
    before showing the form, the services again on every save)."""
    if membership is None:
        raise ValidationError(
            _("Only a policing body responds to an engagement, and you are not a member of one.")
        )
    # Read from the database, not the caller's copy: a membership ended since it was loaded
    # no longer acts for the body.
    if not membership_is_active(membership, by):
        raise PermissionDenied
    body = responding_body(membership)
    if body is None:
        raise ValidationError(
            _("Only a policing body responds to an engagement. You are acting for %(org)s.")
            % {"org": membership.organisation.name}
        )
    # Read, not only seen: nobody answers questions they may not read.
    addressed = Engagement.objects.readable_by(by).addressed_to(membership).filter(pk=engagement.pk)
    if not addressed.exists():
        raise ValidationError(
            _("This engagement is not addressed to %(body)s, so it takes no response from it.")
            % {"body": body}
        )
    return body


def _check_visible(response: Response, by: User) -> None:
    """No one works on a response they may not read: a member of the body who is not a named
    recipient of a TLP:RED engagement, say, or anyone once its policy is screened out."""
    if not Response.objects.visible_to(by).filter(pk=response.pk).exists():
        raise PermissionDenied


def _check_revision(response: Response, revision: int | None) -> None:
    try:
        current = int(revision) == response.revision  # type: ignore[arg-type]
    except (TypeError, ValueError):
        current = False
    if not current:
        raise ValidationError(CONFLICT, code="conflict")


def _clean_text(value: str | None, field: str, errors: dict) -> str:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        errors[field] = _("Keep this to %(max)s characters or fewer") % {"max": f"{MAX_TEXT:,}"}
    return text


# The working copy -----------------------------------------------------------------------


def response_snapshot(response: Response, questions: list[Question] | None = None) -> dict:
    """The working copy as it would be frozen into a version."""
    if questions is None:
        questions = list(response.engagement.questions.all())
    answers = {answer.question_id: answer for answer in response.answers.all()}
    return {
        "answers": [
            {
                "number": question.number,
                "question": question.text,
                "kind": question.kind,
                "stance": answers[question.pk].stance if question.pk in answers else "",
                "text": answers[question.pk].text if question.pk in answers else "",
            }
            for question in questions
        ],
        **{field: getattr(response, field) for field in PERSPECTIVE_FIELDS},
    }


def response_start(*, engagement: Engagement, membership: Membership, by: User) -> Response:
    """The body's response to `engagement`, created empty if it has none yet. Idempotent."""
    body = response_addressed_check(engagement, membership, by)
    _check_engagement_takes_responses(engagement)
    existing = Response.objects.filter(engagement=engagement, body=body).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            response = Response(engagement=engagement, body=body, created_by=by, updated_by=by)
            save(response, by, clean=False)
            return response
    except IntegrityError:  # a colleague started it a moment ago
        return Response.objects.get(engagement=engagement, body=body)


@transaction.atomic
def response_save_draft(
    *,
    response: Response,
    by: User,
    revision: int | None,
    answers: Mapping[int, AnswerInput],
    challenges: str = "",
    opportunities: str = "",
    local_variations: str = "",
) -> Response:
    """Save the working copy: `answers` by question number. Nothing is saved if anything is
    wrong, or if someone saved since `revision` was read."""
    current = lock(response, "engagement", "body__organisation")
    require_permission("responses.edit_response", by, current)
    _check_visible(current, by)
    _check_engagement_takes_responses(current.engagement)
    _check_revision(current, revision)

    questions = list(current.engagement.questions.all())
    numbers = {question.number for question in questions}
    if unknown := sorted(set(answers) - numbers):
        raise ValidationError(
            _("There is no question %(numbers)s on this engagement.")
            % {"numbers": ", ".join(str(n) for n in unknown)}
        )
    errors: dict[str, str] = {}
    cleaned: dict[int, AnswerInput] = {}
    for question in questions:
        given = answers.get(question.number, AnswerInput())
        text = _clean_text(given.text, answer_field(question), errors)
        stance = (given.stance or "").strip()
        if question.kind == QuestionKind.STANCE:
            if stance and stance not in Stance.values:
                errors[stance_field(question)] = _("Choose a stance from the list")
        else:
            stance = ""
        cleaned[question.number] = AnswerInput(text=text, stance=stance)
    perspective = {
        field: _clean_text(value, field, errors)
        for field, value in zip(
            PERSPECTIVE_FIELDS, (challenges, opportunities, local_variations), strict=True
        )
    }
    if errors:
        raise ValidationError(errors)

    before = response_snapshot(current, questions)
    existing = {answer.question_id: answer for answer in current.answers.all()}
    for question in questions:
        given = cleaned[question.number]
        answer = existing.get(question.pk)
        if answer is None:
            if not (given.text or given.stance):
                continue
            answer = Answer(response=current, question=question)
        elif answer.text == given.text and answer.stance == given.stance:
            continue
        answer.text, answer.stance = given.text, given.stance
        save(answer, by, clean=False)
    for field, value in perspective.items():
        setattr(current, field, value)
    after = response_snapshot(current, questions)
    if after == before:
        return refresh(response, current)  # nothing changed: no new revision
    current.revision += 1
    # Compared with what was last submitted, not with the last save: a change undone again
    # leaves nothing new to submit.
    current.changed_since_submission = not current.is_submitted or (
        after != current.versions.get(number=current.submitted_version).content
    )
    current.updated_by = by
    current.ready_at, current.ready_by = None, None  # changed since it was marked ready
    save(
        current,
        by,
        [
            *PERSPECTIVE_FIELDS,
            "revision",
            "changed_since_submission",
            "updated_by",
            "ready_at",
            "ready_by",
        ],
        updated_at=timezone.now(),
    )
    return refresh(response, current)


def _check_complete(snapshot: dict) -> None:
    errors: dict[str, str] = {}
    for answer in snapshot["answers"]:
        number = answer["number"]
        if answer["kind"] == QuestionKind.STANCE:
            if not answer["stance"]:
                errors[f"stance_{number}"] = _("Choose your stance on question %(n)s") % {
                    "n": number
                }
        elif not answer["text"]:
            errors[f"answer_{number}"] = _("Answer question %(n)s") % {"n": number}
    if not snapshot["answers"] and not any(snapshot[field] for field in PERSPECTIVE_FIELDS):
        errors["challenges"] = _(
            "Give your local perspective: challenges, opportunities or local variations"
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def response_submit(*, response: Response, by: User, revision: int | None) -> ResponseVersion:
    """Submit the working copy as it stood at `revision`: a new version, frozen."""
    current = lock(response, "engagement", "body__organisation")
    require_permission("responses.submit_response", by, current)
    _check_visible(current, by)
    engagement = current.engagement
    _check_engagement_takes_responses(engagement)
    _check_revision(current, revision)
    if not current.has_something_to_submit:
        raise ValidationError(
            _("Nothing has changed since version %(n)s was submitted.")
            % {"n": current.submitted_version}
        )
    snapshot = response_snapshot(current)
    _check_complete(snapshot)

    now = timezone.now()
    deadline = engagement.response_deadline
    version = ResponseVersion.objects.create(
        response=current,
        number=current.submitted_version + 1,
        content=snapshot,
        submitted_by=by,
        submitted_at=now,
        late=deadline is not None and timezone.localdate(now) > deadline,
    )
    current.submitted_version = version.number
    current.submitted_at = now
    current.changed_since_submission = False
    current.ready_at, current.ready_by = None, None  # the commissioner has acted on it
    current._change_reason = f"Submitted version {version.number}"  # type: ignore[attr-defined]
    save(
        current,
        by,
        ["submitted_version", "submitted_at", "changed_since_submission", "ready_at", "ready_by"],
        clean=False,
    )
    notify_response_submitted(current, by)
    refresh(response, current)
    return version


# Ready for the commissioner ---------------------------------------------------------------


def response_mark_ready_check(response: Response, by: User, *, seen: bool = False) -> None:
    """Why `by` may not mark `response` ready for the commissioner now, if they may not: the
    response page asks this before offering the button, the service again on the locked row.
    Only a member of the body (who reads the working copy), on an open engagement that asks
    for a response, on a draft with something saved and something new to submit. `seen`: the
    caller has just read the response through `visible_to` (a page), so that is not asked
    again."""
    require_permission("responses.edit_response", by, response)
    if not seen:
        _check_visible(response, by)
    _check_engagement_takes_responses(response.engagement)
    if response.revision == 0:
        raise ValidationError(_("There is nothing in this response yet: save a draft first."))
    if not response.has_something_to_submit:
        raise ValidationError(
            _(
                "Nothing has changed since version %(n)s was submitted, so there is nothing new "
                "for the commissioner."
            )
            % {"n": response.submitted_version}
        )
    if response.is_ready:
        raise ValidationError(_("This draft is already marked ready for the commissioner."))


@transaction.atomic
def response_mark_ready(*, response: Response, by: User, revision: int | None) -> Response:
    """Mark the working copy, as it stood at `revision`, ready for the commissioner."""
    current = lock(response, "engagement", "body__organisation")
    response_mark_ready_check(current, by)
    _check_revision(current, revision)
    current.ready_at = timezone.now()
    current.ready_by = by
    current._change_reason = "Marked ready for the commissioner"  # type: ignore[attr-defined]
    save(current, by, ["ready_at", "ready_by"], clean=False)
    notify_draft_ready(current, by)
    return refresh(response, current)


# Delegations ----------------------------------------------------------------------------


@transaction.atomic
def delegation_grant(*, body: PolicingBody, delegate: User, by: User) -> SubmissionDelegation:
    """The commissioner lets `delegate`, a member of the body, submit its responses."""
    require_permission("responses.manage_delegations", by, body)
    memberships = members(body.organisation_id).filter(user=delegate)
    if not memberships.exists():
        raise ValidationError(
            {"delegate": _("Choose someone who is a member of %(body)s") % {"body": body}}
        )
    if memberships.filter(role=Role.COMMISSIONER).exists():
        raise ValidationError(
            {
                "delegate": _("%(email)s is a commissioner and can already submit responses")
                % {"email": delegate.email}
            }
        )
    if SubmissionDelegation.objects.active().filter(body=body, delegate=delegate).exists():
        raise ValidationError(
            {"delegate": _("%(email)s can already submit responses") % {"email": delegate.email}}
        )
    delegation = SubmissionDelegation(body=body, delegate=delegate, granted_by=by)
    as_history_user(delegation, by)
    try:
        with transaction.atomic():
            delegation.save()
    except IntegrityError:  # granted a moment ago, by a second click or another tab
        raise ValidationError(
            {"delegate": _("%(email)s can already submit responses") % {"email": delegate.email}}
        ) from None
    return delegation


@transaction.atomic
def delegation_revoke(*, delegation: SubmissionDelegation, by: User) -> SubmissionDelegation:
    current = lock(delegation)
    require_permission("responses.manage_delegations", by, current.body)
    if current.revoked_at is not None:
        raise ValidationError(_("This delegation has already been withdrawn."))
    current.revoked_at = timezone.now()
    current.revoked_by = by
    save(current, by, ["revoked_at", "revoked_by"], clean=False)
    return refresh(delegation, current)
