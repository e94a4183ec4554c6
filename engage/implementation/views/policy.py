"""A policy's pages: proposing a local role, the lead's status page and its CSV."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from engage.audit.models import AccessAction
from engage.audit.services import access_record_request
from engage.core.files import labelled_filename, secure
from engage.core.forms import apply_errors
from engage.core.types import AuthedRequest
from engage.directory.models import PolicingBody
from engage.engagements.services.refusals import records_refusals
from engage.policies.models import Policy

from .. import exports, selectors, services
from ..forms import (
    ProposeForm,
    SummaryFilterForm,
)
from ..maps import status_map_for
from ..models import LOG_STATUS
from .common import GET_POST

# Proposing ----------------------------------------------------------------------------------


@login_required
@GET_POST
def propose(request: AuthedRequest, public_id) -> HttpResponse:
    """A lead of the owning organisation proposes a local role to one or more bodies."""
    policy = get_object_or_404(
        Policy.objects.visible_to(request.user).select_related("owner"), public_id=public_id
    )
    crumbs = [
        (_("Policies"), reverse("policies:register")),
        (policy.title, reverse("policies:detail", args=[policy.public_id])),
        (_("Propose a local role"), None),
    ]
    try:  # the service's own check, in its words; a refusal on a screened-out policy recorded
        records_refusals(services.agreement_propose_check)(policy, request.user)
    except ValidationError as exc:
        return render(
            request,
            "implementation/refused.html",
            {"policy": policy, "reason": " ".join(exc.messages), "breadcrumbs": crumbs},
            status=403,
        )
    taken = services.bodies_with_live_agreement(policy)
    bodies = (
        PolicingBody.objects.exclude(pk__in=taken)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    form = ProposeForm(
        request.POST or None,
        bodies=bodies,
        updates=services.implementation_updates(policy),
        # From an implementation update's page: that update, chosen (ignored unless it is one
        # of the policy's).
        initial={"engagement": request.GET.get("engagement", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = services.agreement_propose(
                policy=policy,
                by=request.user,
                bodies=form.cleaned_data["bodies"],
                role=form.cleaned_data["role"],
                due_on=form.cleaned_data["due_on"],
                support=form.cleaned_data["support"],
                label=form.cleaned_data["label"],
                engagement=form.chosen_engagement(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("The role has been proposed to %(count)s policing bodies.") % {"count": len(made)}
                if len(made) > 1
                else _("The role has been proposed to %(body)s.")
                % {"body": made[0].body.organisation.name},
            )
            return redirect("implementation:status", public_id=policy.public_id)
    return render(
        request,
        "implementation/propose.html",
        {"policy": policy, "form": form, "taken": len(taken), "breadcrumbs": crumbs},
    )


# The lead's status page and the lists -------------------------------------------------------


@login_required
@require_GET
def status(request: AuthedRequest, public_id) -> HttpResponse:
    """Every policing body's status on one policy: counts, a map and a table. For the owning
    organisation and the APCC secretariat."""
    policy = selectors.get_policy_for_status(request.user, public_id)
    access_record_request(
        request,
        action=AccessAction.VIEW,
        object_type=LOG_STATUS,
        object_id=str(policy.public_id),
        label=exports.LABEL,  # the page shows what the CSV does, labelled the same
        confidential_to=policy.log_confidential_to,
    )
    form = SummaryFilterForm(request.GET)
    chosen = form.chosen()
    table = selectors.status_table(request.user, policy, summary=chosen)
    can_propose = True
    try:
        services.agreement_propose_check(policy, request.user)
    except (ValidationError, PermissionDenied):
        can_propose = False
    return render(
        request,
        "implementation/status.html",
        {
            "policy": policy,
            "form": form,
            "filtered": bool(chosen),
            "table": table,
            "map": status_map_for(table),
            "can_propose": can_propose,
            "breadcrumbs": [
                (_("Policies"), reverse("policies:register")),
                (policy.title, reverse("policies:detail", args=[policy.public_id])),
                (_("Implementation roles"), None),
            ],
        },
    )


@login_required
@require_GET
def status_csv(request: AuthedRequest, public_id) -> HttpResponseBase:
    """The status table as a CSV file, for the same people as the page; logged."""
    policy = selectors.get_policy_for_status(request.user, public_id)
    table = selectors.status_table(request.user, policy)
    data = exports.status_csv(
        policy=policy,
        table=table,
        recipient=request.user,
        organisation=request.membership.organisation if request.membership else None,
        at=timezone.now(),
    )
    access_record_request(
        request,
        action=AccessAction.EXPORT,
        object_type=LOG_STATUS,
        object_id=str(policy.public_id),
        label=exports.LABEL,
        detail="CSV",
        confidential_to=policy.log_confidential_to,
    )
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    filename = labelled_filename(f"{policy.title} implementation roles", exports.LABEL, "csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return secure(response)
