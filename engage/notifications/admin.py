"""Events and notifications in Django's admin, read-only, for site administrators: what was
recorded, when it was delivered and to whom. Their emails are the core app's email deliveries
(key "event:<public id>"), failures included."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Event, Notification


class ReadOnly(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnly):
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
class NotificationAdmin(ReadOnly):
    list_display = ("event", "user", "created_at", "read_at")
    list_select_related = ("event", "user")
    search_fields = ("user__email", "event__public_id")
    date_hierarchy = "created_at"
    fields = readonly_fields = ("public_id", "user", "event", "created_at", "read_at")
