"""The clarifications section of the engagement page and the "ask" link on a document page
(registered in `ClarificationsConfig.ready`; engage/core/panels.py)."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from engage.accounts.viewer import Viewer
from engage.core.panels import Action, Panel
from engage.core.types import AuthedRequest
from engage.documents.models import Document
from engage.engagements.models import Engagement
from engage.engagements.selectors import APCC_QUEUE, BODY, OWNER

from .models import ClarificationRequest
from .selectors import OPEN, clarification_panel, received
from .services import clarification_ask_check


def engagement_panel(
    request: AuthedRequest, engagement: Engagement, *, reads: bool
) -> Panel | None:
    """Published questions and answers for everyone who reads the engagement; the requests
    the person reads (counted); the ask link for a body that may ask. At most three queries."""
    if not reads:
        return None
    panel = clarification_panel(request.user, engagement, request.membership or None)
    if not (panel.published or panel.can_ask or panel.total):
        return None
    actions = []
    if panel.can_ask:
        actions.append(
            Action(
                _("Ask the policy lead a question"),
                reverse("clarifications:ask", args=[engagement.public_id]),
            )
        )
    return Panel(template="clarifications/_panel.html", context=vars(panel), actions=tuple(actions))


def document_panel(request: AuthedRequest, document: Document) -> Panel | None:
    """On a document page: the link to ask about this document, for a body that may ask."""
    membership = request.membership or None
    if membership is None or membership.organisation_id not in (
        Viewer.of(request.user).body_organisation_ids
    ):
        return None
    try:
        clarification_ask_check(document.engagement, membership, request.user)
    except ValidationError:
        return None
    url = reverse("clarifications:ask", args=[document.engagement.public_id])
    return Panel(
        actions=(
            Action(
                _("Ask the policy lead about this document"),
                f"{url}?document={document.public_id}",
            ),
        )
    )


def inbox_panel(request: AuthedRequest, _page: None, *, mode: str) -> Panel | None:
    """On the inbox: where the questions are, with how many wait for an answer (one query).
    The owning organisation and the APCC answer them; a body asks them."""
    membership = request.membership or None
    if membership is None:
        return None
    if mode in (OWNER, APCC_QUEUE):
        waiting = received(request.user, membership, state=OPEN).count()
        text = ngettext(
            "Questions from policing bodies: %(count)s waiting for an answer",
            "Questions from policing bodies: %(count)s waiting for an answer",
            waiting,
        )
        url = reverse("clarifications:received")
    elif mode == BODY:
        waiting = (
            ClarificationRequest.objects.visible_to(request.user)
            .filter(body__organisation_id=membership.organisation_id)
            .open()
            .count()
        )
        text = ngettext(
            "Your body's questions to policy leads: %(count)s waiting for an answer",
            "Your body's questions to policy leads: %(count)s waiting for an answer",
            waiting,
        )
        url = reverse("clarifications:asked")
    else:
        return None
    return Panel(actions=(Action(text % {"count": waiting}, url),))
