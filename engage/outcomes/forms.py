"""The outcome form: the copy (labels, hints, error messages) lives here; the rules (what a
draft may hold, what publishing and correcting need) live in the services, whose errors the
view puts back on these fields by name (`heard`, `changed`, `point_<n>`, `reason`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from engage.engagements.models import Question

from .models import Outcome
from .services import REASON_MAX, TEXT_FIELDS, point_field


class DraftTextField(forms.CharField):
    """Text a draft may leave empty but publishing needs: not marked "(optional)"; the
    service says what is missing."""

    def validate(self, value) -> None:
        return None


class OutcomeForm(forms.Form):
    revision = forms.CharField(widget=forms.HiddenInput, required=False)
    heard = DraftTextField(
        label=_("What you heard"),
        help_text=_(
            "The main points the policing bodies made: where they agreed, where they differed, "
            "and the local variations they described."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    changed = DraftTextField(
        label=_("What changed because of it"),
        help_text=_("What you changed in the policy, its timing or its implementation."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    not_changed = forms.CharField(
        label=_("What did not change, and why"),
        help_text=_("What was asked for that you did not do, and the reason."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, questions: list[Question], published: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[point_field(question.number)] = forms.CharField(
                label=_("Question %(number)s: %(text)s")
                % {"number": question.number, "text": question.text},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        if published:
            self.fields["reason"] = forms.CharField(
                label=_("Why are you correcting the published outcome?"),
                help_text=_(
                    "Kept in the outcome's history. Readers see the latest text, marked with "
                    "the date it was updated."
                ),
                max_length=REASON_MAX,
                error_messages={
                    "required": _("Say why you are correcting the published outcome"),
                    "max_length": _("Keep the reason to %(limit_value)s characters or fewer"),
                },
            )

    @property
    def point_fields(self):
        return [self[point_field(question.number)] for question in self.questions]

    @staticmethod
    def initial_from(outcome: Outcome | None, points) -> dict:
        if outcome is None:
            return {"revision": "0"}
        initial = {name: getattr(outcome, name) for name in TEXT_FIELDS}
        initial["revision"] = str(outcome.revision)
        initial.update({point_field(point.question.number): point.text for point in points})
        return initial

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "revision": data.get("revision"),
            **{name: data.get(name, "") for name in TEXT_FIELDS},
            "points": {
                question.number: data.get(point_field(question.number), "")
                for question in self.questions
            },
            "reason": data.get("reason", ""),
        }
