"""Acknowledgement pages. Thin: reads through `selectors`, the write through `services`, whose
refusals come back to the page as a message; a refused acknowledgement changes nothing.

Both pages show the engagement's labelled content (its notes, who acknowledged), so each view
is logged with the engagement's label.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from engage.audit.models import AccessAction
from engage.audit.services import access_record_request
from engage.core.forms import apply_errors
from engage.core.types import AuthedRequest
from engage.engagements.models import Engagement
from engage.engagements.navigation import engagement_crumbs
from engage.engagements.selectors import get_engagement_for_user

from . import selectors, services
from .forms import AcknowledgeForm

GET_POST = require_http_methods(["GET", "POST"])


def _log(request: AuthedRequest, engagement: Engagement, *, action: str, detail: str) -> None:
    access_record_request(
        request,
        action=action,
        object_type="acknowledgements",
        object_id=str(engagement.public_id),
        label=engagement.label,
        detail=detail,
        confidential_to=engagement.policy.log_confidential_to,
    )


@login_required
@GET_POST
def acknowledge(request: AuthedRequest, public_id) -> HttpResponse:
    """The body the person acts for acknowledges the engagement (one click, an optional
    note). The engagement page carries the same form; this page shows its errors."""
    engagement = get_engagement_for_user(request.user, public_id, read=True)
    membership = request.membership or None
    try:  # who: the body acted for must be addressed (the service's own check)
        body = services.acknowledgement_body_check(engagement, membership, request.user)
    except ValidationError as exc:
        reason = " ".join(exc.messages)
        _log(request, engagement, action=AccessAction.REFUSED, detail=reason)
        return render(
            request,
            "acknowledgements/refused.html",
            {
                "engagement": engagement,
                "reason": reason,
                "breadcrumbs": engagement_crumbs(engagement, (_("Acknowledge"), None)),
            },
            status=403,
        )
    try:  # when: open, not yet acknowledged; said on the engagement page
        services.acknowledgement_state_check(
            engagement,
            body,
            request.user,
            existing=services.existing_acknowledgement(engagement, body),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("engagements:detail", public_id=engagement.public_id)
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.acknowledge(
                engagement=engagement,
                membership=membership,
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "already":
                messages.error(request, " ".join(exc.messages))
                return redirect("engagements:detail", public_id=engagement.public_id)
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("You have acknowledged this for %(body)s.") % {"body": body.organisation.name},
            )
            return redirect("engagements:detail", public_id=engagement.public_id)
    if request.method == "GET":
        _log(request, engagement, action=AccessAction.VIEW, detail="acknowledge form")
    return render(
        request,
        "acknowledgements/acknowledge.html",
        {
            "engagement": engagement,
            "body": body,
            "form": form,
            "breadcrumbs": engagement_crumbs(engagement, (_("Acknowledge"), None)),
        },
    )


@login_required
@require_GET
def table(request: AuthedRequest, public_id) -> HttpResponse:
    """Every body the engagement is addressed to: acknowledged (who, when, note) or not yet.
    For the owning organisation and the APCC secretariat."""
    engagement = get_engagement_for_user(request.user, public_id, read=True)
    rows = selectors.acknowledgement_table(request.user, engagement)
    _log(request, engagement, action=AccessAction.VIEW, detail="table")
    return render(
        request,
        "acknowledgements/table.html",
        {
            "engagement": engagement,
            "rows": rows,
            "acknowledged": sum(1 for row in rows if row.acknowledgement is not None),
            "breadcrumbs": engagement_crumbs(engagement, (_("Acknowledgements"), None)),
        },
    )
