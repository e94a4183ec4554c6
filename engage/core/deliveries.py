"""Idempotent email: each (message key, recipient) is sent at most once, however often the
task that sends it runs. See docs/decisions/0006-tasks-recovered-and-idempotent.md."""

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import DeliveryStatus, EmailDelivery

logger = logging.getLogger(__name__)


def _claim(*, key: str, recipient: str, subject: str) -> EmailDelivery | None:
    """Claim the delivery for this attempt, or None if it has already been sent. The claim
    commits before the mail server is called, so a worker killed mid-send leaves it "sending"
    and the rerun sends it (a duplicate only if the kill fell between the server accepting the
    message and the commit below)."""
    with transaction.atomic():
        delivery, _ = EmailDelivery.objects.select_for_update().get_or_create(
            key=key, recipient=recipient, defaults={"subject": subject[:255]}
        )
        if delivery.status == DeliveryStatus.SENT:
            return None
        delivery.status = DeliveryStatus.SENDING
        delivery.attempts = F("attempts") + 1
        delivery.claimed_at = timezone.now()
        delivery.save(update_fields=["status", "attempts", "claimed_at"])
    delivery.refresh_from_db(fields=["attempts"])
    return delivery


def _finish(delivery: EmailDelivery, *, error: BaseException | None) -> None:
    if error is None:
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = timezone.now()
        delivery.last_error = ""
    else:
        delivery.status = DeliveryStatus.FAILED
        delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
    delivery.save(update_fields=["status", "sent_at", "last_error"])


class DeliveryFailed(Exception):
    """The mail server refused some recipients; each refusal is on its EmailDelivery."""

    def __init__(self, key: str, recipients: list[str], attempts: int) -> None:
        super().__init__(f"Email {key} failed for {len(recipients)} recipient(s).")
        self.key = key
        self.recipients = recipients
        self.attempts = attempts


def email_deliver(*, key: str, subject: str, body: str, recipients: list[str]) -> int:
    """Send `body` to each recipient not yet sent this message, one email each (nobody learns
    who else was told). Returns how many were sent now. A refusal by the mail server is
    recorded on that delivery and the others still go; then DeliveryFailed (from the first
    refusal) names those refused, so the task fails visibly and can be tried again."""
    if not key:
        raise ValueError("An email needs an idempotency key.")
    sent = 0
    refused: list[EmailDelivery] = []
    first_error: Exception | None = None
    for recipient in dict.fromkeys(recipients):
        delivery = _claim(key=key, recipient=recipient, subject=subject)
        if delivery is None:
            logger.info("Email %s to %s was sent before; not sending again.", key, recipient)
            continue
        try:
            send_mail(subject=subject, message=body, from_email=None, recipient_list=[recipient])
        except Exception as error:
            logger.warning("Email %s to %s failed: %s", key, recipient, error)
            _finish(delivery, error=error)
            refused.append(delivery)
            first_error = first_error or error
            continue
        _finish(delivery, error=None)
        sent += 1
    if refused:
        raise DeliveryFailed(
            key, [d.recipient for d in refused], max(d.attempts for d in refused)
        ) from first_error
    return sent
