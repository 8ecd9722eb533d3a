"""PostgreSQL: a covering index for "nearest first" result pages.

A search around a point orders every listing in its circle by distance (after
the stale ones) to show a page of 20. Found through ``therapist_lat_lng_idx``,
each of those listings was a visit to its row in the wide listing table:
60,000 rows scattered over the table for "near me, 25 km" in a big city at
1,000,000 listings. This index holds what that ordering reads (coordinates,
confirmation date, name, id), so the first stage of the results statement
(therapists/finder/query.py, ``ResultPages``) is an index-only range scan, and
only the page's 20 rows are read from the table. Partial on ``is_published``
like the finder's other indexes. SQLite: nothing.
"""

from django.db import migrations

from mhsite.pg_operations import RunSQLOnPostgreSQL

CREATE = [
    "CREATE INDEX IF NOT EXISTS therapist_finder_near_idx ON therapists_therapist "
    "(latitude, longitude) INCLUDE (availability_confirmed_on, name, id) WHERE is_published",
]
DROP = ["DROP INDEX IF EXISTS therapist_finder_near_idx"]


class Migration(migrations.Migration):
    dependencies = [
        ("therapists", "0015_finder_place_pairs"),
    ]

    operations = [
        RunSQLOnPostgreSQL(CREATE, reverse_sql=DROP),
    ]
