"""People in Django's admin, read-only, for site administrators: who they are and the email
addresses of theirs that mail cannot reach (engage.core.addresses). People are invited and
managed in the service itself (decision 2); nothing is changed here."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from engage.core.admin import ReadOnlyForStaff
from engage.core.models import AddressProblem

from .models import User


class OpenAddressProblems(admin.TabularInline):
    """The person's open address problems; a site administrator clears them from the
    address problems' own list once the address is put right."""

    model = AddressProblem
    verbose_name = _("open address problem")
    verbose_name_plural = _("open address problems")
    fields = readonly_fields = ("address", "source", "reason", "count", "last_seen_at")
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[AddressProblem]:
        return super().get_queryset(request).filter(cleared_at__isnull=True)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(ReadOnlyForStaff):
    list_display = ("email", "full_name", "is_active", "is_staff", "date_joined")
    list_filter = ("is_active", "is_staff")
    search_fields = ("email", "full_name")
    fields = readonly_fields = (
        "email",
        "full_name",
        "is_active",
        "is_staff",
        "date_joined",
        "last_login",
    )
    inlines = (OpenAddressProblems,)
