"""A PostgreSQL index that serves the finder's default order and its counts.

Keyed on the "most recently confirmed" order (``availability_confirmed_on DESC
NULLS LAST, name, id``) so a page of the default sort is an index scan, and
covering every column the finder filters on, so the result count and the facet
counts are index-only scans instead of reads of the wide listing rows (bio,
rendered bio, search vector). Partial on ``is_published``: the finder only
ever reads listed therapists. SQLite cannot express it (NULLS LAST, INCLUDE),
so there this migration does nothing.
"""

from django.db import migrations

from mhsite.pg_operations import RunSQLOnPostgreSQL

CREATE = [
    "CREATE INDEX IF NOT EXISTS therapist_finder_cover_idx ON therapists_therapist "
    "(availability_confirmed_on DESC NULLS LAST, name, id) "
    "INCLUDE (availability, in_person, online, sliding_scale, fee_min, gender, "
    "latitude, longitude, city, region, postal_code) "
    "WHERE is_published",
]
DROP = ["DROP INDEX IF EXISTS therapist_finder_cover_idx"]


class Migration(migrations.Migration):
    dependencies = [
        ("therapists", "0004_constraint_messages"),
    ]

    operations = [
        RunSQLOnPostgreSQL(CREATE, reverse_sql=DROP),
    ]
