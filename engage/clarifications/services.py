"""Writes for clarification requests: asking, answering, publishing the answer.

Every function is keyword-only and atomic. It checks who is acting (PermissionDenied), then the
state and the input (ValidationError with a message for the page, keyed by form field where
there is one), and attributes history records to the person acting.

Decisions:
- The body asking is the policing body the person acts for now (their current membership),
  never a body named in a form. It must be one the engagement is addressed to
  (`audience.audience_bodies`), the person must read the engagement, and the engagement must
  be open: not a draft, not closed, its policy not screened out. A question about a document
  must be about one of that engagement's documents the person reads.
- Any member of the owning organisation answers, while they read the engagement, even once
  it has closed (the question was asked while it was open). The answer can be changed until
  it is published; every change is kept in the history.
- Publishing shares the question and answer with everyone who reads the engagement, as texts
  the lead may edit first to take out anything that identifies the asker. It happens once and
  is not withdrawn: what the bodies have read cannot be recalled.
- Nothing is done on an engagement whose policy was screened out (recorded like every other
  attempt, `engagements.services.refusals`).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from engage.accounts.models import Membership, OrganisationKind, User
from engage.accounts.selectors import membership_is_active
from engage.accounts.viewer import Viewer
from engage.core.services import lock, refresh, require, require_permission, required_text, save
from engage.directory.models import PolicingBody
from engage.documents.models import Document
from engage.engagements import audience
from engage.engagements.models import Engagement, Status
from engage.engagements.services.refusals import check_not_screened_out, records_refusals

from .models import ClarificationRequest
from .notification import notify_clarification_answered, notify_clarification_asked

ANSWER = "clarifications.answer_clarification"
MAX_TEXT = 5_000  # characters in a question or an answer


def _text(value: str | None, field: str, missing: str) -> str:
    text = required_text(value, field, missing)
    require(
        len(text) <= MAX_TEXT,
        _("Keep this to %(max)s characters or fewer") % {"max": f"{MAX_TEXT:,}"},
        field=field,
    )
    return text


# Asking ----------------------------------------------------------------------------------


def clarification_ask_check(
    engagement: Engagement, membership: Membership | None, by: User
) -> PolicingBody:
    """The body `membership` acts for, if it may ask about `engagement` now; else why not, in
    words for the page. The ask page asks this before showing its form, the engagement page
    before offering the link, and `clarification_ask` again on the locked engagement."""
    organisation = membership.organisation if membership is not None else None
    if organisation is None or organisation.kind != OrganisationKind.POLICING_BODY:
        raise ValidationError(
            _(
                "Only a policing body the engagement is addressed to can ask the policy lead "
                "a question, and you are not acting for one."
            )
        )
    check_not_screened_out(engagement.policy, by, "ask a clarification")
    require(
        engagement.status == Status.OPEN,
        _("You can ask a question only while the engagement is open. It is %(status)s.")
        % {"status": engagement.get_status_display().lower()},
    )
    body = audience.addressed_body(Viewer.of(by), engagement, organisation)
    # Read, not only seen: nobody asks about what they may not read (TLP:RED).
    if body is None:
        raise ValidationError(
            _("This engagement is not addressed to %(body)s, so it cannot ask about it.")
            % {"body": organisation.name}
        )
    return body


def _check_document(engagement: Engagement, document: Document | None, by: User) -> None:
    if document is None:
        return
    readable = Document.objects.readable_on(engagement, by).filter(pk=document.pk)
    require(
        document.engagement_id == engagement.pk and readable.exists(),
        _("Choose one of this engagement's documents, or the engagement as a whole"),
        field="document",
    )


@records_refusals
def clarification_ask(
    *,
    engagement: Engagement,
    membership: Membership | None,
    by: User,
    question: str,
    document: Document | None = None,
) -> ClarificationRequest:
    """A member of a body the engagement is addressed to asks the policy lead a question."""
    # A membership ended since the request began no longer acts for its body.
    if membership is not None and not membership_is_active(membership, by):
        raise PermissionDenied
    current = lock(engagement, "policy", "owner")
    body = clarification_ask_check(current, membership, by)
    _check_document(current, document, by)
    text = _text(question, "question", _("Enter your question"))
    clarification = ClarificationRequest(
        engagement=current, document=document, body=body, question=text, asked_by=by
    )
    save(clarification, by, clean=False)
    notify_clarification_asked(clarification, by)
    return clarification


# Answering and publishing ------------------------------------------------------------------


def _check_visible(clarification: ClarificationRequest, by: User) -> None:
    """Nobody acts on a request they may not read (TLP:RED, a screened-out policy)."""
    if not ClarificationRequest.objects.visible_to(by).filter(pk=clarification.pk).exists():
        raise PermissionDenied


def clarification_answer_check(clarification: ClarificationRequest) -> None:
    """Refuse unless the answer can still be given or changed: not once published."""
    require(
        not clarification.is_published,
        _("The answer has been published, so it can no longer be changed."),
    )


@records_refusals
def clarification_answer(
    *, clarification: ClarificationRequest, by: User, answer: str
) -> ClarificationRequest:
    """A member of the owning organisation answers, or changes the answer before it is
    published. An unchanged answer saves nothing."""
    current = lock(clarification, "engagement__policy")
    require_permission(ANSWER, by, current)
    _check_visible(current, by)
    check_not_screened_out(current.engagement.policy, by, "answer a clarification")
    clarification_answer_check(current)
    text = _text(answer, "answer", _("Enter your answer"))
    if text == current.answer:
        return refresh(clarification, current)
    reason = "Answer changed" if current.is_answered else "Answered"
    current.answer = text
    current.answered_by = by
    current.answered_at = current.answered_at or timezone.now()
    current._change_reason = reason  # type: ignore[attr-defined]
    save(current, by, ["answer", "answered_by", "answered_at"], clean=False)
    if reason == "Answered":
        notify_clarification_answered(current, by)
    return refresh(clarification, current)


def clarification_publish_check(clarification: ClarificationRequest) -> None:
    """Refuse unless the request is answered and not yet published."""
    require(
        clarification.is_answered,
        _("Answer the question before publishing it."),
    )
    require(
        not clarification.is_published,
        _("This question and answer have already been published."),
    )


@records_refusals
def clarification_publish(
    *, clarification: ClarificationRequest, by: User, question: str, answer: str
) -> ClarificationRequest:
    """Publish the question and answer, as edited, to everyone who reads the engagement."""
    current = lock(clarification, "engagement__policy")
    require_permission(ANSWER, by, current)
    _check_visible(current, by)
    check_not_screened_out(current.engagement.policy, by, "publish a clarification")
    clarification_publish_check(current)
    errors: dict[str, str] = {}
    texts: dict[str, str] = {}
    for field, value, missing in (
        ("question", question, _("Enter the question as it will be published")),
        ("answer", answer, _("Enter the answer as it will be published")),
    ):
        try:
            texts[field] = _text(value, field, missing)
        except ValidationError as exc:
            errors.update({key: " ".join(msgs) for key, msgs in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    current.published_question = texts["question"]
    current.published_answer = texts["answer"]
    current.published_by = by
    current.published_at = timezone.now()
    current._change_reason = "Published"  # type: ignore[attr-defined]
    save(
        current,
        by,
        ["published_question", "published_answer", "published_by", "published_at"],
        clean=False,
    )
    return refresh(clarification, current)
