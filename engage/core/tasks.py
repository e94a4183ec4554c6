"""Background work that several apps share. Every task is idempotent: a worker that dies
mid-task has its task run again (engage.core.workers), and the rerun repeats nothing done."""

from django.tasks import task

from .deliveries import email_deliver


@task
def send_email(*, key: str, subject: str, body: str, to: list[str]) -> int:
    """Send a plain-text email to each address in `to`, one email each, at most once per
    (key, address). `key` names the message stably, e.g. "invitation:<id>", so a rerun or a
    second call sends nothing twice. Emails carry links, never labelled content."""
    return email_deliver(key=key, subject=subject, body=body, recipients=to)
