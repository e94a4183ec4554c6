"""The lists: the body's own roles, the owning organisation's (the APCC's: every one)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from engage.core.pagination import paginate
from engage.core.types import AuthedRequest
from engage.directory.selectors import policing_body_of

from .. import selectors
from ..forms import (
    StateFilterForm,
)
from .common import _crumbs, _membership


@login_required
@require_GET
def ours(request: AuthedRequest) -> HttpResponse:
    """The roles proposed to or agreed by the body the person acts for: overdue and at risk
    first."""
    membership = _membership(request)
    body = policing_body_of(membership)
    if body is None:
        raise PermissionDenied
    page_obj = paginate(request, selectors.body_agreements(request.user, body))
    return render(
        request,
        "implementation/ours.html",
        {
            "page_obj": page_obj,
            "body": body,
            "breadcrumbs": _crumbs(None, (_("Your implementation roles"), None)),
        },
    )


@login_required
@require_GET
def proposed(request: AuthedRequest) -> HttpResponse:
    """The owning organisation's agreements (the APCC secretariat: every one it reads), changes
    waiting for the lead first."""
    membership = _membership(request)
    if membership is None or not (membership.is_secretariat or membership.organisation.is_national):
        raise PermissionDenied
    form = StateFilterForm(request.GET)
    state = form.chosen()
    page_obj = paginate(request, selectors.owner_agreements(request.user, membership, state=state))
    return render(
        request,
        "implementation/proposed.html",
        {
            "form": form,
            "filtered": bool(state),
            "page_obj": page_obj,
            "apcc": membership.is_secretariat,
            "organisation": membership.organisation,
            "breadcrumbs": _crumbs(None, (_("Implementation roles"), None)),
        },
    )
