"""PostgreSQL: the search circle found by grid cell, from one covering index.

A search around a point used to find its listings through the (latitude,
longitude) indexes: a range on latitude is a band around the whole globe, in
which the longitude is only a filter (at 1,000,000 listings, a 10 km circle in
New York scanned ~20,000 entries of the band for ~2,000 in the box), and the
codes the counts unnest were then read from the wide listing rows. The finder
now also asks for the circle's grid cells (migration 0015's
``therapists_finder_cell``, 0.05 degrees): this index is keyed on the cell and
holds what the counts and a "nearest first" page read, so both are index-only
scans of the cells the circle touches (therapists/finder/geo.py,
``circle_filter``). It replaces ``therapist_finder_cell_idx`` (the cell and
the id only), which the edge cells of the place counts used. Partial on
``is_published`` like the finder's other indexes. SQLite: nothing.
"""

from django.db import migrations

from mhsite.pg_operations import RunSQLOnPostgreSQL

CREATE = [
    "CREATE INDEX IF NOT EXISTS therapist_finder_cell_cover_idx ON therapists_therapist "
    "(therapists_finder_cell(latitude, longitude)) INCLUDE (latitude, longitude, "
    "availability_confirmed_on, name, id, finder_terms, in_person, online, gender, "
    "sliding_scale, availability, fee_min) WHERE is_published",
    "DROP INDEX IF EXISTS therapist_finder_cell_idx",
]
DROP = [
    "CREATE INDEX IF NOT EXISTS therapist_finder_cell_idx ON therapists_therapist "
    "(therapists_finder_cell(latitude, longitude)) WHERE is_published",
    "DROP INDEX IF EXISTS therapist_finder_cell_cover_idx",
]


class Migration(migrations.Migration):
    dependencies = [
        ("therapists", "0017_finder_one_count_trigger"),
    ]

    operations = [
        RunSQLOnPostgreSQL(CREATE, reverse_sql=DROP),
    ]
