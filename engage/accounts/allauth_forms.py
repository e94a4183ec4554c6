"""django-allauth's forms with Engage's wording (GOV.UK style: labels in sentence case,
error messages that say what to do). Named in ACCOUNT_FORMS and MFA_FORMS; the sign-in form
is engage.accounts.forms.SignInForm."""

from allauth.account import forms as account
from allauth.mfa.base import forms as mfa
from allauth.mfa.totp import forms as totp
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

NEW_PASSWORD_HINT = _("At least 12 characters. Avoid common words and your name.")
ENTER_CODE = _("Enter the 6-digit code from your authenticator app")


def _word(form: forms.Form, name: str, label, required, help_text=None) -> None:
    field = form.fields[name]
    field.label = label
    field.error_messages["required"] = required
    if help_text is not None:
        field.help_text = help_text


class _PasswordsMatch:
    """allauth says "You must type the same password each time."; we say what is wrong."""

    def clean(self):
        data = super().clean()  # type: ignore[misc]
        allauths = gettext("You must type the same password each time.")
        errors = self.errors.get("password2")  # type: ignore[attr-defined]
        if errors and allauths in errors:
            self.errors["password2"] = errors.__class__(  # type: ignore[attr-defined]
                [_("The passwords do not match") if e == allauths else e for e in errors]
            )
        return data


class _NewPasswords(_PasswordsMatch):
    def word_new_passwords(self) -> None:
        form: forms.Form = self  # type: ignore[assignment]
        _word(form, "password1", _("New password"), _("Enter a new password"), NEW_PASSWORD_HINT)
        _word(form, "password2", _("Confirm new password"), _("Enter the new password again"))


class ResetPasswordForm(account.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _word(self, "email", _("Email address"), _("Enter your email address"))
        self.fields["email"].error_messages["invalid"] = _(
            "Enter an email address in the correct format, like name@example.org"
        )


class ResetPasswordKeyForm(_NewPasswords, account.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.word_new_passwords()


class ChangePasswordForm(_NewPasswords, account.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _word(self, "oldpassword", _("Current password"), _("Enter your current password"), "")
        self.word_new_passwords()


class SetPasswordForm(_NewPasswords, account.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.word_new_passwords()


class ReauthenticateForm(account.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _word(self, "password", _("Password"), _("Enter your password"), "")


class AuthenticateForm(mfa.AuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _word(
            self,
            "code",
            _("Security code"),
            ENTER_CODE,
            _("Enter the 6-digit code from your authenticator app, or one of your recovery codes."),
        )


class MFAReauthenticateForm(mfa.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _word(self, "code", _("Security code"), ENTER_CODE, ENTER_CODE)


class ActivateTOTPForm(totp.ActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _word(self, "code", _("Code from your authenticator app"), ENTER_CODE, ENTER_CODE)
