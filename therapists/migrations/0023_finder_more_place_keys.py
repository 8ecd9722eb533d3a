"""PostgreSQL: place keys for the start of a postal code, and for the listings not seen online.

Two searches a reader makes counted every listing they match, at 1,000,000
listings:

- **The start of a postal code** ("606", "9"): 0.35-0.93 s, the 61,527
  listings starting "606" read one by one. Each listing now has a key per
  first 1, 2 and 3 characters of its upper-cased postal code (``p:6``,
  ``p:60``, ``p:606``), a few hundred keys in all; a longer start matches a
  few hundred listings, found by migration 0021's index and read as before.
- **A place "including therapists who see clients online"**: 2.5 s, three in
  four listings. Such a search is counted as two disjoint parts
  (therapists/finder/online_counts.py): the listings seen online (the pair
  counts, or the bitmaps) and the listings of the place that are not. For the
  second, a listing not seen online has each of its place keys a second time,
  prefixed ``off:`` (``off:c:CHICAGO``, ``off:g:837:-1753``, ``off:p:606``).

``therapists_finder_places()`` takes the postal code and the online flag too,
the one trigger function of migration 0017 is rebuilt to pass them (so an
edited postal code or online flag moves its counts like a move to another
city), and the place table is refilled. In the seeded directory, where a
quarter of the listings are not online, the table grows from 544,188 to
about 950,000 rows at 1,000,000 listings.
"""

import importlib

from django.db import migrations

from mhsite.pg_operations import RunSQLOnPostgreSQL

places = importlib.import_module("therapists.migrations.0015_finder_place_pairs")
one_trigger = importlib.import_module("therapists.migrations.0017_finder_one_count_trigger")

TABLE = places.TABLE
# A start this long or shorter has a key; longer ones are read from the listings.
POSTAL_KEY_LENGTHS = (1, 2, 3)


def _postal_keys(postal: str, prefix: str = "") -> list[str]:
    return [
        f"CASE WHEN length({postal}) >= {n} THEN '{prefix}p:' || left({postal}, {n}) END"
        for n in POSTAL_KEY_LENGTHS
    ]


def _keys(prefix: str) -> list[str]:
    return [
        f"'{prefix}c:' || upper(city)",
        f"'{prefix}r:' || upper(region)",
        f"'{prefix}cr:' || length(upper(city))::text || ':' || upper(city) || upper(region)",
        f"'{prefix}' || therapists_finder_cell(latitude, longitude)",
        *_postal_keys("upper(postal_code)", prefix),
    ]


# Built only of immutable operators, so the planner inlines it (migration 0017).
PLACES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION therapists_finder_places(city text, region text, postal_code text,
    latitude double precision, longitude double precision, online boolean)
RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_remove(ARRAY[
        {", ".join(_keys(""))},
        {", ".join(f"CASE WHEN NOT online THEN {key} END" for key in _keys("off:"))}
    ], NULL)
$$
"""


def _with_more_keys(sql: str) -> str:
    """Migration 0017's trigger function, passing each transition row's postal code and
    online flag."""
    for alias in ("o", "n"):
        old = (
            f"therapists_finder_places({alias}.city, {alias}.region, {alias}.latitude, "
            f"{alias}.longitude)"
        )
        new = (
            f"therapists_finder_places({alias}.city, {alias}.region, {alias}.postal_code, "
            f"{alias}.latitude, {alias}.longitude, {alias}.online)"
        )
        assert old in sql, old
        sql = sql.replace(old, new)
    return sql


# The same rows as maintenance.rebuild() computes (therapists/finder/maintenance.py):
# each listing's codes unnested once, grouped by city and region, by cell and by
# postal code, and whether it is seen online; each group's keys, and their
# "off:" twins when not.
FILL = (
    f"INSERT INTO {TABLE} (place, code, listings) "  # noqa: S608
    "SELECT key.place, grouped.code, SUM(grouped.listings) FROM ("
    "SELECT GROUPING(city, region) AS city_ungrouped, GROUPING(cell) AS cell_ungrouped, "
    "city, region, cell, postal, online, code, COUNT(*) AS listings "
    "FROM (SELECT upper(t.city) AS city, upper(t.region) AS region, "
    "therapists_finder_cell(t.latitude, t.longitude) AS cell, upper(t.postal_code) AS postal, "
    f"t.online, unnest({places.pairs.codes_of('t')}) AS code "
    "FROM therapists_therapist t WHERE t.is_published) AS listing_code "
    "GROUP BY GROUPING SETS ((city, region, online, code), (cell, online, code), "
    "(postal, online, code))) AS grouped, "
    "unnest(CASE WHEN grouped.city_ungrouped = 0 THEN ARRAY['c:' || grouped.city, "
    "'r:' || grouped.region, 'cr:' || length(grouped.city) || ':' || grouped.city || "
    "grouped.region] WHEN grouped.cell_ungrouped = 0 THEN ARRAY[grouped.cell] "
    f"ELSE ARRAY[{', '.join(_postal_keys('grouped.postal'))}] END) AS base_key (place), "
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
    PLACES_FUNCTION,
    _with_more_keys(one_trigger.trigger_function()),
    *_refilled(FILL),
]
BACKWARD = [
    one_trigger.trigger_function(),
    "DROP FUNCTION IF EXISTS therapists_finder_places(text, text, text, double precision, "
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
