"""Sections that apps built on engagements add to the engagement page.

Engagements sit below the apps that hang records off an engagement (collective views,
outcomes, clarifications, releases, acknowledgements: the import contract in pyproject.toml),
so the engagement page cannot import them. Each such app registers a panel provider in its
`AppConfig.ready`; the page asks every provider, in order, and shows what each returns: a
section in the main column and links under "What you can do".

A provider decides nothing about access itself: it reads its records through its own
`visible_to` (built on engage.engagements.audience) and returns None when it has nothing to
show to this person. It must ask a fixed number of queries, whatever the data (the page's
query count is pinned).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from .models import Engagement


@dataclass(frozen=True)
class Action:
    """A link under "What you can do"."""

    text: str
    url: str


@dataclass(frozen=True)
class Panel:
    # The section's template, rendered with `panel` (the context below) and `engagement`;
    # empty for a provider that only adds actions.
    template: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    actions: tuple[Action, ...] = ()


# (request, engagement, reads): `reads` is whether the person reads the engagement's content
# (False for those who see its heading only); most providers return None then.
Provider = Callable[[HttpRequest, Engagement, bool], Panel | None]

_providers: list[tuple[int, str, Provider]] = []


def register(order: int, name: str, provider: Provider) -> None:
    """Add `provider` (once per `name`, so a second `ready` does not add it twice). Lower
    `order` shows higher on the page."""
    _providers[:] = [entry for entry in _providers if entry[1] != name]
    _providers.append((order, name, provider))
    _providers.sort(key=lambda entry: (entry[0], entry[1]))


def panels_for(request: HttpRequest, engagement: Engagement, *, reads: bool) -> list[Panel]:
    found = (provider(request, engagement, reads) for _, _, provider in _providers)
    return [panel for panel in found if panel is not None]
