"""PostgreSQL: the first pages of a "nearest first" search, read from the cells near the point.

A page of a circle search sorted nearest first is ordered by (stale last,
distance, name, id). Ordering every listing of the circle to keep 20 reads
them all: ~57,000 entries of the covering cell index for 25 km around
Chicago at 1,000,000 listings (or, when the planner prefers it, every entry
of the near index). The page's statement first reads only a smaller disk
around the point (the "ring", ``RING_FRACTION`` of the radius, its own grid
cells through the covering cell index) and keeps its first ``stop`` listings
in order:

- if at least ``stop`` of them are fresh (confirmed recently, so not sorted
  last), they are exactly the first ``stop`` of the whole circle: every
  other listing is farther than the ring's radius (an online listing added
  to the circle is outside it, or has no location and sorts last), and
  every fresh listing sorts before every stale one;
- otherwise the same statement orders the whole circle as before (its
  branch runs only then: a one-time filter, so the ring costs a fraction of
  the full read when it is not enough).

So the page is the same as ordering every match, in one statement. It is
used for the pages whose end is within ``MAX_STOP`` results, when the place
filter is the circle, with or without online listings (no place name), and
the circle is searched by cell (geo.box_cells).
"""

import copy
from typing import TYPE_CHECKING

from django.db.models.expressions import RawSQL

from .geo import box_cells, circle_filter
from .query import SORT_NEAREST
from .text import uses_postgres_search

if TYPE_CHECKING:
    from .query import FinderSearch

# The ring's radius, as a fraction of the search's: a sixteenth of its area.
RING_FRACTION = 0.25
# Deeper pages than this order the whole circle.
MAX_STOP = 200


class NearestFirst:
    """The ids of one page of a nearest-first circle search, ring first (see the module)."""

    def __init__(self, search: "FinderSearch"):
        self.search = search
        p = search.params
        self.ring = copy.copy(search)
        self.ring.filters = {
            **search.filters,
            "place": circle_filter(
                p.latitude, p.longitude, p.radius_km * RING_FRACTION, by_cell=True
            ),
        }

    @classmethod
    def for_search(cls, search: "FinderSearch") -> "NearestFirst | None":
        """The ring reader when it applies to this search, else None."""
        p = search.params
        if not uses_postgres_search() or not p.near or p.location:
            return None
        if p.effective_sort != SORT_NEAREST:
            return None
        if box_cells(p.latitude, p.longitude, p.radius_km) is None:
            return None
        return cls(search)

    def page_ids(self, index: slice) -> RawSQL | None:
        """``IN (…)`` the page's ids, or None when the page is too deep for the ring."""
        start, stop = index.start or 0, index.stop
        if stop is None or stop > MAX_STOP:
            return None
        # Columns in the order the ORM selects them: fields, then annotations as added.
        ring_sql, ring_params = (
            self.ring.results()
            .values("pk", "name", "distance_km", "stale_last")[:stop]
            .query.sql_with_params()
        )
        full_sql, full_params = self.search.results().values("pk")[index].query.sql_with_params()
        enough = "(SELECT COUNT(*) FROM ring WHERE ring.stale_last = 0)"
        sql = (
            f"WITH ring (pk, name, distance_km, stale_last) AS MATERIALIZED ({ring_sql}) "  # noqa: S608
            "SELECT near_page.pk FROM (SELECT ring.pk FROM ring ORDER BY ring.stale_last, "
            "ring.distance_km, ring.name, ring.pk OFFSET %s) AS near_page "
            f"WHERE {enough} >= %s "
            f"UNION ALL SELECT everything.pk FROM ({full_sql}) AS everything WHERE {enough} < %s"
        )
        return RawSQL(sql, [*ring_params, start, stop, *full_params, stop])  # noqa: S611
