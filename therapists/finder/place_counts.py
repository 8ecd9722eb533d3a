"""PostgreSQL counts of a pass whose only filter is where: from the place counts.

``therapists_finder_place_pair`` (migration 0015) counts, per place key and
code, the listed listings having both. A pass whose only filter is a city or
region name, or a search circle, reads it instead of unnesting the codes of
the tens of thousands of listings a city holds at scale:

- "City or region X": ``c:X + r:X - cr:X X`` for every spelling of the
  region (inclusion-exclusion: a listing in city X and region X counts once).
- "City X, region Y": ``cr:X Y`` for every spelling of the region (a
  listing has one region, so two spellings never count it twice).
- The start of a postal code, up to 3 characters ("606"): ``p:606``.
- A circle: the grid cells entirely inside it are summed from the table; the
  listings of the cells on its edge are read (index-only, through the
  covering cell index of migration 0018) and tested against the circle like
  any search, then their codes counted.

The offline part of a search including online listings (online_counts.py)
reads the same keys prefixed ``off:`` (migration 0023), which count only the
listings not seen online, and tests only those of the edge cells.

Anything else about the place (a longer start of a postal code, with or without a city, a
circle crossing the antimeridian, more cells than ``MAX_CELLS``, or fewer
cells inside than on the edge, as with a 10 km radius) is counted from the
listings as before.
"""

from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import BooleanField, CharField, ExpressionWrapper
from django.db.models.expressions import RawSQL

from ..models import Therapist
from . import statements
from .codes import CODE_COLUMNS, FinderTerms, listing_codes_sql
from .geo import (  # noqa: F401 (CELL_DEGREES, MAX_CELLS, haversine_km: for the tests)
    CELL_DEGREES,
    MAX_CELLS,
    cell_in,
    circle_cells,
    circle_filter,
    has_digit,
    haversine_km,
    location_parts,
)
from .online_counts import OFFLINE, key_prefix
from .passes import Pass, PassCounter, Sql
from .places import region_spellings

if TYPE_CHECKING:
    from .query import FinderSearch

PLACE_PAIR_TABLE = "therapists_finder_place_pair"
# A listing's grid cell, as migration 0015's place keys name it.
CELL_SQL = "therapists_finder_cell({table}.latitude, {table}.longitude)"


# Migration 0023 keys the first 1-3 characters of each listing's postal code.
POSTAL_KEY_LENGTH = 3


def place_only(search: "FinderSearch", filter_names: list[str]) -> str | None:
    """The kind of place (``"location"``, ``"city_region"``, ``"postal_start"`` or
    ``"circle"``) when the place counts answer these filters, else None."""
    p = search.params
    if filter_names != ["place"] or (p.near and p.location):
        return None
    if p.include_online and p.online_part != OFFLINE:
        return None
    if p.near:
        cells = circle_cells(p.latitude, p.longitude, p.radius_km)
        # A small circle is mostly edge: its listings would be read anyway,
        # and twice (through the cell index, then by id).
        return "circle" if cells and len(cells[0]) >= len(cells[1]) else None
    parts = location_parts(p.location)
    if len(parts) == 1 and not has_digit(parts[0]):
        return "location"
    if len(parts) == 1 and len(parts[0]) <= POSTAL_KEY_LENGTH and parts[0].isascii():
        # A longer start matches a few hundred listings, read through migration 0021's index.
        return "postal_start"
    if len(parts) >= 2 and not has_digit(parts[1]):
        return "city_region"
    return None


class PlaceCounter(PassCounter):
    """A pass whose only filter is the place, from migration 0015's place counts."""

    def __init__(self, search: "FinderSearch", pass_: Pass, kind: str):
        self.search = search
        self.pass_ = pass_
        self.kind = kind
        # Constant text ("" or "off:"), never the reader's.
        self.prefix = key_prefix(search)

    def _code_range(self, column: str) -> tuple[str, list]:
        if self.pass_.codes is None:
            return "", []
        return f" AND {column} >= %s AND {column} < %s", list(self.pass_.codes)

    def sql(self) -> Sql:
        if self.kind == "location":
            return self._location()
        if self.kind == "city_region":
            return self._city_region()
        if self.kind == "postal_start":
            return self._postal_start()
        return self._circle()

    def _location(self) -> Sql:
        """City X or region X: ``c:X + r:X - cr:X X``, keys made as migration 0015 makes them."""
        text = location_parts(self.search.params.location)[0]
        prefix = self.prefix
        keys, params = [f"'{prefix}c:' || upper(%s)"], [text]
        for spelling in region_spellings(text):
            keys.append(f"'{prefix}r:' || upper(%s)")
            keys.append(f"'{prefix}cr:' || length(upper(%s)) || ':' || upper(%s) || upper(%s)")
            params += [spelling, text, text, spelling]
        code_range, range_params = self._code_range("code")
        statement = (
            f"SELECT %s, code, SUM(CASE WHEN place LIKE '{prefix}cr:%%' THEN -listings "  # noqa: S608
            f"ELSE listings END) FROM {PLACE_PAIR_TABLE} "
            f"WHERE place = ANY(ARRAY[{', '.join(keys)}]){code_range} GROUP BY code"
        )
        return Sql([statement], [self.pass_.number, *params, *range_params])

    def _city_region(self) -> Sql:
        """City X, region Y: ``cr:X Y`` for each spelling of the region."""
        parts = location_parts(self.search.params.location)
        city, spellings = parts[0], region_spellings(parts[1])
        keys = ", ".join(
            [f"'{self.prefix}cr:' || length(upper(%s)) || ':' || upper(%s) || upper(%s)"]
            * len(spellings)
        )
        code_range, range_params = self._code_range("code")
        statement = (
            f"SELECT %s, code, SUM(listings) FROM {PLACE_PAIR_TABLE} "  # noqa: S608
            f"WHERE place = ANY(ARRAY[{keys}]){code_range} GROUP BY code"
        )
        key_params = [value for spelling in spellings for value in (city, city, spelling)]
        return Sql([statement], [self.pass_.number, *key_params, *range_params])

    def _postal_start(self) -> Sql:
        """The start of a postal code: its ``p:`` key, upper-cased as the finder's
        case-insensitive prefix match compares."""
        text = location_parts(self.search.params.location)[0]
        code_range, range_params = self._code_range("code")
        statement = (
            f"SELECT %s, code, listings FROM {PLACE_PAIR_TABLE} "  # noqa: S608
            f"WHERE place = '{self.prefix}p:' || upper(%s){code_range}"
        )
        return Sql([statement], [self.pass_.number, text, *range_params])

    def _circle(self) -> Sql:
        """The inside cells from the table; each edge cell by its smaller side.

        An edge cell's listings are read (index-only, through migration 0018's
        covering cell index) and each tested against the circle. Where fewer
        of them are outside the circle than in it, the cell's row of the place
        table is added and the codes of its listings outside subtracted; else
        the codes of its listings inside are added. Either way each edge cell
        counts exactly its listings in the circle, and the fewer listings'
        codes are unnested (the cells of the box's corners, wholly outside,
        unnest none). The place table counts every listed listing of a cell,
        as ``listed()`` does, which is what the subtraction needs: the pass has
        no other filter (``place_only``).
        """
        p = self.search.params
        inside, _edge = circle_cells(p.latitude, p.longitude, p.radius_km)
        key = self.pass_.key
        edge_listings, edge_params = statements.compiled(
            ("circle_edge", key), self.search, lambda search: _edge_listings(search, key)
        )
        table_range, table_params = self._code_range("code")
        edge_range, edge_range_params = self._code_range("edge_code.code")
        # MATERIALIZED: the edge listings are read once, for the sides' sizes and the
        # codes; the codes are built only for the side unnested.
        statement = (
            "SELECT %s, counted.code, SUM(counted.listings) FROM ("  # noqa: S608
            f"WITH edge AS MATERIALIZED ({edge_listings}), "
            "side AS (SELECT edge.cell, COUNT(*) FILTER (WHERE edge.matches) AS listed_in, "
            "COUNT(*) FILTER (WHERE NOT edge.matches) AS listed_out FROM edge GROUP BY edge.cell) "
            f"SELECT code, listings FROM {PLACE_PAIR_TABLE} "
            "WHERE place = ANY(ARRAY(SELECT unnest(%s::text[]) UNION ALL "
            f"SELECT '{self.prefix}' || side.cell FROM side "
            f"WHERE side.listed_out < side.listed_in)){table_range} "
            "UNION ALL SELECT edge_code.code, edge_code.listings FROM ("
            f"SELECT unnest({listing_codes_sql('edge')}) AS code, "
            "CASE WHEN edge.matches THEN 1 ELSE -1 END AS listings "
            "FROM edge JOIN side ON side.cell = edge.cell "
            "WHERE edge.matches = (side.listed_out >= side.listed_in)"
            f") AS edge_code WHERE TRUE{edge_range}"
            ") AS counted GROUP BY counted.code"
        )
        inside_keys = [self.prefix + cell for cell in inside]
        params = [self.pass_.number, *edge_params, inside_keys, *table_params, *edge_range_params]
        return Sql([statement], params)


def _edge_listings(search: "FinderSearch", key: str | None) -> tuple[str, list]:
    """The listings of the circle's edge cells matching the pass's other filters: their
    cell, whether they are in the circle, and their codes' columns."""
    p = search.params
    _inside, edge = circle_cells(p.latitude, p.longitude, p.radius_km)
    table = connection.ops.quote_name(Therapist._meta.db_table)
    # Only the edge cells: with every cell of the box as well, the planner
    # multiplies the two selectivities and reads the whole covering index.
    circle = circle_filter(p.latitude, p.longitude, p.radius_km, by_cell=True, cells=edge)
    listings = search.base(without=[key, "place"] if key else ["place"])
    if search.params.online_part == OFFLINE:
        # The offline keys count only these (online_counts.py).
        listings = listings.filter(online=False)
    return (
        listings.filter(cell_in(edge))
        .annotate(
            cell=RawSQL(CELL_SQL.format(table=table), [], output_field=CharField()),  # noqa: S611
            matches=ExpressionWrapper(circle, output_field=BooleanField()),
            finder_terms=FinderTerms(),
        )
        .values("cell", "matches", *CODE_COLUMNS)
        .query.sql_with_params()
    )
