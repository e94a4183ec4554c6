"""The body's view of the sector (issue 10, point 7): for the policing body acted for, the
voluntary organisations working on each of its plan priorities, with the evidence and activity
shared with it."""

import rules
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from engage.core.types import AuthedRequest
from engage.directory.selectors import policing_body_of

from .. import selectors
from .common import crumbs


@login_required
@require_GET
def sector_view(request: AuthedRequest) -> HttpResponse:
    body = policing_body_of(request.membership or None)
    if body is None or not rules.has_perm(selectors.VIEW_SECTOR, request.user, body):
        return render(
            request,
            "impact/sector_not_body.html",
            {"breadcrumbs": crumbs((_("The voluntary sector in your area"), None))},
            status=403,
        )
    return render(
        request,
        "impact/sector.html",
        {
            "view": selectors.sector_view(request.user, body),
            "breadcrumbs": crumbs((_("The voluntary sector in your area"), None)),
        },
    )
