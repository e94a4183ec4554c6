"""Forms for responses: the copy (labels, hints, error messages) lives here; the rules (what a
draft may hold, what a submission needs) live in the services, whose errors the views put back
on these forms by field name (`answer_<n>`, `stance_<n>`, `challenges`, ...)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from engage.accounts.models import User
from engage.core.fields import ModelChoiceField, parse_whole_number
from engage.engagements.models import Question, QuestionKind, Stance

from .services import PERSPECTIVE_FIELDS, AnswerInput, answer_field, stance_field


def stance_label(value: str) -> str:
    """A stance in words ("" for none)."""
    try:
        return str(Stance(value).label)
    except ValueError:
        return ""


NEEDED_TO_SUBMIT = _("Needed before the response can be submitted.")


class DraftTextField(forms.CharField):
    """An answer a draft may leave empty, but a submission needs: so it is not marked
    "(optional)", and the service says what is missing when someone submits."""

    def validate(self, value) -> None:
        return None


class DraftChoiceField(forms.ChoiceField):
    """A stance a draft may leave unchosen; a value given must be one of the choices."""

    def validate(self, value) -> None:
        if value and not self.valid_value(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )


def _revision(value) -> int | None:
    """The revision the page was drawn from; None if it is not one (the save is then refused
    as a conflict, showing the latest copy and what was typed)."""
    return parse_whole_number(value)


class RevisionField(forms.Field):
    """The hidden revision, kept as sent: a malformed one is a conflict, not a form error."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)


class ResponseForm(forms.Form):
    """The body's working copy: an answer per question (a stance and an optional explanation
    for a stance question), then the local perspective, and the revision it was drawn from."""

    use_required_attribute = False  # a draft may be saved half done

    revision = RevisionField()
    challenges = forms.CharField(
        label=_("Challenges"),
        help_text=_("What would make this hard to deliver in your area?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    opportunities = forms.CharField(
        label=_("Opportunities"),
        help_text=_("What could it make possible, or better, in your area?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    local_variations = forms.CharField(
        label=_("Local variations"),
        help_text=_("How does your area differ: services, demand, partners, geography?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        perspective = {name: self.fields.pop(name) for name in PERSPECTIVE_FIELDS}
        for question in questions:
            if question.kind == QuestionKind.STANCE:
                self.fields[stance_field(question)] = DraftChoiceField(
                    label=question.text,
                    help_text=NEEDED_TO_SUBMIT,
                    choices=Stance.choices,
                    widget=forms.RadioSelect,
                    error_messages={"invalid_choice": _("Choose a stance from the list")},
                )
                self.fields[answer_field(question)] = forms.CharField(
                    label=_("Explain your stance"),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 5}),
                )
            else:
                self.fields[answer_field(question)] = DraftTextField(
                    label=question.text,
                    help_text=NEEDED_TO_SUBMIT,
                    widget=forms.Textarea(attrs={"rows": 8}),
                )
        self.fields.update(perspective)  # after the questions, in the order of the page

    @staticmethod
    def initial_from(response, questions: list[Question]) -> dict:
        """The form's values from the working copy (`response` may be None: not started)."""
        if response is None:
            return {"revision": "0"}
        answers = {answer.question_id: answer for answer in response.answers.all()}
        initial: dict = {"revision": str(response.revision)}
        for question in questions:
            answer = answers.get(question.pk)
            initial[answer_field(question)] = answer.text if answer else ""
            if question.kind == QuestionKind.STANCE:
                initial[stance_field(question)] = answer.stance if answer else ""
        for name in PERSPECTIVE_FIELDS:
            initial[name] = getattr(response, name)
        return initial

    def question_fields(self) -> list[dict]:
        """Per question, for the template: the question and its bound fields."""
        return [
            {
                "question": question,
                "stance": self[stance_field(question)]
                if question.kind == QuestionKind.STANCE
                else None,
                "answer": self[answer_field(question)],
            }
            for question in self.questions
        ]

    def perspective_fields(self) -> list:
        return [self[name] for name in PERSPECTIVE_FIELDS]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "revision": _revision(data.get("revision")),
            "answers": {
                question.number: AnswerInput(
                    text=data.get(answer_field(question)) or "",
                    stance=data.get(stance_field(question)) or "",
                )
                for question in self.questions
            },
            **{name: data.get(name) or "" for name in PERSPECTIVE_FIELDS},
        }

    def has_content(self) -> bool:
        """Whether anything was typed or chosen (a first save of nothing starts nothing)."""
        kwargs = self.service_kwargs()
        return any(a.text or a.stance for a in kwargs["answers"].values()) or any(
            kwargs[name] for name in PERSPECTIVE_FIELDS
        )

    def unsaved(self, latest: dict) -> list[tuple[str, str]]:
        """What the person typed that differs from `latest` (the values saved meanwhile), by
        where it goes on the page: shown when a save is refused, so nothing is lost."""
        if not self.is_bound:
            return []
        names: dict[str, object] = {}
        for question in self.questions:
            number = question.number
            if question.kind == QuestionKind.STANCE:
                names[stance_field(question)] = _("Question %(n)s: stance") % {"n": number}
                names[answer_field(question)] = _("Question %(n)s: explanation") % {"n": number}
            else:
                names[answer_field(question)] = _("Question %(n)s") % {"n": number}
        for name in PERSPECTIVE_FIELDS:
            names[name] = self.fields[name].label
        unsaved = []
        for name, where in names.items():
            value = (self.data.get(self.add_prefix(name)) or "").strip()
            if not value or value == (latest.get(name) or "").strip():
                continue
            if name.startswith("stance_"):
                value = stance_label(value) or value
            unsaved.append((str(where), value))
        return unsaved


class SubmitForm(forms.Form):
    """Submitting the working copy as it was shown (the revision on the check page)."""

    revision = RevisionField()

    def revision_value(self) -> int | None:
        return _revision(self.data.get("revision"))


class PersonChoiceField(ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.get_full_name()} ({obj.email})" if obj.full_name else obj.email


class DelegationForm(forms.Form):
    delegate = PersonChoiceField(
        label=_("Who should be able to submit responses?"),
        help_text=_(
            "They will be able to submit this body's responses to every engagement, until "
            "you withdraw it."
        ),
        queryset=User.objects.none(),
        empty_label=_("Choose a person"),
        error_messages={
            "required": _("Choose the person who should be able to submit responses"),
            "invalid_choice": _("Choose a person from the list"),
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = candidates  # type: ignore[attr-defined]


class ResponseFilterForm(forms.Form):
    timing = forms.ChoiceField(
        label=_("Submitted"),
        required=False,
        choices=[("", _("Late or on time")), ("on_time", _("On time")), ("late", _("Late"))],
        error_messages={"invalid_choice": _("Choose on time or late from the list")},
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {"timing": self.cleaned_data["timing"]}
