"""Events and notifications in Django's admin, read-only, for site administrators: what was
recorded, when it was delivered and to whom. Their emails are the core app's email deliveries
(key "event:<public id>"), failures included."""

from django.contrib import admin

from engage.core.admin import ReadOnlyForStaff

from .models import Event, Notification


@admin.register(Event)
class EventAdmin(ReadOnlyForStaff):
    list_display = ("kind", "subject_id", "created_at", "delivered_at")
    list_filter = ("kind",)
    search_fields = ("public_id", "subject_id")
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "public_id",
        "kind",
        "subject_id",
        "link",
        "title",
        "context",
        "actor",
        "created_at",
        "delivered_at",
    )


@admin.register(Notification)
class NotificationAdmin(ReadOnlyForStaff):
    list_display = ("event", "user", "created_at", "read_at")
    list_select_related = ("event", "user")
    search_fields = ("user__email", "event__public_id")
    date_hierarchy = "created_at"
    fields = readonly_fields = ("public_id", "user", "event", "created_at", "read_at")
