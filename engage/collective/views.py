"""Collective view pages. Thin: reads through `selectors` (each from `visible_to`), writes
through `services`, whose ValidationErrors come back to the page; a refused action changes
nothing. Every page shows the handling label and logs the view (a labelled item: it carries
its engagement's label)."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from engage.audit.models import AccessAction
from engage.core.files import labelled_filename, secure
from engage.core.forms import apply_errors
from engage.core.types import AuthedRequest
from engage.engagements.access_log import log_engagement_view
from engage.engagements.navigation import engagement_crumbs
from engage.engagements.selectors import get_engagement_for_user

from . import content, exports, selectors, services
from .forms import ConfirmForm, SignForm, ViewForm, revision_of
from .models import CollectiveView

GET_POST = require_http_methods(["GET", "POST"])
OBJECT_TYPE = "collective_view"
FORMATS = {
    "pdf": ("application/pdf", exports.view_pdf),
    "csv": ("text/csv; charset=utf-8", exports.view_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.view_xlsx,
    ),
}


def _log(request: AuthedRequest, view: CollectiveView, detail: str = "", action=AccessAction.VIEW):
    log_engagement_view(
        request,
        view.engagement,
        object_type=OBJECT_TYPE,
        object_id=str(view.public_id),
        detail=detail,
        action=action,
    )


def _crumbs(view: CollectiveView, *trail):
    engagement = view.engagement
    if not trail:
        return engagement_crumbs(engagement, (_("Collective view"), None))
    url = reverse("collective:detail", args=[engagement.public_id])
    return engagement_crumbs(engagement, (_("Collective view"), url), *trail)


def _refusal(check, *args) -> str:
    """Why the service would refuse, in its words ("" if it would not)."""
    try:
        check(*args)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def _is_conflict(exc: ValidationError) -> bool:
    return not hasattr(exc, "error_dict") and any(
        error.code == "conflict" for error in exc.error_list
    )


def _done(request: AuthedRequest, view: CollectiveView, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("collective:detail", public_id=view.engagement.public_id)


# Reading ----------------------------------------------------------------------------------


@login_required
@require_GET
def detail(request: AuthedRequest, public_id) -> HttpResponse:
    view = selectors.get_collective_view_for_user(request.user, public_id)
    _log(request, view)
    sources = selectors.sources_of(view)
    sign_offs = selectors.sign_offs_for(view)
    can_draft = rules.has_perm(selectors.DRAFT, request.user)
    for sign_off in sign_offs:
        sign_off.may_sign = rules.has_perm(selectors.SIGN_OFF, request.user, sign_off)  # type: ignore[attr-defined]
    return render(
        request,
        "collective/detail.html",
        {
            "view": view,
            "engagement": view.engagement,
            "content": content.view_content(view, sources, sign_offs),
            "sign_offs": sign_offs,
            "responded": selectors.responded(view.engagement),
            "can_draft": can_draft,
            "edit_refusal": _refusal(services.collective_view_edit_check, view),
            "send_refusal": _refusal(services.collective_view_send_check, view, len(sign_offs)),
            "submit_refusal": _refusal(services.collective_view_submit_check, view, sign_offs),
            "sign_refusal": _refusal(services.sign_off_check, view),
            "breadcrumbs": _crumbs(view),
        },
    )


@login_required
@require_GET
def history(request: AuthedRequest, public_id) -> HttpResponse:
    view = selectors.get_collective_view_for_user(request.user, public_id)
    _log(request, view, detail="history")
    drafter = selectors.is_drafter(request.user, view)
    changes = (
        list(view.history.select_related("history_user").order_by("-history_date")[:200])  # type: ignore[attr-defined]
        if drafter
        else []
    )
    return render(
        request,
        "collective/history.html",
        {
            "view": view,
            "engagement": view.engagement,
            "versions": selectors.versions_for(request.user, view),
            "changes": changes,
            "drafter": drafter,
            "breadcrumbs": _crumbs(view, (_("History"), None)),
        },
    )


@login_required
@require_GET
def version(request: AuthedRequest, public_id, number: int) -> HttpResponse:
    view = selectors.get_collective_view_for_user(request.user, public_id)
    frozen = selectors.get_version(request.user, view, number)
    _log(request, view, detail=f"version {frozen.number}")
    history_url = reverse("collective:history", args=[view.engagement.public_id])
    return render(
        request,
        "collective/version.html",
        {
            "view": view,
            "engagement": view.engagement,
            "version": frozen,
            "content": frozen.content,
            "breadcrumbs": _crumbs(
                view,
                (_("History"), history_url),
                (_("Version %(number)s") % {"number": frozen.number}, None),
            ),
        },
    )


@login_required
@require_GET
def export(request: AuthedRequest, public_id, fmt: str) -> HttpResponseBase:
    """The view as the person reads it, as a PDF, CSV or XLSX file; logged."""
    if fmt not in FORMATS:
        raise Http404
    view = selectors.get_collective_view_for_user(request.user, public_id)
    engagement = view.engagement
    content_type, write = FORMATS[fmt]
    data = write(
        engagement=engagement,
        content=content.view_content(
            view, selectors.sources_of(view), selectors.sign_offs_for(view)
        ),
        status=view.get_status_display(),
        recipient=request.user,
        organisation=request.membership.organisation if request.membership else None,
        at=timezone.now(),
    )
    _log(request, view, detail=fmt.upper(), action=AccessAction.EXPORT)
    response = HttpResponse(data, content_type=content_type)
    filename = labelled_filename(f"{engagement.title} collective view", engagement.label, fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return secure(response)


# Drafting ---------------------------------------------------------------------------------


@login_required
@GET_POST
def start(request: AuthedRequest, public_id) -> HttpResponse:
    """Confirm, then draft the view from the submitted responses."""
    engagement = get_engagement_for_user(request.user, public_id, read=True)
    if not rules.has_perm(selectors.DRAFT, request.user):
        raise PermissionDenied
    existing = CollectiveView.objects.visible_to(request.user).filter(engagement=engagement)
    if existing.exists():
        return redirect("collective:detail", public_id=engagement.public_id)
    errors: list[str] = []
    if request.method == "POST":
        try:
            view = services.collective_view_start(engagement=engagement, by=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("The collective view has been drafted."))
            return redirect("collective:edit", public_id=view.engagement.public_id)
    else:
        refusal = _refusal(services.collective_view_start_check, engagement)
        errors = [refusal] if refusal else []
    return render(
        request,
        "collective/start.html",
        {
            "engagement": engagement,
            "errors": errors,
            "versions": list(selectors.latest_versions(engagement)),
            "breadcrumbs": engagement_crumbs(engagement, (_("Draft the collective view"), None)),
        },
    )


@login_required
@GET_POST
def edit(request: AuthedRequest, public_id) -> HttpResponse:
    view = selectors.get_collective_view_for_user(request.user, public_id, write=True)
    if refusal := _refusal(services.collective_view_edit_check, view):
        messages.error(request, refusal)
        return redirect("collective:detail", public_id=public_id)
    their_changes: list[tuple[str, str]] = []
    if request.method == "POST":
        form = ViewForm(request.POST, view=view)
        if form.is_valid():
            before = view.revision
            try:
                services.collective_view_save(view=view, by=request.user, **form.service_kwargs())
            except ValidationError as exc:
                if not _is_conflict(exc):
                    apply_errors(form, exc)
                else:  # keep what they typed; show what the other person saved
                    view.refresh_from_db()
                    latest = ViewForm.initial_from(view)
                    their_changes = form.their_changes(latest)
                    data = request.POST.copy()
                    data["revision"] = str(view.revision)
                    form = ViewForm(data, view=view)
                    form.is_valid()
                    form.add_error(None, exc)
            else:
                if view.revision == before:
                    messages.info(request, _("You had not changed anything, so nothing was saved."))
                else:
                    messages.success(request, _("The collective view has been saved."))
                return redirect("collective:detail", public_id=public_id)
    else:
        _log(request, view, detail="edit form")
        form = ViewForm(initial=ViewForm.initial_from(view), view=view)
    return render(
        request,
        "collective/edit.html",
        {
            "view": view,
            "engagement": view.engagement,
            "form": form,
            "their_changes": their_changes,
            "updated_by": view.updated_by,
            "breadcrumbs": _crumbs(view, (_("Edit"), None)),
        },
    )


def _confirm(
    request: AuthedRequest, view: CollectiveView, *, action, success: str, template_context: dict
) -> HttpResponse:
    """A confirmation page; on POST the action, from the revision the person read."""
    errors: list[str] = []
    if request.method == "POST":
        try:
            action(revision_of(request.POST))
        except ValidationError as exc:
            errors = exc.messages
            view.refresh_from_db()
        else:
            return _done(request, view, success)
    else:
        _log(request, view, detail=template_context["heading"])
    return render(
        request,
        "collective/confirm.html",
        {
            "view": view,
            "engagement": view.engagement,
            "form": ConfirmForm(initial={"revision": view.revision}),
            "errors": errors,
            "breadcrumbs": _crumbs(view, (template_context["heading"], None)),
            **template_context,
        },
    )


@login_required
@GET_POST
def refresh_sources(request: AuthedRequest, public_id) -> HttpResponse:
    view = selectors.get_collective_view_for_user(request.user, public_id, write=True)
    return _confirm(
        request,
        view,
        action=lambda revision: services.collective_view_refresh_sources(
            view=view, by=request.user, revision=revision
        ),
        success=_("The view now draws on the latest submitted responses."),
        template_context={
            "heading": _("Draw on the latest submitted responses"),
            "text": _(
                "The view will draw on the latest submitted version of every body's response. "
                "Local variations you have not edited are replaced with the newer text; bodies "
                "new to the view are added. Any sign-off given so far will need giving again."
            ),
            "button": _("Draw on the latest responses"),
            "refusal": _refusal(services.collective_view_edit_check, view),
        },
    )


@login_required
@GET_POST
def send(request: AuthedRequest, public_id) -> HttpResponse:
    view = selectors.get_collective_view_for_user(request.user, public_id, write=True)
    groups = len(selectors.sign_offs_for(view))
    return _confirm(
        request,
        view,
        action=lambda revision: services.collective_view_send(
            view=view, by=request.user, revision=revision
        ),
        success=_("The collective view has been sent to the group leads for sign-off."),
        template_context={
            "heading": _("Send to the group leads for sign-off"),
            "text": _(
                "Each routed standing group's lead will be asked to sign off this text or send "
                "it back with comments. The text as it stands is kept as a version."
            ),
            "button": _("Send for sign-off"),
            "refusal": _refusal(services.collective_view_send_check, view, groups),
        },
    )


@login_required
@GET_POST
def submit(request: AuthedRequest, public_id) -> HttpResponse:
    view = selectors.get_collective_view_for_user(request.user, public_id, write=True)
    sign_offs = selectors.sign_offs_for(view)
    return _confirm(
        request,
        view,
        action=lambda revision: services.collective_view_submit(
            view=view, by=request.user, revision=revision
        ),
        success=_("The collective view has been submitted to the policy lead."),
        template_context={
            "heading": _("Submit the collective view to the policy lead"),
            "text": _(
                "Once submitted, the view can no longer change. The owning organisation and "
                "the bodies the engagement is addressed to will be able to read it."
            )
            + (
                ""
                if sign_offs
                else " "
                + _(
                    "This engagement went to all policing bodies, not to standing groups, so "
                    "there is no group lead to sign it off."
                )
            ),
            "button": _("Submit to the policy lead"),
            "refusal": _refusal(services.collective_view_submit_check, view, sign_offs),
        },
    )


@login_required
@GET_POST
def sign(request: AuthedRequest, public_id, group: str) -> HttpResponse:
    view = selectors.get_collective_view_for_user(request.user, public_id)
    sign_off = selectors.get_sign_off_for_user(request.user, view, group)
    refusal = _refusal(services.sign_off_check, view)
    if request.method == "POST" and not refusal:
        form = SignForm(request.POST)
        if form.is_valid():
            signed = form.cleaned_data["decision"] == "sign"
            try:
                services.collective_view_sign(
                    view=view,
                    group_slug=group,
                    by=request.user,
                    revision=revision_of(request.POST),
                    signed=signed,
                    comments=form.cleaned_data["comments"],
                )
            except ValidationError as exc:
                view.refresh_from_db()
                data = request.POST.copy()
                data["revision"] = str(view.revision)  # they now read the latest text
                form = SignForm(data)
                form.is_valid()
                apply_errors(form, exc)
            else:
                return _done(
                    request,
                    view,
                    _("You have signed off the collective view for %(group)s.")
                    % {"group": sign_off.group.name}
                    if signed
                    else _("You have sent the collective view back to the secretariat."),
                )
    else:
        _log(request, view, detail=f"sign-off for {sign_off.group.name}")
        form = SignForm(initial={"revision": view.revision})
    sources = selectors.sources_of(view)
    return render(
        request,
        "collective/sign.html",
        {
            "view": view,
            "engagement": view.engagement,
            "sign_off": sign_off,
            "form": form,
            "refusal": refusal,
            "revision": view.revision,
            "content": content.view_content(view, sources, [sign_off]),
            "breadcrumbs": _crumbs(view, (_("Sign off"), None)),
        },
    )
