"""A person's calendar feed (issue 11): their deadlines and due dates, as iCalendar, at a
secret link a calendar app fetches without signing in.

Notifications sit below the domain apps and cannot import them; like `registry`, each app
with dates to show registers, in its `AppConfig.ready`, one provider:
`calendar_register(provider)`. A provider is `provider(user, *, start, end)` returning the
`CalendarEntry`s of the items `user` may see (through the app's existing decider, as its pages
do) with a date from `start` to `end`, set-based, in a fixed number of queries whatever the
number of items. An entry carries the kind, the date, a link and the item's title only when
it is TLP:CLEAR or TLP:GREEN (`services.shareable_title`): never labelled content.

The iCalendar text is written here by hand (RFC 5545): CRLF line ends, lines folded at 75
octets, text escaped, all-day events.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.utils import timezone

from engage.accounts.viewer import Viewer
from engage.core.links import absolute

# What the feed covers, around today: what just passed, and the year ahead.
DAYS_BEFORE = 30
DAYS_AFTER = 365
CALENDAR_NAME = "Engage"


@dataclass(frozen=True)
class CalendarEntry:
    """One date in a person's calendar. `uid` is stable per item and kind (a calendar app
    updates the event rather than adding another); `kind` names the date in words ("Response
    deadline"); `link` is a path in the service; `title` is already `shareable_title`d."""

    uid: str
    kind: str
    on: date
    link: str
    title: str = ""
    label: str = ""

    @property
    def summary(self) -> str:
        return f"{self.kind}: {self.title}" if self.title else str(self.kind)


Provider = Callable[..., Iterable[CalendarEntry]]

_providers: dict[str, Provider] = {}


def calendar_register(provider: Provider) -> None:
    """Add `provider`'s entries to every person's feed (registered once per provider, so a
    second `ready` changes nothing)."""
    _providers[f"{provider.__module__}.{provider.__qualname__}"] = provider


def feed_window(today: date | None = None) -> tuple[date, date]:
    """The first and last dates the feed covers."""
    today = today or timezone.localdate()
    return today - timedelta(days=DAYS_BEFORE), today + timedelta(days=DAYS_AFTER)


def entries_for(user: Any, *, start: date, end: date) -> list[CalendarEntry]:
    """Every provider's entries for `user` from `start` to `end`, by date. The person's access
    facts are read once and shared by the providers (`Viewer.of` finds them on the user)."""
    viewer = Viewer(user)
    setattr(user, Viewer.CACHE_ATTRIBUTE, lambda: viewer)
    found: list[CalendarEntry] = []
    for provider in _providers.values():
        found.extend(
            entry for entry in provider(user, start=start, end=end) if start <= entry.on <= end
        )
    return sorted(found, key=lambda entry: (entry.on, str(entry.kind), entry.uid))


# iCalendar (RFC 5545) ----------------------------------------------------------------------

LINE_OCTETS = 75


def escape(text: str) -> str:
    """A TEXT value: backslash, semicolon, comma and new lines escaped (3.3.11)."""
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """`line` folded into lines of at most 75 octets, each continuation starting with a space
    (3.1), never splitting a UTF-8 character."""
    parts: list[str] = []
    current, size, limit = "", 0, LINE_OCTETS
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, LINE_OCTETS - 1  # the leading space counts
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def ics(entries: Iterable[CalendarEntry], *, now: datetime | None = None) -> str:
    """The feed's text: one all-day event per entry, with its summary (the kind, and the
    title when there is one) and the absolute link as URL and description."""
    stamp = _stamp(now or timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Engage//Calendar feed//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{CALENDAR_NAME}",
    ]
    for entry in entries:
        link = absolute(entry.link)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape(entry.uid)}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{entry.on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{entry.on + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(entry.summary)}",
            f"URL:{link}",
            f"DESCRIPTION:{escape(link)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
