"""Where a listing is: place names, the search circle, and the distance to it."""

import functools
import math
from collections.abc import Sequence

from django.contrib.postgres.fields import ArrayField
from django.db.models import BooleanField, CharField, F, Func, Q, Value
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from .places import region_spellings

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE_LATITUDE = 111.045

# Migration 0015's therapists_finder_cell(): cells of this many degrees.
CELL_DEGREES = 0.05
# A circle needing more cells than this (a very wide radius) counts listings.
MAX_CELLS = 5000
# A cell counts as inside the circle when its farthest corner is this much
# inside, so no rounding of the database's distance can put a listing of it out.
EDGE_MARGIN_KM = 0.001


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """The great-circle distance, as therapists.finder.geo.distance_km computes it."""
    half_dlat = math.radians(lat2 - lat1) / 2
    half_dlng = math.radians(lng2 - lng1) / 2
    a = (
        math.sin(half_dlat) ** 2
        + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) * math.sin(half_dlng) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(a, 1.0)))


def _box(latitude: float, longitude: float, radius_km: float) -> tuple[float, float, float, float]:
    """South, north, west and east of the search's bounding box (see ``bounding_box``)."""
    delta_lat = radius_km / KM_PER_DEGREE_LATITUDE
    cos_lat = max(math.cos(math.radians(latitude)), 0.01)
    delta_lng = radius_km / (KM_PER_DEGREE_LATITUDE * cos_lat)
    return latitude - delta_lat, latitude + delta_lat, longitude - delta_lng, longitude + delta_lng


def box_cells(latitude: float, longitude: float, radius_km: float):
    """``(rows, columns)`` of the cells covering the search's box, or None when it
    crosses the antimeridian or needs more than ``MAX_CELLS`` cells."""
    south, north, west, east = _box(latitude, longitude, radius_km)
    if west < -180 or east > 180:
        return None
    rows = range(math.floor(south / CELL_DEGREES), math.floor(north / CELL_DEGREES) + 1)
    columns = range(math.floor(west / CELL_DEGREES), math.floor(east / CELL_DEGREES) + 1)
    if len(rows) * len(columns) > MAX_CELLS:
        return None
    return rows, columns


class _Cells(Value):
    """The cells as one ``text[]`` parameter: a circle has hundreds, and an ``IN`` list
    made the ORM resolve and compile each one, in every statement of the request
    (~1 ms per 100 cells); PostgreSQL plans ``= ANY(array)`` as it plans the list."""

    def __init__(self, cells: Sequence[str]):
        super().__init__(list(cells), output_field=ArrayField(CharField()))

    def as_sql(self, compiler, connection):
        return "%s::text[]", [self.value]


def cell_in(cells: Sequence[str]) -> Q:
    """The listing's grid cell (migration 0015's ``therapists_finder_cell``) is one of ``cells``."""
    cell = Func(
        F("latitude"), F("longitude"), function="therapists_finder_cell", output_field=CharField()
    )
    return Q(
        Func(
            cell,
            _Cells(cells),
            template="(%(expressions)s))",
            arg_joiner=" = ANY(",
            output_field=BooleanField(),
        )
    )


def circle_filter(
    latitude: float,
    longitude: float,
    radius_km: float,
    *,
    by_cell: bool,
    cells: Sequence[str] | None = None,
) -> Q:
    """Listings within ``radius_km``: the bounding box, then the exact distance.

    ``by_cell`` (PostgreSQL): the box is found by the grid cells covering it,
    through migration 0018's covering cell index, and its sides only tested
    on the listings of those cells. Written ``latitude + 0``, the sides are
    no condition the (latitude, longitude) indexes answer, so the planner
    does not prefer them: a latitude range is a band around the globe.
    ``cells`` narrows the search to some of those cells (a circle's edge).
    """
    within = Q(distance_km__lte=radius_km)
    box = box_cells(latitude, longitude, radius_km) if by_cell else None
    if box is None:
        return bounding_box(latitude, longitude, radius_km) & within
    south, north, west, east = _box(latitude, longitude, radius_km)
    lat, lng = F("latitude") + Value(0.0), F("longitude") + Value(0.0)
    sides = Q(
        GreaterThanOrEqual(lat, south),
        LessThanOrEqual(lat, north),
        GreaterThanOrEqual(lng, west),
        LessThanOrEqual(lng, east),
    )
    if cells is None:
        rows, columns = box
        cells = [f"g:{i}:{j}" for i in rows for j in columns]
    return cell_in(cells) & sides & within


# Kept per process: a circle's cells are asked for twice a request (place_counts), and
# the corners' distances cost ~2 ms of Python for a 25 km circle; readers repeat circles.
@functools.lru_cache(maxsize=256)
def circle_cells(latitude: float, longitude: float, radius_km: float):
    """``(inside, edge)`` cell keys of a search circle (tuples), or None when it needs the
    listings.

    The cells are those of the search's bounding box (geo.bounding_box). On a
    sphere, the distance from a point along a parallel or a meridian has no
    maximum inside a segment, so a cell's farthest point is one of its
    corners: a cell whose four corners are inside the circle and the box is
    inside, every listing in it matches.
    """
    cells = box_cells(latitude, longitude, radius_km)
    if cells is None:
        return None
    south, north, west, east = _box(latitude, longitude, radius_km)
    rows, columns = cells
    inside, edge = [], []
    for i in rows:
        for j in columns:
            corners = [
                ((i + di) * CELL_DEGREES, (j + dj) * CELL_DEGREES) for di in (0, 1) for dj in (0, 1)
            ]
            within = all(
                south <= lat <= north
                and west <= lng <= east
                and haversine_km(latitude, longitude, lat, lng) <= radius_km - EDGE_MARGIN_KM
                for lat, lng in corners
            )
            (inside if within else edge).append(f"g:{i}:{j}")
    return tuple(inside), tuple(edge)


def circle_values(
    name: str, latitude: float, longitude: float, radius_km: float, *, split: bool = True
) -> dict:
    """The values ``circle_filter`` binds for a circle searched by cell, and with ``split``
    its inside and edge cells (``circle_cells``), by name (therapists/finder/statements.py
    learns where each goes)."""
    south, north, west, east = _box(latitude, longitude, radius_km)
    rows, columns = box_cells(latitude, longitude, radius_km)
    named = {
        "latitude": latitude,
        "longitude": longitude,
        "cos_latitude": math.cos(math.radians(latitude)),
        f"{name}:radius": float(radius_km),
        f"{name}:south": south,
        f"{name}:north": north,
        f"{name}:west": west,
        f"{name}:east": east,
        f"{name}:cells": [f"g:{i}:{j}" for i in rows for j in columns],
    }
    if split and (cells := circle_cells(latitude, longitude, radius_km)) is not None:
        named[f"{name}:inside"], named[f"{name}:edge"] = list(cells[0]), list(cells[1])
    return named


def bounding_box(latitude: float, longitude: float, radius_km: float) -> Q:
    """A cheap, index-friendly rectangle that contains the search circle."""
    delta_lat = radius_km / KM_PER_DEGREE_LATITUDE
    cos_lat = max(math.cos(math.radians(latitude)), 0.01)
    delta_lng = radius_km / (KM_PER_DEGREE_LATITUDE * cos_lat)
    box = Q(latitude__gte=latitude - delta_lat, latitude__lte=latitude + delta_lat)
    if delta_lng >= 180:
        return box & Q(longitude__isnull=False)
    west, east = longitude - delta_lng, longitude + delta_lng
    if west < -180:  # the circle crosses the antimeridian
        return box & (Q(longitude__gte=west + 360) | Q(longitude__lte=east))
    if east > 180:
        return box & (Q(longitude__gte=west) | Q(longitude__lte=east - 360))
    return box & Q(longitude__gte=west, longitude__lte=east)


def distance_km(latitude: float, longitude: float):
    """The haversine great-circle distance from a point, as a database expression."""
    half_dlat = Radians(F("latitude") - Value(latitude)) / Value(2.0)
    half_dlng = Radians(F("longitude") - Value(longitude)) / Value(2.0)
    a = Power(Sin(half_dlat), 2) + Value(math.cos(math.radians(latitude))) * Cos(
        Radians(F("latitude"))
    ) * Power(Sin(half_dlng), 2)
    # Rounding can push ``a`` a hair above 1 for antipodal points.
    return Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(Least(a, Value(1.0))))


def _region_is(text: str) -> Q:
    """The region as typed, or its other spelling ("IL" and "Illinois" are one region)."""
    condition = Q()
    for spelling in region_spellings(text):
        condition |= Q(region__iexact=spelling)
    return condition


def has_digit(text: str) -> bool:
    """Whether typed text can be a postal code: every format the finder reads
    has a digit (``places.POSTAL_CODE``), and no city or region name has one."""
    return any(character.isdigit() for character in text)


def location_parts(location: str) -> list[str]:
    """The place's comma-separated parts, stripped, the empty ones left out."""
    return [part.strip() for part in location.split(",") if part.strip()]


def location_filter(location: str) -> Q:
    """City, region or postal code, as typed ("Portland", "Oregon", "97205", "Portland, OR",
    "Portland, 97205").

    Text with a digit is a postal code (or its start), anything else a city
    or region name; after a comma, a region or a postal code, told apart the
    same way. Never both: with the names ORed in, the planner took a postal
    code for as common as a city and walked the results' index in order
    through most of the directory (48 ms at 100,000 listings, for 60
    results), and an OR hides from it that a city's listings are in its
    region (migration 0022's statistics cannot estimate an OR with a column
    they do not cover).
    """
    parts = location_parts(location)
    if len(parts) >= 2:
        if has_digit(parts[1]):
            return Q(city__iexact=parts[0]) & Q(postal_code__iexact=parts[1])
        return Q(city__iexact=parts[0]) & _region_is(parts[1])
    text = parts[0] if parts else location
    if has_digit(text):
        return Q(postal_code__istartswith=text)
    return Q(city__iexact=text) | _region_is(text)
