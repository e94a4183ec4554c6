"""What the impact pages share: the organisation acted for, breadcrumbs, confirmation pages."""

import rules
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from engage.accounts.models import Organisation
from engage.core.types import AuthedRequest

from .. import selectors

GET_POST = ("GET", "POST")


def organisation_of(request: AuthedRequest) -> Organisation | None:
    """The organisation the person acts for now (their current membership)."""
    return selectors.acting_organisation(request.membership or None)


def acting_for(request: AuthedRequest, perm: str) -> Organisation:
    """The organisation acted for, if the person may `perm` for it; else 403."""
    organisation = organisation_of(request)
    if organisation is None or not rules.has_perm(perm, request.user, organisation):
        raise PermissionDenied
    return organisation


def crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Home"), reverse("core:home")), *items]


def evidence_crumb() -> tuple[str, str]:
    return (_("Impact evidence"), reverse("impact:evidence_list"))


def case_crumb() -> tuple[str, str]:
    return (_("Impact cases"), reverse("impact:case_list"))


def confirm_page(
    request: AuthedRequest,
    *,
    title: str,
    caption: str,
    text: str,
    button: str,
    cancel: str,
    breadcrumbs: list,
    warning: bool = False,
) -> HttpResponse:
    """A page asking the person to confirm an action, posting back to the same address."""
    return render(
        request,
        "impact/confirm.html",
        {
            "title": title,
            "caption": caption,
            "text": text,
            "button": button,
            "cancel": cancel,
            "warning": warning,
            "breadcrumbs": breadcrumbs,
        },
    )
