"""Pages for a body's police and crime plan and what it publishes (issue 10). Everyone signed
in reads them; the edit pages are for the body's members and site administrators (the rule
`directory.edit_body_publications`, 403 otherwise). Reads go through `selectors`, writes
through `plans` and `publications`."""

from dataclasses import dataclass
from typing import Any

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from engage.core.forms import apply_errors
from engage.core.types import AuthedRequest

from . import plans, publications, selectors
from .models import BodyContact, Commissioning, EngagementRoute, KeyDate, PlanPriority, PolicingBody
from .plan_forms import (
    CommissioningForm,
    ContactForm,
    KeyDateForm,
    PlanForm,
    PriorityForm,
    ReplacePlanForm,
    RouteForm,
)

GET_POST = require_http_methods(["GET", "POST"])
EDIT = plans.EDIT


def can_edit(request: AuthedRequest, body: PolicingBody) -> bool:
    return rules.has_perm(EDIT, request.user, body)


def _editable_body(request: AuthedRequest, slug: str) -> PolicingBody:
    """The body (404 if unseen), for a person who may edit what it publishes (403 otherwise)."""
    body = selectors.get_body_for_user(request.user, slug)
    if not can_edit(request, body):
        raise PermissionDenied
    return body


def _crumbs(body: PolicingBody, *more: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
    return [
        (_("Home"), reverse("core:home")),
        (_("Policing bodies"), reverse("directory:bodies")),
        (body.organisation.name, reverse("directory:body", args=[body.slug])),
        *more,
    ]


def _plan_crumbs(body: PolicingBody, here: str) -> list[tuple[Any, str | None]]:
    return _crumbs(
        body,
        (_("Police and crime plan"), reverse("directory:plan", args=[body.slug])),
        (here, None),
    )


def _form_page(request, *, body, form, heading, button, cancel, crumbs, caption=None):
    return render(
        request,
        "directory/plan_form.html",
        {
            "body": body,
            "form": form,
            "heading": heading,
            "button": button,
            "cancel": cancel,
            "breadcrumbs": crumbs,
            "caption": caption or body.organisation.name,
        },
    )


def _data(request: AuthedRequest):
    return request.POST if request.method == "POST" else None


# Reading -----------------------------------------------------------------------------------


@login_required
@require_GET
def plan(request: AuthedRequest, slug: str) -> HttpResponse:
    body = selectors.get_body_for_user(request.user, slug)
    return render(
        request,
        "directory/plan.html",
        {
            "body": body,
            "plan": selectors.current_plan_for_user(request.user, body),
            "earlier": list(selectors.earlier_plans_for_user(request.user, body)),
            "changes": selectors.plan_changes(request.user, body),
            "can_edit": can_edit(request, body),
            "breadcrumbs": _crumbs(body, (_("Police and crime plan"), None)),
        },
    )


@login_required
@require_GET
def plan_version(request: AuthedRequest, slug: str, public_id) -> HttpResponse:
    body = selectors.get_body_for_user(request.user, slug)
    version = selectors.get_plan_for_user(request.user, body, public_id)
    return render(
        request,
        "directory/plan_version.html",
        {
            "body": body,
            "plan": version,
            "replaced_by": version.superseded_by,
            "breadcrumbs": _plan_crumbs(body, version.title),
        },
    )


@login_required
@require_GET
def published(request: AuthedRequest, slug: str) -> HttpResponse:
    body = selectors.get_body_for_user(request.user, slug)
    return render(
        request,
        "directory/publications.html",
        {
            "body": body,
            "published": selectors.body_publications(request.user, body),
            "can_edit": can_edit(request, body),
            "breadcrumbs": _crumbs(body, (_("What the body publishes"), None)),
        },
    )


# The plan ----------------------------------------------------------------------------------


def _plan_values(form: forms.Form) -> dict:
    data = form.cleaned_data
    return {name: data[name] for name in ("title", "starts_on", "ends_on", "url", "published_on")}


def _current_plan(request: AuthedRequest, body: PolicingBody):
    current = selectors.current_plan_for_user(request.user, body)
    if current is None:
        raise Http404("No current plan")
    return current


@login_required
@GET_POST
def plan_add(request: AuthedRequest, slug: str) -> HttpResponse:
    body = _editable_body(request, slug)
    form = PlanForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            plans.plan_create(body=body, by=request.user, **_plan_values(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The police and crime plan has been added."))
            return redirect("directory:plan", slug=body.slug)
    return _form_page(
        request,
        body=body,
        form=form,
        heading=_("Add the police and crime plan"),
        button=_("Add the plan"),
        cancel=reverse("directory:plan", args=[body.slug]),
        crumbs=_plan_crumbs(body, _("Add the plan")),
    )


@login_required
@GET_POST
def plan_edit(request: AuthedRequest, slug: str) -> HttpResponse:
    body = _editable_body(request, slug)
    current = _current_plan(request, body)
    initial = {
        name: getattr(current, name)
        for name in ("title", "starts_on", "ends_on", "url", "published_on")
    }
    form = PlanForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plans.plan_update(plan=current, by=request.user, **_plan_values(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The plan's details have been changed."))
            return redirect("directory:plan", slug=body.slug)
    return _form_page(
        request,
        body=body,
        form=form,
        heading=_("Change the plan's details"),
        button=_("Save the changes"),
        cancel=reverse("directory:plan", args=[body.slug]),
        crumbs=_plan_crumbs(body, _("Change the details")),
    )


@login_required
@GET_POST
def plan_replace(request: AuthedRequest, slug: str) -> HttpResponse:
    body = _editable_body(request, slug)
    current = _current_plan(request, body)
    form = ReplacePlanForm(_data(request), initial={"copy_priorities": "yes"})
    if request.method == "POST" and form.is_valid():
        try:
            plans.plan_replace(
                plan=current,
                by=request.user,
                copy_priorities=form.cleaned_data["copy_priorities"] == "yes",
                **_plan_values(form),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("The new plan has replaced %(old)s, which is kept under earlier plans.")
                % {"old": current.title},
            )
            return redirect("directory:plan", slug=body.slug)
    return _form_page(
        request,
        body=body,
        form=form,
        heading=_("Replace the plan with a new one"),
        button=_("Replace the plan"),
        cancel=reverse("directory:plan", args=[body.slug]),
        crumbs=_plan_crumbs(body, _("Replace the plan")),
        caption=_("Replacing %(title)s") % {"title": current.title},
    )


# Priorities --------------------------------------------------------------------------------


def _priority(request: AuthedRequest, body: PolicingBody, public_id) -> PlanPriority:
    return get_object_or_404(
        PlanPriority.objects.visible_to(request.user)
        .filter(body=body)
        .select_related("plan__body", "theme", "body"),
        public_id=public_id,
    )


def _priority_values(form: forms.Form) -> dict:
    return {name: form.cleaned_data[name] for name in ("title", "theme", "description")}


@login_required
@GET_POST
def priority_add(request: AuthedRequest, slug: str) -> HttpResponse:
    body = _editable_body(request, slug)
    current = _current_plan(request, body)
    form = PriorityForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            plans.priority_add(plan=current, by=request.user, **_priority_values(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The priority has been added to the plan."))
            return redirect("directory:plan", slug=body.slug)
    return _form_page(
        request,
        body=body,
        form=form,
        heading=_("Add a priority"),
        button=_("Add the priority"),
        cancel=reverse("directory:plan", args=[body.slug]),
        crumbs=_plan_crumbs(body, _("Add a priority")),
        caption=current.title,
    )


@login_required
@GET_POST
def priority_edit(request: AuthedRequest, slug: str, public_id) -> HttpResponse:
    body = _editable_body(request, slug)
    priority = _priority(request, body, public_id)
    initial = {
        "title": priority.title,
        "theme": priority.theme_id,
        "description": priority.description,
    }
    form = PriorityForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plans.priority_update(priority=priority, by=request.user, **_priority_values(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The priority has been changed."))
            return redirect("directory:plan", slug=body.slug)
    return _form_page(
        request,
        body=body,
        form=form,
        heading=_("Change a priority"),
        button=_("Save the changes"),
        cancel=reverse("directory:plan", args=[body.slug]),
        crumbs=_plan_crumbs(body, _("Change a priority")),
        caption=priority.plan.title,
    )


@login_required
@require_POST
def priority_move(request: AuthedRequest, slug: str, public_id) -> HttpResponse:
    body = _editable_body(request, slug)
    priority = _priority(request, body, public_id)
    try:
        plans.priority_move(
            priority=priority, by=request.user, direction=request.POST.get("direction", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(title)s has moved.") % {"title": priority.title})
    return redirect(reverse("directory:plan", args=[body.slug]) + "#priorities")


@login_required
@GET_POST
def priority_remove(request: AuthedRequest, slug: str, public_id) -> HttpResponse:
    body = _editable_body(request, slug)
    priority = _priority(request, body, public_id)
    errors: list[str] = []
    if request.method == "POST":
        try:
            plans.priority_remove(priority=priority, by=request.user)
        except ValidationError as exc:
            errors = exc.messages  # shown on the confirmation page; nothing changed
        else:
            messages.success(
                request, _("%(title)s has been removed from the plan.") % {"title": priority.title}
            )
            return redirect("directory:plan", slug=body.slug)
    return render(
        request,
        "directory/confirm_remove.html",
        {
            "body": body,
            "heading": _("Remove %(title)s from the plan?") % {"title": priority.title},
            "caption": priority.plan.title,
            "text": _(
                "The priorities after it move up one place. "
                "The change is kept in the plan's history."
            ),
            "button": _("Remove the priority"),
            "cancel": reverse("directory:plan", args=[body.slug]),
            "breadcrumbs": _plan_crumbs(body, _("Remove a priority")),
            "errors": errors,
        },
    )


# What the body publishes -------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    model: type[models.Model]
    form: type[forms.Form]
    save: Any
    argument: str  # the service's keyword for the row changed
    fields: tuple[str, ...]
    noun: Promise
    added: Promise


KINDS = {
    "contacts": Kind(
        BodyContact,
        ContactForm,
        publications.contact_save,
        "contact",
        ("role", "name", "remit", "contact_route"),
        gettext_lazy("contact"),
        gettext_lazy("The contact has been saved."),
    ),
    "commissioning": Kind(
        Commissioning,
        CommissioningForm,
        publications.commissioning_save,
        "commissioning",
        ("kind", "title", "description", "url", "opens_on", "closes_on"),
        gettext_lazy("commissioning or funding entry"),
        gettext_lazy("The commissioning entry has been saved."),
    ),
    "routes": Kind(
        EngagementRoute,
        RouteForm,
        publications.route_save,
        "route",
        ("kind", "title", "description", "url", "closes_on"),
        gettext_lazy("engagement route"),
        gettext_lazy("The engagement route has been saved."),
    ),
    "key-dates": Kind(
        KeyDate,
        KeyDateForm,
        publications.key_date_save,
        "key_date",
        ("title", "on", "description"),
        gettext_lazy("key date"),
        gettext_lazy("The key date has been saved."),
    ),
}


def _kind(kind: str) -> Kind:
    if kind not in KINDS:
        raise Http404("No such list")
    return KINDS[kind]


def _published_crumbs(body: PolicingBody, here: str) -> list[tuple[Any, str | None]]:
    return _crumbs(
        body,
        (_("What the body publishes"), reverse("directory:publications", args=[body.slug])),
        (here, None),
    )


def _published_item(request: AuthedRequest, body: PolicingBody, kind: Kind, public_id):
    return get_object_or_404(
        kind.model._default_manager.visible_to(request.user).filter(body=body),  # type: ignore[attr-defined]
        public_id=public_id,
    )


def _published_form(request, slug: str, kind_name: str, public_id=None) -> HttpResponse:
    body = _editable_body(request, slug)
    kind = _kind(kind_name)
    item = _published_item(request, body, kind, public_id) if public_id else None
    initial = {name: getattr(item, name) for name in kind.fields} if item else None
    form = kind.form(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in kind.fields}
        try:
            kind.save(body=body, by=request.user, **{kind.argument: item}, **values)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, str(kind.added))
            return redirect("directory:publications", slug=body.slug)
    heading = (
        _("Change a %(noun)s") % {"noun": kind.noun}
        if item
        else _("Add a %(noun)s") % {"noun": kind.noun}
    )
    return _form_page(
        request,
        body=body,
        form=form,
        heading=heading,
        button=_("Save"),
        cancel=reverse("directory:publications", args=[body.slug]),
        crumbs=_published_crumbs(body, heading),
    )


@login_required
@GET_POST
def published_add(request: AuthedRequest, slug: str, kind: str) -> HttpResponse:
    return _published_form(request, slug, kind)


@login_required
@GET_POST
def published_edit(request: AuthedRequest, slug: str, kind: str, public_id) -> HttpResponse:
    return _published_form(request, slug, kind, public_id)


@login_required
@GET_POST
def published_remove(request: AuthedRequest, slug: str, kind: str, public_id) -> HttpResponse:
    body = _editable_body(request, slug)
    chosen = _kind(kind)
    item = _published_item(request, body, chosen, public_id)
    if request.method == "POST":
        try:
            publications.published_remove(item=item, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(item)s has been removed.") % {"item": item})
        return redirect("directory:publications", slug=body.slug)
    return render(
        request,
        "directory/confirm_remove.html",
        {
            "body": body,
            "heading": _("Remove %(item)s?") % {"item": item},
            "caption": body.organisation.name,
            "text": _(
                "It will no longer show on the body's page. The change is kept in the history."
            ),
            "button": _("Remove the %(noun)s") % {"noun": chosen.noun},
            "cancel": reverse("directory:publications", args=[body.slug]),
            "breadcrumbs": _published_crumbs(body, _("Remove a %(noun)s") % {"noun": chosen.noun}),
        },
    )
