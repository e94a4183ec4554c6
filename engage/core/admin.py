"""Email deliveries in Django's admin, read-only: an operator sees what was sent, what failed
and why. Site administrators (`is_staff`, decision 2) see them without further permissions."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import EmailDelivery


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    list_display = ("key", "recipient", "status", "attempts", "claimed_at", "sent_at")
    list_filter = ("status",)
    search_fields = ("key", "recipient")
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "key",
        "recipient",
        "subject",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "claimed_at",
        "sent_at",
    )

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
