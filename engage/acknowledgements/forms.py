"""The acknowledgement form: the copy lives here, the rules in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_NOTE


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the policy lead"),
        help_text=_(
            "For example, who you have told locally. The policy lead and the APCC read it."
        ),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
