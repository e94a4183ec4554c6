"""Directory pages: open to every signed-in person (DESIGN.md section 6). Reads go through
`selectors`, each scoped with `visible_to(request.user)`. The standing-group management pages
(add a body, remove one, set the lead) are for the APCC secretariat and site administrators
(`directory.manage_standing_groups`); writes go through `groups`."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from engage.core.forms import apply_errors
from engage.core.types import AuthedRequest

from . import groups, plan_views, selectors
from .forms import BodyFilterForm, GroupBodyForm
from .models import PolicingBody

GET_POST = require_http_methods(["GET", "POST"])


@login_required
@require_GET
def body_list(request: HttpRequest) -> HttpResponse:
    form = BodyFilterForm(request.GET, regions=selectors.regions_for_user(request.user))
    form.is_valid()
    bodies = list(selectors.policing_bodies_for_user(request.user, **form.filters()))
    return render(
        request,
        "directory/body_list.html",
        {"form": form, "bodies": bodies, "filtered": form.is_filtered()},
    )


@login_required
@require_GET
def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.get_body_for_user(request.user, slug)
    return render(
        request,
        "directory/body_detail.html",
        {
            "body": body,
            "group_memberships": list(selectors.body_group_memberships(request.user, body)),
            "plan": selectors.current_plan_for_user(request.user, body),
            "can_edit": rules.has_perm(plan_views.EDIT, request.user, body),
            "type_history": selectors.body_type_history(body),
        },
    )


@login_required
@require_GET
def national_list(request: HttpRequest) -> HttpResponse:
    organisations = list(selectors.national_bodies_for_user(request.user))
    return render(request, "directory/national_list.html", {"organisations": organisations})


@login_required
@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    groups = list(selectors.groups_for_user(request.user))
    return render(request, "directory/group_list.html", {"groups": groups})


@login_required
@require_GET
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.get_group_for_user(request.user, slug)
    members = list(selectors.group_members(request.user, group))
    return render(
        request,
        "directory/group_detail.html",
        {
            "group": group,
            "members": members,
            "history": selectors.group_history(request.user, group),
            "can_manage": rules.has_perm(groups.MANAGE, request.user),
        },
    )


def _managed_group(request: AuthedRequest, slug: str):
    """The group (404 if unseen), for a person who manages groups (403 otherwise)."""
    group = selectors.get_group_for_user(request.user, slug)
    if not rules.has_perm(groups.MANAGE, request.user):
        raise PermissionDenied
    return group


def _group_crumbs(group, here: str) -> list[tuple[str, str | None]]:
    return [
        (_("Home"), reverse("core:home")),
        (_("Standing groups"), reverse("directory:groups")),
        (group.name, reverse("directory:group", args=[group.slug])),
        (here, None),
    ]


@login_required
@GET_POST
def group_member_add(request: AuthedRequest, slug: str) -> HttpResponse:
    group = _managed_group(request, slug)
    form = GroupBodyForm(
        request.POST if request.method == "POST" else None, bodies=groups.bodies_outside(group)
    )
    if request.method == "POST" and form.is_valid():
        try:
            groups.group_member_add(group=group, body=form.cleaned_data["body"], by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(body)s has joined %(group)s. Engagements already open keep their audience.")
                % {"body": form.cleaned_data["body"], "group": group.name},
            )
            return redirect("directory:group", slug=group.slug)
    return render(
        request,
        "directory/group_member_add.html",
        {"group": group, "form": form, "breadcrumbs": _group_crumbs(group, _("Add a body"))},
    )


@login_required
@GET_POST
def group_member_remove(request: AuthedRequest, slug: str, body: str) -> HttpResponse:
    group = _managed_group(request, slug)
    membership = get_object_or_404(
        selectors.group_members(request.user, group), body__organisation__slug=body
    )
    if request.method == "POST":
        try:
            groups.group_member_remove(membership=membership, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(body)s has left %(group)s. It keeps the engagements it was sent.")
                % {"body": membership.body, "group": group.name},
            )
        return redirect("directory:group", slug=group.slug)
    return render(
        request,
        "directory/group_member_remove.html",
        {
            "group": group,
            "membership": membership,
            "breadcrumbs": _group_crumbs(group, _("Remove a body")),
        },
    )


@login_required
@GET_POST
def group_lead(request: AuthedRequest, slug: str) -> HttpResponse:
    group = _managed_group(request, slug)
    form = GroupBodyForm(
        request.POST if request.method == "POST" else None,
        bodies=PolicingBody.objects.visible_to(request.user)
        .filter(group_memberships__group=group)
        .select_related("organisation")
        .order_by("organisation__name"),
        label=_("Which member body leads the group?"),
        radios=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            groups.group_lead_set(group=group, body=form.cleaned_data["body"], by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(body)s now leads %(group)s.")
                % {"body": form.cleaned_data["body"], "group": group.name},
            )
            return redirect("directory:group", slug=group.slug)
    return render(
        request,
        "directory/group_lead.html",
        {"group": group, "form": form, "breadcrumbs": _group_crumbs(group, _("Set the lead"))},
    )


@login_required
@require_GET
def force_map(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/map.html", {"map": selectors.body_type_map(request.user)})
