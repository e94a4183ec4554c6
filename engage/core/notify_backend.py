"""GOV.UK Notify as Django's email backend, chosen by EMAIL_BACKEND (config/settings/base.py).
Each message goes to Notify's API, once per recipient, through one generic template whose
subject is ((subject)) and body ((body)): the plain text of the message. Notify makes its own
HTML, so the message's HTML alternative is not sent (decision 18)."""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client import NotificationsAPIClient
from notifications_python_client.errors import HTTPError

from .addresses import AddressRejected
from .deliveries import DELIVERY_HEADER
from .models import AddressSource


def _rejects_the_address(error: HTTPError) -> bool:
    """Notify answers 400 with a ValidationError naming the email address when the address
    is not one it can send to; that is for good. Anything else (a bad key, a rate limit, Notify
    down) is not the address's fault and is tried again."""
    if error.status_code != 400:
        return False
    errors = error.message if isinstance(error.message, list) else []
    return any(
        isinstance(item, dict)
        and item.get("error") == "ValidationError"
        and "email" in str(item.get("message", "")).lower()
        for item in errors
    )


class NotifyEmailBackend(BaseEmailBackend):
    """Sends through `NotificationsAPIClient(api_key, base_url=...)`. Options (MAILERS): the
    API key, the generic template's id, Notify's base URL and a timeout in seconds."""

    def __init__(
        self,
        *args: Any,
        api_key: str = "",
        template_id: str = "",
        base_url: str = "",
        timeout: int = 20,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not api_key or not template_id:
            raise ImproperlyConfigured(
                "GOV.UK Notify needs NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID to send email."
            )
        client_options: dict[str, Any] = {"timeout": timeout}
        if base_url:
            client_options["base_url"] = base_url
        try:
            self.client = NotificationsAPIClient(api_key, **client_options)
        except AssertionError as error:  # the client's own check of the key's shape
            raise ImproperlyConfigured(f"NOTIFY_API_KEY is not a Notify API key: {error}") from None
        self.template_id = template_id

    def send_messages(self, email_messages: Any) -> int:
        """Send each message to each of its recipients; the count of messages sent. An
        address Notify refuses raises AddressRejected; any other failure its HTTPError."""
        sent = 0
        for message in email_messages:
            for address in message.recipients():
                self._send(message, address)
            sent += 1
        return sent

    def _send(self, message: EmailMessage, address: str) -> None:
        reference = message.extra_headers.get(DELIVERY_HEADER)
        try:
            self.client.send_email_notification(
                email_address=address,
                template_id=self.template_id,
                personalisation={"subject": str(message.subject), "body": str(message.body)},
                reference=reference,
            )
        except HTTPError as error:
            if _rejects_the_address(error):
                raise AddressRejected(f"{error}"[:500], source=AddressSource.NOTIFY) from error
            raise
