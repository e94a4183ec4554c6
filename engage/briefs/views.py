"""The brief on a policing body: the page, its PDF, and the index of briefs. Thin: reads through
`selectors` (each starting from `visible_to`); the brief writes nothing."""

import rules
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from engage.core.files import secure
from engage.core.pdf import render_pdf
from engage.core.types import AuthedRequest
from engage.directory.forms import BodyFilterForm
from engage.directory.selectors import policing_bodies_for_user, regions_for_user

from . import selectors


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Home"), reverse("core:home")), *items]


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    """Every policing body with a link to its brief (search, filter by region and type), the
    areas the organisation acted for serves first."""
    form = BodyFilterForm(request.GET, regions=regions_for_user(request.user))
    form.is_valid()
    return render(
        request,
        "briefs/index.html",
        {
            "form": form,
            "filtered": form.is_filtered(),
            "bodies": list(policing_bodies_for_user(request.user, **form.filters())),
            "own_areas": selectors.own_areas(request.user, request.membership or None),
            "breadcrumbs": _crumbs((_("Briefs on policing bodies"), None)),
        },
    )


def _context(request: AuthedRequest, slug: str) -> dict:
    body = selectors.get_body_for_user(request.user, slug)
    return {
        "body": body,
        "brief": selectors.body_brief(request.user, body),
        "can_add": rules.has_perm("briefs.add_to_brief", request.user, body),
    }


@login_required
@require_GET
def brief(request: AuthedRequest, slug: str) -> HttpResponse:
    context = _context(request, slug)
    body = context["body"]
    context["breadcrumbs"] = _crumbs(
        (_("Briefs on policing bodies"), reverse("briefs:index")), (body.organisation.name, None)
    )
    return render(request, "briefs/brief.html", context)


@login_required
@require_GET
def pdf(request: AuthedRequest, slug: str) -> HttpResponse:
    """The same brief as a PDF download, from its own print template (nothing fetched)."""
    context = _context(request, slug)
    data = render_pdf("briefs/brief_pdf.html", context)
    response = HttpResponse(data, content_type="application/pdf")
    filename = selectors.brief_filename(context["body"], context["brief"].today)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    secure(response)
    return response
