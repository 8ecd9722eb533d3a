"""PostgreSQL: place counts of the listings not seen online, for "this place, or online".

A search "including therapists who see clients online" matches the listings
of the place or seen online: at 1,000,000 listings, three in four. Its counts
are now made of two disjoint parts (therapists/finder/online_counts.py): the
listings seen online (the pair counts, or the bitmaps) and the listings of
the place that are not. For the second, ``therapists_finder_places()`` gives
a listing not seen online each of its place keys a second time, prefixed
``off:`` (``off:c:CHICAGO``, ``off:g:837:-1753``), so the place counts hold
both and "City X, not online" reads like "City X".

The function takes the listing's ``online`` flag as a fifth argument, the
one trigger function of migration 0017 is rebuilt to pass it (so switching a
listing's online flag moves its ``off:`` counts like a move to another city),
and the place table is refilled. A quarter of the listings are not online in
the seeded directory: the table grows by about that share of its rows.
"""

import importlib

from django.db import migrations

from mhsite.pg_operations import RunSQLOnPostgreSQL

places = importlib.import_module("therapists.migrations.0015_finder_place_pairs")
one_trigger = importlib.import_module("therapists.migrations.0017_finder_one_count_trigger")

TABLE = places.TABLE
OFFLINE_PLACES_FUNCTION = """
CREATE OR REPLACE FUNCTION therapists_finder_places(city text, region text,
    latitude double precision, longitude double precision, online boolean)
RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_remove(ARRAY[
        'c:' || upper(city),
        'r:' || upper(region),
        'cr:' || length(upper(city))::text || ':' || upper(city) || upper(region),
        therapists_finder_cell(latitude, longitude),
        CASE WHEN NOT online THEN 'off:c:' || upper(city) END,
        CASE WHEN NOT online THEN 'off:r:' || upper(region) END,
        CASE WHEN NOT online THEN
            'off:cr:' || length(upper(city))::text || ':' || upper(city) || upper(region) END,
        CASE WHEN NOT online THEN 'off:' || therapists_finder_cell(latitude, longitude) END
    ], NULL)
$$
"""


def _with_online(sql: str) -> str:
    """Migration 0017's trigger function, passing each transition row's online flag."""
    for alias in ("o", "n"):
        four = f"therapists_finder_places({alias}.city, {alias}.region, {alias}.latitude, "
        old = f"{four}{alias}.longitude)"
        assert old in sql, old
        sql = sql.replace(old, f"{four}{alias}.longitude, {alias}.online)")
    return sql


# The same rows as maintenance.rebuild() computes (therapists/finder/maintenance.py):
# each listing's codes unnested once, grouped by city and region and by cell,
# and whether it is seen online; each group's keys, and their "off:" twins when not.
FILL = (
    f"INSERT INTO {TABLE} (place, code, listings) "  # noqa: S608
    "SELECT key.place, grouped.code, SUM(grouped.listings) FROM ("
    "SELECT GROUPING(city, region) AS city_ungrouped, city, region, cell, online, code, "
    "COUNT(*) AS listings "
    "FROM (SELECT upper(t.city) AS city, upper(t.region) AS region, "
    "therapists_finder_cell(t.latitude, t.longitude) AS cell, t.online, "
    f"unnest({places.pairs.codes_of('t')}) AS code "
    "FROM therapists_therapist t WHERE t.is_published) AS listing_code "
    "GROUP BY GROUPING SETS ((city, region, online, code), (cell, online, code))) AS grouped, "
    "unnest(CASE WHEN grouped.city_ungrouped = 0 THEN ARRAY['c:' || grouped.city, "
    "'r:' || grouped.region, 'cr:' || length(grouped.city) || ':' || grouped.city || "
    "grouped.region] ELSE ARRAY[grouped.cell] END) AS base_key (place), "
    "unnest(CASE WHEN grouped.online THEN ARRAY[base_key.place] "
    "ELSE ARRAY[base_key.place, 'off:' || base_key.place] END) AS key (place) "
    "WHERE key.place IS NOT NULL GROUP BY key.place, grouped.code ORDER BY key.place, grouped.code"
)


def _refilled(fill: str) -> list[str]:
    return [
        f"TRUNCATE {TABLE}",
        # One aggregation of every listing's places x codes: in memory, not in batches on disk.
        "SET LOCAL work_mem = '256MB'",
        fill,
        "RESET work_mem",
        f"ANALYZE {TABLE}",
    ]


FORWARD = [
    OFFLINE_PLACES_FUNCTION,
    _with_online(one_trigger.trigger_function()),
    *_refilled(FILL),
]
BACKWARD = [
    one_trigger.trigger_function(),
    "DROP FUNCTION IF EXISTS therapists_finder_places(text, text, double precision, "
    "double precision, boolean)",
    *_refilled(places.FILL),
]


class Migration(migrations.Migration):
    dependencies = [
        ("therapists", "0022_place_statistics"),
    ]

    operations = [
        RunSQLOnPostgreSQL(FORWARD, reverse_sql=BACKWARD),
    ]
