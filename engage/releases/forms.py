"""The copy and validation of the release pages; the services check the rules again."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from engage.core.fields import DateField
from engage.core.labels import LABEL_MEANING, Label

from .models import Decision

TEXT_LIMIT = 300


def _label_choices(labels) -> list[tuple[str, str]]:
    return [(value, f"{Label(value).label}: {LABEL_MEANING[Label(value)]}") for value in labels]


class AskForm(forms.Form):
    to_label = forms.ChoiceField(
        label=_("How widely do you want to share it?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how widely you want to share it"),
            "invalid_choice": _("Choose one of the wider labels listed"),
        },
    )
    with_whom = forms.CharField(
        label=_("Who do you want to share it with?"),
        help_text=_("For example, the local victims' services we commission."),
        max_length=TEXT_LIMIT,
        error_messages={
            "required": _("Say who you want to share it with"),
            "max_length": _("Keep this to 300 characters or fewer"),
        },
    )
    why = forms.CharField(
        label=_("Why do you need to share it?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Explain why you want to share it")},
    )

    def __init__(self, *args, labels, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to_label"]).choices = _label_choices(labels)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Do you grant the request?"),
        choices=[
            (Decision.GRANTED, _("Yes, grant it")),
            (Decision.REFUSED, _("No, refuse it")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether to grant or refuse the request"),
            "invalid_choice": _("Choose whether to grant or refuse the request"),
        },
    )
    reason = forms.CharField(
        label=_("Your reason"),
        help_text=_("The body sees this."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the reason for your decision")},
    )
    scope = forms.CharField(
        label=_("If you grant it: with whom may they share it?"),
        help_text=_("The scope shows on the body's pages and on every file it downloads."),
        max_length=TEXT_LIMIT,
        required=False,
        error_messages={"max_length": _("Keep this to 300 characters or fewer")},
    )
    expires_on = DateField(
        label=_("If you grant it: until when?"),
        help_text=_(
            "The last day they may share it. Leave empty for no end. On the day after, the "
            "label returns to what it was. For example, 31 3 2027"
        ),
        name=_("expiry date"),
        required=False,
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("decision") == Decision.GRANTED and not (data.get("scope") or "").strip():
            self.add_error("scope", _("Say with whom they may share it"))
        return data


class ListFilterForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", _("Any")), *Decision.choices],
        required=False,
    )
    engagement = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def filters(self) -> dict:
        """The filters to apply; a malformed value is ignored rather than refused."""
        if not self.is_valid():
            return {"decision": "", "engagement": None}
        return {
            "decision": self.cleaned_data.get("decision") or "",
            "engagement": self.cleaned_data.get("engagement"),
        }
