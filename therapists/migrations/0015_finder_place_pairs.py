"""PostgreSQL: facet counts per place, for searches whose only filter is where.

A search for a city ("location=Chicago") or around a point ("near me, 25 km")
matches a few percent of the listings, and counting their facets meant
unnesting the codes of every one of them: at 1,000,000 listings, 60,000
listings and a million codes per search. ``therapists_finder_place_pair``
holds, for each place key and code, how many listed listings have both, so
such a search reads a few thousand count rows instead.

A listing's place keys (``therapists_finder_places``):

- ``c:<CITY>``, ``r:<REGION>`` and ``cr:<length of CITY>:<CITY><REGION>``,
  upper-cased as the finder's case-insensitive match compares them. "City or
  region X" is then ``c:X + r:X - cr:X X`` (inclusion-exclusion; a listing has
  one region, so several spellings of a region add up without overlap);
- ``g:<i>:<j>``: the grid cell of 0.05 degrees holding its coordinates
  (``floor(latitude / 0.05)``, ``floor(longitude / 0.05)``). A search circle
  sums the cells entirely inside it and counts the listings of the cells on its
  edge one by one (therapists/finder/place_counts.py), found through an index
  on the cell.

The codes are those of the pair table (migration 0009, ``therapists_finder_codes``).
The same statement-level triggers as the other count tables (migration 0013:
planned per firing, only the changed products written on update, JIT off)
keep the table exact on every INSERT (COPY included), UPDATE, DELETE and
TRUNCATE of listings; fillfactor 70 keeps its updates heap-only. ``manage.py
rebuild_finder`` rebuilds and verifies it with the others. SQLite: nothing.
"""

import importlib

from django.db import migrations

from mhsite.pg_operations import RunSQLOnPostgreSQL

pairs = importlib.import_module("therapists.migrations.0009_finder_pair_counts")
scale = importlib.import_module("therapists.migrations.0013_finder_scale")

TABLE = "therapists_finder_place_pair"
CELL_DEGREES = 0.05

CELL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION therapists_finder_cell(latitude double precision,
    longitude double precision) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 'g:' || floor(latitude / {CELL_DEGREES}::double precision)::bigint
        || ':' || floor(longitude / {CELL_DEGREES}::double precision)::bigint
$$
"""
PLACES_FUNCTION = """
CREATE OR REPLACE FUNCTION therapists_finder_places(city text, region text,
    latitude double precision, longitude double precision)
RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_remove(ARRAY[
        'c:' || upper(city),
        'r:' || upper(region),
        'cr:' || length(upper(city)) || ':' || upper(city) || upper(region),
        therapists_finder_cell(latitude, longitude)
    ], NULL)
$$
"""


def places_of(alias: str) -> str:
    return (
        f"therapists_finder_places({alias}.city, {alias}.region, "
        f"{alias}.latitude, {alias}.longitude)"
    )


def all_products(alias: str, sign: int) -> str:
    """Every (place, code) product of the rows inserted (``n``) or deleted (``o``)."""
    rows = {"n": "new_rows", "o": "old_rows"}[alias]
    source = (
        f"SELECT {places_of(alias)} AS places, {pairs.codes_of(alias)} AS codes "  # noqa: S608
        f"FROM {rows} {alias} WHERE {alias}.is_published"
    )
    return scale.signed_products(TABLE, "place", "code", f"SELECT places, codes, {sign}", source)


UPDATED = scale.signed_products(
    TABLE,
    "place",
    "code",
    scale.moved("p0", "c0", "p1", "c1")
    + scale.delta(
        scale.both("p0", "p1"),
        scale.minus("p1", "p0"),
        scale.minus("p0", "p1"),
        scale.minus("c1", "c0"),
        scale.minus("c0", "c1"),
        "c1",
        "c0",
    ),
    "SELECT * FROM ("  # noqa: S608
    + scale.changed_rows(f"{scale.codes_columns()}, {places_of('o')} AS p0, {places_of('n')} AS p1")
    + ") AS listing WHERE was_listed IS DISTINCT FROM is_listed OR c0 IS DISTINCT FROM c1 "
    "OR p0 IS DISTINCT FROM p1",
)

TRIGGER_FUNCTION = scale.trigger_function(
    "therapists_finder_place_pairs_on_write",
    TABLE,
    all_products("n", 1),
    all_products("o", -1),
    UPDATED,
)

# The same rows as maintenance.rebuild() computes (therapists/finder/maintenance.py):
# each listing's codes unnested once, grouped by city and region and by cell;
# the city groups then give the three city/region keys.
FILL = (
    f"INSERT INTO {TABLE} (place, code, listings) "  # noqa: S608
    "SELECT key.place, grouped.code, SUM(grouped.listings) FROM ("
    "SELECT GROUPING(city, region) AS city_ungrouped, city, region, cell, code, "
    "COUNT(*) AS listings "
    "FROM (SELECT upper(t.city) AS city, upper(t.region) AS region, "
    f"therapists_finder_cell(t.latitude, t.longitude) AS cell, unnest({pairs.codes_of('t')}) "
    "AS code FROM therapists_therapist t WHERE t.is_published) AS listing_code "
    "GROUP BY GROUPING SETS ((city, region, code), (cell, code))) AS grouped, "
    "unnest(CASE WHEN grouped.city_ungrouped = 0 THEN ARRAY['c:' || grouped.city, "
    "'r:' || grouped.region, 'cr:' || length(grouped.city) || ':' || grouped.city || "
    "grouped.region] ELSE ARRAY[grouped.cell] END) AS key (place) "
    "WHERE key.place IS NOT NULL GROUP BY key.place, grouped.code ORDER BY key.place, grouped.code"
)

TRIGGERS = [
    ("insert", "AFTER INSERT", "REFERENCING NEW TABLE AS new_rows"),
    ("update", "AFTER UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ("delete", "AFTER DELETE", "REFERENCING OLD TABLE AS old_rows"),
    ("truncate", "AFTER TRUNCATE", ""),
]

CREATE = [
    CELL_FUNCTION,
    PLACES_FUNCTION,
    f"CREATE TABLE IF NOT EXISTS {TABLE} (place text NOT NULL, code bigint NOT NULL, "
    "listings integer NOT NULL, PRIMARY KEY (place, code)) "
    "WITH (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02)",
    TRIGGER_FUNCTION,
    *(
        f"CREATE TRIGGER therapists_finder_place_pairs_{name} {when} ON therapists_therapist "
        f"{referencing} FOR EACH STATEMENT "
        "EXECUTE FUNCTION therapists_finder_place_pairs_on_write()"
        for name, when, referencing in TRIGGERS
    ),
    # One aggregation of every listing's places x codes: in memory, not in batches on disk.
    "SET LOCAL work_mem = '256MB'",
    FILL,
    "RESET work_mem",
    f"ANALYZE {TABLE}",
    # The listings of a circle's edge cells, found without reading the others.
    "CREATE INDEX IF NOT EXISTS therapist_finder_cell_idx ON therapists_therapist "
    "(therapists_finder_cell(latitude, longitude)) WHERE is_published",
    "ANALYZE therapists_therapist",
]
DROP = [
    "DROP INDEX IF EXISTS therapist_finder_cell_idx",
    *(
        f"DROP TRIGGER IF EXISTS therapists_finder_place_pairs_{name} ON therapists_therapist"
        for name, _when, _referencing in TRIGGERS
    ),
    "DROP FUNCTION IF EXISTS therapists_finder_place_pairs_on_write()",
    f"DROP TABLE IF EXISTS {TABLE}",
    "DROP FUNCTION IF EXISTS therapists_finder_places(text, text, double precision, "
    "double precision)",
    "DROP FUNCTION IF EXISTS therapists_finder_cell(double precision, double precision)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("therapists", "0014_bio_size_limit"),
    ]

    operations = [
        RunSQLOnPostgreSQL(CREATE, reverse_sql=DROP),
    ]
