"""Writes on what a policing body publishes for the voluntary sector (issue 10): who is
involved in decisions (contacts), what it commissions and funds (with funding rounds), its
routes for engagement, and its key dates.

Every function is keyword-only and atomic; it checks who is acting (the rule
`directory.edit_body_publications` on the body: PermissionDenied), then the input
(ValidationError keyed by form field, nothing saved), and keeps the change in the history,
attributed to the person acting. Links are https; a funding round closes on or after it
opens. `*_save` adds a row when given none, and changes the row it is given otherwise.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from engage.accounts.models import User
from engage.core.services import as_history_user, lock, refresh, require_permission, save

from .checks import Errors
from .models import (
    BodyContact,
    Commissioning,
    CommissioningKind,
    ContactRole,
    EngagementRoute,
    KeyDate,
    PolicingBody,
    RouteKind,
)

EDIT = "directory.edit_body_publications"

Published = BodyContact | Commissioning | EngagementRoute | KeyDate


def _write[M: Published](
    model: type[M], body: PolicingBody, row: M | None, by: User, details: dict
) -> M:
    """Add a row of `model` for `body` (row None) or change `row`, with `details`."""
    if row is None:
        if model is BodyContact:
            last = BodyContact.objects.filter(body=body).order_by("-position").first()
            details["position"] = (last.position if last else 0) + 1
        new = model(body=body, **details)
        save(new, by)
        return new
    if row.body_id != body.pk:
        raise ValidationError(_("That entry belongs to another body."))
    current = type(row)._default_manager.select_for_update().filter(pk=row.pk).first()
    if current is None:
        raise ValidationError(_("That entry has been removed."))
    for name, value in details.items():
        setattr(current, name, value)
    save(current, by, details.keys())
    refresh(row, current)
    return row


@transaction.atomic
def contact_save(
    *,
    body: PolicingBody,
    by: User,
    contact: BodyContact | None = None,
    role: str,
    name: str,
    remit: str = "",
    contact_route: str = "",
) -> BodyContact:
    """A person involved in the body's decisions, with the contact route it publishes."""
    require_permission(EDIT, by, body)
    errors = Errors()
    details = {
        "role": errors.choice(role, "role", ContactRole),
        "name": errors.text(name, "name", required=_("Enter the person's name"), max_length=200),
        "remit": errors.text(remit, "remit", required=None, max_length=300),
        "contact_route": errors.text(contact_route, "contact_route", required=None, max_length=300),
    }
    errors.raise_if_any()
    lock(body)
    return _write(BodyContact, body, contact, by, details)


@transaction.atomic
def commissioning_save(
    *,
    body: PolicingBody,
    by: User,
    commissioning: Commissioning | None = None,
    kind: str,
    title: str,
    description: str = "",
    url: str = "",
    opens_on: date | None = None,
    closes_on: date | None = None,
) -> Commissioning:
    """Something the body commissions or funds, with its funding round's dates if any."""
    require_permission(EDIT, by, body)
    errors = Errors()
    details = {
        "kind": errors.choice(kind, "kind", CommissioningKind),
        "title": errors.text(title, "title", required=_("Enter a title"), max_length=200),
        "description": errors.text(description, "description", required=None, max_length=5000),
        "url": errors.link(url),
        "opens_on": opens_on,
        "closes_on": closes_on,
    }
    errors.ordered(
        opens_on,
        closes_on,
        "closes_on",
        _("The funding round must close on or after the day it opens"),
    )
    errors.raise_if_any()
    lock(body)
    return _write(Commissioning, body, commissioning, by, details)


@transaction.atomic
def route_save(
    *,
    body: PolicingBody,
    by: User,
    route: EngagementRoute | None = None,
    kind: str,
    title: str,
    description: str = "",
    url: str = "",
    closes_on: date | None = None,
) -> EngagementRoute:
    """A way in for the voluntary sector: a forum, an advisory role, a consultation."""
    require_permission(EDIT, by, body)
    errors = Errors()
    details = {
        "kind": errors.choice(kind, "kind", RouteKind),
        "title": errors.text(title, "title", required=_("Enter a title"), max_length=200),
        "description": errors.text(description, "description", required=None, max_length=5000),
        "url": errors.link(url),
        "closes_on": closes_on,
    }
    errors.raise_if_any()
    lock(body)
    return _write(EngagementRoute, body, route, by, details)


@transaction.atomic
def key_date_save(
    *,
    body: PolicingBody,
    by: User,
    key_date: KeyDate | None = None,
    title: str,
    on: date | None,
    description: str = "",
) -> KeyDate:
    """A date in the body's year the sector should know."""
    require_permission(EDIT, by, body)
    errors = Errors()
    details = {
        "title": errors.text(title, "title", required=_("Enter what happens"), max_length=200),
        "on": on,
        "description": errors.text(description, "description", required=None, max_length=5000),
    }
    errors.check(on, "on", _("Enter the date"))
    errors.raise_if_any()
    lock(body)
    return _write(KeyDate, body, key_date, by, details)


@transaction.atomic
def published_remove(*, item: models.Model, by: User) -> None:
    """Remove a contact, commissioning entry, engagement route or key date of a body."""
    body = item.body  # type: ignore[attr-defined]
    require_permission(EDIT, by, body)
    current = type(item)._default_manager.select_for_update().filter(pk=item.pk).first()
    if current is None:
        raise ValidationError(_("That entry has already been removed."))
    as_history_user(current, by)
    current.delete()
