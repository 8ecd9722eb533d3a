"""PostgreSQL: per-code bitmaps of listing ids, kept by a statement-level trigger.

A search with several filters counted every listed entry of a covering index
(~97,000 at 100,000 listings, ~970,000 at 1,000,000), because any one of its
filters may be the one a counted listing fails (``listing_counts.py``). The
bitmaps answer the same counts with a few AND and population counts per code:

- ``therapists_finder_bitmap (code, chunk, bits)``: bit ``id & 4095`` of the
  row ``(code, id >> 12)`` is set when the listed listing ``id`` has ``code``
  (``therapists_finder_bitmap_codes``: migration 0009's codes, plus one code
  for the minimum fee, group 24, so a maximum fee is the OR of the fees up to
  it). Every row is 4,096 bits (512 bytes): inline and uncompressed
  (``STORAGE PLAIN``, below the 2 kB at which PostgreSQL would try to
  compress). A row whose listings all went is kept, all zeros.
- **Written by flipping bits.** A listing gaining a code (or being listed,
  inserted) has that bit clear, one losing it (or unlisted, deleted) has it
  set, so every change is an XOR: the trigger pairs each changed listing's old
  and new codes, keeps those in one set only, ORs them into one mask per
  ``(code, chunk)`` (``therapists_finder_bits``, a ``set_bit`` aggregate) and
  upserts ``bits # mask``: one row written per touched (code, chunk), in key
  order. An update pairs old and new rows by ``(id, code)``, not by the id
  alone, so it is exact even when the id itself changes.
- Planned per firing (``EXECUTE``) and JIT off, as the count trigger
  (migrations 0013, 0017). ``TRUNCATE`` of the listings empties the table.
- ``fillfactor = 70``: an XOR rewrites a 540-byte row, which then fits on its
  page (heap-only, no index entry, pruned without VACUUM); autovacuum visits
  the table after 2% of its rows changed, unthrottled.
"""

from django.db import migrations

from mhsite.pg_operations import RunSQLOnPostgreSQL

TABLE = "therapists_finder_bitmap"
LISTINGS = "therapists_therapist"
FUNCTION = "therapists_finder_bitmaps_on_write"
# Frozen copies of therapists/finder/bitmaps.py's and codes.py's numbers.
CHUNK_SHIFT = 12
BITS = 1 << CHUNK_SHIFT
FEE_GROUP = 24
TERM_ID_BITS = 32

CREATE_TABLE = f"""
CREATE TABLE {TABLE} (
    code bigint NOT NULL,
    chunk integer NOT NULL,
    bits bit varying NOT NULL,
    CONSTRAINT {TABLE}_pkey PRIMARY KEY (code, chunk),
    CONSTRAINT {TABLE}_bits_length CHECK (length(bits) = {BITS}),
    CONSTRAINT {TABLE}_chunk_not_negative CHECK (chunk >= 0)
) WITH (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_vacuum_cost_delay = 0)
"""
PLAIN = f"ALTER TABLE {TABLE} ALTER COLUMN bits SET STORAGE PLAIN"
# bit(n) OR'd one position at a time: the mask of one (code, chunk).
AGGREGATE = f"""
CREATE AGGREGATE therapists_finder_bits(integer, integer) (
    sfunc = set_bit, stype = bit, initcond = '{"0" * BITS}'
)
"""
CODES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION therapists_finder_bitmap_codes(
    terms bigint[], in_person boolean, online boolean, gender text,
    sliding_scale boolean, availability text, confirmed_on date, fee_min integer
) RETURNS bigint[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT therapists_finder_codes(terms, in_person, online, gender, sliding_scale,
        availability, confirmed_on)
        || CASE WHEN fee_min IS NULL THEN '{{}}'::bigint[]
            ELSE ARRAY[({FEE_GROUP}::bigint << {TERM_ID_BITS}) | fee_min] END
$$
"""


def codes_of(alias: str) -> str:
    columns = (
        "finder_terms",
        "in_person",
        "online",
        "gender",
        "sliding_scale",
        "availability",
        "availability_confirmed_on",
        "fee_min",
    )
    return f"therapists_finder_bitmap_codes({', '.join(f'{alias}.{c}' for c in columns)})"


def listed_codes(rows: str, alias: str) -> str:
    """Each listed row's ``(id, code)``; no codes (NULL) for the others.

    Tested in the select list, not as a filter of the transition table's
    scan, whose estimate then stays the firing's row count.
    """
    return (
        f"SELECT {alias}.id, unnest(CASE WHEN {alias}.is_published "  # noqa: S608
        f"THEN {codes_of(alias)} END) AS code FROM {rows} {alias}"
    )


def flip(flips: str) -> str:
    """XOR each ``(id, code)`` of ``flips`` into its row, one upsert per (code, chunk)."""
    return (
        f"INSERT INTO {TABLE} AS bitmap (code, chunk, bits) "  # noqa: S608
        f"SELECT flip.code, (flip.id >> {CHUNK_SHIFT})::integer, "
        f"therapists_finder_bits((flip.id & {BITS - 1})::integer, 1) "
        f"FROM ({flips}) AS flip GROUP BY 1, 2 ORDER BY 1, 2 "
        "ON CONFLICT (code, chunk) DO UPDATE SET bits = bitmap.bits # excluded.bits"
    )


UPDATED_FLIPS = (
    "SELECT id, code FROM ("  # noqa: S608
    f"{listed_codes('old_rows', 'o')} UNION ALL {listed_codes('new_rows', 'n')}"
    ") AS listing_code GROUP BY id, code HAVING COUNT(*) = 1"
)


def trigger_function() -> str:
    def run(sql: str) -> str:
        return f"EXECUTE $statement${sql}$statement$;"

    emptied = f"DELETE FROM {TABLE};"  # noqa: S608
    return f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {run(flip(listed_codes("new_rows", "n")))}
    ELSIF TG_OP = 'DELETE' THEN
        {run(flip(listed_codes("old_rows", "o")))}
    ELSIF TG_OP = 'UPDATE' THEN
        {run(flip(UPDATED_FLIPS))}
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
    f"CREATE TRIGGER therapists_finder_bitmaps_{name} {when} ON {LISTINGS} {referencing} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
    for name, when, referencing in EVENTS
]
# Existing listings: the same rows the trigger would have written.
FILL = (
    f"INSERT INTO {TABLE} (code, chunk, bits) "  # noqa: S608
    f"SELECT code, (id >> {CHUNK_SHIFT})::integer, "
    f"therapists_finder_bits((id & {BITS - 1})::integer, 1) "
    f"FROM ({listed_codes(LISTINGS, 'listing')}) AS listing_code GROUP BY 1, 2 ORDER BY 1, 2"
)
FORWARD = [
    CREATE_TABLE,
    PLAIN,
    AGGREGATE,
    CODES_FUNCTION,
    trigger_function(),
    *TRIGGERS,
    FILL,
]
BACKWARD = [
    *(
        f"DROP TRIGGER IF EXISTS therapists_finder_bitmaps_{name} ON {LISTINGS}"
        for name, *_ in EVENTS
    ),
    f"DROP FUNCTION IF EXISTS {FUNCTION}()",
    "DROP FUNCTION IF EXISTS therapists_finder_bitmap_codes(bigint[], boolean, boolean, text, "
    "boolean, text, date, integer)",
    "DROP AGGREGATE IF EXISTS therapists_finder_bits(integer, integer)",
    f"DROP TABLE IF EXISTS {TABLE}",
]


class Migration(migrations.Migration):
    dependencies = [
        ("therapists", "0018_finder_cell_cover_index"),
    ]

    operations = [
        RunSQLOnPostgreSQL(FORWARD, reverse_sql=BACKWARD),
    ]
