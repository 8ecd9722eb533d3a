"""PostgreSQL: statistics of the place expressions the finder filters on.

A "City, Region" location (``UPPER(city) = 'CHICAGO' AND (UPPER(region) =
'IL' OR ...)``) is almost always as selective as the city alone: a city's
listings are in its region. Assuming the two independent, the planner
estimated the Chicago listings of Illinois at a sixteenth of their number and
planned the first page of results as a read of all of them (61,527 rows,
0.6 s at 1,000,000 listings) instead of the covering index's order, which it
uses for "Chicago" alone (1 ms). A most-common-values list of the two
expressions together gives it the real figure for the big cities, which are
the ones where the difference matters.

A postal code's prefix (``UPPER(postal_code) LIKE '60614%'``) had no
statistics at all: ANALYZE keeps none for the expression of a partial index
(``therapist_postal_upper_idx``, migration 0021), so the planner guessed 486
listings for 60 and walked the results' index in order through a third of
the directory (21-48 ms at 100,000 listings) rather than reading the 60.
Its target is 300, not the default 100: a directory has thousands of
postal codes, and with 100 histogram buckets a whole code's prefix was
estimated at 8,806 listings for 630 at 1,000,000 (the same in-order walk,
45 ms); with 300, 699 (a read of the 630, 3-15 ms). ANALYZE then samples
90,000 rows of the listing table instead of 30,000 (a target of 1,000 made
it 40 s at 1,000,000 listings).
"""

from django.db import migrations

from mhsite.pg_operations import RunSQLOnPostgreSQL

CREATE = [
    "CREATE STATISTICS IF NOT EXISTS therapist_city_region_stats (mcv) "
    "ON UPPER(city::text), UPPER(region::text) FROM therapists_therapist",
    "CREATE STATISTICS IF NOT EXISTS therapist_postal_upper_stats "
    "ON UPPER(postal_code::text) FROM therapists_therapist",
    "ALTER STATISTICS therapist_postal_upper_stats SET STATISTICS 300",
    "ANALYZE therapists_therapist",
]
DROP = [
    "DROP STATISTICS IF EXISTS therapist_postal_upper_stats",
    "DROP STATISTICS IF EXISTS therapist_city_region_stats",
]


class Migration(migrations.Migration):
    dependencies = [
        ("therapists", "0021_listing_indexes_queries_read"),
    ]

    operations = [
        RunSQLOnPostgreSQL(CREATE, reverse_sql=DROP),
    ]
