"""Projecting force-area boundaries (GeoJSON, WGS84 longitude/latitude) into SVG path data.

A deliberately simple projection, good enough for a thematic map of England and Wales:
x = longitude * cos(53.5 degrees), y = -latitude, scaled and centred into a fixed viewBox, with
coordinates rounded to one decimal and consecutive repeated points dropped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

# The map: x = longitude * cos(53.5 degrees), y = -latitude, fitted into this box.
MAP_WIDTH = 600
MAP_HEIGHT = 700
MAP_MARGIN = 10
MAP_VIEWBOX = f"0 0 {MAP_WIDTH} {MAP_HEIGHT}"
MAP_LATITUDE = 53.5


def polygons_of(geometry) -> list | None:
    """The geometry as a list of polygons (lists of rings of [lon, lat]), or None if malformed."""
    if not isinstance(geometry, dict):
        return None
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    polygons = (
        [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else None
    )
    if not isinstance(polygons, list):
        return None
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return None
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                return None
            for point in ring:
                if not (
                    isinstance(point, list)
                    and len(point) >= 2
                    and all(
                        isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c)
                        for c in point[:2]
                    )
                ):
                    return None
    return polygons


def _number(value: float) -> str:
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


class Projection:
    """x = lon * cos(53.5 deg), y = -lat, scaled and centred into the map's viewBox."""

    def __init__(self, all_polygons: Iterable[list]) -> None:
        k = math.cos(math.radians(MAP_LATITUDE))
        xs, ys = [], []
        for polygons in all_polygons:
            for polygon in polygons:
                for ring in polygon:
                    for lon, lat, *_ in ring:
                        xs.append(lon * k)
                        ys.append(-lat)
        self.k = k
        self.min_x, self.min_y = min(xs), min(ys)
        width, height = max(xs) - self.min_x or 1, max(ys) - self.min_y or 1
        self.scale = min(
            (MAP_WIDTH - 2 * MAP_MARGIN) / width, (MAP_HEIGHT - 2 * MAP_MARGIN) / height
        )
        self.offset_x = (MAP_WIDTH - width * self.scale) / 2
        self.offset_y = (MAP_HEIGHT - height * self.scale) / 2

    def point(self, lon: float, lat: float) -> tuple[str, str]:
        x = (lon * self.k - self.min_x) * self.scale + self.offset_x
        y = (-lat - self.min_y) * self.scale + self.offset_y
        return _number(x), _number(y)

    def path(self, polygons: list) -> str:
        parts = []
        for polygon in polygons:
            for ring in polygon:
                points: list[tuple[str, str]] = []
                for lon, lat, *_ in ring:
                    point = self.point(lon, lat)
                    if not points or points[-1] != point:
                        points.append(point)
                if len(points) > 1 and points[-1] == points[0]:
                    points.pop()  # "Z" closes the ring
                if len(points) >= 3:
                    first, *rest = points
                    parts.append(
                        f"M{first[0]} {first[1]}L" + " ".join(f"{x} {y}" for x, y in rest) + "Z"
                    )
        return "".join(parts)
