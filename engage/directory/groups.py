"""Writes on standing-group membership: add a body, remove one, set the lead (one per group).

Each is kept in the membership's history (django-simple-history, attributed to the person
acting), which the group's page shows. Changing a group never changes the audience of
engagements already open: that was fixed when each opened (the engagements app's
`AudienceBody`); the APCC adds a body to an open engagement there, with a reason."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from engage.accounts.models import User
from engage.core.services import as_history_user, require_permission, save

from .models import GroupRole, PolicingBody, StandingGroup, StandingGroupMembership

MANAGE = "directory.manage_standing_groups"


def bodies_outside(group: StandingGroup):
    """The policing bodies not in `group`, by name (the choices for adding one)."""
    return (
        PolicingBody.objects.exclude(group_memberships__group=group)
        .select_related("organisation")
        .order_by("organisation__name")
    )


@transaction.atomic
def group_member_add(
    *, group: StandingGroup, body: PolicingBody, by: User
) -> StandingGroupMembership:
    """Add `body` to `group` as a member. Engagements already open keep their audience."""
    require_permission(MANAGE, by)
    StandingGroup.objects.select_for_update().get(pk=group.pk)
    if StandingGroupMembership.objects.filter(group=group, body=body).exists():
        raise ValidationError({"body": _("That body is already a member of this group")})
    membership = StandingGroupMembership(group=group, body=body, role=GroupRole.MEMBER)
    save(membership, by)
    return membership


@transaction.atomic
def group_member_remove(*, membership: StandingGroupMembership, by: User) -> None:
    """Take a body out of its group. Engagements it was sent keep it in their audience."""
    require_permission(MANAGE, by)
    current = StandingGroupMembership.objects.select_for_update().filter(pk=membership.pk).first()
    if current is None:
        raise ValidationError(_("That body is no longer a member of this group."))
    as_history_user(current, by)
    current.delete()


@transaction.atomic
def group_lead_set(*, group: StandingGroup, body: PolicingBody, by: User) -> None:
    """Make `body` (a member) the group's lead; the lead before becomes a member. One lead per
    group: leads read the submitted responses of engagements routed to their group."""
    require_permission(MANAGE, by)
    StandingGroup.objects.select_for_update().get(pk=group.pk)
    rows = list(StandingGroupMembership.objects.select_for_update().filter(group=group))
    chosen = next((row for row in rows if row.body_id == body.pk), None)
    if chosen is None:
        raise ValidationError({"body": _("Choose a member body of this group as its lead")})
    if chosen.role == GroupRole.LEAD:
        raise ValidationError({"body": _("That body already leads this group")})
    for row in rows:
        if row.role == GroupRole.LEAD:
            row.role = GroupRole.MEMBER
            save(row, by, ["role"])
    chosen.role = GroupRole.LEAD
    save(chosen, by, ["role"])
