"""The protocol review's timing figures (issue 8, point 6): aggregates only."""

import datetime

import rules
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from engage.core.types import AuthedRequest

from ..forms import TimingReviewForm
from ..navigation import engagement_crumbs
from ..review import REVIEW, review_owners, timing_figures
from ..services.timing import change_notice_days, min_response_days

# The period shown first: the last twelve months.
DEFAULT_DAYS = 365


@login_required
@require_GET
def review_timing(request: AuthedRequest) -> HttpResponse:
    # 404, not 403: to anyone else the page does not exist (DESIGN.md section 6).
    if not rules.has_perm(REVIEW, request.user):
        raise Http404
    today = timezone.localdate()
    owners = review_owners(request.user)
    if any(name.startswith(("start", "end", "owner")) for name in request.GET):
        form = TimingReviewForm(request.GET, owners=owners)
    else:
        form = TimingReviewForm(
            {
                **_date_data("start", today - datetime.timedelta(days=DEFAULT_DAYS)),
                **_date_data("end", today),
            },
            owners=owners,
        )
    figures = None
    if form.is_valid():
        figures = timing_figures(
            request.user,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            owner=form.cleaned_data["owner"],
        )
    return render(
        request,
        "engagements/review_timing.html",
        {
            "form": form,
            "figures": figures,
            "min_response_days": min_response_days(),
            "change_notice_days": change_notice_days(),
            "breadcrumbs": engagement_crumbs(None, (_("Protocol review: timing"), None)),
        },
    )


def _date_data(name: str, value: datetime.date) -> dict[str, str]:
    return {
        f"{name}_0": str(value.day),
        f"{name}_1": str(value.month),
        f"{name}_2": str(value.year),
    }
