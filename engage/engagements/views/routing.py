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
from ..forms import AmendRouteForm, ReturnForm, RouteForm, WiderDecideForm, WiderRequestForm
from ..models import Decision, Route, Status
from ..navigation import engagement_crumbs
from ..selectors import APCC, get_engagement_for_user
from .common import GET_POST, _refusal, _refuse, log_view


@login_required
@GET_POST
def route(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True)
    if refused := _refusal(request, engagement, services.engagement_route_check):
        return refused
    # After the APCC returns it, the earlier route and groups stay ticked.
    form = RouteForm(
        request.POST or None, user=request.user, initial=RouteForm.initial_from(engagement)
    )
    refusal: services.PolicyRefused | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_route(
                engagement=engagement,
                by=request.user,
                route=form.cleaned_data["route"],
                groups=form.cleaned_data["groups"],
                also_apace=form.cleaned_data["also_apace"],
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
    """The APCC sees the audience the route reaches (bodies and people) and when it will open,
    may amend the standing groups or add APACE alongside them ("Update who it will reach"
    shows the new audience without confirming), and confirms: the engagement opens, and its
    audience is fixed, now or on its opening date."""
    engagement = get_engagement_for_user(request.user, public_id, write=True, perm=APCC)
    if refused := _refusal(request, engagement, services.engagement_confirm_routing_check):
        return refused
    groups = list(engagement.routed_groups.all())
    also_apace = engagement.also_apace
    form = None
    if engagement.route == Route.STANDING_GROUPS:
        # Bound only when the page's amendment fields were sent ("amend"): a bare confirmation
        # confirms the route as the lead sent it.
        form = AmendRouteForm(
            request.POST if "amend" in request.POST else None,
            user=request.user,
            initial={"groups": [group.slug for group in groups], "also_apace": also_apace},
        )
    refusal: services.PolicyRefused | None = None
    if request.method == "POST" and (form is None or not form.is_bound or form.is_valid()):
        if form is not None and form.is_bound:
            groups = list(form.cleaned_data["groups"])
            also_apace = form.cleaned_data["also_apace"]
        if request.POST.get("action") != "preview":
            try:
                amended = form is not None and form.is_bound
                services.engagement_confirm_routing(
                    engagement=engagement,
                    by=request.user,
                    groups=groups if amended else None,
                    also_apace=also_apace if amended else None,
                )
            except services.PolicyRefused as exc:
                refusal = exc
            except ValidationError as exc:
                if form is None or not hasattr(exc, "error_dict"):
                    return _refuse(request, engagement, exc)
                apply_errors(form, exc)
            else:
                if engagement.status == Status.SCHEDULED:
                    messages.success(
                        request,
                        _(
                            "Routing confirmed: the engagement will open to its audience on "
                            "%(date)s."
                        )
                        % {"date": date_format(engagement.opens_on, "j F Y")},
                    )
                else:
                    messages.success(
                        request, _("Routing confirmed: the engagement is open to its audience.")
                    )
                return redirect("engagements:detail", public_id=engagement.public_id)
    bodies, people = audience.proposed_audience(engagement, groups, also_apace=also_apace)
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
            "groups": groups,
            "form": form,
            "refusal": refusal,
            "bodies": bodies,
            "people": people,
            "also_apace": also_apace,
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
