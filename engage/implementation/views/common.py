"""What the implementation pages share: logging a view of an agreement, breadcrumbs, going
back to the agreement with the service's refusal."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from engage.audit.models import AccessAction
from engage.audit.services import access_record_request
from engage.core.types import AuthedRequest

from ..models import LOG_AGREEMENT, ImplementationAgreement

GET_POST = require_http_methods(["GET", "POST"])


def _log(request: AuthedRequest, agreement: ImplementationAgreement, detail: str = "") -> None:
    access_record_request(
        request,
        action=AccessAction.VIEW,
        object_type=LOG_AGREEMENT,
        object_id=str(agreement.public_id),
        label=agreement.label,
        detail=detail,
        confidential_to=agreement.policy.log_confidential_to,
    )


def _crumbs(agreement: ImplementationAgreement | None, *trail) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [(_("Inbox"), reverse("engagements:inbox"))]
    if agreement is not None:
        crumbs.append(
            (
                _("Role for %(body)s") % {"body": agreement.body.organisation.name},
                reverse("implementation:detail", args=[agreement.public_id]),
            )
        )
    crumbs.extend(trail)
    return crumbs


def _back(agreement: ImplementationAgreement):
    return redirect("implementation:detail", public_id=agreement.public_id)


def _refuse(request: AuthedRequest, agreement: ImplementationAgreement, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)
    return _back(agreement)


def _membership(request: AuthedRequest):
    return request.membership or None
