"""Every write of notifications: recording an event (in the transaction of the change),
reading notifications, keeping each person's unread count, and a person's calendar feed."""

import uuid
from typing import Any

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from engage.accounts.models import User, hash_token
from engage.core.labels import Label

from .models import CalendarFeed, Event, Notification, new_calendar_token

# The labels whose items' titles may leave the service (in an email, on the list of a
# person who may since have lost sight of the item): the whole community or the public.
SHAREABLE_LABELS = frozenset({Label.GREEN, Label.CLEAR})


def shareable_title(title: str, label: str) -> str:
    """`title` if an item labelled `label` may have its title told outside the service
    (TLP:CLEAR or TLP:GREEN), else "" (an unknown label counts as labelled)."""
    return title if label in SHAREABLE_LABELS else ""


def event_record(
    kind: str,
    *,
    subject_id: uuid.UUID,
    link: str,
    title: str = "",
    context: dict[str, Any] | None = None,
    actor: User | None = None,
) -> Event:
    """Record that `kind` happened to the item `subject_id` and enqueue its delivery. Call it
    inside the transaction of the change: with the database task backend the event and its
    task are rows of that transaction, so a change rolled back tells nobody. `title` must
    already be `shareable_title(...)`; `context` holds only facts that carry no label."""
    from .tasks import deliver_event

    event = Event.objects.create(
        kind=kind,
        subject_id=subject_id,
        link=link,
        title=title,
        context=context or {},
        actor=actor,
    )
    deliver_event.enqueue(event_id=event.pk)
    return event


def unread_add(user_ids: list[int]) -> None:
    """One more unread notification for each of `user_ids`, in one UPDATE."""
    if user_ids:
        User.objects.filter(pk__in=user_ids).update(
            unread_notifications=F("unread_notifications") + 1
        )


def notification_open(notification: Notification) -> Notification:
    """Mark the person's notification read (once: opening it again changes nothing)."""
    with transaction.atomic():
        marked = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if marked:
            User.objects.filter(pk=notification.user_id).update(
                unread_notifications=Greatest(F("unread_notifications") - 1, 0)
            )
    notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_read_all(user: User) -> int:
    """Mark every notification of `user` read and put the count right. Returns how many
    were marked."""
    with transaction.atomic():
        marked = Notification.objects.filter(user=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        notifications_recount(user)
    return marked


def notifications_recount(user: User) -> int:
    """Set `user.unread_notifications` from the notifications themselves (the count kept by
    F() updates could only drift through a bug or a hand edit)."""
    count = Notification.objects.filter(user=user, read_at__isnull=True).count()
    User.objects.filter(pk=user.pk).update(unread_notifications=count)
    user.unread_notifications = count
    return count


# The calendar feed ------------------------------------------------------------------------


def calendar_feed_turn_on(user: User) -> tuple[CalendarFeed, str | None]:
    """Turn the person's calendar feed on. Returns the feed and the secret for its link, to
    show once: only its hash is kept. Already on: the feed and None, as its link cannot be
    shown again (a new link can be made)."""
    token = new_calendar_token()
    feed, created = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token_hash": hash_token(token)}
    )
    return feed, (token if created else None)


def calendar_feed_renew(user: User) -> tuple[CalendarFeed, str]:
    """Give the person's feed a new secret link; the old one stops working at once. Turns the
    feed on if it was off. Returns the feed and the new secret, to show once."""
    token = new_calendar_token()
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(
            user=user, defaults={"token_hash": hash_token(token)}
        )
        if not created:
            feed.token_hash = hash_token(token)
            feed.created_at = timezone.now()
            feed.last_fetched_at = None
            feed.save(update_fields=["token_hash", "created_at", "last_fetched_at"])
    return feed, token


def calendar_feed_turn_off(user: User) -> bool:
    """Turn the person's feed off: its link finds nothing from now on. Returns whether it was
    on."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def calendar_feed_fetched(feed: CalendarFeed) -> None:
    """Note when a calendar app last fetched the feed (shown to the person), in one UPDATE."""
    feed.last_fetched_at = timezone.now()
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=feed.last_fetched_at)
