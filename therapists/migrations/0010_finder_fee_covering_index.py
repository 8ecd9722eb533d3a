"""PostgreSQL: a covering index for the finder's maximum fee filter.

A search with a maximum fee and a few vocabulary filters ("CBT, adults,
sliding scale, up to $120") counts its facets over the listings whose minimum
fee is low enough: without this index, a bitmap scan of ``therapist_fee_min_idx``
then a read of every matching row of the wide listing table (about 16,000
pages at 100,000 listings). Keyed on ``fee_min`` and covering what the counts
read (the terms and the other facets' columns), the same listings are an
index-only range scan: at 100,000 listings the count statement of that search
went from 56 ms to 22 ms. Partial on ``is_published`` like the finder's other
indexes; SQLite has no ``finder_terms`` column (see 0006), so there this
migration does nothing.
"""

from django.db import migrations

from mhsite.pg_operations import RunSQLOnPostgreSQL

CREATE = [
    "CREATE INDEX IF NOT EXISTS therapist_finder_fee_cover_idx ON therapists_therapist "
    "(fee_min) INCLUDE (sliding_scale, in_person, online, gender, availability, "
    "availability_confirmed_on, finder_terms) WHERE is_published",
]
DROP = ["DROP INDEX IF EXISTS therapist_finder_fee_cover_idx"]


class Migration(migrations.Migration):
    dependencies = [
        ("therapists", "0009_finder_pair_counts"),
    ]

    operations = [
        RunSQLOnPostgreSQL(CREATE, reverse_sql=DROP),
    ]
