"""Implementation agreement pages. Thin: reads through `selectors` (each starting from
`visible_to`), writes through `services`, whose refusals come back to the page as messages or
on the form fields they name; a refused action changes nothing.

Every page that shows an agreement's terms carries its handling label and is logged with it.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from engage.accounts.viewer import Viewer
from engage.audit.models import AccessAction
from engage.audit.services import access_record_request
from engage.core.files import labelled_filename, secure
from engage.core.forms import apply_errors
from engage.core.pagination import paginate
from engage.core.types import AuthedRequest
from engage.directory.models import PolicingBody
from engage.directory.selectors import policing_body_of
from engage.policies.models import Policy

from . import exports, selectors, services
from .forms import (
    ChangesForm,
    CommentForm,
    DeclineForm,
    MilestoneForm,
    MilestoneUpdateForm,
    ProposeForm,
    ReviseForm,
    StateFilterForm,
    SummaryFilterForm,
    WithdrawForm,
)
from .maps import status_map_for
from .models import LOG_AGREEMENT, LOG_STATUS, ImplementationAgreement, Milestone
from .selectors import get_agreement_for_user, get_milestone_for_user

GET_POST = require_http_methods(["GET", "POST"])


def _log(request: AuthedRequest, agreement: ImplementationAgreement, detail: str = "") -> None:
    access_record_request(
        request,
        action=AccessAction.VIEW,
        object_type=LOG_AGREEMENT,
        object_id=str(agreement.public_id),
        label=agreement.label,
        detail=detail,
        confidential_to=agreement.policy.log_confidential_to,
    )


def _crumbs(agreement: ImplementationAgreement | None, *trail) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [(_("Inbox"), reverse("engagements:inbox"))]
    if agreement is not None:
        crumbs.append(
            (
                _("Role for %(body)s") % {"body": agreement.body.organisation.name},
                reverse("implementation:detail", args=[agreement.public_id]),
            )
        )
    crumbs.extend(trail)
    return crumbs


def _back(agreement: ImplementationAgreement):
    return redirect("implementation:detail", public_id=agreement.public_id)


def _refuse(request: AuthedRequest, agreement: ImplementationAgreement, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)
    return _back(agreement)


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
    try:  # the service's own check, in its words
        services.agreement_propose_check(policy, request.user)
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


# The agreement ------------------------------------------------------------------------------


@login_required
@require_GET
def detail(request: AuthedRequest, public_id) -> HttpResponse:
    """The terms, the state, the thread and the milestones; the actions for whoever's turn
    it is. For the body concerned, the owning organisation and the APCC secretariat."""
    agreement = get_agreement_for_user(request.user, public_id)
    _log(request, agreement)
    membership = request.membership or None
    page = selectors.agreement_page(request.user, agreement)
    return render(
        request,
        "implementation/detail.html",
        {
            "agreement": agreement,
            "page": page,
            "actions": selectors.actions_for(agreement, request.user, membership),
            "comment_form": CommentForm(),
            "is_owner": Viewer.of(request.user).is_member_of(agreement.policy.owner_id),
            "breadcrumbs": _crumbs(None, (agreement.policy.title, None)),
        },
    )


def _form_page(
    request: AuthedRequest,
    agreement: ImplementationAgreement,
    *,
    check: Callable[[], Any],
    form_class: type | None,
    write: Callable[[dict], Any],
    heading: str,
    button: str,
    done: str,
    initial: dict | None = None,
    warning: str = "",
    intro: str = "",
    milestone: Milestone | None = None,
) -> HttpResponse:
    """A page that acts on the agreement: refused before the form when the service's check
    says no; the form (or a confirmation, when there are no fields); the service's errors on
    the form. Logged when shown, since it shows the terms."""
    try:
        check()
    except ValidationError as exc:
        return _refuse(request, agreement, exc)
    form = form_class(request.POST or None, initial=initial) if form_class else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            write(form.cleaned_data if form is not None else {})
        except ValidationError as exc:
            if form is None:
                return _refuse(request, agreement, exc)
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return _back(agreement)
    if request.method == "GET":
        _log(request, agreement, detail=heading)
    return render(
        request,
        "implementation/form.html",
        {
            "agreement": agreement,
            "form": form,
            "heading": heading,
            "button": button,
            "warning": warning,
            "intro": intro,
            "milestone": milestone,
            "breadcrumbs": _crumbs(agreement, (heading, None)),
        },
    )


def _membership(request: AuthedRequest):
    return request.membership or None


@login_required
@GET_POST
def accept(request: AuthedRequest, public_id) -> HttpResponse:
    """The body accepts the role as proposed, after a confirmation."""
    agreement = get_agreement_for_user(request.user, public_id)
    membership = _membership(request)
    return _form_page(
        request,
        agreement,
        check=lambda: services.body_turn_check(agreement, request.user, membership),
        form_class=None,
        write=lambda data: services.agreement_accept(
            agreement=agreement, by=request.user, membership=membership
        ),
        heading=_("Accept this role"),
        button=_("Accept the role"),
        done=_("Your body has agreed this role. Add its milestones when you are ready."),
        warning=_(
            "Once accepted, the terms are agreed and can no longer change. Either side can "
            "then add milestones and record progress."
        ),
    )


@login_required
@GET_POST
def decline(request: AuthedRequest, public_id) -> HttpResponse:
    agreement = get_agreement_for_user(request.user, public_id)
    membership = _membership(request)
    return _form_page(
        request,
        agreement,
        check=lambda: services.body_turn_check(agreement, request.user, membership),
        form_class=DeclineForm,
        write=lambda data: services.agreement_decline(
            agreement=agreement, by=request.user, membership=membership, reason=data["reason"]
        ),
        heading=_("Decline this role"),
        button=_("Decline the role"),
        done=_("Your body has declined this role. The policy lead can read your reasons."),
        warning=_("Declining is final. The policy lead may propose a new role."),
    )


def _terms(agreement: ImplementationAgreement) -> dict:
    return {"role": agreement.role, "due_on": agreement.due_on, "support": agreement.support}


@login_required
@GET_POST
def changes(request: AuthedRequest, public_id) -> HttpResponse:
    agreement = get_agreement_for_user(request.user, public_id)
    membership = _membership(request)
    return _form_page(
        request,
        agreement,
        check=lambda: services.body_turn_check(agreement, request.user, membership),
        form_class=ChangesForm,
        initial=_terms(agreement),
        write=lambda data: services.agreement_propose_changes(
            agreement=agreement, by=request.user, membership=membership, **data
        ),
        heading=_("Propose changes"),
        button=_("Send your changes"),
        done=_("Your changes have been sent to the policy lead."),
        intro=_(
            "Change the role, the date or the support as your body could agree them. The "
            "policy lead then accepts your changes or answers with revised terms."
        ),
    )


@login_required
@GET_POST
def accept_changes(request: AuthedRequest, public_id) -> HttpResponse:
    agreement = get_agreement_for_user(request.user, public_id)
    return _form_page(
        request,
        agreement,
        check=lambda: services.lead_turn_check(agreement, request.user),
        form_class=None,
        write=lambda data: services.agreement_accept_changes(agreement=agreement, by=request.user),
        heading=_("Accept the body's changes"),
        button=_("Accept the changes"),
        done=_("The role is agreed on the body's terms."),
        warning=_("Once accepted, the terms are agreed and can no longer change."),
    )


@login_required
@GET_POST
def revise(request: AuthedRequest, public_id) -> HttpResponse:
    agreement = get_agreement_for_user(request.user, public_id)
    return _form_page(
        request,
        agreement,
        check=lambda: services.lead_turn_check(agreement, request.user),
        form_class=ReviseForm,
        initial={**_terms(agreement), "label": agreement.label},
        write=lambda data: services.agreement_revise(agreement=agreement, by=request.user, **data),
        heading=_("Revise the proposal"),
        button=_("Send the revised proposal"),
        done=_("The revised proposal has been sent to the body."),
        intro=_("Answer the body's changes with the terms you can offer."),
    )


@login_required
@GET_POST
def withdraw(request: AuthedRequest, public_id) -> HttpResponse:
    agreement = get_agreement_for_user(request.user, public_id)
    return _form_page(
        request,
        agreement,
        check=lambda: services.withdraw_check(agreement, request.user),
        form_class=WithdrawForm,
        write=lambda data: services.agreement_withdraw(
            agreement=agreement, by=request.user, reason=data["reason"]
        ),
        heading=_("Withdraw this proposal"),
        button=_("Withdraw the proposal"),
        done=_("The proposal has been withdrawn."),
        warning=_("Withdrawing is final. You may propose a new role to this body later."),
    )


@login_required
@require_POST
def comment(request: AuthedRequest, public_id) -> HttpResponse:
    agreement = get_agreement_for_user(request.user, public_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return _back(agreement)
    try:
        services.agreement_comment(
            agreement=agreement,
            by=request.user,
            membership=_membership(request),
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        return _refuse(request, agreement, exc)
    messages.success(request, _("Your comment has been added."))
    return _back(agreement)


# Milestones ---------------------------------------------------------------------------------


@login_required
@GET_POST
def milestone_add(request: AuthedRequest, public_id) -> HttpResponse:
    agreement = get_agreement_for_user(request.user, public_id)
    membership = _membership(request)
    return _form_page(
        request,
        agreement,
        check=lambda: services.milestone_check(agreement, request.user, membership),
        form_class=MilestoneForm,
        write=lambda data: services.milestone_add(
            agreement=agreement, by=request.user, membership=membership, **data
        ),
        heading=_("Add a milestone"),
        button=_("Add the milestone"),
        done=_("The milestone has been added."),
    )


@login_required
@GET_POST
def milestone_update(request: AuthedRequest, public_id) -> HttpResponse:
    milestone = get_milestone_for_user(request.user, public_id)
    agreement = milestone.agreement
    membership = _membership(request)
    return _form_page(
        request,
        agreement,
        check=lambda: services.milestone_check(agreement, request.user, membership),
        form_class=MilestoneUpdateForm,
        initial={"status": milestone.status},
        write=lambda data: services.milestone_update(
            milestone=milestone, by=request.user, membership=membership, **data
        ),
        heading=_("Update a milestone"),
        button=_("Save the update"),
        done=_("The milestone's progress has been recorded."),
        milestone=milestone,
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
