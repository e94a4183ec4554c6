"""The routing record of an engagement (its route, the APCC's amendments, the audience fixed
when it opened and the bodies added later), and the APCC adding a body to an open one."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from engage.core.forms import apply_errors
from engage.core.types import AuthedRequest

from .. import services
from ..forms import AddBodyForm
from ..models import Status
from ..navigation import engagement_crumbs
from ..selectors import APCC, get_engagement_for_user, routing_record
from .common import GET_POST, _refusal, log_view

RECORD = "engagements.view_routing_record"


@login_required
@require_GET
def routing_record_page(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True, perm=RECORD)
    record = routing_record(request.user, engagement)
    log_view(request, engagement)
    return render(
        request,
        "engagements/routing.html",
        {
            "engagement": engagement,
            "record": record,
            "can_add": engagement.status == Status.OPEN
            and rules.has_perm(APCC, request.user, engagement),
            "breadcrumbs": engagement_crumbs(engagement, (_("Routing record"), None)),
        },
    )


@login_required
@GET_POST
def audience_add(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True, perm=APCC)
    if refused := _refusal(request, engagement, services.audience_body_add_check):
        return refused
    form = AddBodyForm(
        request.POST if request.method == "POST" else None,
        bodies=services.addable_bodies(engagement),
    )
    refusal: services.PolicyRefused | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.audience_body_add(
                engagement=engagement,
                body=form.cleaned_data["body"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.PolicyRefused as exc:
            refusal = exc
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(body)s has been added to the engagement's audience.")
                % {"body": form.cleaned_data["body"]},
            )
            return redirect("engagements:routing", public_id=engagement.public_id)
    if request.method == "GET":
        log_view(request, engagement)
    return render(
        request,
        "engagements/audience_add.html",
        {
            "engagement": engagement,
            "form": form,
            "refusal": refusal,
            "breadcrumbs": engagement_crumbs(
                engagement,
                (_("Routing record"), reverse("engagements:routing", args=[engagement.public_id])),
                (_("Add a policing body"), None),
            ),
        },
    )
