"""Reads of notifications: a person's own, never anyone else's."""

from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404

from engage.core.access import is_signed_in

from .models import Notification


def notifications_of(user) -> QuerySet[Notification]:
    """The person's notifications, unread first, then newest first, with their events."""
    if not is_signed_in(user):
        return Notification.objects.none()
    return (
        Notification.objects.filter(user_id=user.pk)
        .select_related("event")
        .order_by(F("read_at").desc(nulls_first=True), "-created_at", "-pk")
    )


def get_notification_for_user(user, public_id) -> Notification:
    """The person's own notification, or 404 (another's is as unknown as a missing one)."""
    if not is_signed_in(user):
        from django.http import Http404

        raise Http404
    return get_object_or_404(
        Notification.objects.select_related("event"), user_id=user.pk, public_id=public_id
    )
