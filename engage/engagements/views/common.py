"""What every engagement page shares."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from engage.core.types import AuthedRequest

from ..models import Engagement

GET_POST = require_http_methods(["GET", "POST"])


def _refuse(request: AuthedRequest, engagement: Engagement, exc: ValidationError) -> HttpResponse:
    """A refused action: say why on the engagement page. Nothing has changed."""
    for message in exc.messages:
        messages.error(request, message)
    return redirect("engagements:detail", public_id=engagement.public_id)
