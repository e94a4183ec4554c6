"""The daily summary (issue 11, items 5 and 6): one email a day to each person who chose it
for some kinds, at the time they chose, listing what they were told since their last one.

A periodic task (`digests_send_due`, every PERIODIC_TASK_MINUTES from the workers' heartbeat,
engage/core/periodic.py) works from the data, so a restart or a missed run loses nothing:
1. For each person with notifications waiting for a summary whose time of day has come and
   who has no summary for today, it makes today's `Digest` and attaches those notifications
   to it, in one transaction (a second run, or a second worker, finds the day's digest and
   makes none).
2. It sends every digest not yet sent, today's and any left by a lost worker, each under the
   key "digest:<public id>" (`send_email`: once per address), carrying exactly the
   notifications attached in step 1, then marks it sent. Before sending it drops the
   notifications whose item the person can no longer see (the event's provider, asked once
   per event for all the people concerned): they are never emailed.
"""

import logging
from collections import defaultdict
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import TimeField, Value
from django.db.models.functions import Coalesce
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from engage.accounts.models import User
from engage.core.deliveries import DeliveryFailed
from engage.core.emails import email_html_from_text
from engage.core.links import absolute
from engage.core.tasks import send_email

from .models import Digest, EmailState, EventKind, Notification
from .preferences import DIGEST_DEFAULT
from .registry import recipients_for

logger = logging.getLogger(__name__)


@task
def digests_send_due() -> int:
    """Make today's summaries that are due and send every summary not yet sent."""
    return digests_send(timezone.now())


def digests_send(at: datetime) -> int:
    """What `digests_send_due` does at `at` (tests pass the clock). Returns how many summary
    emails were sent now."""
    for user_id in digests_due(at):
        digest_make(user_id, on=timezone.localdate(at), at=at)
    unsent = list(Digest.objects.filter(sent_at__isnull=True).order_by("on", "pk"))
    if not unsent:
        return 0
    keep = _still_seen(unsent)
    sent = 0
    for digest in unsent:
        sent += digest_send(digest, keep[digest.pk], at=at)
    return sent


def digests_due(at: datetime) -> list[int]:
    """The people with notifications waiting for a summary, whose summary time has come
    today at `at` and who have had no summary today (one query)."""
    local = timezone.localtime(at)
    return list(
        User.objects.filter(
            is_active=True,
            notifications__email_state=EmailState.PENDING,
            notifications__digest__isnull=True,
        )
        .exclude(digests__on=local.date())
        .annotate(
            send_at=Coalesce(
                "digest_setting__send_at", Value(DIGEST_DEFAULT, output_field=TimeField())
            )
        )
        .filter(send_at__lte=local.time())
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


def digest_make(user_id: int, *, on, at: datetime) -> Digest | None:
    """Today's summary for the person, carrying every notification waiting for one; None if
    they already have one for `on` (what arrives after it waits for tomorrow's)."""
    try:
        with transaction.atomic():
            digest = Digest.objects.create(user_id=user_id, on=on, created_at=at)
            Notification.objects.filter(
                user_id=user_id, email_state=EmailState.PENDING, digest__isnull=True
            ).update(digest=digest)
    except IntegrityError:
        return None
    return digest


def _still_seen(digests: list[Digest]) -> dict[int, list[Notification]]:
    """For each digest, its notifications whose item the person may still see: the event's
    provider is asked once per event, for all the people whose digests carry it."""
    notifications = list(
        Notification.objects.filter(digest__in=digests, email_state=EmailState.PENDING)
        .select_related("event")
        .order_by("created_at", "pk")
    )
    people_of: dict[int, set[int]] = defaultdict(set)
    events = {}
    for notification in notifications:
        people_of[notification.event_id].add(notification.user_id)
        events[notification.event_id] = notification.event
    seeing = {
        event_id: set(
            recipients_for(events[event_id])
            .filter(pk__in=people, is_active=True)
            .values_list("pk", flat=True)
        )
        for event_id, people in people_of.items()
    }
    kept: dict[int, list[Notification]] = {digest.pk: [] for digest in digests}
    dropped = []
    for notification in notifications:
        if notification.user_id in seeing[notification.event_id]:
            kept[notification.digest_id].append(notification)  # type: ignore[index]
        else:
            dropped.append(notification.pk)
    if dropped:
        # The person can no longer see the item: it is never emailed.
        Notification.objects.filter(pk__in=dropped).update(email_state=EmailState.NONE)
    return kept


def digest_lines(notifications: list[Notification]) -> list[dict]:
    """One line per kind and item, with how many times it happened (a lead told of twenty
    responses to one engagement reads one line, not twenty), in the order they came."""
    lines: dict[tuple[str, str, str], dict] = {}
    for notification in notifications:
        event = notification.event
        key = (event.kind, event.link, event.title)
        if key not in lines:
            lines[key] = {
                "kind": EventKind(event.kind).label,
                "title": event.title,
                "owner": event.context.get("owner", ""),
                "link": absolute(event.link),
                "count": 0,
            }
        lines[key]["count"] += 1
    return list(lines.values())


def digest_email(digest: Digest, notifications: list[Notification]) -> tuple[str, str]:
    text = render_to_string(
        "notifications/email/digest.txt",
        {
            "on": digest.on,
            "lines": digest_lines(notifications),
            "total": len(notifications),
            "settings_link": absolute(reverse("notifications:settings")),
        },
    )
    subject, _, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def digest_send(digest: Digest, notifications: list[Notification], *, at: datetime) -> int:
    """Send the summary (once, whatever the number of runs) and mark it and its notifications
    sent. A summary left with nothing the person may still see is marked sent unsent."""
    sent = 0
    if notifications:
        subject, body = digest_email(digest, notifications)
        try:
            sent = send_email.call(
                key=f"digest:{digest.public_id}",
                subject=subject,
                body=body,
                html=email_html_from_text(subject, body),
                to=[digest.user.email],
            )
        except DeliveryFailed:
            # Refused: send_email recorded it and retries it on its own schedule.
            logger.warning("Daily summary %s was refused; send_email retries it.", digest.pk)
    with transaction.atomic():
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
            email_state=EmailState.SENT
        )
        Digest.objects.filter(pk=digest.pk).update(sent_at=at)
    return sent
