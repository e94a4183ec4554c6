"""Impact evidence pages: the list of the organisation acted for, recording and changing,
sharing with the policing body, deleting, and the attachments."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from engage.audit.models import AccessAction
from engage.audit.services import access_record_request
from engage.core.files import secure
from engage.core.forms import apply_errors
from engage.core.pagination import paginate
from engage.core.types import AuthedRequest
from engage.directory.models import PriorityTheme
from engage.documents.filetypes import CONTENT_TYPES, FileType
from engage.documents.uploads import limit_upload_size, oversized_fields

from .. import selectors, services
from ..forms import OUTCOME_ROWS, EvidenceFilterForm, EvidenceForm, evidence_initial
from ..models import ImpactEvidence
from .common import GET_POST, acting_for, confirm_page, crumbs, evidence_crumb, organisation_of

logger = logging.getLogger(__name__)
OBJECT_TYPE = "impact evidence"


def _crumb(evidence: ImpactEvidence, link: bool = True) -> tuple[str, str | None]:
    url = reverse("impact:evidence", args=[evidence.public_id])
    return (evidence.title, url if link else None)


@login_required
@require_GET
def evidence_list(request: AuthedRequest) -> HttpResponse:
    """The evidence of the organisation acted for (for a policing body: what is shared with
    it), newest first, filtered by body, theme and shared."""
    organisation = organisation_of(request)
    bodies = list(selectors.evidence_bodies(organisation)) if organisation else []
    themes = list(PriorityTheme.objects.visible_to(request.user).order_by("name"))
    form = EvidenceFilterForm(request.GET, bodies=bodies, themes=themes)
    chosen = form.chosen()
    body = next((b for b in bodies if b.slug == chosen["body"]), None)
    theme = next((t for t in themes if t.slug == chosen["theme"]), None)
    rows = selectors.evidence_list(
        request.user,
        organisation,
        body=body,
        theme_id=theme.pk if theme else None,
        shared=chosen["shared"],
    )
    return render(
        request,
        "impact/evidence_list.html",
        {
            "organisation": organisation,
            "can_record": selectors.can_record(request.user, organisation),
            "form": form,
            "filtered": any(chosen.values()),
            "page_obj": paginate(request, rows),
            "breadcrumbs": crumbs((_("Impact evidence"), None)),
        },
    )


def _form(request: AuthedRequest, organisation, *, evidence: ImpactEvidence | None = None):
    posted = request.method == "POST"
    rows = OUTCOME_ROWS
    initial = None
    existing_files = 0
    if evidence is not None:
        initial = evidence_initial(evidence)
        rows = max(OUTCOME_ROWS, evidence.outcomes.count() + 1)
        if posted:
            existing_files = evidence.attachments.count()
    return EvidenceForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=initial,
        priorities=selectors.priority_choices(organisation),
        rows=rows,
        oversized="attachments" in oversized_fields(request),
        existing_files=existing_files,
        kept=evidence.priority if evidence is not None else None,
        kept_body=evidence.body.organisation.name if evidence is not None else "",
    )


def _input(form: EvidenceForm) -> services.EvidenceInput:
    data = form.cleaned_data
    return services.EvidenceInput(
        priority=data["priority"],
        title=data["title"],
        summary=data["summary"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        people_reached=data["people_reached"],
        outcomes=form.outcomes(),
        cost=data["cost"],
        savings=data["savings"],
        evaluation=data["evaluation"],
    )


@login_required
@csrf_exempt
@require_http_methods(GET_POST)
def evidence_create(request: AuthedRequest) -> HttpResponse:
    """A member of a voluntary organisation records evidence for it."""
    limit_upload_size(request)  # before anything reads the body
    return _evidence_create(request)


@csrf_protect
def _evidence_create(request: AuthedRequest) -> HttpResponse:
    organisation = acting_for(request, services.RECORD)
    form = _form(request, organisation)
    if request.method == "POST" and form.is_valid():
        try:
            evidence = services.evidence_create(
                organisation=organisation,
                by=request.user,
                data=_input(form),
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your evidence has been recorded. It is not shared yet."))
            return redirect("impact:evidence", public_id=evidence.public_id)
    return render(
        request,
        "impact/evidence_form.html",
        {
            "form": form,
            "organisation": organisation,
            "heading": _("Record impact evidence"),
            "button": _("Save the evidence"),
            "cancel": reverse("impact:evidence_list"),
            "breadcrumbs": crumbs(evidence_crumb(), (_("Record impact evidence"), None)),
        },
    )


@login_required
@require_GET
def evidence_detail(request: AuthedRequest, public_id) -> HttpResponse:
    """The evidence with its outcomes, attachments and history."""
    evidence = selectors.get_evidence_for_user(request.user, public_id)
    outcomes, attachments, history = selectors.evidence_detail(evidence)
    return render(
        request,
        "impact/evidence_detail.html",
        {
            "evidence": evidence,
            "outcomes": outcomes,
            "attachments": attachments,
            "history": history,
            "can_change": selectors.can_change_evidence(request.user, evidence),
            "breadcrumbs": crumbs(evidence_crumb(), _crumb(evidence, link=False)),
        },
    )


@login_required
@csrf_exempt
@require_http_methods(GET_POST)
def evidence_edit(request: AuthedRequest, public_id) -> HttpResponse:
    limit_upload_size(request)
    return _evidence_edit(request, public_id)


@csrf_protect
def _evidence_edit(request: AuthedRequest, public_id) -> HttpResponse:
    evidence = selectors.get_evidence_for_user(request.user, public_id, write=True)
    form = _form(request, evidence.organisation, evidence=evidence)
    if request.method == "POST" and form.is_valid():
        was_shared = evidence.shared_at is not None
        try:
            services.evidence_update(
                evidence=evidence,
                by=request.user,
                data=_input(form),
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            done = _("Your changes have been saved.")
            if was_shared and evidence.shared_at is None:
                done += " " + _(
                    "It is no longer shared: share it with %(body)s if you want them to see it."
                ) % {"body": evidence.body.organisation.name}
            messages.success(request, done)
            return redirect("impact:evidence", public_id=evidence.public_id)
    return render(
        request,
        "impact/evidence_form.html",
        {
            "form": form,
            "organisation": evidence.organisation,
            "evidence": evidence,
            "heading": _("Change impact evidence"),
            "button": _("Save changes"),
            "cancel": reverse("impact:evidence", args=[evidence.public_id]),
            "breadcrumbs": crumbs(evidence_crumb(), _crumb(evidence), (_("Change"), None)),
        },
    )


def _share_page(request: AuthedRequest, public_id, *, share: bool) -> HttpResponse:
    evidence = selectors.get_evidence_for_user(request.user, public_id, write=True)
    body = evidence.body.organisation.name
    if request.method == "POST":
        if share:
            services.evidence_share(evidence=evidence, by=request.user)
            messages.success(
                request, _("The evidence is now shared with %(body)s.") % {"body": body}
            )
        else:
            services.evidence_unshare(evidence=evidence, by=request.user)
            messages.success(
                request, _("The evidence is no longer shared with %(body)s.") % {"body": body}
            )
        return redirect("impact:evidence", public_id=evidence.public_id)
    if share:
        title = _("Share this evidence with %(body)s?") % {"body": body}
        text = _(
            "The members of %(body)s will read this evidence: its outcomes, attachments and "
            "history. You can stop sharing it at any time."
        ) % {"body": body}
        button = _("Share the evidence")
    else:
        title = _("Stop sharing this evidence with %(body)s?") % {"body": body}
        text = _("The members of %(body)s will no longer read this evidence.") % {"body": body}
        button = _("Stop sharing")
    return confirm_page(
        request,
        title=title,
        caption=evidence.title,
        text=text,
        button=button,
        cancel=reverse("impact:evidence", args=[evidence.public_id]),
        breadcrumbs=crumbs(evidence_crumb(), _crumb(evidence), (button, None)),
    )


@login_required
@require_http_methods(GET_POST)
def evidence_share(request: AuthedRequest, public_id) -> HttpResponse:
    return _share_page(request, public_id, share=True)


@login_required
@require_http_methods(GET_POST)
def evidence_unshare(request: AuthedRequest, public_id) -> HttpResponse:
    return _share_page(request, public_id, share=False)


@login_required
@require_http_methods(GET_POST)
def evidence_delete(request: AuthedRequest, public_id) -> HttpResponse:
    evidence = selectors.get_evidence_for_user(request.user, public_id, write=True)
    if request.method == "POST":
        services.evidence_delete(evidence=evidence, by=request.user)
        messages.success(
            request, _("The evidence “%(title)s” has been deleted.") % {"title": evidence.title}
        )
        return redirect("impact:evidence_list")
    return confirm_page(
        request,
        title=_("Delete this evidence?"),
        caption=evidence.title,
        text=_(
            "Its outcomes and attachments are deleted with it, and it leaves any impact case "
            "that showed it. This cannot be undone."
        ),
        button=_("Delete the evidence"),
        cancel=reverse("impact:evidence", args=[evidence.public_id]),
        breadcrumbs=crumbs(evidence_crumb(), _crumb(evidence), (_("Delete"), None)),
        warning=True,
    )


# Attachments ---------------------------------------------------------------------------------


@login_required
@require_GET
def attachment(request: AuthedRequest, public_id) -> HttpResponseBase:
    """An attachment, as a download, to whoever reads its evidence; 404 for anyone else.
    Never run by the browser; logged."""
    row = selectors.get_attachment_for_user(request.user, public_id)
    file_type = FileType(row.file_type)
    try:
        stored = row.file.open("rb")
    except FileNotFoundError:
        logger.error(
            "The stored attachment %s of impact evidence %s is missing: %s",
            row.public_id,
            row.evidence.public_id,
            row.file.name,
        )
        return render(
            request, "impact/attachment_missing.html", {"evidence": row.evidence}, status=410
        )
    access_record_request(
        request,
        action=AccessAction.DOWNLOAD,
        object_type=OBJECT_TYPE,
        object_id=str(row.evidence.public_id),
        detail=f"attachment {row.public_id}",
    )
    response = FileResponse(
        stored, as_attachment=True, filename=row.name, content_type=CONTENT_TYPES[file_type]
    )
    return secure(response)


@login_required
@require_http_methods(GET_POST)
def attachment_remove(request: AuthedRequest, public_id) -> HttpResponse:
    row = selectors.get_attachment_for_user(request.user, public_id)
    evidence = selectors.get_evidence_for_user(request.user, row.evidence.public_id, write=True)
    if request.method == "POST":
        services.attachment_remove(attachment=row, by=request.user)
        messages.success(request, _("“%(name)s” has been removed.") % {"name": row.name})
        return redirect("impact:evidence", public_id=evidence.public_id)
    return confirm_page(
        request,
        title=_("Remove “%(name)s”?") % {"name": row.name},
        caption=evidence.title,
        text=_("The file is removed from the evidence. This cannot be undone."),
        button=_("Remove the file"),
        cancel=reverse("impact:evidence", args=[evidence.public_id]),
        breadcrumbs=crumbs(evidence_crumb(), _crumb(evidence), (_("Remove a file"), None)),
        warning=True,
    )
