"""PostgreSQL: a GIN index on ``finder_terms`` for selective vocabulary filters.

A filter on a rarely used term (a less common language, an identity) is an
``&&`` on ``finder_terms``; with this index it reads the few matching listings
instead of testing every listed row. SQLite has no such column (see 0006).
"""

from django.db import migrations

CREATE = [
    "CREATE INDEX IF NOT EXISTS therapist_finder_terms_gin "
    "ON therapists_therapist USING gin (finder_terms) WHERE is_published",
]
DROP = ["DROP INDEX IF EXISTS therapist_finder_terms_gin"]


def _run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("therapists", "0007_finder_location_upper_indexes"),
    ]

    operations = [
        migrations.RunPython(_run_on_postgresql(CREATE), _run_on_postgresql(DROP)),
    ]
