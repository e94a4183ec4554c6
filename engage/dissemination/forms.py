"""Forms for dissemination requests: the copy (labels, hints, messages) lives here; the rules
live in the services, whose errors the views put back on these forms by field name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from engage.core.fields import DateField
from engage.core.labels import LABEL_MEANING, Label
from engage.documents.forms import file_hint, oversized_message

from .models import MESSAGE_LABELS, Audience, Channel, Outcome, State
from .services import MAX_LINK, MAX_MESSAGE, MAX_SHORT, MAX_TEXT

LABEL_CHOICES = [
    (str(label), f"{label.label}: {LABEL_MEANING[label]}") for label in reversed(MESSAGE_LABELS)
]


class RequestForm(forms.Form):
    message = forms.CharField(
        label=_("What should the bodies communicate locally?"),
        help_text=_(
            "Write it as the bodies can pass it on: the national development or priority, and "
            "what it means locally."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_MESSAGE,
        error_messages={"required": _("Enter the message to communicate")},
    )
    message_label = forms.ChoiceField(
        label=_("The message's handling label"),
        help_text=_(
            "The message is meant to be passed on, so it cannot be kept within the body "
            "(TLP:AMBER+STRICT) or to named people (TLP:RED). The rest of the engagement keeps "
            "its own label."
        ),
        choices=LABEL_CHOICES,
        initial=Label.GREEN,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the message's label: TLP:AMBER, TLP:GREEN or TLP:CLEAR"),
            "invalid_choice": _("Choose the message's label: TLP:AMBER, TLP:GREEN or TLP:CLEAR"),
        },
    )
    audiences = forms.MultipleChoiceField(
        label=_("Who should hear it locally?"),
        help_text=_("Select all that apply."),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one audience to suggest"),
            "invalid_choice": _("Choose audiences from the list"),
        },
    )
    audience_other = forms.CharField(
        label=_("If other, which audience?"),
        max_length=MAX_SHORT,
        required=False,
    )
    due_on = DateField(
        label=_("By when?"),
        name=_("due date"),
        help_text=_("Today or later. For example, 31 3 2027"),
    )


class ConfirmForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Did your body communicate it?"),
        choices=[
            (Outcome.DONE, _("Yes, we communicated it")),
            (Outcome.COULD_NOT, _("No, we could not")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Say whether your body communicated it"),
            "invalid_choice": _("Say whether your body communicated it"),
        },
    )
    channel = forms.ChoiceField(
        label=_("How did you communicate it?"),
        choices=[("", _("Choose a channel")), *Channel.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose how you communicated it")},
    )
    channel_other = forms.CharField(
        label=_("If other, which channel?"), max_length=MAX_SHORT, required=False
    )
    to_whom = forms.CharField(
        label=_("Who did you communicate it to?"),
        help_text=_("For example, the members of the local criminal justice board."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
        required=False,
    )
    audiences_reached = forms.MultipleChoiceField(
        label=_("Which of the suggested audiences did it reach?"),
        help_text=_("Select all that apply."),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Choose audiences from the list")},
    )
    done_on = DateField(
        label=_("When?"),
        name=_("date you communicated it"),
        help_text=_("For example, 27 3 2026"),
        required=False,
    )
    link = forms.CharField(
        label=_("Link to what you published"),
        help_text=_("A web page, a bulletin or a post, starting https://"),
        max_length=MAX_LINK,
        required=False,
    )
    attachment = forms.FileField(
        label=_("Attach what you sent"),
        # A plain file input: removing the current file is the checkbox below, not Django's.
        widget=forms.FileInput,
        required=False,
        error_messages={
            "empty": _("The file is empty."),
            "invalid": _("Choose a file to upload."),
        },
    )
    remove_attachment = forms.BooleanField(
        label=_("Remove the attachment"),
        required=False,
    )
    reason = forms.CharField(
        label=_("If you could not, why not?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
        required=False,
    )

    def __init__(self, *args, current=None, oversized: bool = False, **kwargs):
        """`current`: the body's confirmation, for what its attachment is now; `oversized`:
        the upload handler dropped the file as it streamed in."""
        super().__init__(*args, **kwargs)
        self.oversized = oversized
        self.fields["attachment"].help_text = " ".join(
            [
                str(_("For example, the bulletin or the board paper as sent: one file.")),
                file_hint(),
            ]
        )
        if current is not None and current.has_attachment:
            self.fields["attachment"].label = _("Replace the attachment")
            self.fields["remove_attachment"].help_text = _(
                "Now attached: %(name)s (%(summary)s)."
            ) % {"name": current.attachment_name, "summary": current.attachment_summary()}
        else:
            del self.fields["remove_attachment"]

    def clean(self):
        cleaned = super().clean()
        if self.oversized:
            self.errors.pop("attachment", None)
            self.add_error("attachment", oversized_message())
        return cleaned


STATE_CHOICES = (("", _("All")), *State.choices)


class StateFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Show"), choices=STATE_CHOICES, required=False)

    def chosen(self) -> str:
        return self.cleaned_data.get("state", "") if self.is_valid() else ""
