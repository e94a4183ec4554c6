"""Release request pages: ask (about an engagement or a document), a request (decide, with a
confirmation step), the lead's list and the body's list. Views stay thin: the selectors decide
what the person sees (404), the rules what they may do (403), the services refuse the rest,
in their own words, shown on the page."""

import rules
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from engage.audit.models import AccessAction
from engage.audit.services import access_record_request
from engage.core.forms import apply_errors
from engage.core.pagination import paginate
from engage.core.types import AuthedRequest
from engage.engagements.navigation import engagement_crumbs
from engage.engagements.selectors import get_engagement_for_user
from engage.engagements.services import PolicyRefused

from . import selectors, services
from .forms import AskForm, DecideForm, ListFilterForm
from .labels import document_label_for, engagement_label_for
from .models import ReleaseRequest

GET_POST = require_http_methods(["GET", "POST"])
OBJECT_TYPE = "release_request"


def _log(request: AuthedRequest, *, object_type: str, public_id, label: str, policy) -> None:
    """Every page that shows an item's title under its label is logged (DESIGN.md 6)."""
    access_record_request(
        request,
        action=AccessAction.VIEW,
        object_type=object_type,
        object_id=str(public_id),
        label=label,
        confidential_to=policy.log_confidential_to,
    )


def _refusal_messages(exc: ValidationError) -> list[str]:
    return list(exc.messages)


# Asking -----------------------------------------------------------------------------------


def _ask(request: AuthedRequest, engagement, document=None) -> HttpResponse:
    try:
        body = services.asking_body(request.membership or None)
    except ValidationError:
        raise PermissionDenied from None  # only a policing body asks; nobody else has a part
    refusal: list[str] = []
    current = document.label if document is not None else engagement.label
    labels: list[str] = []
    try:
        current, labels = services.release_request_check(
            engagement=engagement, document=document, body=body
        )
    except ValidationError as exc:
        refusal = _refusal_messages(exc)
    form = AskForm(request.POST or None, labels=labels)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            release_request = services.release_request_create(
                engagement=engagement,
                document=document,
                membership=request.membership,
                by=request.user,
                **form.cleaned_data,
            )
        except PolicyRefused as exc:
            refusal = [exc.reason]
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your request has been sent to %(owner)s. You will see the answer here.")
                % {"owner": engagement.owner.name},
            )
            return redirect("releases:detail", public_id=release_request.public_id)
    item = document if document is not None else engagement
    _log(
        request,
        object_type="document" if document is not None else "engagement",
        public_id=item.public_id,
        label=item.label,
        policy=engagement.policy,
    )
    trail: list[tuple[str, str | None]] = []
    if document is not None:
        trail.append((document.title, reverse("documents:detail", args=[document.public_id])))
    trail.append((_("Ask to share further"), None))
    return render(
        request,
        "releases/ask.html",
        {
            "form": form,
            "engagement": engagement,
            "document": document,
            "item": item,
            "body": body,
            "current_label": current,
            "refusal": refusal,
            "breadcrumbs": engagement_crumbs(engagement, *trail),
        },
    )


@login_required
@GET_POST
def ask_engagement(request: AuthedRequest, public_id) -> HttpResponse:
    """A body asks to share the engagement further (404 unless the person reads it)."""
    engagement = get_engagement_for_user(request.user, public_id, read=True)
    return _ask(request, engagement)


@login_required
@GET_POST
def ask_document(request: AuthedRequest, public_id) -> HttpResponse:
    """A body asks to share one document further (404 unless the person reads it)."""
    document_model = apps.get_model("documents", "Document")
    document = get_object_or_404(
        document_model.objects.visible_to(request.user).select_related(
            "engagement__policy", "engagement__owner"
        ),
        public_id=public_id,
    )
    engagement = get_engagement_for_user(request.user, document.engagement.public_id, read=True)
    return _ask(request, engagement, document)


# A request --------------------------------------------------------------------------------


def _item_label(release_request: ReleaseRequest, organisation):
    if release_request.document_id:
        return document_label_for(release_request.document, organisation)
    return engagement_label_for(release_request.engagement, organisation)


def _request_crumbs(release_request: ReleaseRequest, *trail):
    crumbs = engagement_crumbs(release_request.engagement)
    crumbs.append(
        (_("Release request"), reverse("releases:detail", args=[release_request.public_id]))
        if trail
        else (_("Release request"), None)
    )
    crumbs.extend(trail)
    return crumbs


@login_required
@require_GET
def detail(request: AuthedRequest, public_id) -> HttpResponse:
    release_request = selectors.get_release_request_for_user(request.user, public_id)
    item = release_request.document or release_request.engagement
    _log(
        request,
        object_type=OBJECT_TYPE,
        public_id=release_request.public_id,
        label=item.label,
        policy=release_request.engagement.policy,
    )
    can_decide = release_request.is_pending and rules.has_perm(
        services.DECIDE, request.user, release_request.engagement
    )
    return render(
        request,
        "releases/detail.html",
        {
            "release_request": release_request,
            "engagement": release_request.engagement,
            "item": item,
            "in_force": release_request.is_in_force(),
            "body_label": _item_label(release_request, release_request.body.organisation),
            "can_decide": can_decide,
            "history": selectors.history_of(release_request),
            "breadcrumbs": _request_crumbs(release_request),
        },
    )


@login_required
@GET_POST
def decide(request: AuthedRequest, public_id) -> HttpResponse:
    """Grant or refuse: the form, then a confirmation page (a decision cannot be undone)."""
    release_request = selectors.get_release_request_for_user(request.user, public_id)
    if not rules.has_perm(services.DECIDE, request.user, release_request.engagement):
        raise PermissionDenied
    try:
        services.release_decide_check(release_request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("releases:detail", public_id=release_request.public_id)
    form = DecideForm(request.POST or None)
    confirming = False
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") == "yes":
            try:
                services.release_request_decide(
                    release_request=release_request, by=request.user, **form.cleaned_data
                )
            except PolicyRefused as exc:
                messages.error(request, exc.reason)
                return redirect("releases:detail", public_id=release_request.public_id)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("You have %(decision)s the request from %(body)s.")
                    % {
                        "decision": release_request.get_decision_display().lower(),
                        "body": release_request.body.organisation.name,
                    },
                )
                return redirect("releases:detail", public_id=release_request.public_id)
        else:
            confirming = True
    item = release_request.document or release_request.engagement
    _log(
        request,
        object_type=OBJECT_TYPE,
        public_id=release_request.public_id,
        label=item.label,
        policy=release_request.engagement.policy,
    )
    posted = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "confirm")
        for value in values
    ]
    return render(
        request,
        "releases/confirm.html" if confirming else "releases/decide.html",
        {
            "form": form,
            "posted": posted,
            "release_request": release_request,
            "engagement": release_request.engagement,
            "item": item,
            "breadcrumbs": _request_crumbs(
                release_request, (_("Decide") if not confirming else _("Check your decision"), None)
            ),
        },
    )


# Lists ------------------------------------------------------------------------------------


def _list(request: AuthedRequest, rows, *, mode: str, form: ListFilterForm, **extra):
    page_obj = paginate(request, rows)
    return render(
        request,
        "releases/list.html",
        {
            "page_obj": page_obj,
            "form": form,
            "mode": mode,
            "filtered": any(form.filters().values()),
            "breadcrumbs": engagement_crumbs(
                None,
                (_("Release requests") if mode == "incoming" else _("Our release requests"), None),
            ),
            **extra,
        },
    )


@login_required
@require_GET
def incoming(request: AuthedRequest) -> HttpResponse:
    """The requests about the engagements of the lead's organisation, pending first."""
    form = ListFilterForm(request.GET)
    rows = selectors.incoming(request.user, **form.filters())
    return _list(request, rows, mode="incoming", form=form)


@login_required
@require_GET
def ours(request: AuthedRequest) -> HttpResponse:
    """The requests of the body the person acts for."""
    try:
        body = services.asking_body(request.membership or None)
    except ValidationError:
        raise PermissionDenied from None
    form = ListFilterForm(request.GET)
    rows = selectors.of_body(request.user, body, **form.filters())
    return _list(request, rows, mode="ours", form=form, body=body)
