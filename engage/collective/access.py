"""Who reads a collective view (DESIGN.md section 6), composed from the one audience decider
(`engage.engagements.audience`, ADR 0012): nobody reads a view of an engagement they do not
read, so TLP:RED content never reaches a secretariat member who is not named on it.

- a draft (or one with the group leads) is read by the APCC secretariat and the members of
  the bodies that lead the engagement's routed standing groups;
- a submitted view also by the engagement's other parties who read it: its owning
  organisation and its audience (the bodies addressed, under the engagement's label); not by
  those who reach the engagement only because it was released to TLP:GREEN or TLP:CLEAR (the
  view carries the bodies' own words, which that release does not widen).
"""

from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q

from engage.accounts.viewer import Viewer
from engage.engagements.audience import NOTHING, engagement_party_read, engagement_read, reads
from engage.engagements.models import Engagement

from .models import ViewStatus


def _drafters(viewer: Viewer) -> Q:
    parts: list[Q] = []
    if viewer.is_secretariat:
        parts.append(Q(pk__isnull=False))
    if viewer.led_group_ids:
        # The record's own narrowing: the view's engagement is routed to a group the
        # person's body leads.
        parts.append(
            Q(
                Exists(
                    Engagement.objects.filter(
                        pk=OuterRef("engagement_id"), routed_groups__in=viewer.led_group_ids
                    )
                )
            )
        )
    return reduce(or_, parts) if parts else NOTHING


def draft_read(user) -> Q:
    """On `CollectiveView`: the person drafts or signs it (whatever its status)."""
    viewer = Viewer.of(user)
    if not viewer.signed_in:
        return NOTHING
    drafters = _drafters(viewer)
    if drafters is NOTHING:
        return NOTHING
    return engagement_read(viewer, "engagement__") & drafters


def view_read(user, *, on: Engagement | None = None) -> Q:
    """On `CollectiveView`: the person reads it (module docstring). With `on`, the view of
    that one engagement (its page): whether the person reads the engagement is settled once
    (`audience.reads`) instead of in the query."""
    viewer = Viewer.of(user)
    if not viewer.signed_in:
        return NOTHING
    drafters = _drafters(viewer)
    submitted = Q(status=ViewStatus.SUBMITTED) & engagement_party_read(
        viewer, "engagement__", on=on
    )
    if drafters is NOTHING:
        return submitted
    if on is not None:
        drafts = Q(engagement_id=on.pk) & drafters if reads(viewer, on) else NOTHING
    else:
        drafts = engagement_read(viewer, "engagement__") & drafters
    return submitted | drafts
