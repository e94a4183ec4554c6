"""Directory pages: open to every signed-in person (DESIGN.md section 6). Reads go through
`selectors`, each scoped with `visible_to(request.user)`."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors
from .forms import BodyFilterForm
from .geo import MAP_VIEWBOX


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
            "plan_priorities": list(selectors.body_plan_priorities(request.user, body)),
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
    return render(request, "directory/group_detail.html", {"group": group, "members": members})


@login_required
@require_GET
def force_map(request: HttpRequest) -> HttpResponse:
    areas = selectors.map_areas(request.user)
    return render(
        request,
        "directory/map.html",
        {"areas": areas, "legend": selectors.map_legend(areas), "viewbox": MAP_VIEWBOX},
    )
