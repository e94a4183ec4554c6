"""The lead's status map: each force area shaded by its body's agreement on the policy
(engage/directory/maps.py). The status page shows the same facts in its table."""

from django.urls import reverse
from django.utils.translation import gettext as _

from engage.directory.maps import MapKey, StatusMap, status_map

from .models import Summary
from .selectors import NOT_ASKED, StatusTable


def keys() -> list[MapKey]:
    """The map's keys, worst first; several summaries share one (the table tells them apart).
    Built per request, in the language of the page."""
    return [
        MapKey("overdue", _("Overdue"), "overdue"),
        MapKey("at_risk", _("At risk"), "risk"),
        MapKey("waiting", _("Proposed, not yet agreed"), "info"),
        MapKey("on_track", _("Agreed: on track, not started or no milestones"), "due"),
        MapKey("done", _("All milestones done"), "done"),
        MapKey("declined", _("Declined or withdrawn"), "declined"),
        MapKey(NOT_ASKED, _("Not asked"), "none"),
    ]


KEY_OF = {
    Summary.OVERDUE: "overdue",
    Summary.AT_RISK: "at_risk",
    Summary.PROPOSED: "waiting",
    Summary.CHANGES_PROPOSED: "waiting",
    Summary.ON_TRACK: "on_track",
    Summary.NOT_STARTED: "on_track",
    Summary.NO_MILESTONES: "on_track",
    Summary.DONE: "done",
    Summary.DECLINED: "declined",
    Summary.WITHDRAWN: "declined",
    NOT_ASKED: NOT_ASKED,
}


def status_map_for(table: StatusTable) -> StatusMap:
    """The map of every body's status (all of them, whatever the table's filter): one
    query."""
    statuses = {}
    links = {}
    for row in table.all_rows:
        statuses[row.body.pk] = KEY_OF[row.summary]
        if row.agreement is not None:
            links[row.body.pk] = reverse("implementation:detail", args=[row.agreement.public_id])
    return status_map(statuses, keys(), default=NOT_ASKED, link=lambda body: links.get(body.pk))
