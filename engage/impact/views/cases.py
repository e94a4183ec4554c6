"""Impact case pages: the list, making and changing a case, the case as a page and as a PDF,
sharing it with the policing body, deleting it."""

import re
import unicodedata

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from engage.audit.models import AccessAction
from engage.audit.services import access_record_request
from engage.core.files import secure
from engage.core.forms import apply_errors
from engage.core.pagination import paginate
from engage.core.pdf import render_pdf
from engage.core.types import AuthedRequest

from .. import selectors, services
from ..forms import CaseForm
from ..models import ImpactCase
from .common import GET_POST, acting_for, case_crumb, confirm_page, crumbs, organisation_of

OBJECT_TYPE = "impact case"


def _crumb(case: ImpactCase, link: bool = True) -> tuple[str, str | None]:
    return (case.title, reverse("impact:case", args=[case.public_id]) if link else None)


def _ascii(text: str) -> str:
    """Letters and digits joined by hyphens: "Leeds Women's Centre" -> "Leeds-Womens-Centre"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    plain = plain.replace("'", "")
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-")


def body_area(case: ImpactCase) -> str:
    """The body's area, as people name it ("West Yorkshire"), else the body's name."""
    return case.body.force.ons_name or case.body.organisation.name


def pdf_filename(case: ImpactCase) -> str:
    parts = [
        "Impact-case",
        _ascii(case.organisation.name),
        _ascii(body_area(case)),
        f"{timezone.localdate():%Y-%m-%d}",
    ]
    return f"{'-'.join(part for part in parts if part)}.pdf"


@login_required
@require_GET
def case_list(request: AuthedRequest) -> HttpResponse:
    """The cases of the organisation acted for (for a policing body: those shared with it)."""
    organisation = organisation_of(request)
    return render(
        request,
        "impact/case_list.html",
        {
            "organisation": organisation,
            "can_make": selectors.can_make_case(request.user, organisation),
            "page_obj": paginate(request, selectors.case_list(request.user, organisation)),
            "breadcrumbs": crumbs((_("Impact cases"), None)),
        },
    )


@login_required
@require_http_methods(GET_POST)
def case_create(request: AuthedRequest) -> HttpResponse:
    organisation = acting_for(request, services.MAKE_CASE)
    bodies = list(selectors.areas_served(organisation))
    form = CaseForm(request.POST if request.method == "POST" else None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your impact case has been made. It is not shared yet."))
            return redirect("impact:case", public_id=case.public_id)
    return render(
        request,
        "impact/case_form.html",
        {
            "form": form,
            "organisation": organisation,
            "heading": _("Make an impact case"),
            "button": _("Make the case"),
            "cancel": reverse("impact:case_list"),
            "breadcrumbs": crumbs(case_crumb(), (_("Make an impact case"), None)),
        },
    )


@login_required
@require_http_methods(GET_POST)
def case_edit(request: AuthedRequest, public_id) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, public_id, write=True)
    initial = {"title": case.title, "introduction": case.introduction}
    form = CaseForm(
        request.POST if request.method == "POST" else None, initial=initial, editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("impact:case", public_id=case.public_id)
    return render(
        request,
        "impact/case_form.html",
        {
            "form": form,
            "organisation": case.organisation,
            "case": case,
            "heading": _("Change the impact case"),
            "button": _("Save changes"),
            "cancel": reverse("impact:case", args=[case.public_id]),
            "breadcrumbs": crumbs(case_crumb(), _crumb(case), (_("Change"), None)),
        },
    )


def _context(request: AuthedRequest, case: ImpactCase) -> dict:
    return {
        "case": case,
        "area": body_area(case),
        "content": selectors.case_content(request.user, case),
        "today": timezone.localdate(),
    }


@login_required
@require_GET
def case_detail(request: AuthedRequest, public_id) -> HttpResponse:
    """The case as a page: the organisation, then the body's current plan priorities in the
    plan's order with the evidence on each."""
    case = selectors.get_case_for_user(request.user, public_id)
    context = _context(request, case)
    context["can_change"] = selectors.can_change_case(request.user, case)
    context["breadcrumbs"] = crumbs(case_crumb(), _crumb(case, link=False))
    return render(request, "impact/case_detail.html", context)


@login_required
@require_GET
def case_pdf(request: AuthedRequest, public_id) -> HttpResponseBase:
    """The case as a PDF download; logged."""
    case = selectors.get_case_for_user(request.user, public_id)
    data = render_pdf("impact/case_pdf.html", _context(request, case))
    access_record_request(
        request,
        action=AccessAction.DOWNLOAD,
        object_type=OBJECT_TYPE,
        object_id=str(case.public_id),
        detail="PDF",
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(case)}"'
    return secure(response)


def _share_page(request: AuthedRequest, public_id, *, share: bool) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, public_id, write=True)
    body = case.body.organisation.name
    if request.method == "POST":
        if share:
            services.case_share(case=case, by=request.user)
            messages.success(request, _("The case is now shared with %(body)s.") % {"body": body})
        else:
            services.case_unshare(case=case, by=request.user)
            messages.success(
                request, _("The case is no longer shared with %(body)s.") % {"body": body}
            )
        return redirect("impact:case", public_id=case.public_id)
    if share:
        title = _("Share this impact case with %(body)s?") % {"body": body}
        text = _(
            "The members of %(body)s will read the case, with only the evidence you have "
            "shared with them. You can stop sharing it at any time."
        ) % {"body": body}
        button = _("Share the case")
    else:
        title = _("Stop sharing this impact case with %(body)s?") % {"body": body}
        text = _("The members of %(body)s will no longer read the case.") % {"body": body}
        button = _("Stop sharing")
    return confirm_page(
        request,
        title=title,
        caption=case.title,
        text=text,
        button=button,
        cancel=reverse("impact:case", args=[case.public_id]),
        breadcrumbs=crumbs(case_crumb(), _crumb(case), (button, None)),
    )


@login_required
@require_http_methods(GET_POST)
def case_share(request: AuthedRequest, public_id) -> HttpResponse:
    return _share_page(request, public_id, share=True)


@login_required
@require_http_methods(GET_POST)
def case_unshare(request: AuthedRequest, public_id) -> HttpResponse:
    return _share_page(request, public_id, share=False)


@login_required
@require_http_methods(GET_POST)
def case_delete(request: AuthedRequest, public_id) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, public_id, write=True)
    if request.method == "POST":
        services.case_delete(case=case, by=request.user)
        messages.success(
            request, _("The case “%(title)s” has been deleted.") % {"title": case.title}
        )
        return redirect("impact:case_list")
    return confirm_page(
        request,
        title=_("Delete this impact case?"),
        caption=case.title,
        text=_("The evidence it showed is kept. This cannot be undone."),
        button=_("Delete the case"),
        cancel=reverse("impact:case", args=[case.public_id]),
        breadcrumbs=crumbs(case_crumb(), _crumb(case), (_("Delete"), None)),
        warning=True,
    )
