"""The projection of force areas into SVG path data, done once when reference data loads."""

import re

from engage.directory.geo import MAP_HEIGHT, MAP_WIDTH, Projection
from engage.directory.reference_data import read_reference_data

NUMBER = r"-?\d+(?:\.\d)?"
RING = re.compile(rf"M{NUMBER} {NUMBER}L(?:{NUMBER} {NUMBER} ?)+Z")


def points(path: str) -> list[list[tuple[str, str]]]:
    rings = []
    for ring in re.findall(r"M([^Z]*)Z", path):
        numbers = re.findall(NUMBER, ring)
        rings.append(list(zip(numbers[0::2], numbers[1::2], strict=True)))
    return rings


def test_path_is_rounded_deduplicated_and_closed():
    square = [[[0.0, 50.0], [1.0, 50.0], [1.0, 51.0], [0.0, 51.0], [0.0, 50.0]]]
    near_duplicates = [
        [[0.0, 50.0], [0.0000001, 50.0], [1.0, 50.0], [1.0, 51.0], [0.0, 51.0], [0.0, 50.0]]
    ]
    projection = Projection([[square]])

    path = projection.path([square])

    assert RING.fullmatch(path)
    assert projection.path([near_duplicates]) == path  # the repeated point is dropped
    ((first, *rest),) = points(path)
    assert len(rest) == 3  # four corners; "Z" closes the ring, no repeated first point
    xs = [float(x) for x, _ in [first, *rest]]
    ys = [float(y) for _, y in [first, *rest]]
    assert 0 <= min(xs) <= max(xs) <= MAP_WIDTH
    assert 0 <= min(ys) <= max(ys) <= MAP_HEIGHT
    # North is up: latitude 51 is drawn above latitude 50.
    assert float(rest[1][1]) < float(first[1])


def test_ring_too_small_to_draw_is_dropped():
    big = [[[0.0, 50.0], [2.0, 50.0], [2.0, 52.0], [0.0, 50.0]]]
    tiny = [[[1.0, 51.0], [1.0000001, 51.0], [1.0, 51.0000001], [1.0, 51.0]]]
    projection = Projection([[big, tiny]])

    assert len(points(projection.path([big, tiny]))) == 1


def test_shipped_areas_fit_the_view_box_with_one_decimal_and_no_repeats():
    data = read_reference_data()

    assert len(data.areas) == 43
    for area in data.areas.values():
        assert area.svg_path
        for ring in points(area.svg_path):
            assert len(ring) >= 3
            assert all(a != b for a, b in zip(ring, ring[1:], strict=False))
            for x, y in ring:
                assert 0 <= float(x) <= MAP_WIDTH
                assert 0 <= float(y) <= MAP_HEIGHT
    # The Metropolitan Police area keeps its hole where the City of London is.
    assert len(points(data.areas["E23000001"].svg_path)) >= 2
    assert data.areas["E23000030"].ons_name == "Hampshire"
