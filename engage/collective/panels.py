"""The collective view's section on the engagement page (engage.core.panels): its status and
a link for those who read it, and the actions ("Draft the collective view", "Sign off for
...") for those who may take them. Nothing, and no query, on engagements that cannot have a
view; otherwise one query (the view), and two more for a group lead while it waits for
sign-off."""

import rules
from django.urls import reverse
from django.utils.translation import gettext as _

from engage.accounts.viewer import Viewer
from engage.core.panels import Action, Panel
from engage.engagements.models import LIVE, Engagement, Route

from . import selectors
from .models import CollectiveView, ViewStatus


def _may_have_view(engagement: Engagement) -> bool:
    return (
        engagement.asks_response
        and engagement.status in LIVE
        and engagement.route in (Route.STANDING_GROUPS, Route.ALL_BODIES)
    )


def engagement_panel(request, engagement: Engagement, reads: bool) -> Panel | None:
    if not reads or not _may_have_view(engagement):
        return None
    user = request.user
    view = CollectiveView.objects.readable_on(engagement, user).select_related("updated_by").first()
    drafts = rules.has_perm(selectors.DRAFT, user)
    actions: list[Action] = []
    url = reverse("collective:detail", args=[engagement.public_id])
    if view is None:
        if not drafts:
            return None
        actions.append(
            Action(
                _("Draft the collective view"),
                reverse("collective:start", args=[engagement.public_id]),
            )
        )
    elif view.status == ViewStatus.WITH_LEADS and Viewer.of(user).led_group_ids:
        for sign_off in selectors.sign_offs_for(view):
            if rules.has_perm(selectors.SIGN_OFF, user, sign_off) and not sign_off.is_current(view):
                actions.append(
                    Action(
                        _("Sign off the collective view for %(group)s")
                        % {"group": sign_off.group.name},
                        reverse(
                            "collective:sign", args=[engagement.public_id, sign_off.group.slug]
                        ),
                    )
                )
    return Panel(
        template="collective/_panel.html",
        context={"view": view, "url": url, "can_draft": drafts},
        actions=tuple(actions),
    )
