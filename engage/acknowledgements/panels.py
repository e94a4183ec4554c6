"""The acknowledgements section of the engagement page (registered in
`AcknowledgementsConfig.ready`; engage/core/panels.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from engage.core.panels import Action, Panel
from engage.core.types import AuthedRequest
from engage.engagements.models import Engagement

from .forms import AcknowledgeForm
from .selectors import acknowledgement_panel


def engagement_panel(
    request: AuthedRequest, engagement: Engagement, *, reads: bool
) -> Panel | None:
    """For a body addressed: the button, or who acknowledged and when. For the owning
    organisation and the APCC: how many have, and the link to the table."""
    if not reads:
        return None
    panel = acknowledgement_panel(request.user, engagement, request.membership or None)
    if panel is None:
        return None
    actions: tuple[Action, ...] = ()
    if panel.sees_table:
        actions = (
            Action(
                _("See which bodies have acknowledged"),
                reverse("acknowledgements:table", args=[engagement.public_id]),
            ),
        )
    return Panel(
        template="acknowledgements/_panel.html",
        context={**vars(panel), "form": AcknowledgeForm()},
        actions=actions,
    )
