"""PostgreSQL-only indexes for the finder's text search.

The GIN index on ``search_vector`` serves full-text matches; the trigram index
on ``name`` (pg_trgm) serves misspelled names. SQLite has neither feature, and
the finder uses a simpler matcher there, so these operations do nothing on
other databases: the same migrations run on both.
"""

from django.db import migrations

from mhsite.pg_operations import RunSQLOnPostgreSQL

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS therapist_search_vector_gin "
    "ON therapists_therapist USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS therapist_name_trgm_gin "
    "ON therapists_therapist USING gin (name gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS therapist_name_trgm_gin",
    "DROP INDEX IF EXISTS therapist_search_vector_gin",
]


class Migration(migrations.Migration):
    dependencies = [
        ("therapists", "0002_therapist_search_vector"),
    ]

    operations = [
        RunSQLOnPostgreSQL(CREATE, reverse_sql=DROP),
    ]
