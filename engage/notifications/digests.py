"""The daily summary (issue 11, items 5 and 6): one email a day to each person who chose it
for some kinds, at the time they chose, listing what they were told since their last one.

A periodic task (`digests_send_due`, every PERIODIC_TASK_MINUTES from the workers' heartbeat,
engage/core/periodic.py) works from the data, so a restart or a missed run loses nothing:
1. For each person whose time of day has come, with no summary for today, it makes today's
   `Digest` and attaches the notifications waiting for one that came before today's time, in
   one transaction (a second run, or a second worker, finds the day's digest and makes none).
   What comes after the time waits for tomorrow's: a summary goes at the person's time, never
   as soon as something arrives.
2. It claims the unsent digests, a chunk at a time (a compare-and-set on each row: a slow
   run overlapping the next slot's never sends the same one; a claim older than CLAIM_LEASE,
   its worker lost, is taken again), and sends each under the key "digest:<public id>"
   (`send_email`: once per address), carrying exactly the notifications attached in step 1,
   then marks it sent. Before sending it drops the notifications whose item the person can no
   longer see (the event's provider, asked once per event for all the people concerned):
   they are never emailed.
"""

import logging
import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q, TimeField, Value
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


# A summary claimed by a run and not sent this long after is taken by the next run (the
# worker that claimed it was lost). Far longer than sending one chunk takes.
CLAIM_LEASE = timedelta(minutes=15)
# Summaries claimed and sent at a time, so that a chunk is sent well within the lease.
CHUNK = 200


def digests_send(at: datetime) -> int:
    """What `digests_send_due` does at `at` (tests pass the clock). Returns how many summary
    emails were sent now."""
    digests_make_due(at)
    sent = 0
    while chunk := digests_claim(at):
        keep = _still_seen(chunk)
        for digest in chunk:
            try:
                sent += digest_send(digest, keep[digest.pk], at=at)
            except Exception:
                # One summary that cannot be sent does not hold up everyone else's; it stays
                # claimed, so the next run after the lease tries it again.
                logger.exception("Daily summary %s could not be sent.", digest.pk)
    return sent


def digests_make_due(at: datetime) -> int:
    """Make today's summary for each person whose summary time has come today at `at`, who
    has none for today, and who has notifications waiting from before that time. Returns how
    many were made. One query per distinct summary time, whatever the number of people."""
    local = timezone.localtime(at)
    waiting = User.objects.filter(
        is_active=True,
        notifications__email_state=EmailState.PENDING,
        notifications__digest__isnull=True,
    ).exclude(digests__on=local.date())
    waiting = waiting.annotate(
        send_at=Coalesce("digest_setting__send_at", Value(DIGEST_DEFAULT, output_field=TimeField()))
    ).filter(send_at__lte=local.time())
    times = sorted(set(waiting.values_list("send_at", flat=True)))
    made = 0
    for send_at in times:
        # Only what came before today's summary time: what comes after waits for tomorrow's,
        # so a summary goes at the person's time, never as soon as something arrives.
        cutoff = timezone.make_aware(datetime.combine(local.date(), send_at))
        people = (
            waiting.filter(send_at=send_at, notifications__created_at__lte=cutoff)
            .order_by("pk")
            .values_list("pk", flat=True)
            .distinct()
        )
        for user_id in people:
            made += digest_make(user_id, on=local.date(), cutoff=cutoff, at=at) is not None
    return made


class _NothingToCarry(Exception):
    pass


def digest_make(user_id: int, *, on: date, cutoff: datetime, at: datetime) -> Digest | None:
    """The person's summary for `on`, carrying every notification waiting for one that came by
    `cutoff`; None if they already have one for `on` (another run made it) or nothing came by
    then."""
    try:
        with transaction.atomic():
            digest = Digest.objects.create(user_id=user_id, on=on, created_at=at)
            carried = Notification.objects.filter(
                user_id=user_id,
                email_state=EmailState.PENDING,
                digest__isnull=True,
                created_at__lte=cutoff,
            ).update(digest=digest)
            if not carried:
                raise _NothingToCarry
    except (IntegrityError, _NothingToCarry):
        return None
    return digest


def digests_claim(at: datetime) -> list[Digest]:
    """Claim up to CHUNK unsent summaries for this run: those nobody claimed, or whose claim
    is older than CLAIM_LEASE. A compare-and-set on each row's claim, so two runs at once (a
    slow run overlapping the next slot's) never send the same summary."""
    claim = uuid.uuid4()
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=at - CLAIM_LEASE)
    ids = list(
        Digest.objects.filter(claimable, sent_at__isnull=True)
        .order_by("on", "pk")
        .values_list("pk", flat=True)[:CHUNK]
    )
    if not ids:
        return []
    Digest.objects.filter(claimable, pk__in=ids, sent_at__isnull=True).update(
        claimed_at=at, claim=claim
    )
    return list(Digest.objects.filter(claim=claim).select_related("user").order_by("on", "pk"))


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
        Notification.objects.filter(pk__in=dropped).update(email_state=EmailState.DROPPED)
    return kept


def digest_lines(notifications: list[Notification]) -> list[dict]:
    """One line per kind and item, with how many times it happened, in the order they came.
    An event may name in its context a `group_link` (the page listing it and its like: an
    engagement's responses): events of one kind and group are one line linking there, so a
    lead told of twenty responses to one engagement reads one line, not twenty."""
    lines: dict[tuple[str, str, str], dict] = {}
    for notification in notifications:
        event = notification.event
        link = event.context.get("group_link") or event.link
        key = (event.kind, link, event.title)
        if key not in lines:
            lines[key] = {
                "kind": EventKind(event.kind).label,
                "title": event.title,
                "owner": event.context.get("owner", ""),
                "link": absolute(link),
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
