"""Listing indexes that match what queries read.

Every index of the listing table is written by each non-HOT update of a
listing: a bulk edit of 1,000 listings at 1,000,000 rows writes 1,000 entries
into each of them. Three were read by no query and go: ``fee_min`` (the fee
filter reads it through ``therapist_finder_fee_cover_idx``, migration 0010),
``fee_max`` (nothing filters on it) and ``postal_code``, which the finder
matches case-insensitively (``istartswith``: ``UPPER(postal_code) LIKE
'97205%'``), so a plain index on the column served nothing. A postal code
typed as the location read the whole table instead: 4.9 s at 1,000,000
listings. On PostgreSQL the finder now has the index that such a match can
use, on ``UPPER(postal_code)`` with ``text_pattern_ops`` (a prefix ``LIKE``)
and partial on ``is_published`` like the finder's other indexes.
"""

from django.db import migrations

from mhsite.pg_operations import RunSQLOnPostgreSQL

CREATE = [
    "CREATE INDEX IF NOT EXISTS therapist_postal_upper_idx ON therapists_therapist "
    "((UPPER(postal_code::text)) text_pattern_ops) WHERE is_published",
]
DROP = ["DROP INDEX IF EXISTS therapist_postal_upper_idx"]


class Migration(migrations.Migration):
    dependencies = [
        ("therapists", "0020_finder_names"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="therapist", name="therapist_postal_idx"),
        migrations.RemoveIndex(model_name="therapist", name="therapist_fee_min_idx"),
        migrations.RemoveIndex(model_name="therapist", name="therapist_fee_max_idx"),
        RunSQLOnPostgreSQL(CREATE, reverse_sql=DROP),
    ]
