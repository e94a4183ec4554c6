"""National priorities: adding to and removing from a draft update, the list and a priority."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from engage.audit.models import AccessAction
from engage.audit.services import access_record_request
from engage.core.forms import apply_errors
from engage.core.pagination import paginate
from engage.core.types import AuthedRequest

from .. import selectors, services
from ..forms import PriorityFilterForm, PriorityForm
from ..navigation import engagement_crumbs
from ..selectors import get_engagement_for_user
from .common import GET_POST, _refusal, _refuse, log_view

# National priorities ----------------------------------------------------------------------


@login_required
@GET_POST
def priority_new(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True)
    if refused := _refusal(request, engagement, services.national_priority_add_check):
        return refused
    form = PriorityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.national_priority_add(
                engagement=engagement, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The priority has been added."))
            return redirect("engagements:detail", public_id=engagement.public_id)
    if request.method == "GET":
        log_view(request, engagement)
    return render(
        request,
        "engagements/priority_form.html",
        {
            "engagement": engagement,
            "form": form,
            "breadcrumbs": engagement_crumbs(engagement, (_("Add a national priority"), None)),
        },
    )


@login_required
@require_POST
def priority_remove(request: AuthedRequest, public_id) -> HttpResponse:
    priority = selectors.get_priority_for_user(request.user, public_id)
    engagement = get_engagement_for_user(request.user, priority.engagement.public_id, write=True)
    try:
        services.national_priority_remove(priority=priority, by=request.user)
    except ValidationError as exc:
        return _refuse(request, engagement, exc)
    messages.success(request, _("The priority has been removed."))
    return redirect("engagements:detail", public_id=engagement.public_id)


@login_required
@require_GET
def priorities(request: AuthedRequest) -> HttpResponse:
    form = PriorityFilterForm(request.GET)
    page_obj = paginate(request, selectors.priorities_for_user(request.user, **form.filters()))
    # National priorities are the content of the priorities updates that published them.
    access_record_request(
        request, action=AccessAction.VIEW, object_type="national_priority", detail="list"
    )
    return render(
        request,
        "engagements/priorities.html",
        {"form": form, "page_obj": page_obj},
    )


@login_required
@require_GET
def priority_detail(request: AuthedRequest, public_id) -> HttpResponse:
    priority = selectors.get_priority_for_user(request.user, public_id)
    access_record_request(
        request,
        action=AccessAction.VIEW,
        object_type="national_priority",
        object_id=str(priority.public_id),
        label=priority.engagement.label,
        confidential_to=priority.engagement.policy.log_confidential_to,
    )
    return render(
        request,
        "engagements/priority_detail.html",
        {
            "priority": priority,
            "engagement": priority.engagement,
            "themes": list(priority.themes.all()),
            "breadcrumbs": [
                (_("National priorities"), reverse("engagements:priorities")),
                (priority.title, None),
            ],
        },
    )
