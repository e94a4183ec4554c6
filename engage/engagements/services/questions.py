"""A draft's questions: add, change, remove, reorder."""

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from engage.accounts.models import User
from engage.core.services import as_history_user, lock, require_permission, required_text, save

from ..models import Engagement, Question, QuestionKind, Status
from .common import _check_status
from .refusals import _check_policy, records_refusals


def question_change_check(engagement: Engagement) -> None:
    """Refuse unless the engagement is a draft: every change to its questions checks it, and
    so does the questions page."""
    _check_status(
        engagement,
        Status.DRAFT,
        message=_(
            "Questions can only be changed while the engagement is a draft. It is %(status)s."
        ),
    )


def _question_engagement(engagement: Engagement, by: User, attempt: str) -> Engagement:
    current = lock(engagement, "policy", "owner")
    require_permission("engagements.manage_engagement", by, current)
    question_change_check(current)
    _check_policy(current.policy, by, attempt)
    return current


def _question_fields(text: str, kind: str) -> tuple[str, str]:
    text = required_text(text, "text", _("Enter the question"))
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Choose how the question is answered")})
    return text, kind


@records_refusals
def question_add(*, engagement: Engagement, by: User, text: str, kind: str) -> Question:
    """Add a question at the end of a draft's questions."""
    current = _question_engagement(engagement, by, "add a question")
    text, kind = _question_fields(text, kind)
    last = current.questions.aggregate(last=Max("number"))["last"] or 0
    question = Question(engagement=current, number=last + 1, text=text, kind=kind)
    save(question, by)
    return question


@records_refusals
def question_update(*, question: Question, by: User, text: str, kind: str) -> Question:
    _question_engagement(question.engagement, by, "change a question")
    question.text, question.kind = _question_fields(text, kind)
    save(question, by, ["text", "kind"])
    return question


@records_refusals
def question_remove(*, question: Question, by: User) -> None:
    """Remove a question from a draft; the ones after it move up. History keeps it."""
    current = _question_engagement(question.engagement, by, "remove a question")
    number = question.number
    as_history_user(question, by)
    question.delete()
    for later in current.questions.filter(number__gt=number).order_by("number"):
        later.number -= 1
        save(later, by, ["number"])


@records_refusals
def question_move(*, question: Question, by: User, direction: str) -> Question:
    """Swap a draft's question with the one above ("up") or below ("down")."""
    current = _question_engagement(question.engagement, by, "move a question")
    if direction not in ("up", "down"):
        raise ValidationError(_("Choose to move the question up or down"))
    step = -1 if direction == "up" else 1
    other = current.questions.filter(number=question.number + step).first()
    if other is None:
        raise ValidationError(
            _("This question is already first.")
            if direction == "up"
            else _("This question is already last.")
        )
    mine, theirs = question.number, other.number
    question.number = 0  # out of the way of the unique (engagement, number) constraint
    save(question, by, ["number"], clean=False)
    other.number = mine
    save(other, by, ["number"])
    question.number = theirs
    save(question, by, ["number"])
    return question
