"""The dissemination section of the engagement page and the links on the inbox (registered in
`DisseminationConfig.ready`; engage/core/panels.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from engage.core.panels import Action, Panel
from engage.core.types import AuthedRequest
from engage.engagements.models import Engagement
from engage.engagements.selectors import BODY, OWNER, responds

from .selectors import bodies_overdue, dissemination_panel, waiting_for_body


def engagement_panel(
    request: AuthedRequest, engagement: Engagement, *, reads: bool
) -> Panel | None:
    """For the owning organisation and the APCC: the requests with how many bodies stand
    where, and the link to ask; for a body asked: where it stands. At most one query."""
    if not reads:
        return None
    panel = dissemination_panel(request.user, engagement)
    if panel is None:
        return None
    actions: tuple[Action, ...] = ()
    if panel.can_ask:
        actions = (
            Action(
                _("Ask bodies to communicate this locally"),
                reverse("dissemination:create", args=[engagement.public_id]),
            ),
        )
    return Panel(template="dissemination/_panel.html", context=vars(panel), actions=actions)


def inbox_panel(request: AuthedRequest, _page: None, *, mode: str) -> Panel | None:
    """On a body's inbox: what it is asked to communicate and has not answered (how many
    overdue); on the owner's: how many bodies are overdue. One query."""
    membership = request.membership or None
    if membership is None:
        return None
    if mode == BODY and responds(membership):
        counts = waiting_for_body(request.user, membership.organisation_id)
        text = _("Dissemination asked of your body: %(count)s to confirm (%(overdue)s overdue)") % {
            "count": counts["waiting"],
            "overdue": counts["overdue"],
        }
        url = reverse("dissemination:asked")
    elif mode == OWNER:
        count = bodies_overdue(request.user, membership)
        text = _("Dissemination: %(count)s bodies overdue") % {"count": count}
        url = reverse("dissemination:made") + "?overdue=1"
    else:
        return None
    return Panel(actions=(Action(text, url),))
