"""Background work that several apps share. Every task is idempotent: a worker that dies
mid-task has its task run again (engage.core.workers), and the rerun repeats nothing done."""

import logging
from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from .deliveries import DeliveryFailed, email_deliver

logger = logging.getLogger(__name__)

# After a refusal (a mail server down, a mailbox full) the refused recipients are tried again
# this long after each failed attempt; after the last, the failure stays for an operator.
EMAIL_RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1))


@task
def send_email(*, key: str, subject: str, body: str, to: list[str], html: str = "") -> int:
    """Send a plain-text email, with `html` as its HTML alternative when given, to each
    address in `to`, one email each, at most once per (key, address). `key` names the message
    stably, e.g. "invitation:<id>", so a rerun or a second call sends nothing twice. Emails
    carry links, never labelled content. An address refused for good is recorded, not retried
    (decision 18)."""
    try:
        return email_deliver(key=key, subject=subject, body=body, recipients=to, html=html)
    except DeliveryFailed as failed:
        _retry_later(failed, subject=subject, body=body, html=html)
        raise


def _retry_later(failed: DeliveryFailed, *, subject: str, body: str, html: str) -> None:
    if failed.attempts > len(EMAIL_RETRY_DELAYS):
        logger.error("Email %s failed %d times; not trying again.", failed.key, failed.attempts)
        return
    if not send_email.get_backend().supports_defer:
        return  # the tests' immediate backend runs everything at once
    send_email.using(run_after=timezone.now() + EMAIL_RETRY_DELAYS[failed.attempts - 1]).enqueue(
        key=failed.key, subject=subject, body=body, to=failed.recipients, html=html
    )
