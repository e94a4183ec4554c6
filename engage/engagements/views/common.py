"""What every engagement page shares."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from engage.core.types import AuthedRequest

from ..access_log import log_engagement_view
from ..models import Engagement

GET_POST = require_http_methods(["GET", "POST"])


def _refuse(request: AuthedRequest, engagement: Engagement, exc: ValidationError) -> HttpResponse:
    """A refused action: say why on the engagement page. Nothing has changed."""
    for message in exc.messages:
        messages.error(request, message)
    return redirect("engagements:detail", public_id=engagement.public_id)


def _refusal(
    request: AuthedRequest, engagement: Engagement, check: Callable[[Engagement], object]
) -> HttpResponse | None:
    """If the service would refuse the action on the engagement as it stands (`check` is the
    service's own check, in its words), say why on the engagement page instead of offering
    the action; None if it would not. The service checks again when the action is taken."""
    try:
        check(engagement)
    except ValidationError as exc:
        return _refuse(request, engagement, exc)
    return None


def log_view(request: AuthedRequest, engagement: Engagement) -> None:
    """Record that this person was shown the engagement's labelled content: every page that
    shows it (its title and summary at least) is logged, its page and the draft's, routing
    and release pages alike (DESIGN.md section 6)."""
    log_engagement_view(request, engagement)
