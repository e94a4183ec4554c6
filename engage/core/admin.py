"""Email deliveries and address problems in Django's admin, read-only: an operator sees what
was sent, what failed and why, and which addresses mail cannot reach. Site administrators
(`is_staff`, decision 2) see them without further permissions; clearing an address problem
is their one action."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .addresses import address_problems_clear
from .models import AddressProblem, EmailDelivery


class ReadOnlyForStaff(admin.ModelAdmin):
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


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(ReadOnlyForStaff):
    list_display = (
        "key",
        "recipient",
        "status",
        "attempts",
        "error",
        "claimed_at",
        "sent_at",
    )
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

    @admin.display(description=_("last error"))
    def error(self, delivery: EmailDelivery) -> str:
        return Truncator(delivery.last_error).chars(80)


class OpenFilter(admin.SimpleListFilter):
    title = _("open or cleared")
    parameter_name = "open"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Open")), ("no", _("Cleared"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(cleared_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(cleared_at__isnull=False)
        return queryset


@admin.register(AddressProblem)
class AddressProblemAdmin(ReadOnlyForStaff):
    list_display = (
        "address",
        "user",
        "source",
        "reason",
        "count",
        "first_seen_at",
        "last_seen_at",
        "cleared_at",
    )
    list_select_related = ("user",)
    list_filter = (OpenFilter, "source")
    search_fields = ("address", "user__email")
    date_hierarchy = "last_seen_at"
    fields = readonly_fields = (
        "address",
        "user",
        "source",
        "reason",
        "count",
        "first_seen_at",
        "last_seen_at",
        "cleared_at",
    )
    actions = ("clear",)

    @admin.action(description=_("Clear: the address has been put right"))
    def clear(self, request: HttpRequest, queryset: QuerySet[AddressProblem]) -> None:
        cleared = address_problems_clear(queryset)
        message = ngettext(
            "%(count)d address problem cleared.", "%(count)d address problems cleared.", cleared
        )
        self.message_user(request, message % {"count": cleared}, messages.SUCCESS)
