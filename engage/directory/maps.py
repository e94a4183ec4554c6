"""Maps of England and Wales's police force areas, each area shaded by a status of its policing
body: the type of body on the directory's map; done, overdue or not due yet on a
dissemination request; an agreement's state on the implementation status page.

A map is never the only way to the facts: every page that shows one shows the same facts in a
table (the map's areas carry a title each, for pointer users; screen readers get the table).
Fills are SVG patterns, colour plus texture, so no status is told by colour alone; they are
defined once, in directory/includes/status_map.html, by how they look ("tones")."""

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .geo import MAP_VIEWBOX
from .models import Force, PolicingBody

# The tones a key may use, by look; the status names other apps use are aliases of them.
TONES = ("blue", "green", "red", "purple", "orange", "grey", "turquoise")
ALIASES = {
    "done": "green",
    "overdue": "red",
    "due": "blue",
    "risk": "orange",
    "declined": "purple",
    "none": "grey",
    "info": "turquoise",
}


@dataclass(frozen=True)
class MapKey:
    """One entry of a map's key: a status, its words and how its areas look."""

    value: str
    label: str
    tone: str

    @property
    def pattern(self) -> str:
        tone = ALIASES.get(self.tone, self.tone)
        if tone not in TONES:
            raise ValueError(f"Unknown map tone {self.tone!r}")
        return tone


@dataclass(frozen=True)
class StatusArea:
    force: Force
    body: PolicingBody | None  # None where no policing body is recorded for the force
    key: MapKey
    url: str | None  # where selecting the area leads; None: not a link


@dataclass(frozen=True)
class StatusMap:
    areas: list[StatusArea]
    legend: list[tuple[MapKey, int]]  # every key, in order, with how many areas have it
    viewbox: str = MAP_VIEWBOX


def status_map(
    statuses: Mapping[int, str],
    keys: Sequence[MapKey],
    *,
    default: str,
    statuses_of: Callable[[PolicingBody], str] | None = None,
    link: Callable[[PolicingBody], str | None] | None = None,
) -> StatusMap:
    """Every force area, shaded by the status of its policing body: `statuses` maps a body's
    primary key to a key's value (or `statuses_of` reads it from the body itself); bodies not
    in it (and areas with no body) take `default`.
    One query (the forces with their bodies), whatever the number of statuses. Force areas are
    reference data every signed-in page may show."""
    by_value = {key.value: key for key in keys}
    if default not in by_value or any(value not in by_value for value in statuses.values()):
        raise ValueError("Every status on a map needs a key")
    areas = []
    for force in Force.objects.select_related("policing_body__organisation").order_by("name"):
        body = getattr(force, "policing_body", None)
        if body is None:
            value = default
        elif statuses_of is not None:
            value = statuses_of(body)
        else:
            value = statuses.get(body.pk, default)
        if value not in by_value:
            raise ValueError(f"No key for the status {value!r}")
        url = link(body) if (link is not None and body is not None) else None
        areas.append(StatusArea(force=force, body=body, key=by_value[value], url=url))
    counts = Counter(area.key.value for area in areas)
    return StatusMap(areas=areas, legend=[(key, counts[key.value]) for key in keys])
