from typing import cast

from allauth.account.forms import LoginForm
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from engage.core.fields import ModelMultipleChoiceField
from engage.directory.models import PolicingBody

from .models import AccountRequest, Organisation, OrganisationKind
from .numbers import clean_charity_or_company_number


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        error_messages={
            "required": _("Enter the email address of the person to invite"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a role"), "invalid_choice": _("Choose a role")},
    )
    is_admin = forms.BooleanField(
        label=_("They can invite people to this organisation and end memberships"),
        required=False,
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = roles


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your full name")},
    )
    password1 = forms.CharField(
        label=_("Create a password"),
        help_text=_("At least 12 characters. Avoid common words and your name."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        error_messages={"required": _("Enter a password")},
    )
    password2 = forms.CharField(
        label=_("Confirm the password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        error_messages={"required": _("Enter the password again")},
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The passwords do not match"))
        elif p1:
            from .models import User

            try:
                password_validation.validate_password(
                    p1, User(email=self.email, full_name=data.get("full_name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class PolicingBodyChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.force.name} ({obj.organisation.name})"


class AccountRequestForm(forms.ModelForm):
    areas_served = PolicingBodyChoiceField(
        label=_("Which policing body areas do you work in?"),
        help_text=_("Select all that apply."),
        queryset=PolicingBody.objects.select_related("organisation", "force").order_by(
            "force__name"
        ),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Select at least one area you work in"),
            "invalid_choice": _("Select areas from the list"),
            "invalid_pk_value": _("Select areas from the list"),
        },
    )

    class Meta:
        model = AccountRequest
        fields = [
            "organisation_name",
            "charity_number",
            "areas_served",
            "contact_name",
            "email",
            "purpose",
        ]
        labels = {"purpose": _("What do you want to use Engage for?")}
        # The requester's own details (WCAG 1.3.5): browsers can fill them in.
        widgets = {
            "organisation_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        help_texts = {
            "charity_number": _("Optional. Your registered charity or company number."),
            "purpose": _("For example, logging meetings with your commissioner's office."),
        }
        error_messages = {
            "organisation_name": {"required": _("Enter the name of your organisation")},
            "contact_name": {"required": _("Enter your full name")},
            "email": {
                "required": _("Enter your email address"),
                "invalid": _("Enter an email address in the correct format, like name@example.org"),
            },
            "purpose": {"required": _("Tell us what you want to use Engage for")},
        }

    def clean_charity_number(self) -> str:
        return clean_charity_or_company_number(self.cleaned_data.get("charity_number", ""))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve and invite them")), ("reject", _("Turn down"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to approve or turn down the request")},
    )
    note = forms.CharField(
        label=_("Note"),
        help_text=_("Required when turning a request down: it is sent to the requester."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("decision") == "reject" and not data.get("note", "").strip():
            self.add_error("note", _("Explain why the request is turned down"))
        return data


class EndMembershipForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this membership ending?"),
        max_length=200,
        error_messages={"required": _("Enter why this membership is ending")},
    )


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "description"]
        widgets = {"kind": forms.RadioSelect}
        error_messages = {
            "name": {"required": _("Enter the organisation's name")},
            "kind": {"required": _("Choose what kind of organisation it is")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Policing bodies and national bodies come from the reference data.
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            (OrganisationKind.VOLUNTARY, OrganisationKind.VOLUNTARY.label),
            (OrganisationKind.LOCAL_PARTNER, OrganisationKind.LOCAL_PARTNER.label),
        ]


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *OrganisationKind.choices],
    )


class SignInForm(LoginForm):
    """allauth's sign-in form with GOV.UK-style messages that say what to do."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Email address")
        self.fields["login"].error_messages.update(
            {
                "required": _("Enter your email address"),
                "invalid": _("Enter an email address in the correct format, like name@example.org"),
            }
        )
        self.fields["password"].error_messages["required"] = _("Enter your password")
        # "Forgotten your password?" is a link after the field (the sign-in template), not a
        # hint read out with the field.
        self.fields["password"].help_text = ""
