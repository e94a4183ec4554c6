"""Reads of notifications and calendar feeds: a person's own, never anyone else's."""

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404

from engage.accounts.models import hash_token
from engage.core.access import is_signed_in

from .models import CalendarFeed, Notification, is_calendar_token

UNREAD_FIRST = Case(
    When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
)


def notifications_of(user) -> QuerySet[Notification]:
    """The person's notifications, unread first, then newest first, with their events."""
    if not is_signed_in(user):
        return Notification.objects.none()
    return (
        Notification.objects.filter(user_id=user.pk)
        .select_related("event")
        .order_by(UNREAD_FIRST, "-created_at", "-pk")
    )


def get_notification_for_user(user, public_id) -> Notification:
    """The person's own notification, or 404 (another's is as unknown as a missing one)."""
    if not is_signed_in(user):
        raise Http404
    return get_object_or_404(
        Notification.objects.select_related("event"), user_id=user.pk, public_id=public_id
    )


def calendar_feed_of(user) -> CalendarFeed | None:
    """The person's calendar feed, if it is on."""
    if not is_signed_in(user):
        return None
    return CalendarFeed.objects.filter(user_id=user.pk).first()


def get_calendar_feed_by_token(token: str) -> CalendarFeed:
    """The feed whose link carries `token`, with its person, or 404 (not the shape of a
    token, unknown, replaced or turned off, or the person's account closed). The shape is
    checked before any query; the database then finds the token's hash by its unique index."""
    if not is_calendar_token(token):
        raise Http404
    return get_object_or_404(
        CalendarFeed.objects.select_related("user"),
        token_hash=hash_token(token),
        user__is_active=True,
    )
