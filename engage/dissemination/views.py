"""Dissemination pages. Thin: reads through `selectors` (each starting from `visible_to`),
writes through `services`, whose refusals come back to the page on the form fields they name
or as a message; a refused action changes nothing.

Every page that shows a request's message or a body's confirmation carries the engagement's
label and is logged with it, under the request's public id (`OBJECT_TYPE`), like the
engagement's own pages; the exports too.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from engage.audit.models import AccessAction
from engage.audit.services import access_record_request
from engage.core.files import labelled_filename, secure
from engage.core.forms import apply_errors
from engage.core.pagination import paginate
from engage.core.types import AuthedRequest
from engage.documents.filetypes import CONTENT_TYPES, FileType
from engage.documents.uploads import limit_upload_size, oversized_fields
from engage.engagements.navigation import engagement_crumbs
from engage.engagements.selectors import get_engagement_for_user

from . import exports, selectors, services
from .forms import ConfirmForm, RequestForm, StateFilterForm
from .models import DisseminationRequest

GET_POST = require_http_methods(["GET", "POST"])
OBJECT_TYPE = "dissemination"
logger = logging.getLogger(__name__)
FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.status_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.status_xlsx,
    ),
}


def _log(
    request: AuthedRequest,
    dissemination: DisseminationRequest,
    *,
    action: str = AccessAction.VIEW,
    detail: str = "",
) -> None:
    engagement = dissemination.engagement
    access_record_request(
        request,
        action=action,
        object_type=OBJECT_TYPE,
        object_id=str(dissemination.public_id),
        label=engagement.label,
        detail=detail,
        confidential_to=engagement.policy.log_confidential_to,
    )


def _crumb(dissemination: DisseminationRequest, link: bool = True) -> tuple[str, str | None]:
    url = reverse("dissemination:detail", args=[dissemination.public_id])
    return (_("Dissemination request"), url if link else None)


# Asking -------------------------------------------------------------------------------------


@login_required
@GET_POST
def create(request: AuthedRequest, public_id) -> HttpResponse:
    """A member of the owning organisation asks the bodies addressed to communicate something
    locally."""
    engagement = get_engagement_for_user(request.user, public_id, read=True)
    try:  # the service's own check: who (403) and when (a message on the engagement page)
        services.dissemination_ask_check(engagement, request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("engagements:detail", public_id=engagement.public_id)
    form = RequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dissemination = services.dissemination_request_create(
                engagement=engagement,
                by=request.user,
                message=data["message"],
                message_label=data["message_label"],
                audiences=data["audiences"],
                audience_other=data["audience_other"],
                due_on=data["due_on"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("You have asked %(count)s bodies to communicate this locally.")
                % {"count": dissemination.confirmations.count()},
            )
            return redirect("dissemination:detail", public_id=dissemination.public_id)
    return render(
        request,
        "dissemination/create.html",
        {
            "engagement": engagement,
            "form": form,
            "breadcrumbs": engagement_crumbs(
                engagement, (_("Ask bodies to communicate this locally"), None)
            ),
        },
    )


# The request --------------------------------------------------------------------------------


@login_required
@require_GET
def detail(request: AuthedRequest, public_id) -> HttpResponse:
    """The message with its own label; for a body asked, its own confirmation or the button;
    for the owner and the APCC, the counts and the link to the status page."""
    dissemination = selectors.get_dissemination_request_for_user(request.user, public_id)
    engagement = dissemination.engagement
    _log(request, dissemination)
    own = selectors.own_row(request.user, dissemination, request.membership or None)
    sees_status = selectors.can_view_status(request.user, dissemination)
    status = selectors.status_rows(request.user, dissemination) if sees_status else None
    return render(
        request,
        "dissemination/detail.html",
        {
            "dissemination": dissemination,
            "engagement": engagement,
            "own": own,
            "status": status,
            "breadcrumbs": engagement_crumbs(engagement, _crumb(dissemination, link=False)),
        },
    )


@login_required
@csrf_exempt
@GET_POST
def confirm(request: AuthedRequest, public_id) -> HttpResponse:
    """The body the person acts for says what it did, or why it could not, or corrects it,
    with an optional attachment."""
    # Before anything reads the body: drop an oversized file as it streams in.
    limit_upload_size(request)
    return _confirm(request, public_id)


@csrf_protect
def _confirm(request: AuthedRequest, public_id) -> HttpResponse:
    dissemination = selectors.get_dissemination_request_for_user(request.user, public_id)
    engagement = dissemination.engagement
    membership = request.membership or None
    try:  # the service's own check: the body acted for must have been asked
        row = services.dissemination_confirm_check(dissemination, membership, request.user)
    except ValidationError as exc:
        reason = " ".join(exc.messages)
        _log(request, dissemination, action=AccessAction.REFUSED, detail=reason)
        return render(
            request,
            "dissemination/refused.html",
            {
                "engagement": engagement,
                "dissemination": dissemination,
                "reason": reason,
                "breadcrumbs": engagement_crumbs(
                    engagement, _crumb(dissemination), (_("Say what you did"), None)
                ),
            },
            status=403,
        )
    initial = {
        "outcome": row.outcome,
        "channel": row.channel,
        "channel_other": row.channel_other,
        "to_whom": row.to_whom,
        "audiences_reached": row.audiences_reached,
        "done_on": row.done_on,
        "link": row.link,
        "reason": row.reason,
    }
    posted = request.method == "POST"
    form = ConfirmForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=initial,
        current=row,
        oversized="attachment" in oversized_fields(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.dissemination_confirm(
                dissemination=dissemination,
                membership=membership,
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("You have told %(owner)s what %(body)s did.")
                % {"owner": engagement.owner.name, "body": row.body.organisation.name},
            )
            return redirect("dissemination:detail", public_id=dissemination.public_id)
    if request.method == "GET":
        _log(request, dissemination, detail="confirm form")
    return render(
        request,
        "dissemination/confirm.html",
        {
            "dissemination": dissemination,
            "engagement": engagement,
            "row": row,
            "form": form,
            "breadcrumbs": engagement_crumbs(
                engagement, _crumb(dissemination), (_("Say what you did"), None)
            ),
        },
    )


@login_required
@require_GET
def attachment(request: AuthedRequest, public_id) -> HttpResponseBase:
    """A body's attachment, as a download, to those who read its confirmation (the body, the
    owning organisation, the APCC secretariat); 404 for anyone else, or when there is none.
    Named for the engagement's label, never run by the browser; logged."""
    row = selectors.get_confirmation_for_user(request.user, public_id)
    if not row.has_attachment:
        raise Http404
    dissemination = row.request
    dissemination.engagement = row.engagement  # loaded already, with its policy
    engagement = row.engagement
    file_type = FileType(row.attachment_type)
    stem = row.attachment_name.rsplit(".", 1)[0]
    filename = labelled_filename(
        f"{row.body.organisation.name} {stem}", engagement.label, file_type.value
    )
    try:
        stored = row.attachment.open("rb")
    except FileNotFoundError:
        # The row outlived its file (a lost disk, a bad restore): the operator must act.
        logger.error(
            "The stored attachment of dissemination confirmation %s is missing: %s",
            row.public_id,
            row.attachment.name,
        )
        return render(
            request,
            "dissemination/attachment_missing.html",
            {"dissemination": dissemination, "engagement": engagement},
            status=410,
        )
    _log(
        request,
        dissemination,
        action=AccessAction.DOWNLOAD,
        detail=f"attachment of {row.body.organisation.name}",
    )
    response = FileResponse(
        stored, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[file_type]
    )
    return secure(response)


# Where every body stands ---------------------------------------------------------------------


@login_required
@require_GET
def status(request: AuthedRequest, public_id) -> HttpResponse:
    """Every body asked: done, could not, overdue or not due yet, as a table (filtered by
    state) and a map. For the owning organisation and the APCC secretariat."""
    dissemination = selectors.get_status_for_user(request.user, public_id)
    engagement = dissemination.engagement
    form = StateFilterForm(request.GET)
    state = form.chosen()
    result = selectors.status_rows(request.user, dissemination)
    rows = [row for row in result.rows if not state or row.state == state]  # type: ignore[attr-defined]
    _log(request, dissemination, detail="status")
    return render(
        request,
        "dissemination/status.html",
        {
            "dissemination": dissemination,
            "engagement": engagement,
            "form": form,
            "filtered": bool(state),
            "rows": rows,
            "status": result,
            "map": selectors.status_map_of(result.rows),
            "breadcrumbs": engagement_crumbs(
                engagement, _crumb(dissemination), (_("Where the bodies stand"), None)
            ),
        },
    )


@login_required
@require_GET
def export(request: AuthedRequest, public_id, fmt: str) -> HttpResponseBase:
    """The status table as CSV or XLSX, headed by the engagement's label, who it was exported
    for and when. For the owning organisation and the APCC secretariat; logged."""
    if fmt not in FORMATS:
        raise Http404
    dissemination = selectors.get_status_for_user(request.user, public_id)
    engagement = dissemination.engagement
    content_type, write = FORMATS[fmt]
    result = selectors.status_rows(request.user, dissemination)
    membership = request.membership or None
    data = write(
        dissemination=dissemination,
        rows=result.rows,
        recipient=request.user,
        organisation=membership.organisation if membership else None,
        at=timezone.now(),
    )
    _log(request, dissemination, action=AccessAction.EXPORT, detail=f"status {fmt}")
    response = HttpResponse(data, content_type=content_type)
    filename = labelled_filename(f"{engagement.title} dissemination", engagement.label, fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return secure(response)


# Lists --------------------------------------------------------------------------------------


@login_required
@require_GET
def asked(request: AuthedRequest) -> HttpResponse:
    """What the body the person acts for has been asked to communicate, waiting ones first."""
    membership = request.membership or None
    body = selectors.acting_body(membership)
    if body is None or membership is None:
        raise PermissionDenied
    form = StateFilterForm(request.GET)
    state = form.chosen()
    page_obj = paginate(request, selectors.asked_of(request.user, body, state=state))
    return render(
        request,
        "dissemination/asked.html",
        {
            "form": form,
            "filtered": bool(state),
            "page_obj": page_obj,
            "organisation": membership.organisation,
            "breadcrumbs": engagement_crumbs(None, (_("Dissemination asked of your body"), None)),
        },
    )


@login_required
@require_GET
def made(request: AuthedRequest) -> HttpResponse:
    """The owning organisation's requests (the APCC secretariat: every one it reads), newest
    first, with how many bodies stand where."""
    membership = request.membership or None
    if membership is None or not (membership.is_secretariat or membership.organisation.is_national):
        raise PermissionDenied
    overdue_only = request.GET.get("overdue") == "1"
    page_obj = paginate(
        request, selectors.requests_made(request.user, membership, overdue_only=overdue_only)
    )
    return render(
        request,
        "dissemination/made.html",
        {
            "page_obj": page_obj,
            "overdue_only": overdue_only,
            "organisation": membership.organisation,
            "breadcrumbs": engagement_crumbs(None, (_("Dissemination requests"), None)),
        },
    )
