"""Sections that higher apps add to a lower app's page.

The domain apps run one way (the import contracts in pyproject.toml): the engagement page
cannot import the apps that hang records off an engagement (collective views, outcomes,
clarifications, releases, acknowledgements), nor the policy page the engagements app. Each
higher app registers a panel provider for a page in its `AppConfig.ready`; the page asks every
provider, in order, and shows what each returns: a section in the main column and links under
"What you can do".

Pages and what their providers receive (`obj`, and `reads` where given):
- "engagement": the engagement, `reads` (whether the person reads its content; False for
  those who see its heading only, when most providers return None);
- "policy": the policy;
- "document": the document (its `engagement` loaded with its policy and owner);
- "inbox": None, and `mode` (the inbox's kind: "owner", "apcc", "body"); providers return
  actions only: links to their own lists, with how many wait.

A provider decides nothing about access itself: it reads its records through its own
`visible_to` (built on engage.engagements.audience) and returns None when it has nothing to
show this person. It asks a fixed number of queries, whatever the data (page query counts are
pinned).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Action:
    """A link under "What you can do"."""

    text: str
    url: str


@dataclass(frozen=True)
class Panel:
    # The section's template, rendered with `panel` (the context below) and the page's object
    # under the page's name (`engagement`, `policy`); empty for a provider that only adds
    # actions.
    template: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    actions: tuple[Action, ...] = ()


Provider = Callable[..., Panel | None]

_providers: dict[str, list[tuple[int, str, Provider]]] = {}


def register(page: str, order: int, name: str, provider: Provider) -> None:
    """Add `provider` to `page` (once per `name`, so a second `ready` does not add it twice).
    Lower `order` shows higher on the page."""
    entries = [entry for entry in _providers.get(page, []) if entry[1] != name]
    entries.append((order, name, provider))
    entries.sort(key=lambda entry: (entry[0], entry[1]))
    _providers[page] = entries


def panels_for(page: str, request: HttpRequest, obj: Any, **kwargs: Any) -> list[Panel]:
    found = (provider(request, obj, **kwargs) for _, _, provider in _providers.get(page, []))
    return [panel for panel in found if panel is not None]


def actions_of(panels: list[Panel]) -> list[Action]:
    return [action for panel in panels for action in panel.actions]
