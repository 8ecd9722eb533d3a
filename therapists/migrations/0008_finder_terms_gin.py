"""PostgreSQL: a GIN index on ``finder_terms`` for selective vocabulary filters.

A filter on a rarely used term (a less common language, an identity) is an
``&&`` on ``finder_terms``; with this index it reads the few matching listings
instead of testing every listed row. SQLite has no such column (see 0006).
"""

from django.db import migrations

from mhsite.pg_operations import RunSQLOnPostgreSQL

CREATE = [
    "CREATE INDEX IF NOT EXISTS therapist_finder_terms_gin "
    "ON therapists_therapist USING gin (finder_terms) WHERE is_published",
]
DROP = ["DROP INDEX IF EXISTS therapist_finder_terms_gin"]


class Migration(migrations.Migration):
    dependencies = [
        ("therapists", "0007_finder_location_upper_indexes"),
    ]

    operations = [
        RunSQLOnPostgreSQL(CREATE, reverse_sql=DROP),
    ]
