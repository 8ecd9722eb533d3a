"""PostgreSQL: the listings' distinct names, trigram-indexed, kept by a statement-level trigger.

A text search matched misspelled names with ``name %> q`` through a trigram
index on the listing table (migration 0003), then handed the matching ids to
every statement of the request (``id = ANY(ids)``). At 1,000,000 listings a
surname gives ~4,500 ids: the index scan merged the long posting lists of
common trigrams ("ley", "kes"), its recheck read ~4,400 listing pages, and
each statement carried, planned and probed the 4,500 ids one by one.

- ``therapists_finder_name (name, listings)``: every distinct name a listing
  has (listed or not) and how many listings have it, with a trigram GIN
  index. The trigram match runs on it (``text.SimilarNames``), and the
  statements test ``name = ANY(names)`` (a few distinct names, through
  ``therapist_name_idx``) instead of thousands of ids. Exact: ``name %> q``
  is a function of the name alone, so a listing's name matches exactly when
  its row here does; a row whose count fell to zero is kept (and skipped by
  the match) until ``rebuild_finder`` drops it.
- Written by one upsert per firing: each changed listing adds 1 under its new
  name and takes 1 from its old one; names whose sum is zero (every update
  that keeps the name) are not written; rows in key order. Planned per
  firing (``EXECUTE``) and JIT off, as the count triggers (0013, 0017, 0019).
  ``TRUNCATE`` of the listings empties the table.
- ``therapist_name_trgm_gin`` on the listing table is dropped: nothing reads
  it any more, and every listing insert and name change paid for it.
"""

from django.db import migrations

from mhsite.pg_operations import RunSQLOnPostgreSQL

TABLE = "therapists_finder_name"
LISTINGS = "therapists_therapist"
FUNCTION = "therapists_finder_names_on_write"

CREATE = [
    f"""
CREATE TABLE {TABLE} (
    name text NOT NULL,
    listings integer NOT NULL,
    CONSTRAINT {TABLE}_pkey PRIMARY KEY (name)
) WITH (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_vacuum_cost_delay = 0)
""",
    f"CREATE INDEX therapist_name_idx ON {LISTINGS} (name) WHERE is_published",
]


def upsert(deltas: str) -> str:
    """Add each ``(name, delta)`` of ``deltas`` to its row, one upsert, names in order."""
    return (
        f"INSERT INTO {TABLE} AS known (name, listings) "  # noqa: S608
        f"SELECT delta.name, SUM(delta.listings) FROM ({deltas}) AS delta "
        "GROUP BY delta.name HAVING SUM(delta.listings) <> 0 ORDER BY delta.name "
        "ON CONFLICT (name) DO UPDATE SET listings = known.listings + excluded.listings"
    )


ADDED = "SELECT name, 1 AS listings FROM new_rows"
REMOVED = "SELECT name, -1 AS listings FROM old_rows"


def trigger_function() -> str:
    def run(sql: str) -> str:
        return f"EXECUTE $statement${sql}$statement$;"

    emptied = f"DELETE FROM {TABLE};"  # noqa: S608
    return f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {run(upsert(ADDED))}
    ELSIF TG_OP = 'DELETE' THEN
        {run(upsert(REMOVED))}
    ELSIF TG_OP = 'UPDATE' THEN
        {run(upsert(f"{REMOVED} UNION ALL {ADDED}"))}
    ELSE
        {emptied}
    END IF;
    RETURN NULL;
END
$$
"""


EVENTS = (
    ("insert", "AFTER INSERT", "REFERENCING NEW TABLE AS new_rows"),
    ("update", "AFTER UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ("delete", "AFTER DELETE", "REFERENCING OLD TABLE AS old_rows"),
    ("truncate", "AFTER TRUNCATE", ""),
)
TRIGGERS = [
    f"CREATE TRIGGER therapists_finder_names_{name} {when} ON {LISTINGS} {referencing} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
    for name, when, referencing in EVENTS
]
FILL = (
    f"INSERT INTO {TABLE} (name, listings) "  # noqa: S608
    f"SELECT name, COUNT(*) FROM {LISTINGS} GROUP BY name ORDER BY name"
)
OLD_INDEX = "therapist_name_trgm_gin"
FORWARD = [
    *CREATE,
    trigger_function(),
    *TRIGGERS,
    FILL,
    # Built once filled: smaller than one grown row by row.
    f"CREATE INDEX {TABLE}_trgm_gin ON {TABLE} USING gin (name gin_trgm_ops)",
    f"ANALYZE {TABLE}",
    f"DROP INDEX IF EXISTS {OLD_INDEX}",
]
BACKWARD = [
    f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON {LISTINGS} USING gin (name gin_trgm_ops)",
    *(
        f"DROP TRIGGER IF EXISTS therapists_finder_names_{name} ON {LISTINGS}"
        for name, *_ in EVENTS
    ),
    f"DROP FUNCTION IF EXISTS {FUNCTION}()",
    "DROP INDEX IF EXISTS therapist_name_idx",
    f"DROP TABLE IF EXISTS {TABLE}",
]


class Migration(migrations.Migration):
    dependencies = [
        ("therapists", "0019_finder_bitmaps"),
    ]

    operations = [
        RunSQLOnPostgreSQL(FORWARD, reverse_sql=BACKWARD),
    ]
