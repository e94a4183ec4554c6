"""Forms for local Compacts: the copy lives here; the rules live in the services, whose errors
the views put back on these forms by field name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from engage.accounts.models import Organisation
from engage.core.fields import DateField, ModelChoiceField, ModelMultipleChoiceField
from engage.directory.models import PolicingBody

from .selectors import STATES, state_labels


class BodyChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.organisation.name


class CompactForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        help_text=_("For example, West Yorkshire Compact"),
        max_length=200,
        error_messages={"required": _("Enter the Compact's title")},
    )
    area = forms.CharField(
        label=_("Area"),
        help_text=_("The place the Compact covers, for example, a county or a city region"),
        max_length=200,
        error_messages={"required": _("Enter the area the Compact covers")},
    )
    bodies = BodyChoiceField(
        label=_("Which policing body areas does it cover?"),
        help_text=_("Select all that apply."),
        queryset=PolicingBody.objects.select_related("organisation").order_by("organisation__name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one policing body area the Compact covers"),
            "invalid_choice": _("Choose policing body areas from the list"),
            "invalid_pk_value": _("Choose policing body areas from the list"),
        },
    )
    agreed_on = DateField(
        label=_("Date agreed"),
        name=_("date agreed"),
        help_text=_("Today or earlier. For example, 27 3 2019"),
    )
    url = forms.CharField(
        label=_("Link to the Compact"),
        help_text=_("A web address starting https://"),
        max_length=500,
        required=False,
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bodies"].queryset = bodies  # type: ignore[attr-defined]


class SignForm(forms.Form):
    signed_on = DateField(
        label=_("Date signed"),
        name=_("date signed"),
        help_text=_("Not before the Compact was agreed, not in the future. For example, 4 6 2021"),
    )


class AdminSignForm(SignForm):
    organisation = ModelChoiceField(
        label=_("Organisation that signed"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
        error_messages={
            "required": _("Choose the organisation that signed"),
            "invalid_choice": _("Choose an organisation from the list"),
        },
    )
    field_order = ["organisation", "signed_on"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class ListFilterForm(forms.Form):
    """The Compact working page's two GET forms: the bodies' table by state, the Compacts by
    title or area. A value refused is not used, and said so."""

    state = forms.ChoiceField(
        label=_("Show bodies"),
        required=False,
        choices=[],
        error_messages={"invalid_choice": _("Choose a state from the list")},
    )
    q = forms.CharField(
        label=_("Search Compacts by title or area"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Search must be 100 characters or fewer")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = state_labels()
        self.fields["state"].choices = [  # type: ignore[attr-defined]
            ("", _("All bodies")),
            *((state, labels[state]) for state in STATES),
        ]

    def filters(self) -> tuple[str, str]:
        """The state and the search, each only when valid."""
        self.is_valid()
        data = self.cleaned_data
        return data.get("state") or "", (data.get("q") or "").strip()
