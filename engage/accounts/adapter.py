from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.utils.translation import gettext_lazy as _

# allauth's messages in GOV.UK style: say what to do, sentence case, no full stop.
INCORRECT_CODE = _("The code is not correct. Enter the 6-digit code from your authenticator app")


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join by invitation, voluntary organisations by request."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _(
            "Your account has been switched off. Ask your organisation's Engage administrator "
            "to switch it back on"
        ),
        "email_password_mismatch": _("Enter a correct email address and password"),
        # Said when the current password typed is wrong (an empty one is the form's "required").
        "enter_current_password": _("Enter your current password correctly"),
        "incorrect_code": INCORRECT_CODE,
        "incorrect_password": _("Enter your current password correctly"),
        "invalid_login": _("Enter a correct email address and password"),
        "invalid_or_expired_key": _("This link has expired or has been used. Ask for a new one"),
        "invalid_password_reset": _("This link has expired or has been used. Ask for a new one"),
        "rate_limited": _("You have made too many requests. Wait a few minutes, then try again"),
        "same_as_current": _("Enter a password different from your current one"),
        "too_many_login_attempts": _(
            "Too many failed attempts to sign in. Wait a few minutes, then try again"
        ),
        "unknown_email": _("Enter the email address of your Engage account"),
    }

    def is_open_for_signup(self, request) -> bool:
        return False


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": INCORRECT_CODE,
    }
