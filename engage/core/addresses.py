"""Addresses that mail cannot reach: which send errors mean the address is wrong for good, and
the record of each such address against the person whose it is (decision 18)."""

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from smtplib import SMTPRecipientsRefused

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import AddressProblem, AddressSource, DeliveryStatus, EmailDelivery

logger = logging.getLogger(__name__)

# What GOV.UK Notify's delivery receipts say of an email; only the first is the address's fault.
NOTIFY_PERMANENT_FAILURE = "permanent-failure"
NOTIFY_STATUSES = frozenset(
    {NOTIFY_PERMANENT_FAILURE, "temporary-failure", "technical-failure", "delivered"}
)

_validate_email = EmailValidator()


class AddressRejected(Exception):
    """A mail service refused an address for good (it does not exist, or is not an address).
    Backends raise it so that the delivery is not retried; any other error is temporary."""

    def __init__(self, reason: str, *, source: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.source = source


@dataclass(frozen=True)
class Undeliverable:
    """Why an address cannot be sent to, and who said so (an `AddressSource`)."""

    reason: str
    source: str


def address_check(address: str) -> Undeliverable | None:
    """Undeliverable if `address` is not an email address at all, so nothing is sent to it.
    Over 254 characters counts as not one: no mail server takes a longer path (RFC 5321), and
    a delivery's recipient holds no more."""
    try:
        if len(address) > 254:
            raise ValidationError("Too long.")
        _validate_email(address)
    except ValidationError:
        return Undeliverable("Not a valid email address.", AddressSource.INVALID)
    return None


def send_error_undeliverable(error: BaseException) -> Undeliverable | None:
    """Undeliverable if `error` says the address is wrong for good: the mail server refused
    every recipient with a 5xx code, or a backend raised AddressRejected. None for anything
    else (a server down, a mailbox full, a 4xx), which is tried again later."""
    if isinstance(error, AddressRejected):
        return Undeliverable(error.reason[:500], error.source)
    if isinstance(error, SMTPRecipientsRefused) and error.recipients:
        codes = [code for code, _ in error.recipients.values()]
        if all(500 <= code < 600 for code in codes):
            code, message = next(iter(error.recipients.values()))
            text = message.decode(errors="replace") if isinstance(message, bytes) else message
            return Undeliverable(f"{code} {text}"[:500], AddressSource.SMTP)
    return None


def address_problem_record(*, address: str, reason: str, source: str) -> AddressProblem:
    """Record that mail cannot reach `address`: the open problem of that address (any case)
    is seen once more, or a new one is opened against the person whose email it is."""
    address = address.strip()[:320]
    reason = reason[:500]
    now = timezone.now()
    for _attempt in range(2):  # a second try only if a concurrent send opened it first
        with transaction.atomic():
            problem = (
                AddressProblem.objects.open()
                .select_for_update()
                .filter(address__iexact=address)
                .first()
            )
            if problem is not None:
                problem.count = F("count") + 1
                problem.last_seen_at = now
                problem.reason = reason
                problem.source = source
                problem.save(update_fields=["count", "last_seen_at", "reason", "source"])
                problem.refresh_from_db(fields=["count"])
                return problem
            user = get_user_model()._default_manager.filter(email__iexact=address).first()
            try:
                with transaction.atomic():
                    return AddressProblem.objects.create(
                        user=user,
                        address=address,
                        reason=reason,
                        source=source,
                        first_seen_at=now,
                        last_seen_at=now,
                    )
            except IntegrityError:
                continue
    raise RuntimeError(f"Could not record the address problem of {address}.")


def address_problems_clear(problems: Iterable[AddressProblem]) -> int:
    """Mark open problems cleared (a site administrator put the address right). The rows stay,
    as the history of the address; a new failure opens a new one. Returns how many."""
    ids = [problem.pk for problem in problems]
    return AddressProblem.objects.open().filter(pk__in=ids).update(cleared_at=timezone.now())


def _uuid_or_none(reference: str | None) -> uuid.UUID | None:
    """The delivery's public id a receipt's `reference` names, or None if it names none."""
    if not reference:
        return None
    try:
        return uuid.UUID(reference)
    except ValueError:
        return None


def notify_receipt_record(*, address: str, status: str, reference: str | None) -> bool:
    """Act on GOV.UK Notify's delivery receipt for an email to `address`, whose `reference`
    is the delivery's public id (deliveries.DELIVERY_HEADER). A permanent failure (no such
    mailbox) settles that delivery as undeliverable and records the address; any other status
    changes nothing. Returns whether anything was recorded."""
    if status != NOTIFY_PERMANENT_FAILURE:
        return False
    reason = "GOV.UK Notify reported a permanent failure: the mailbox does not exist."
    with transaction.atomic():
        public_id = _uuid_or_none(reference)
        if public_id is not None:
            EmailDelivery.objects.filter(public_id=public_id, recipient__iexact=address).update(
                status=DeliveryStatus.UNDELIVERABLE, last_error=f"callback: {reason}"
            )
        address_problem_record(address=address, reason=reason, source=AddressSource.CALLBACK)
    logger.info("Notify reported %s undeliverable.", address)
    return True
