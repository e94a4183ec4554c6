"""Forms for clarification requests: the copy (labels, hints, messages) lives here; the rules
live in the services, whose errors the views put back on these forms by field name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from engage.documents.models import Document

from .selectors import ANSWERED, OPEN, PUBLISHED
from .services import MAX_TEXT

WHOLE_ENGAGEMENT = ""


class AskForm(forms.Form):
    document = forms.ChoiceField(
        label=_("What is your question about?"),
        required=False,
        widget=forms.Select,
    )
    question = forms.CharField(
        label=_("Your question"),
        help_text=_(
            "The policy lead sees your name and your body. If they publish the answer to every "
            "body, they publish the question without saying who asked."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_TEXT,
        error_messages={"required": _("Enter your question")},
    )

    def __init__(self, *args, documents: list[Document], **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = {str(document.public_id): document for document in documents}
        self.fields["document"].choices = [  # type: ignore[attr-defined]
            (WHOLE_ENGAGEMENT, _("The engagement as a whole")),
            *((key, document.title) for key, document in self.documents.items()),
        ]
        self.fields["document"].error_messages["invalid_choice"] = _(
            "Choose one of this engagement's documents, or the engagement as a whole"
        )

    def chosen_document(self) -> Document | None:
        return self.documents.get(self.cleaned_data.get("document") or "")


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        help_text=_(
            "The body that asked reads it. You can change it until you publish it to every body."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_TEXT,
        error_messages={"required": _("Enter your answer")},
    )


class PublishForm(forms.Form):
    question = forms.CharField(
        label=_("The question, as every body will read it"),
        help_text=_("Take out anything that would identify the body or the person who asked."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_TEXT,
        error_messages={"required": _("Enter the question as it will be published")},
    )
    answer = forms.CharField(
        label=_("The answer, as every body will read it"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_TEXT,
        error_messages={"required": _("Enter the answer as it will be published")},
    )


STATES = (
    ("", _("All")),
    (OPEN, _("Waiting for an answer")),
    (ANSWERED, _("Answered, not published")),
    (PUBLISHED, _("Published")),
)


class StateFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Show"), choices=STATES, required=False)

    def chosen(self) -> str:
        return self.cleaned_data.get("state", "") if self.is_valid() else ""
