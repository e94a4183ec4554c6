"""The filter form of the policing bodies list (a GET form: it never writes)."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BodyType, Nation


class BodyFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search by body or force"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Search must be 100 characters or fewer")},
    )
    nation = forms.MultipleChoiceField(
        label=_("Nation"),
        required=False,
        choices=Nation.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Select a nation from the list")},
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        error_messages={"invalid_choice": _("Select a region from the list")},
    )

    type = forms.MultipleChoiceField(
        label=_("Type of body"),
        required=False,
        choices=BodyType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Select a type of body from the list")},
    )

    def __init__(self, *args, regions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        region = cast(forms.ChoiceField, self.fields["region"])
        region.choices = [("", _("All regions"))] + [(r, r) for r in regions]

    def filters(self) -> dict:
        """The filters to apply: those of valid fields only (an invalid one is ignored)."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        data = self.cleaned_data
        region = data.get("region")
        return {
            "q": (data.get("q") or "").strip(),
            "nations": data.get("nation") or [],
            "regions": [region] if region else [],
            "body_types": data.get("type") or [],
        }

    def is_filtered(self) -> bool:
        return any(self.filters().values())


class GroupBodyForm(forms.Form):
    """Choose a policing body: to add to a group, or to make its lead."""

    body: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Policing body"),
        queryset=None,
        empty_label=_("Choose a policing body"),
        error_messages={
            "required": _("Choose a policing body"),
            "invalid_choice": _("Choose a policing body from the list"),
        },
    )

    def __init__(self, *args, bodies, label=None, radios: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["body"])
        field.queryset = bodies
        if label:
            field.label = label
        if radios:
            field.empty_label = None
            field.widget = forms.RadioSelect()
            field.widget.choices = field.choices
