"""The search circle's grid cells (therapists/finder/place_counts.py): pure geometry."""

import math
import random

import pytest

from therapists.finder.place_counts import CELL_DEGREES, circle_cells, haversine_km


def cell_of(latitude: float, longitude: float) -> str:
    """As migration 0015's therapists_finder_cell() names it."""
    return f"g:{math.floor(latitude / CELL_DEGREES)}:{math.floor(longitude / CELL_DEGREES)}"


@pytest.mark.parametrize(
    ("latitude", "longitude", "radius_km"),
    [(41.8781, -87.6298, 25), (45.5, -122.6, 100), (-33.87, 151.21, 50), (64.1, -21.9, 25)],
)
def test_every_point_of_an_inside_cell_is_in_the_circle_and_the_box_is_covered(
    latitude, longitude, radius_km
):
    inside, edge = circle_cells(latitude, longitude, radius_km)
    assert inside and edge and not set(inside) & set(edge)
    rng = random.Random(13)
    delta_lat = radius_km / 111.045
    delta_lng = radius_km / (111.045 * math.cos(math.radians(latitude)))
    for _ in range(20_000):
        point = (
            latitude + rng.uniform(-delta_lat, delta_lat),
            longitude + rng.uniform(-delta_lng, delta_lng),
        )
        cell = cell_of(*point)
        assert cell in inside or cell in edge
        if cell in inside:
            assert haversine_km(latitude, longitude, *point) <= radius_km


def test_circles_the_cells_cannot_answer():
    assert circle_cells(0.0, 179.9, 25) is None  # crosses the antimeridian
    assert circle_cells(89.99, 0.0, 100) is None  # around the pole
