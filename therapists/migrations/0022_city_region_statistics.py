"""PostgreSQL: statistics of cities and regions taken together.

A "City, Region" location (``UPPER(city) = 'CHICAGO' AND (UPPER(region) =
'IL' OR ...)``) is almost always as selective as the city alone: a city's
listings are in its region. Assuming the two independent, the planner
estimated the Chicago listings of Illinois at a sixteenth of their number and
planned the first page of results as a read of all of them (61,527 rows,
0.6 s at 1,000,000 listings) instead of the covering index's order, which it
uses for "Chicago" alone (1 ms). A most-common-values list of the two
expressions together gives it the real figure for the big cities, which are
the ones where the difference matters.
"""

from django.db import migrations

from mhsite.pg_operations import RunSQLOnPostgreSQL

CREATE = [
    "CREATE STATISTICS IF NOT EXISTS therapist_city_region_stats (mcv) "
    "ON UPPER(city::text), UPPER(region::text) FROM therapists_therapist",
    "ANALYZE therapists_therapist",
]
DROP = ["DROP STATISTICS IF EXISTS therapist_city_region_stats"]


class Migration(migrations.Migration):
    dependencies = [
        ("therapists", "0021_listing_indexes_queries_read"),
    ]

    operations = [
        RunSQLOnPostgreSQL(CREATE, reverse_sql=DROP),
    ]
