"""Routing through the APCC: the lead sends or consults, the secretariat decides, confirms or
returns."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from engage.accounts.viewer import Viewer
from engage.core.forms import apply_errors
from engage.core.types import AuthedRequest

from .. import audience, selectors, services
from ..forms import ReturnForm, RouteForm, WiderDecideForm, WiderRequestForm
from ..models import Decision, Status
from ..navigation import engagement_crumbs
from ..selectors import APCC, get_engagement_for_user
from .common import GET_POST, _refusal, _refuse, log_view


@login_required
@GET_POST
def route(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True)
    if refused := _refusal(request, engagement, services.engagement_route_check):
        return refused
    form = RouteForm(request.POST or None, user=request.user)
    refusal: services.PolicyRefused | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_route(
                engagement=engagement,
                by=request.user,
                route=form.cleaned_data["route"],
                groups=form.cleaned_data["groups"],
            )
        except services.PolicyRefused as exc:
            refusal = exc
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("The engagement has been sent to the APCC to confirm its routing.")
            )
            return redirect("engagements:detail", public_id=engagement.public_id)
    wider = list(engagement.wider_route_requests.all())
    if request.method == "GET":
        log_view(request, engagement)
    return render(
        request,
        "engagements/route.html",
        {
            "engagement": engagement,
            "form": form,
            "refusal": refusal,
            "wider_agreed": any(w.decision == Decision.AGREED for w in wider),
            "wider_pending": any(w.decision == Decision.PENDING for w in wider),
            "breadcrumbs": engagement_crumbs(engagement, (_("Send for routing"), None)),
        },
    )


@login_required
@GET_POST
def wider_request(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True)
    if refused := _refusal(request, engagement, services.wider_route_request_check):
        return refused
    form = WiderRequestForm(request.POST or None, engagement=engagement)
    refusal: services.PolicyRefused | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.wider_route_request(
                engagement=engagement,
                by=request.user,
                request=form.cleaned_data["request"],
                documents=form.cleaned_data["documents"],
            )
        except services.PolicyRefused as exc:
            refusal = exc
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your request has been sent to the APCC."))
            return redirect("engagements:detail", public_id=engagement.public_id)
    if request.method == "GET":
        log_view(request, engagement)
    return render(
        request,
        "engagements/wider_request.html",
        {
            "engagement": engagement,
            "form": form,
            "refusal": refusal,
            "requests": list(
                engagement.wider_route_requests.select_related("requested_by", "decided_by")
            ),
            "breadcrumbs": engagement_crumbs(
                engagement, (_("Ask to engage all policing bodies"), None)
            ),
        },
    )


@login_required
@GET_POST
def wider_decide(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True, perm=APCC)
    pending = selectors.get_wider_request_for_user(request.user, engagement)
    form = WiderDecideForm(request.POST or None)
    refusal: services.PolicyRefused | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.wider_route_decide(wider_request=pending, by=request.user, **form.cleaned_data)
        except services.PolicyRefused as exc:
            refusal = exc
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your answer has been sent to the policy lead."))
            return redirect("engagements:apcc_queue")
    if request.method == "GET":
        log_view(request, engagement)
    return render(
        request,
        "engagements/wider_decide.html",
        {
            "engagement": engagement,
            "wider_request": pending,
            "attached": list(
                audience.documents_read(Viewer.of(request.user))
                .filter(attached_to=pending)
                .order_by("title")
            ),
            "form": form,
            "refusal": refusal,
            "breadcrumbs": engagement_crumbs(engagement, (_("Engaging all policing bodies"), None)),
        },
    )


@login_required
@GET_POST
def confirm(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True, perm=APCC)
    if refused := _refusal(request, engagement, services.engagement_confirm_routing_check):
        return refused
    if request.method == "POST":
        try:
            services.engagement_confirm_routing(engagement=engagement, by=request.user)
        except ValidationError as exc:
            return _refuse(request, engagement, exc)
        if engagement.status == Status.SCHEDULED:
            messages.success(
                request,
                _("Routing confirmed: the engagement will open to its audience on %(date)s.")
                % {"date": date_format(engagement.opens_on, "j F Y")},
            )
        else:
            messages.success(
                request, _("Routing confirmed: the engagement is open to its audience.")
            )
        return redirect("engagements:detail", public_id=engagement.public_id)
    if request.method == "GET":
        log_view(request, engagement)
    # The timing line: when it will open, and whether it can open as it is (the service's
    # own check, so the page does not offer what the service would refuse).
    timing_refusal = ""
    try:
        services.engagement_confirm_timing_check(engagement)
    except ValidationError as exc:
        timing_refusal = exc.messages[0]
    return render(
        request,
        "engagements/confirm.html",
        {
            "engagement": engagement,
            "groups": list(engagement.routed_groups.all()),
            "opens_later": engagement.opens_on > timezone.localdate(),
            "opening_passed": engagement.opens_on < timezone.localdate(),
            "timing_refusal": timing_refusal,
            "breadcrumbs": engagement_crumbs(engagement, (_("Confirm routing"), None)),
        },
    )


@login_required
@GET_POST
def return_to_lead(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True, perm=APCC)
    if refused := _refusal(request, engagement, services.engagement_return_check):
        return refused
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_return(
                engagement=engagement, by=request.user, advice=form.cleaned_data["advice"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The engagement has been returned to the policy lead."))
            return redirect("engagements:apcc_queue")
    if request.method == "GET":
        log_view(request, engagement)
    return render(
        request,
        "engagements/return.html",
        {
            "engagement": engagement,
            "form": form,
            "breadcrumbs": engagement_crumbs(engagement, (_("Return to the policy lead"), None)),
        },
    )
