from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join by invitation, voluntary organisations by request."""

    def is_open_for_signup(self, request) -> bool:
        return False
