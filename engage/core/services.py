"""The steps every app's services share: lock a row and read it afresh, copy what was stored
back onto the caller's instance, save only the fields a write changes (with who made it), and
refuse with the service's own error when a condition fails.

One copy here, not one per app: a write that locks, saves or refuses differently from its
neighbours is where a bug hides. Each app's services import these; `core` imports no app.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

if TYPE_CHECKING:
    from engage.accounts.models import User


def lock[M: models.Model](instance: M, *related: str) -> M:
    """`instance`'s row, locked for the rest of the transaction and read afresh, with
    `related` joined: every write starts from what is stored, not from what the caller
    happened to load, and two writes to one row run one after the other. Only this row is
    locked, not the rows joined."""
    rows = type(instance)._default_manager.select_for_update(of=("self",))
    if related:  # select_related() with no names would join every foreign key
        rows = rows.select_related(*related)
    return rows.get(pk=instance.pk)


def refresh[M: models.Model](target: M, source: M) -> M:
    """Copy the stored values of `source` (the locked, written row) onto `target` (the
    caller's instance), so the caller sees what was saved rather than what it passed in."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    return target


def as_history_user(instance: models.Model, by: "User") -> None:
    """Attribute the history record of `instance`'s next save or delete to `by`, even outside
    a web request (tasks, commands, tests)."""
    instance._history_user = by  # type: ignore[attr-defined]


def save(
    instance: models.Model,
    by: "User",
    fields: Iterable[str] | None = None,
    *,
    updated_at: datetime | None = None,
    clean: bool = True,
) -> None:
    """Validate `instance` (`full_clean`, unless `clean` is False), attribute its history
    record to `by`, and save it: only `fields` when given, so a write never overwrites a
    column it did not mean to change. With `updated_at`, the record's `updated_at` is set to
    it and saved too (for the models that show when they last changed)."""
    names = None if fields is None else list(fields)
    if updated_at is not None:
        instance.updated_at = updated_at  # type: ignore[attr-defined]
        if names is not None:
            names.append("updated_at")
    if clean:
        instance.full_clean()
    as_history_user(instance, by)
    instance.save(update_fields=names)


def require_permission(perm: str, user: "User", obj: Any = None) -> None:
    """Refuse (PermissionDenied, a 403) unless `user` has `perm` on `obj`. Through
    `rules.has_perm`, not `user.has_perm`: a superuser gets no way round the rules."""
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied


def require(condition: object, message: str, *, field: str | None = None) -> None:
    """Refuse (ValidationError with `message`, keyed by `field` when there is one, so the
    page shows it by that field) unless `condition` holds."""
    if not condition:
        raise ValidationError({field: message} if field else message)


def required_text(value: str | None, field: str, message: str) -> str:
    """`value` without surrounding spaces; refused with `message` (at `field`) if that
    leaves nothing."""
    text = (value or "").strip()
    require(text, message, field=field)
    return text
