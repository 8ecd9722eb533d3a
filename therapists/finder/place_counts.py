"""PostgreSQL counts of a pass whose only filter is where: from the place counts.

``therapists_finder_place_pair`` (migration 0015) counts, per place key and
code, the listed listings having both. A pass whose only filter is a city or
region name, or a search circle, reads it instead of unnesting the codes of
the tens of thousands of listings a city holds at scale:

- "City or region X": ``c:X + r:X - cr:X X`` for every spelling of the
  region (inclusion-exclusion: a listing in city X and region X counts once).
- A circle: the grid cells entirely inside it are summed from the table; the
  listings of the cells on its edge are read (through the cell index) and
  tested against the circle like any search, then their codes counted.

Anything else about the place (a postal code, "city, region", listings seen
online included, a circle crossing the antimeridian, more cells than
``MAX_CELLS``, or fewer cells inside than on the edge, as with a 10 km
radius) is counted from the listings as before.
"""

import math
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import BooleanField, CharField
from django.db.models.expressions import RawSQL

from ..models import Therapist
from .codes import listing_codes_sql
from .geo import EARTH_RADIUS_KM, KM_PER_DEGREE_LATITUDE
from .passes import Pass, PassCounter, Sql
from .places import region_spellings

if TYPE_CHECKING:
    from .query import FinderSearch

PLACE_PAIR_TABLE = "therapists_finder_place_pair"
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


def circle_cells(latitude: float, longitude: float, radius_km: float):
    """``(inside, edge)`` cell keys of a search circle, or None when it needs the listings.

    The cells are those of the search's bounding box (geo.bounding_box). On a
    sphere, the distance from a point along a parallel or a meridian has no
    maximum inside a segment, so a cell's farthest point is one of its
    corners: a cell whose four corners are inside the circle and the box is
    inside, every listing in it matches.
    """
    delta_lat = radius_km / KM_PER_DEGREE_LATITUDE
    cos_lat = max(math.cos(math.radians(latitude)), 0.01)
    delta_lng = radius_km / (KM_PER_DEGREE_LATITUDE * cos_lat)
    south, north = latitude - delta_lat, latitude + delta_lat
    west, east = longitude - delta_lng, longitude + delta_lng
    if delta_lng >= 180 or west < -180 or east > 180:
        return None
    rows = range(math.floor(south / CELL_DEGREES), math.floor(north / CELL_DEGREES) + 1)
    columns = range(math.floor(west / CELL_DEGREES), math.floor(east / CELL_DEGREES) + 1)
    if len(rows) * len(columns) > MAX_CELLS:
        return None
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
    return inside, edge


def place_only(search: "FinderSearch", filter_names: list[str]) -> str | None:
    """``"location"`` or ``"circle"`` when the place counts answer these filters, else None."""
    p = search.params
    if filter_names != ["place"] or p.include_online or (p.near and p.location):
        return None
    if p.near:
        cells = circle_cells(p.latitude, p.longitude, p.radius_km)
        # A small circle is mostly edge: its listings would be read anyway,
        # and twice (through the cell index, then by id).
        return "circle" if cells and len(cells[0]) >= len(cells[1]) else None
    parts = [part.strip() for part in p.location.split(",") if part.strip()]
    if len(parts) == 1 and not any(character.isdigit() for character in parts[0]):
        return "location"
    return None


class PlaceCounter(PassCounter):
    """A pass whose only filter is the place, from migration 0015's place counts."""

    def __init__(self, search: "FinderSearch", pass_: Pass, kind: str):
        self.search = search
        self.pass_ = pass_
        self.kind = kind

    def _code_range(self, column: str) -> tuple[str, list]:
        if self.pass_.codes is None:
            return "", []
        return f" AND {column} >= %s AND {column} < %s", list(self.pass_.codes)

    def sql(self) -> Sql:
        if self.kind == "location":
            return self._location()
        return self._circle()

    def _location(self) -> Sql:
        """City X or region X: ``c:X + r:X - cr:X X``, keys made as migration 0015 makes them."""
        text = self.search.params.location.split(",")[0].strip()
        keys, params = ["'c:' || upper(%s)"], [text]
        for spelling in region_spellings(text):
            keys.append("'r:' || upper(%s)")
            keys.append("'cr:' || length(upper(%s)) || ':' || upper(%s) || upper(%s)")
            params += [spelling, text, text, spelling]
        code_range, range_params = self._code_range("code")
        statement = (
            f"SELECT %s, code, SUM(CASE WHEN place LIKE 'cr:%%' THEN -listings "  # noqa: S608
            f"ELSE listings END) FROM {PLACE_PAIR_TABLE} "
            f"WHERE place = ANY(ARRAY[{', '.join(keys)}]){code_range} GROUP BY code"
        )
        return Sql([statement], [self.pass_.number, *params, *range_params])

    def _circle(self) -> Sql:
        p = self.search.params
        inside, edge = circle_cells(p.latitude, p.longitude, p.radius_km)
        table = connection.ops.quote_name(Therapist._meta.db_table)
        key = self.pass_.key
        edge_listings, edge_params = (
            self.search.base(without=[key] if key else ())
            .alias(
                # The edge cells' listings taken by id, found once through the
                # cell index: the planner otherwise prefers the (latitude,
                # longitude) index and tests the cell of every listing in the box.
                # The cells (and the inside ones below) are passed as a value
                # the planner cannot see: estimated per element, hundreds of
                # cells made it choose a sequential scan, after 60 ms of planning.
                on_edge=RawSQL(  # noqa: S611 (the table name only; the cells are a parameter)
                    f"{table}.id = ANY(ARRAY(SELECT edge.id FROM {table} AS edge "  # noqa: S608
                    "WHERE edge.is_published AND "
                    "therapists_finder_cell(edge.latitude, edge.longitude) = ANY(ARRAY("
                    "SELECT unnest(%s::text[])))))",
                    [edge],
                    output_field=BooleanField(),
                )
            )
            .filter(on_edge=True)
            .annotate(codes=RawSQL(listing_codes_sql(table), [], output_field=CharField()))  # noqa: S611
            .values("codes")
            .query.sql_with_params()
        )
        table_range, table_params = self._code_range("code")
        edge_range, edge_range_params = self._code_range("edge_code.code")
        statement = (
            "SELECT %s, counted.code, SUM(counted.listings) FROM ("  # noqa: S608
            f"SELECT code, listings FROM {PLACE_PAIR_TABLE} "
            f"WHERE place = ANY(ARRAY(SELECT unnest(%s::text[]))){table_range} "
            "UNION ALL SELECT edge_code.code, 1 FROM (SELECT unnest(edge.codes) AS code "
            f"FROM ({edge_listings}) AS edge) AS edge_code WHERE TRUE{edge_range}"
            ") AS counted GROUP BY counted.code"
        )
        params = [self.pass_.number, inside, *table_params, *edge_params, *edge_range_params]
        return Sql([statement], params)
