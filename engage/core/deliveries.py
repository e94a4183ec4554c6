"""Idempotent email: each (message key, recipient) is sent at most once, however often the
task that sends it runs. See docs/decisions/0006-tasks-recovered-and-idempotent.md; an address
refused for good is recorded and not tried again, decision 18."""

import logging

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .addresses import (
    Undeliverable,
    address_check,
    address_problem_record,
    send_error_undeliverable,
)
from .models import DeliveryStatus, EmailDelivery

# The delivery's public id travels with the message, so that a report of it coming back later
# (GOV.UK Notify's callback, as its `reference`) finds the delivery. Never the sequential id:
# every recipient would learn how many emails the service has sent.
DELIVERY_HEADER = "X-Engage-Delivery"

# A delivery in one of these states is settled: a rerun leaves it alone.
SETTLED = (DeliveryStatus.SENT, DeliveryStatus.UNDELIVERABLE)

logger = logging.getLogger(__name__)


def _claim(*, key: str, recipient: str, subject: str) -> EmailDelivery | None:
    """Claim the delivery for this attempt, or None if it has already been sent (or found
    undeliverable). The claim commits before the mail server is called, so a worker killed
    mid-send leaves it "sending" and the rerun sends it (a duplicate only if the kill fell
    between the server accepting the message and the commit below)."""
    with transaction.atomic():
        delivery, _ = EmailDelivery.objects.select_for_update().get_or_create(
            key=key, recipient=recipient, defaults={"subject": subject[:255]}
        )
        if delivery.status in SETTLED:
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


def _give_up(delivery: EmailDelivery, address: str, undeliverable: Undeliverable) -> None:
    """The address is wrong for good: the delivery is settled, and the address recorded
    against the person whose it is."""
    delivery.status = DeliveryStatus.UNDELIVERABLE
    delivery.last_error = f"{undeliverable.source}: {undeliverable.reason}"[:2000]
    delivery.save(update_fields=["status", "last_error"])
    address_problem_record(
        address=address, reason=undeliverable.reason, source=undeliverable.source
    )


def _message(
    *, delivery: EmailDelivery, address: str, subject: str, body: str, html: str
) -> EmailMessage:
    headers = {DELIVERY_HEADER: str(delivery.public_id)}
    if not html:
        return EmailMessage(subject, body, to=[address], headers=headers)
    message = EmailMultiAlternatives(subject, body, to=[address], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


class DeliveryFailed(Exception):
    """The mail server refused some recipients; each refusal is on its EmailDelivery."""

    def __init__(self, key: str, recipients: list[str], attempts: int) -> None:
        super().__init__(f"Email {key} failed for {len(recipients)} recipient(s).")
        self.key = key
        self.recipients = recipients
        self.attempts = attempts


def email_deliver(
    *, key: str, subject: str, body: str, recipients: list[str], html: str = ""
) -> int:
    """Send `body` to each recipient not yet sent this message, one email each (nobody learns
    who else was told), with `html` as its HTML alternative when given. Returns how many were
    sent now. An address refused for good (not an address, no such mailbox) settles its
    delivery as undeliverable and is recorded (`addresses.address_problem_record`); it is not
    tried again. Any other refusal is recorded on that delivery and the others still go; then
    DeliveryFailed (from the first refusal) names those refused, so the task fails visibly and
    can be tried again."""
    if not key:
        raise ValueError("An email needs an idempotency key.")
    sent = 0
    refused: list[EmailDelivery] = []
    first_error: Exception | None = None
    for recipient in dict.fromkeys(recipients):
        # The row holds what its column can (an invalid address may be longer); the email
        # goes to the address as given.
        delivery = _claim(key=key, recipient=recipient[:254], subject=subject)
        if delivery is None:
            logger.info("Email %s to %s was sent before; not sending again.", key, recipient)
            continue
        invalid = address_check(recipient)
        if invalid is not None:
            logger.warning("Email %s not sent to %r: not an address.", key, recipient)
            _give_up(delivery, recipient, invalid)
            continue
        try:
            message = _message(
                delivery=delivery, address=recipient, subject=subject, body=body, html=html
            )
            message.send()
        except Exception as error:
            undeliverable = send_error_undeliverable(error)
            if undeliverable is not None:
                logger.warning("Email %s to %s undeliverable: %s", key, recipient, error)
                _give_up(delivery, recipient, undeliverable)
                continue
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
