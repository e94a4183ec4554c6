"""Reads of notifications: a person's own, never anyone else's."""

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from engage.core.access import is_signed_in

from .models import Notification

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
        from django.http import Http404

        raise Http404
    return get_object_or_404(
        Notification.objects.select_related("event"), user_id=user.pk, public_id=public_id
    )
