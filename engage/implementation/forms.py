"""Forms for implementation agreements: the copy (labels, hints, messages) lives here; the
rules live in the services, whose errors the views put back on these forms by field name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from engage.core.fields import DateField
from engage.core.labels import LABEL_MEANING, Label
from engage.directory.models import PolicingBody
from engage.engagements.models import Engagement

from .models import AGREEMENT_LABELS, AgreementState, MilestoneStatus, Summary
from .selectors import NOT_ASKED, SUMMARY_LABELS
from .services import MAX_TEXT, MAX_TITLE

LABEL_CHOICES = [
    (label.value, f"{label.label}: {LABEL_MEANING[label]}")
    for label in (Label(value) for value in AGREEMENT_LABELS)
]


def _role_field() -> forms.CharField:
    return forms.CharField(
        label=_("The local role"),
        help_text=_("What the policing body is asked to do to help implement the policy locally."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_TEXT,
        error_messages={"required": _("Describe the local role")},
    )


def _due_field() -> DateField:
    return DateField(
        label=_("By when"),
        name=_("date the role is due by"),
        help_text=_("For example, 31 3 2027. Today or later."),
    )


def _support_field() -> forms.CharField:
    return forms.CharField(
        label=_("Support offered"),
        help_text=_("Funding, guidance, people or anything else the national body will provide."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
        required=False,
    )


def _label_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Handling label for the terms"),
        help_text=_("Who the body may share the role with. Most roles stay TLP:AMBER+STRICT."),
        choices=LABEL_CHOICES,
        initial=Label.AMBER_STRICT,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a handling label"),
            "invalid_choice": _("Choose TLP:AMBER+STRICT, TLP:AMBER, TLP:GREEN or TLP:CLEAR"),
        },
    )


def _note_field(label, missing) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
        error_messages={"required": missing},
    )


class BodyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.organisation.name


class ProposeForm(forms.Form):
    bodies = BodyChoiceField(
        label=_("Which policing bodies?"),
        queryset=PolicingBody.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one policing body"),
            "invalid_choice": _("Choose policing bodies from the list"),
            "invalid_pk_value": _("Choose policing bodies from the list"),
        },
    )
    role = _role_field()
    due_on = _due_field()
    support = _support_field()
    label = _label_field()
    engagement = forms.ChoiceField(
        label=_("Proposed in an implementation update"),
        help_text=_("The update on this policy the role goes with, if any."),
        required=False,
        error_messages={"invalid_choice": _("Choose one of this policy's implementation updates")},
    )

    def __init__(self, *args, bodies, updates: list[Engagement], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bodies"].queryset = bodies  # type: ignore[attr-defined]
        self.updates = {str(engagement.public_id): engagement for engagement in updates}
        if updates:
            self.fields["engagement"].choices = [  # type: ignore[attr-defined]
                ("", _("None")),
                *((key, engagement.title) for key, engagement in self.updates.items()),
            ]
        else:
            del self.fields["engagement"]

    def chosen_engagement(self) -> Engagement | None:
        return self.updates.get(self.cleaned_data.get("engagement") or "")


class ChangesForm(forms.Form):
    """The body's changes to the terms."""

    role = _role_field()
    due_on = _due_field()
    support = _support_field()
    note = _note_field(_("What have you changed, and why?"), _("Say what you have changed and why"))


class ReviseForm(forms.Form):
    """The lead's revised terms, answering the body's changes."""

    role = _role_field()
    due_on = _due_field()
    support = _support_field()
    label = _label_field()
    note = _note_field(_("What have you changed, and why?"), _("Say what you have changed and why"))


class DeclineForm(forms.Form):
    reason = _note_field(
        _("Why does your body decline this role?"), _("Say why your body declines this role")
    )


class WithdrawForm(forms.Form):
    reason = _note_field(
        _("Why are you withdrawing this proposal?"), _("Say why you are withdrawing this proposal")
    )


class CommentForm(forms.Form):
    note = _note_field(_("Add a comment"), _("Enter your comment"))


class MilestoneForm(forms.Form):
    title = forms.CharField(
        label=_("Milestone"),
        help_text=_("For example, local board convened."),
        max_length=MAX_TITLE,
        error_messages={"required": _("Enter the milestone's title")},
    )
    due_on = DateField(
        label=_("Due date"),
        name=_("milestone's due date"),
        help_text=_("For example, 30 6 2027. No earlier than the day the role was proposed."),
    )


class MilestoneUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=MilestoneStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the milestone's status"),
            "invalid_choice": _("Choose the milestone's status from the list"),
        },
    )
    note = forms.CharField(
        label=_("Progress note"),
        help_text=_("Needed when the status stays the same."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
        required=False,
    )


STATE_CHOICES = (("", _("All")), *AgreementState.choices)


class StateFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Show"), choices=STATE_CHOICES, required=False)

    def chosen(self) -> str:
        return self.cleaned_data.get("state", "") if self.is_valid() else ""


SUMMARY_CHOICES = (
    ("", _("Every body")),
    *((value, SUMMARY_LABELS[value]) for value in [*Summary.values, NOT_ASKED]),
)


class SummaryFilterForm(forms.Form):
    summary = forms.ChoiceField(label=_("Show"), choices=SUMMARY_CHOICES, required=False)

    def chosen(self) -> str:
        return self.cleaned_data.get("summary", "") if self.is_valid() else ""
