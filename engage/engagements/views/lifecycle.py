"""An engagement once sent: closing it, sharing its responses, releasing it to a wider label."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from engage.core.forms import apply_errors
from engage.core.types import AuthedRequest

from .. import services
from ..forms import ReleaseForm, ShareResponsesForm
from ..navigation import engagement_crumbs
from ..selectors import get_engagement_for_user
from .common import GET_POST, _refusal, _refuse, log_view


@login_required
@GET_POST
def close(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True)
    if refused := _refusal(request, engagement, services.engagement_close_check):
        return refused
    if request.method == "POST":
        try:
            services.engagement_close(engagement=engagement, by=request.user)
        except ValidationError as exc:
            return _refuse(request, engagement, exc)
        if engagement.asks_response and (record := _outcome_form_url(engagement)):
            # It asked for responses: the bodies are owed an outcome, so prompt for it. The
            # close stands whether or not the lead records one now.
            messages.success(
                request,
                _(
                    "The engagement is closed. Now tell the bodies what came of it: record the "
                    "outcome, or come back to it later from the engagement page."
                ),
            )
            return redirect(record)
        messages.success(request, _("The engagement is closed."))
        return redirect("engagements:detail", public_id=engagement.public_id)
    if request.method == "GET":
        log_view(request, engagement)
    return render(
        request,
        "engagements/close.html",
        {
            "engagement": engagement,
            "breadcrumbs": engagement_crumbs(engagement, (_("Close"), None)),
        },
    )


def _outcome_form_url(engagement) -> str:
    """The outcome form, by URL name: the outcomes app builds on this one, which does not
    import it. Empty where it is not installed."""
    try:
        return reverse("outcomes:edit", args=[engagement.public_id])
    except NoReverseMatch:
        return ""


@login_required
@GET_POST
def share_responses(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True)
    form = ShareResponsesForm(request.POST or None)
    refusal: services.PolicyRefused | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_share_responses(
                engagement=engagement, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.PolicyRefused as exc:
            refusal = exc
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return _refuse(request, engagement, exc)
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Submitted responses are now shared with the bodies addressed.")
            )
            return redirect("engagements:detail", public_id=engagement.public_id)
    if request.method == "GET":
        log_view(request, engagement)
    return render(
        request,
        "engagements/share_responses.html",
        {
            "engagement": engagement,
            "form": form,
            "refusal": refusal,
            "breadcrumbs": engagement_crumbs(engagement, (_("Share responses"), None)),
        },
    )


@login_required
@GET_POST
def release(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True)
    try:
        labels = services.label_release_check(engagement.label)
    except ValidationError as exc:
        return _refuse(request, engagement, exc)
    form = ReleaseForm(request.POST or None, labels=labels)
    refusal: services.PolicyRefused | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.label_release(engagement=engagement, by=request.user, **form.cleaned_data)
        except services.PolicyRefused as exc:
            refusal = exc
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("The engagement is now %(label)s.") % {"label": engagement.get_label_display()},
            )
            return redirect("engagements:detail", public_id=engagement.public_id)
    if request.method == "GET":
        log_view(request, engagement)
    return render(
        request,
        "engagements/release.html",
        {
            "engagement": engagement,
            "form": form,
            "refusal": refusal,
            "breadcrumbs": engagement_crumbs(engagement, (_("Release to a wider label"), None)),
        },
    )
