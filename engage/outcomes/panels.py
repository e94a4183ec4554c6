"""The outcome's sections on the engagement page and the policy page (engage.core.panels):
those pages cannot import this app, so it registers these providers in `OutcomesConfig.ready`.
Each asks one query, whatever the data, and decides nothing about access itself: it reads
outcomes through `readable_on` / `visible_to`."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from engage.core.panels import Action, Panel
from engage.engagements.models import LIVE, Engagement, Status
from engage.policies.models import Policy

from . import selectors


def outcome_due(engagement: Engagement, published: bool) -> bool:
    """A closed engagement that asked for responses owes its audience an outcome until one is
    published (the inbox asks the same of many at once: engagements/selectors.py)."""
    return engagement.status == Status.CLOSED and engagement.asks_response and not published


def engagement_panel(request: HttpRequest, engagement: Engagement, reads: bool) -> Panel | None:
    """The published outcome for its readers; for the lead also the draft, "Outcome due" and
    what to do next. Nothing before the engagement reaches its audience."""
    if not reads or engagement.status not in LIVE:
        return None
    outcome = selectors.outcome_on(request.user, engagement)
    lead = selectors.can_record(request.user, engagement)
    if outcome is None and not lead:
        return None
    published = outcome is not None and outcome.is_published
    actions: list[Action] = []
    if lead and not engagement.policy.is_screened_out:
        record = reverse("outcomes:edit", args=[engagement.public_id])
        if outcome is None:
            actions.append(Action(_("Record the outcome"), record))
        elif not published:
            actions.append(Action(_("Change the outcome"), record))
            actions.append(
                Action(
                    _("Publish the outcome"),
                    reverse("outcomes:publish", args=[engagement.public_id]),
                )
            )
        else:
            actions.append(Action(_("Correct the published outcome"), record))
    return Panel(
        template="outcomes/_engagement_panel.html",
        context={
            "outcome": outcome,
            "lead": lead,
            "due": lead and outcome_due(engagement, published),
            "actions": actions,
        },
        actions=tuple(actions),
    )


def policy_panel(request: HttpRequest, policy: Policy) -> Panel | None:
    """The outcomes of the policy's engagements the person reads: published ones, and drafts
    for the owning organisation."""
    outcomes = list(selectors.outcomes_on_policy(request.user, policy))
    if not outcomes:
        return None
    return Panel(template="outcomes/_policy_panel.html", context={"outcomes": outcomes})
