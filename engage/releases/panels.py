"""The release requests section of the engagement page (engage.core.panels): for a member of a
policing body, the label in force for their body (a grant widens it) and their requests; for
the owning organisation and the APCC secretariat, the requests about the engagement. Two
queries at most, whatever the number of requests."""

import rules
from django.urls import reverse
from django.utils.translation import gettext as _

from engage.accounts.models import OrganisationKind
from engage.accounts.viewer import Viewer
from engage.core.labels import Label
from engage.core.panels import Action, Panel
from engage.engagements.models import Status
from engage.engagements.selectors import BODY, OWNER

from .labels import engagement_label_for
from .models import Decision
from .selectors import PANEL_ROWS, requests_on_engagement
from .services import DECIDE


def engagement_panel(request, engagement, *, reads: bool) -> Panel | None:
    if not reads:
        return None
    user = request.user
    membership = getattr(request, "membership", None) or None
    organisation = membership.organisation if membership else None
    in_body = organisation is not None and organisation.kind == OrganisationKind.POLICING_BODY
    rows = requests_on_engagement(user, engagement)
    body_label = engagement_label_for(engagement, organisation) if in_body else None
    actions: list[Action] = []
    can_decide = rules.has_perm(DECIDE, user, engagement)
    if in_body and engagement.status == Status.OPEN and engagement.label != Label.RED:
        actions.append(
            Action(
                _("Ask to share this engagement further"),
                reverse("releases:ask_engagement", args=[engagement.public_id]),
            )
        )
    if can_decide and rows:
        actions.append(
            Action(
                _("Answer release requests"),
                f"{reverse('releases:incoming')}?engagement={engagement.public_id}",
            )
        )
    widened = body_label is not None and body_label.widened
    if not rows and not widened and not actions:
        return None
    return Panel(
        template="releases/_panel.html",
        context={
            "rows": rows,
            "more": len(rows) == PANEL_ROWS,
            "pending": sum(1 for row in rows if row.decision == Decision.PENDING),
            "body_label": body_label if widened else None,
            "can_decide": can_decide,
            "in_body": in_body,
            "list_url": _list_url(engagement, can_decide=can_decide, in_body=in_body),
        },
        actions=tuple(actions),
    )


def _list_url(engagement, *, can_decide: bool, in_body: bool) -> str:
    """The full list of the engagement's requests for this person: the lead's, the body's, or
    none (the APCC secretariat sees them here only)."""
    if can_decide:
        return f"{reverse('releases:incoming')}?engagement={engagement.public_id}"
    if in_body:
        return f"{reverse('releases:ours')}?engagement={engagement.public_id}"
    return ""


def inbox_panel(request, _page: None, *, mode: str) -> Panel | None:
    """On the inbox: where the requests to share further are. A policy lead decides them; a
    body asks them. No count: counting them through `visible_to` (which settles, per request,
    whether its document is read) would cost the inbox more than the link is worth; the list
    puts those waiting first."""
    membership = getattr(request, "membership", None) or None
    if membership is None:
        return None
    if mode == OWNER and Viewer.of(request.user).lead_of:
        return Panel(
            actions=(Action(_("Requests to share further"), reverse("releases:incoming")),)
        )
    if mode == BODY and membership.organisation.kind == OrganisationKind.POLICING_BODY:
        return Panel(
            actions=(Action(_("Your requests to share further"), reverse("releases:ours")),)
        )
    return None
