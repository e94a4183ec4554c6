"""Policy register pages. Reads go through `selectors` (scoped with `visible_to`), writes
through `services`; who may do what is in `rules`, checked with `rules.has_perm(name, user,
obj)`, never `user.has_perm`: Django lets a superuser through every `has_perm`, and being a
site administrator gives no part in the protocol (ADR 0002)."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from engage.audit.models import AccessAction
from engage.audit.services import access_record_request
from engage.core.forms import apply_errors
from engage.core.pagination import paginate
from engage.core.panels import panels_for
from engage.core.types import AuthedRequest

from . import selectors, services
from .forms import (
    KeyDateArchiveForm,
    KeyDateForm,
    MagnitudeForm,
    PolicyForm,
    RegisterFilterForm,
    ScreenForm,
    StageForm,
)
from .models import Policy

GET_POST = require_http_methods(["GET", "POST"])


def _acting_for(request: AuthedRequest):
    membership = request.membership
    return membership.organisation if membership else None


def _register_crumb() -> tuple[str, str]:
    return (_("Policies"), reverse("policies:register"))


def _policy_crumbs(policy: Policy, *trail) -> list[tuple[str, str | None]]:
    return [
        (_("Home"), reverse("core:home")),
        _register_crumb(),
        (policy.title, reverse("policies:detail", args=[policy.public_id])),
        *trail,
    ]


@login_required
@require_GET
def register(request: AuthedRequest) -> HttpResponse:
    organisation = _acting_for(request)
    has_register = bool(organisation and organisation.is_national)
    can_add = has_register and rules.has_perm("policies.add_policy", request.user, organisation)
    form = RegisterFilterForm(request.GET, themes=selectors.theme_choices())
    form.is_valid()
    policies = selectors.register_for_user(
        request.user, organisation if has_register else None, **form.filters()
    )
    return render(
        request,
        "policies/register.html",
        {
            "organisation": organisation,
            "has_register": has_register,
            "can_add": can_add,
            "form": form,
            "filtered": form.is_filtered(),
            "page_obj": paginate(request, policies),
            "breadcrumbs": [(_("Home"), reverse("core:home")), (_("Policies"), None)],
        },
    )


@login_required
@GET_POST
def policy_new(request: AuthedRequest) -> HttpResponse:
    organisation = _acting_for(request)
    if organisation is None or not rules.has_perm(
        "policies.add_policy", request.user, organisation
    ):
        raise PermissionDenied
    form = PolicyForm(
        request.POST or None,
        organisation=organisation,
        initial={"policy_leads": [request.user.pk]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            policy = services.policy_create(
                owner=organisation, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(title)s has been added.") % {"title": policy.title})
            return redirect("policies:detail", public_id=policy.public_id)
    return render(
        request,
        "policies/policy_form.html",
        {
            "form": form,
            "organisation": organisation,
            "breadcrumbs": [
                (_("Home"), reverse("core:home")),
                _register_crumb(),
                (_("Add a policy"), None),
            ],
        },
    )


@login_required
@require_GET
def policy_detail(request: AuthedRequest, public_id) -> HttpResponse:
    policy = selectors.get_policy_for_user(request.user, public_id)
    access_record_request(
        request,
        action=AccessAction.VIEW,
        object_type="policy",
        object_id=str(public_id),
        confidential_to=policy.log_confidential_to,
    )
    if not rules.has_perm("policies.view_policy_details", request.user, policy):
        # Seen through an engagement: title, summary and stage only (DESIGN.md section 6).
        return render(
            request,
            "policies/detail_limited.html",
            {"policy": policy, "panels": panels_for("policy", request, policy)},
        )
    selectors.load_policy_details(policy)
    can_edit = rules.has_perm("policies.change_policy", request.user, policy)
    can_be_engaged, engagement_refusal = services.policy_can_be_engaged(policy)
    return render(
        request,
        "policies/detail.html",
        {
            "policy": policy,
            "can_edit": can_edit,
            "can_be_engaged": can_be_engaged,
            "engagement_refusal": engagement_refusal,
            "triage_history": selectors.triage_history(policy),
            "timeline": selectors.engagement_timeline(request.user, policy),
            "panels": panels_for("policy", request, policy),
            "breadcrumbs": [
                (_("Home"), reverse("core:home")),
                _register_crumb(),
                (policy.title, None),
            ],
        },
    )


@login_required
@GET_POST
def policy_edit(request: AuthedRequest, public_id) -> HttpResponse:
    policy = selectors.get_policy_for_user(request.user, public_id, write=True)
    initial = {
        "title": policy.title,
        "summary": policy.summary,
        "policy_leads": list(policy.policy_leads.values_list("pk", flat=True)),
        "themes": list(policy.themes.values_list("slug", flat=True)),
    }
    form = PolicyForm(
        request.POST or None, organisation=policy.owner, with_stage=False, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(policy=policy, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The policy has been updated."))
            return redirect("policies:detail", public_id=policy.public_id)
    return render(
        request,
        "policies/policy_form.html",
        {
            "form": form,
            "policy": policy,
            "organisation": policy.owner,
            "breadcrumbs": _policy_crumbs(policy, (_("Edit"), None)),
        },
    )


@login_required
@GET_POST
def policy_stage(request: AuthedRequest, public_id) -> HttpResponse:
    policy = selectors.get_policy_for_user(request.user, public_id, write=True)
    form = StageForm(request.POST or None, initial={"stage": policy.stage})
    if request.method == "POST" and form.is_valid():
        try:
            change = services.policy_change_stage(
                policy=policy, stage=form.cleaned_data["stage"], by=request.user
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("The policy has moved to the %(stage)s stage.")
                % {"stage": change.get_to_stage_display().lower()},
            )
            return redirect("policies:detail", public_id=policy.public_id)
    return render(
        request,
        "policies/stage_form.html",
        {
            "form": form,
            "policy": policy,
            "breadcrumbs": _policy_crumbs(policy, (_("Change stage"), None)),
        },
    )


def _require_triage(request: AuthedRequest, policy: Policy) -> None:
    if not rules.has_perm("policies.triage_policy", request.user, policy):
        raise PermissionDenied


@login_required
@GET_POST
def policy_magnitude(request: AuthedRequest, public_id) -> HttpResponse:
    policy = selectors.get_policy_for_user(request.user, public_id, write=True)
    _require_triage(request, policy)
    form = MagnitudeForm(request.POST or None, initial=MagnitudeForm.initial_for(policy))
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_record_magnitude(policy=policy, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The magnitude decision has been recorded."))
            return redirect("policies:detail", public_id=policy.public_id)
    return render(
        request,
        "policies/magnitude_form.html",
        {
            "form": form,
            "policy": policy,
            "breadcrumbs": _policy_crumbs(policy, (_("Magnitude decision"), None)),
        },
    )


@login_required
@GET_POST
def policy_screen(request: AuthedRequest, public_id) -> HttpResponse:
    policy = selectors.get_policy_for_user(request.user, public_id, write=True)
    _require_triage(request, policy)
    form = ScreenForm(request.POST or None, initial=ScreenForm.initial_for(policy))
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_screen(policy=policy, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if policy.is_screened_out:
                messages.warning(
                    request,
                    _("The screen has been recorded. The policy is outside the protocol."),
                )
                closed = selectors.engagements_closed_by_screen(policy)
                if closed:
                    messages.warning(
                        request,
                        ngettext(
                            "%(count)d engagement on it has been closed. Only your "
                            "organisation can see it now.",
                            "%(count)d engagements on it have been closed. Only your "
                            "organisation can see them now.",
                            closed,
                        )
                        % {"count": closed},
                    )
            else:
                messages.success(request, _("The sensitivity screen has been recorded."))
            return redirect("policies:detail", public_id=policy.public_id)
    return render(
        request,
        "policies/screen_form.html",
        {
            "form": form,
            "policy": policy,
            "breadcrumbs": _policy_crumbs(policy, (_("Sensitivity screen"), None)),
        },
    )


@login_required
@GET_POST
def key_date_new(request: AuthedRequest, public_id) -> HttpResponse:
    policy = selectors.get_policy_for_user(request.user, public_id, write=True)
    form = KeyDateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.key_date_add(policy=policy, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The key date has been added."))
            return redirect("policies:detail", public_id=policy.public_id)
    return render(
        request,
        "policies/key_date_form.html",
        {
            "form": form,
            "policy": policy,
            "breadcrumbs": _policy_crumbs(policy, (_("Add a key date"), None)),
        },
    )


@login_required
@GET_POST
def key_date_archive(request: AuthedRequest, public_id, key_date_id) -> HttpResponse:
    policy = selectors.get_policy_for_user(request.user, public_id, write=True)
    key_date = get_object_or_404(policy.key_dates.current(), public_id=key_date_id)
    form = KeyDateArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.key_date_archive(
                key_date=key_date, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The key date has been archived."))
            return redirect("policies:detail", public_id=policy.public_id)
    return render(
        request,
        "policies/key_date_archive.html",
        {
            "form": form,
            "policy": policy,
            "key_date": key_date,
            "breadcrumbs": _policy_crumbs(policy, (_("Archive a key date"), None)),
        },
    )
