"""An agreement's pages: the agreement, the turns, comments, milestones."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from engage.accounts.viewer import Viewer
from engage.core.forms import apply_errors
from engage.core.types import AuthedRequest
from engage.engagements.services.refusals import records_refusals

from .. import selectors, services
from ..forms import (
    ChangesForm,
    CommentForm,
    DeclineForm,
    MilestoneForm,
    MilestoneUpdateForm,
    ReviseForm,
    WithdrawForm,
)
from ..models import ImplementationAgreement, Milestone
from ..selectors import get_agreement_for_user, get_milestone_for_user
from .common import GET_POST, _back, _crumbs, _log, _membership, _refuse

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
    try:  # a refusal on a screened-out policy is recorded, a page view included
        records_refusals(check)()
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
