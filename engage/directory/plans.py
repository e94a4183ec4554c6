"""Writes on a policing body's police and crime plan and its priorities (issue 10).

Every function is keyword-only and atomic. It checks who is acting (the rule
`directory.edit_body_publications` on the plan's body: PermissionDenied), then the state and
the input (ValidationError keyed by form field, nothing saved), and keeps each change in the
history, attributed to the person acting, with a short reason the plan page shows.

Decisions:
- A body has at most one current plan. The first is added; after that a new plan *replaces*
  the current one: the old plan keeps its priorities and is marked superseded (when, and by
  which plan), and stays readable as history. Its priorities may be copied into the new plan.
- Only the current plan and its priorities are edited; a superseded plan is read-only.
- The period ends on or after it starts; the link is https; the date published is not in the
  future; a priority has a title and an existing theme.
- Priorities are kept in order (`position` 1, 2, 3...): added at the end, moved up or down one
  place, and the rest closed up when one is removed.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from engage.accounts.models import User
from engage.core.services import as_history_user, lock, refresh, require, require_permission, save

from .checks import Errors, reason
from .models import PlanPriority, PolicePlan, PolicingBody, PriorityTheme

EDIT = "directory.edit_body_publications"
UP, DOWN = "up", "down"


def _plan_details(
    *,
    title: str,
    starts_on: date | None,
    ends_on: date | None,
    url: str = "",
    published_on: date | None = None,
) -> dict:
    errors = Errors()
    details = {
        "title": errors.text(
            title, "title", required=_("Enter the title of the plan"), max_length=200
        ),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "url": errors.link(url),
        "published_on": published_on,
    }
    errors.check(starts_on, "starts_on", _("Enter the date the plan period starts"))
    errors.check(ends_on, "ends_on", _("Enter the date the plan period ends"))
    errors.ordered(
        starts_on, ends_on, "ends_on", _("The plan period must end on or after the day it starts")
    )
    errors.not_future(
        published_on, "published_on", _("The date published must be today or in the past")
    )
    errors.raise_if_any()
    return details


def _current(plan: PolicePlan) -> PolicePlan:
    """`plan` locked and read afresh; refused if it has been replaced."""
    current = lock(plan)
    require(
        current.superseded_at is None,
        _("This plan has been replaced: an earlier plan cannot be changed."),
    )
    return current


def _copy_priorities(source: PolicePlan, target: PolicePlan, by: User) -> None:
    for position, priority in enumerate(
        PlanPriority.objects.filter(plan=source).order_by("position", "pk"), start=1
    ):
        copy = PlanPriority(
            plan=target,
            body_id=target.body_id,
            theme_id=priority.theme_id,
            title=priority.title,
            description=priority.description,
            position=position,
        )
        copy._change_reason = reason(_("Priority copied from the plan before"))  # type: ignore[attr-defined]
        save(copy, by, clean=False)


@transaction.atomic
def plan_create(
    *,
    body: PolicingBody,
    by: User,
    title: str,
    starts_on: date | None,
    ends_on: date | None,
    url: str = "",
    published_on: date | None = None,
    is_sample: bool = False,
) -> PolicePlan:
    """Add `body`'s first current plan (refused if it has one: replace it instead)."""
    require_permission(EDIT, by, body)
    details = _plan_details(
        title=title, starts_on=starts_on, ends_on=ends_on, url=url, published_on=published_on
    )
    lock(body)
    require(
        not PolicePlan.objects.current().filter(body=body).exists(),
        _("This body already has a current plan: replace it instead."),
    )
    plan = PolicePlan(body=body, created_by=by, is_sample=is_sample, **details)
    plan._change_reason = reason(_("Plan added"))  # type: ignore[attr-defined]
    save(plan, by)
    return plan


@transaction.atomic
def plan_update(
    *,
    plan: PolicePlan,
    by: User,
    title: str,
    starts_on: date | None,
    ends_on: date | None,
    url: str = "",
    published_on: date | None = None,
) -> PolicePlan:
    """Change the current plan's title, period, link or date published."""
    require_permission(EDIT, by, plan.body)
    details = _plan_details(
        title=title, starts_on=starts_on, ends_on=ends_on, url=url, published_on=published_on
    )
    current = _current(plan)
    for name, value in details.items():
        setattr(current, name, value)
    current._change_reason = reason(_("Plan details changed"))  # type: ignore[attr-defined]
    save(current, by, details.keys())
    return refresh(plan, current)


@transaction.atomic
def plan_replace(
    *,
    plan: PolicePlan,
    by: User,
    title: str,
    starts_on: date | None,
    ends_on: date | None,
    url: str = "",
    published_on: date | None = None,
    copy_priorities: bool = False,
    is_sample: bool = False,
) -> PolicePlan:
    """Replace the current `plan` with a new one: the old keeps its priorities and becomes
    history (`superseded_at`, `superseded_by`). With `copy_priorities`, the new plan starts
    from copies of the old plan's priorities, in the same order."""
    require_permission(EDIT, by, plan.body)
    details = _plan_details(
        title=title, starts_on=starts_on, ends_on=ends_on, url=url, published_on=published_on
    )
    old = _current(plan)
    old.superseded_at = timezone.now()
    as_history_user(old, by)
    old.save(update_fields=["superseded_at"])  # the reason is on the next record
    new = PolicePlan(body_id=old.body_id, created_by=by, is_sample=is_sample, **details)
    new._change_reason = reason(_("Plan added, replacing %(old)s") % {"old": old.title})  # type: ignore[attr-defined]
    save(new, by)
    old.superseded_by = new
    old._change_reason = reason(_("Plan replaced by %(new)s") % {"new": new.title})  # type: ignore[attr-defined]
    save(old, by, ["superseded_by"], clean=False)
    if copy_priorities:
        _copy_priorities(old, new, by)
    refresh(plan, old)
    return new


# Priorities -----------------------------------------------------------------------------


def _priority_details(*, title: str, theme: PriorityTheme | None, description: str) -> dict:
    errors = Errors()
    details = {
        "title": errors.text(title, "title", required=_("Enter the priority"), max_length=200),
        "description": errors.text(description, "description", required=None, max_length=5000),
        "theme": theme,
    }
    errors.check(
        theme is not None and PriorityTheme.objects.filter(pk=theme.pk).exists(),
        "theme",
        _("Choose a theme from the list"),
    )
    errors.raise_if_any()
    return details


def _in_order(plan: PolicePlan) -> list[PlanPriority]:
    """The plan's priorities in order, locked."""
    return list(
        PlanPriority.objects.select_for_update().filter(plan=plan).order_by("position", "pk")
    )


def _renumber(rows: list[PlanPriority], by: User, moved: PlanPriority | None = None) -> None:
    """Save positions 1, 2, 3... in the order of `rows` (only the rows whose place changed)."""
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            if row is moved:  # the others only close up: their records carry no reason
                row._change_reason = reason(_("Priority moved: %(title)s") % {"title": row.title})  # type: ignore[attr-defined]
            save(row, by, ["position"], clean=False)


@transaction.atomic
def priority_add(
    *,
    plan: PolicePlan,
    by: User,
    title: str,
    theme: PriorityTheme | None,
    description: str = "",
) -> PlanPriority:
    """Add a priority at the end of the current plan."""
    require_permission(EDIT, by, plan.body)
    details = _priority_details(title=title, theme=theme, description=description)
    current = _current(plan)
    rows = _in_order(current)
    priority = PlanPriority(
        plan=current, body_id=current.body_id, position=len(rows) + 1, **details
    )
    priority._change_reason = reason(_("Priority added: %(title)s") % {"title": priority.title})  # type: ignore[attr-defined]
    save(priority, by)
    return priority


def _current_priority(priority: PlanPriority) -> tuple[PlanPriority, PolicePlan]:
    plan = _current(priority.plan)
    current = PlanPriority.objects.select_for_update().filter(pk=priority.pk).first()
    if current is None:
        raise ValidationError(_("That priority is no longer in the plan."))
    return current, plan


@transaction.atomic
def priority_update(
    *,
    priority: PlanPriority,
    by: User,
    title: str,
    theme: PriorityTheme | None,
    description: str = "",
) -> PlanPriority:
    """Change a priority of the current plan: its title, theme and description."""
    require_permission(EDIT, by, priority.body)
    details = _priority_details(title=title, theme=theme, description=description)
    current, _plan = _current_priority(priority)
    for name, value in details.items():
        setattr(current, name, value)
    current._change_reason = reason(_("Priority changed: %(title)s") % {"title": current.title})  # type: ignore[attr-defined]
    save(current, by, details.keys())
    return refresh(priority, current)


@transaction.atomic
def priority_move(*, priority: PlanPriority, by: User, direction: str) -> None:
    """Move a priority of the current plan one place up or down."""
    require_permission(EDIT, by, priority.body)
    require(direction in (UP, DOWN), _("Choose to move the priority up or down."))
    current, plan = _current_priority(priority)
    rows = _in_order(plan)
    index = next(i for i, row in enumerate(rows) if row.pk == current.pk)
    other = index - 1 if direction == UP else index + 1
    require(
        0 <= other < len(rows),
        _("That priority is already first.")
        if direction == UP
        else _("That priority is already last."),
    )
    rows[index], rows[other] = rows[other], rows[index]
    _renumber(rows, by, moved=rows[other])


@transaction.atomic
def priority_remove(*, priority: PlanPriority, by: User) -> None:
    """Take a priority out of the current plan; the ones after it move up."""
    require_permission(EDIT, by, priority.body)
    current, plan = _current_priority(priority)
    current._change_reason = reason(_("Priority removed: %(title)s") % {"title": current.title})  # type: ignore[attr-defined]
    as_history_user(current, by)
    try:
        with transaction.atomic():
            current.delete()
    except ProtectedError:
        # Rows of other apps (impact evidence) refer to it and are protected: the directory
        # names no app of the sector, it only learns that something refers to the priority.
        raise ValidationError(
            _(
                "This priority cannot be removed: impact evidence from the voluntary sector "
                "refers to it. To change the plan's priorities, replace the plan; the current "
                "one stays on record with its priorities."
            ),
            code="priority_in_use",
        ) from None
    _renumber(_in_order(plan), by)
