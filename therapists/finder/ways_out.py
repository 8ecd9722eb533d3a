"""For an empty result: how many listings each single relaxation of the search would give.

Dropping each active filter in turn, widening the radius, and including
therapists who see clients online: one statement of independent counts, so
each relaxation is answered through its own indexes instead of testing every
condition (text search included) on every listed row.

Building and compiling the five or so querysets cost more than running the
statement (about 12 of 22 ms for the bench's empty result at 100,000
listings), so on PostgreSQL its SQL is kept per search shape and wider radius
(``statements.compiled``), like the page's other statements.
"""

from typing import TYPE_CHECKING

from django.db.models import Q

from . import statements
from .geo import bounding_box, box_cells, circle_values, location_filter

if TYPE_CHECKING:
    from .query import FinderSearch

# The wider circle's bounding box (``bounding_box``), as ``circle_values`` names it.
WIDER_BOX = ("wider:south", "wider:north", "wider:west", "wider:east")


def ways_out_counts(search: "FinderSearch", wider_radius_km: int | None) -> dict[str, int]:
    conditions = relaxations(search, wider_radius_km)
    if not conditions:
        return {}
    p = search.params
    if p.near and wider_radius_km and box_cells(p.latitude, p.longitude, wider_radius_km) is None:
        # A wider box across the antimeridian is written differently: never kept.
        sql, params = _statement(search, wider_radius_km)
    else:
        sql, params = statements.compiled(
            ("ways_out", wider_radius_km),
            search,
            lambda each: _statement(each, wider_radius_km),
            extra=lambda each: _wider_values(each, wider_radius_km),
        )
    row = statements.execute(sql, params)[0]
    return dict(zip(conditions, row, strict=True))


def relaxations(search: "FinderSearch", wider_radius_km: int | None) -> dict[str, Q]:
    filters = search.filters
    conditions: dict[str, Q] = {}
    for name in filters:
        others = [q for other, q in filters.items() if other != name]
        conditions[f"without:{name}"] = Q(*others)
    p = search.params
    others = [q for other, q in filters.items() if other != "place"]
    if p.near and wider_radius_km:
        wider = bounding_box(p.latitude, p.longitude, wider_radius_km) & Q(
            distance_km__lte=wider_radius_km
        )
        if p.location:
            wider &= location_filter(p.location)
        conditions["wider_radius"] = Q(*others) & wider
    if p.has_location and not p.include_online:
        conditions["include_online"] = Q(*others) & Q(online=True)
    return conditions


def _statement(search: "FinderSearch", wider_radius_km: int | None) -> tuple[str, list]:
    counts, params = [], []
    for condition in relaxations(search, wider_radius_km).values():
        queryset = search.listed().filter(condition).values("pk")
        sql, condition_params = queryset.query.sql_with_params()
        counts.append(f"(SELECT COUNT(*) FROM ({sql}) AS relaxed)")  # noqa: S608
        params += condition_params
    return f"SELECT {', '.join(counts)}", params


def _wider_values(search: "FinderSearch", wider_radius_km: int | None) -> dict[str, object]:
    """The wider circle's box, by name, for ``statements`` to learn where each goes.

    Its radius is not named: it is part of the kept statement's key.
    """
    p = search.params
    if not (p.near and wider_radius_km):
        return {}
    named = circle_values("wider", p.latitude, p.longitude, wider_radius_km, split=False)
    return {side: named[side] for side in WIDER_BOX}
