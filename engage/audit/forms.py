from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AccessAction


class AccessLogFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *AccessAction.choices]
    )
    person = forms.CharField(label=_("Person's email"), required=False, max_length=254)
