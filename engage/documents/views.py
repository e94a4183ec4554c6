import logging
import uuid

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from engage.audit.models import AccessAction
from engage.audit.services import access_record_request
from engage.core.forms import apply_errors
from engage.core.panels import actions_of, panels_for
from engage.core.types import AuthedRequest
from engage.engagements.models import Engagement

from . import services
from .downloads import file_response, label_for
from .forms import DocumentForm, FileForm
from .models import Document, DocumentVersion
from .rules import can_ask_release, can_replace_document
from .selectors import get_document_for_user, get_version_for_user, versions_of
from .stamping import StampError
from .uploads import limit_upload_size, oversized_fields

OBJECT_TYPE = "document"
logger = logging.getLogger(__name__)


def _engagement_url(engagement: Engagement) -> str | None:
    try:
        return reverse("engagements:detail", kwargs={"public_id": engagement.public_id})
    except NoReverseMatch:
        return None


def _crumbs(engagement: Engagement, *trail: tuple[str, str | None]):
    url = _engagement_url(engagement)
    return [(engagement.title, url), *trail] if url else list(trail)


def _bound(request: AuthedRequest) -> tuple:
    """Form data for a POST, even one whose only field (an oversized file) was dropped."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _visible_document(request: AuthedRequest, public_id, *, write: bool = False) -> Document:
    """The document, or 404 (and the refusal logged) if this person may not see it."""
    try:
        return get_document_for_user(request.user, public_id, write=write)
    except Http404:
        access_record_request(
            request,
            action=AccessAction.REFUSED,
            object_type=OBJECT_TYPE,
            object_id=str(public_id),
            detail="not visible",
        )
        raise


def _log(request: AuthedRequest, action: str, document: Document, detail: str = "") -> None:
    access_record_request(
        request,
        action=action,
        object_type=OBJECT_TYPE,
        object_id=str(document.public_id),
        label=document.label,
        detail=detail,
        # An entry about a screened-out policy's document is for its owner only.
        confidential_to=document.engagement.policy.log_confidential_to,
    )


# Reading ----------------------------------------------------------------------------------


@login_required
@require_GET
def document_detail(request: AuthedRequest, public_id) -> HttpResponse:
    document = _visible_document(request, public_id)
    _log(request, AccessAction.VIEW, document)
    user = request.user
    is_owner = rules.has_perm("documents.view_old_versions", user, document)
    organisation = request.membership.organisation if request.membership else None
    panels = panels_for("document", request, document)
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "engagement": document.engagement,
            "versions": versions_of(document),
            "recipients": list(document.recipients.all()) if document.is_red else [],
            "is_owner": is_owner,
            "can_replace": can_replace_document(user, document),
            "can_release": rules.has_perm(
                "engagements.manage_engagement", user, document.engagement
            ),
            "releases": (list(document.releases.select_related("released_by")) if is_owner else []),
            # The label in force for the body the person acts for (a granted release request
            # widens it), and whether that body may ask to share the document further.
            "body_label": label_for(document, organisation),
            "may_ask": can_ask_release(document, organisation),
            "breadcrumbs": _crumbs(document.engagement, (document.title, None)),
            "panels": panels,
            "panel_actions": actions_of(panels),
        },
    )


def _warning(
    request: AuthedRequest, document: Document, version: DocumentVersion, action_url: str
) -> HttpResponse:
    _log(request, AccessAction.VIEW, document, detail=f"download warning, version {version.number}")
    organisation = request.membership.organisation if request.membership else None
    return render(
        request,
        "documents/download_warning.html",
        {
            "document": document,
            "version": version,
            "action_url": action_url,
            "organisation": organisation,
            "body_label": label_for(document, organisation),
            "breadcrumbs": _crumbs(
                document.engagement,
                (document.title, reverse("documents:detail", args=[document.public_id])),
                (_("Download"), None),
            ),
        },
    )


def _serve(
    request: AuthedRequest, document: Document, version: DocumentVersion, *, old: bool = False
) -> HttpResponseBase:
    organisation = request.membership.organisation if request.membership else None
    try:
        response = file_response(
            document=document,
            version=version,
            recipient=request.user,
            organisation=organisation,
            old=old,
        )
    except StampError:
        # The same stamp passed at upload, so the stored file has changed since (a damaged
        # disk, a bad restore) or our stamping has: the operator must act, as for a missing
        # file, and the person gets our page saying so, not a server error.
        logger.error(
            "The stored PDF of document version %s (document %s) could not be stamped: %s",
            version.pk,
            document.public_id,
            version.file.name,
            exc_info=True,
        )
        return render(request, "documents/download_failed.html", {"document": document}, status=410)
    except FileNotFoundError:
        # The row outlived its file (a lost disk, a bad restore): the operator must act.
        logger.error(
            "The stored file of document version %s (document %s) is missing: %s",
            version.pk,
            document.public_id,
            version.file.name,
        )
        return render(request, "documents/file_missing.html", {"document": document}, status=410)
    _log(request, AccessAction.DOWNLOAD, document, detail=f"version {version.number}")
    return response


@login_required
@require_GET
def download_warning(request: AuthedRequest, public_id) -> HttpResponse:
    """What the label means and that the download is logged, with the button to download."""
    document = _visible_document(request, public_id)
    if document.current_version is None:
        raise Http404
    return _warning(
        request,
        document,
        document.current_version,
        reverse("documents:download", args=[document.public_id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def download(request: AuthedRequest, public_id) -> HttpResponseBase:
    """A PDF downloads at once, stamped. Anything else shows the warning first and downloads
    from its button (a POST)."""
    document = _visible_document(request, public_id)
    version = document.current_version
    if version is None:
        raise Http404
    if request.method == "GET" and not version.is_pdf:
        return redirect("documents:download_warning", public_id=document.public_id)
    return _serve(request, document, version)


@login_required
@require_http_methods(["GET", "POST"])
def version_download(request: AuthedRequest, public_id, number: int) -> HttpResponseBase:
    """Any version, old ones included: for the owning organisation only."""
    document = _visible_document(request, public_id)
    version = get_version_for_user(request.user, document, number)
    if request.method == "GET" and not version.is_pdf:
        return _warning(request, document, version, request.path)
    return _serve(request, document, version, old=version.pk != document.current_version_id)


# Writing ----------------------------------------------------------------------------------


def _engagement_from_query(request: AuthedRequest) -> Engagement:
    try:
        public_id = uuid.UUID(request.GET.get("engagement", ""))
    except ValueError:
        raise Http404 from None
    engagement = get_object_or_404(
        Engagement.objects.visible_to(request.user).select_related("owner", "policy"),
        public_id=public_id,
    )
    if not rules.has_perm("documents.add_document", request.user, engagement):
        raise PermissionDenied
    return engagement


def _closed(engagement: Engagement) -> str:
    """Why documents can no longer be added to or replaced on the engagement, in the
    service's words ("" if they can)."""
    try:
        services.document_upload_check(engagement)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


@login_required
@csrf_exempt
def document_new(request: AuthedRequest) -> HttpResponse:
    # Before anything reads the body: drop an oversized file as it streams in.
    limit_upload_size(request)
    return _document_new(request)


@csrf_protect
def _document_new(request: AuthedRequest) -> HttpResponse:
    engagement = _engagement_from_query(request)
    form = DocumentForm(
        *_bound(request),
        labels=services.labels_for(engagement),
        initial={"label": engagement.label},
        oversized="file" in oversized_fields(request),
    )
    closed = _closed(engagement)
    if request.method == "POST" and not closed and form.is_valid():
        try:
            document = services.document_upload(
                engagement=engagement,
                uploaded_by=request.user,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                label=form.cleaned_data["label"],
                recipients=form.cleaned_data["recipients"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("“%(title)s” has been added.") % {"title": document})
            return redirect("documents:detail", public_id=document.public_id)
    return render(
        request,
        "documents/document_form.html",
        {
            "form": form,
            "engagement": engagement,
            "closed": closed,
            "breadcrumbs": _crumbs(engagement, (_("Add a document"), None)),
        },
    )


@login_required
@csrf_exempt
def document_replace(request: AuthedRequest, public_id) -> HttpResponse:
    limit_upload_size(request)
    return _document_replace(request, public_id)


@csrf_protect
def _document_replace(request: AuthedRequest, public_id) -> HttpResponse:
    document = _visible_document(request, public_id, write=True)
    form = FileForm(
        *_bound(request),
        oversized="file" in oversized_fields(request),
    )
    closed = _closed(document.engagement)
    if request.method == "POST" and not closed and form.is_valid():
        try:
            version = services.document_replace(
                document=document, uploaded_by=request.user, file=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Version %(number)s of “%(title)s” has been added. Earlier versions are kept.")
                % {"number": version.number, "title": document},
            )
            return redirect("documents:detail", public_id=document.public_id)
    return render(
        request,
        "documents/replace_form.html",
        {
            "form": form,
            "document": document,
            "closed": closed,
            "breadcrumbs": _crumbs(
                document.engagement,
                (document.title, reverse("documents:detail", args=[document.public_id])),
                (_("Replace"), None),
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_release(request: AuthedRequest, public_id) -> HttpResponse:
    """Release a document to a wider label, up to its engagement's: the owner's leads only."""
    from engage.engagements import services as engagement_services
    from engage.engagements.forms import ReleaseForm

    document = _visible_document(request, public_id)
    engagement = document.engagement
    if not rules.has_perm("engagements.manage_engagement", request.user, engagement):
        raise PermissionDenied
    try:
        labels = engagement_services.label_release_check(document.label, engagement.label)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("documents:detail", public_id=document.public_id)
    form = ReleaseForm(request.POST or None, labels=labels)
    if request.method == "POST" and form.is_valid():
        try:
            engagement_services.label_release(
                document=document, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("The document is now %(label)s.") % {"label": document.get_label_display()},
            )
            return redirect("documents:detail", public_id=document.public_id)
    return render(
        request,
        "documents/release.html",
        {
            "document": document,
            "form": form,
            "breadcrumbs": _crumbs(
                engagement,
                (document.title, reverse("documents:detail", args=[document.public_id])),
                (_("Release to a wider label"), None),
            ),
        },
    )
