"""Who each kind of event tells, registered by the app that emits it.

Notifications sit below the domain apps and cannot import them; like engage/core/panels.py,
each emitting app registers, in its `AppConfig.ready`, a recipients provider per kind:
`register(EventKind.X, recipients=provider)`. The delivery task (`tasks.deliver_event`) calls
`provider(event)` when it runs, not when the event is recorded, so a person who can no longer
see the item (a membership ended, the item withdrawn) is not told.

A provider decides nothing about access itself: it finds the item by `event.subject_id` and
returns the people who may see it now through the existing decider (for an engagement,
`engage.engagements.audience.audience_members`), as a QuerySet of users, set-based, in a fixed
number of queries whatever the number of people. The task keeps active people only and leaves
out the actor.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

if TYPE_CHECKING:
    from engage.accounts.models import User

    from .models import Event

Recipients = Callable[["Event"], "QuerySet[User, Any]"]

_providers: dict[str, Recipients] = {}


def register(kind: str, *, recipients: Recipients) -> None:
    """Tell the people `recipients(event)` returns of each event of `kind` (the last
    registration of a kind wins, so a second `ready` changes nothing)."""
    _providers[str(kind)] = recipients


def recipients_for(event: "Event") -> "QuerySet[User, Any]":
    """Who `event` tells now. A kind no app registered tells nobody (and says so in the log:
    an event recorded without its provider is a bug of the emitting app)."""
    provider = _providers.get(event.kind)
    if provider is None:
        import logging

        from engage.accounts.models import User

        logging.getLogger(__name__).error("No recipients registered for %s events.", event.kind)
        return User.objects.none()
    return provider(event)


def registered_kinds() -> frozenset[str]:
    return frozenset(_providers)
