"""Delivering an event: one notification and one email per person it tells, at most once.

`deliver_event` runs after the change commits (the database task backend) and may run again
(a worker lost mid-task, engage/core/workers.py): a rerun creates no second notification,
counts nobody twice (only rows this run created are counted) and sends no second email
(`send_email` keys each message "event:<public id>", once per address)."""

from django.db import transaction
from django.tasks import task
from django.template.loader import select_template
from django.utils import timezone

from engage.core.emails import email_html_from_text
from engage.core.links import absolute
from engage.core.tasks import send_email

from .models import EmailChoice, EmailState, Event, EventKind, Notification
from .preferences import email_choices_of
from .registry import recipients_for
from .services import unread_add

STATE = {
    EmailChoice.IMMEDIATE: EmailState.SENT,
    EmailChoice.DIGEST: EmailState.PENDING,
    EmailChoice.NONE: EmailState.NONE,
}


@task
def deliver_event(*, event_id: int) -> int:
    """Tell the people the event's provider returns now (active, not the actor), in the service,
    and by email those who chose to be emailed of this kind straight away (the others wait for
    their daily summary, or chose no email). Returns how many emails were sent now."""
    with transaction.atomic():
        # Locked, so two runs of the same event (a recovered task and its original) take
        # turns: the second finds the first's notifications and creates none.
        event = Event.objects.select_for_update().get(pk=event_id)
        people = recipients_for(event).filter(is_active=True)
        if event.actor_id is not None:
            people = people.exclude(pk=event.actor_id)
        found = list(people.order_by().values_list("pk", "email"))
        choices = email_choices_of((pk for pk, _ in found), event.kind)
        stamp = timezone.now()
        Notification.objects.bulk_create(
            [
                Notification(
                    user_id=pk, event=event, created_at=stamp, email_state=STATE[choices[pk]]
                )
                for pk, _ in found
            ],
            ignore_conflicts=True,
        )
        created = list(
            Notification.objects.filter(event=event, created_at=stamp).values_list(
                "user_id", flat=True
            )
        )
        unread_add(created)
        if event.delivered_at is None:
            event.delivered_at = stamp
            event.save(update_fields=["delivered_at"])
    # Only those who chose to be emailed straight away; the daily summary (digests.py) tells
    # those who chose it.
    addresses = sorted(email for pk, email in found if choices[pk] == EmailChoice.IMMEDIATE)
    if not addresses:
        return 0
    subject, body = email_of(event)
    # The task every email goes through: one email each, refusals recorded and retried.
    return send_email.call(
        key=f"event:{event.public_id}",
        subject=subject,
        body=body,
        html=email_html_from_text(subject, body),
        to=addresses,
    )


def email_of(event: Event) -> tuple[str, str]:
    """The subject (the template's first line) and body of the event's email, from
    notifications/email/<kind>.txt: the kind of item, its title only if the event has one
    (a TLP:CLEAR or TLP:GREEN item), the link; never labelled content."""
    template = select_template(
        [f"notifications/email/{event.kind}.txt", "notifications/email/default.txt"]
    )
    text = template.render(
        {
            "event": event,
            "kind": EventKind(event.kind).label,
            "title": event.title,
            "link": absolute(event.link),
            "context": event.context,
        },
    )
    subject, _, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"
