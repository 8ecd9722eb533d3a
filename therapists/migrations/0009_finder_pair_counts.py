"""PostgreSQL: precomputed co-occurrence counts for the finder's facets.

Counting facets by unnesting every matching listing's codes costs about half a
second when a search matches most of the 100,000 listings. Most searches are
either unfiltered or filtered on one thing (a specialty, a language, online
only, accepting new clients), and every facet count of such a search is a
co-occurrence count: how many listed listings have both code ``a`` (the filter)
and code ``b`` (the option counted). This migration keeps those counts in
``therapists_finder_pair``, exact on every write, so those searches read a few
hundred rows instead of unnesting a hundred thousand arrays.

A listing's codes (``therapists_finder_codes``) are its ``finder_terms``
(vocabulary terms, ``group << 32 | term id``, see migration 0006) plus codes for
the finder's other facets, in groups that no vocabulary uses:

- ``0``: every listed listing has it (so row ``a = 0`` holds the plain totals);
- group 20: session formats (1 in person, 2 online);
- group 21: gender category (the numbers in ``GENDERS`` below);
- group 22: sliding scale (1);
- group 23: accepting new clients, keyed by the day availability was last
  confirmed (days since 1970-01-01), so "accepting and confirmed since the
  freshness cutoff" is a range of codes whatever today's cutoff is.

The group numbers and the gender numbers are mirrored in
``therapists/finder/codes.py``; change both together, in a new migration that
replaces the function and rebuilds the counts.

Statement-level AFTER triggers with transition tables keep the counts exact for
every INSERT (including COPY), UPDATE and DELETE of listings: one grouped upsert
per statement, rows sorted so concurrent writers take the row locks in the same
order. Updates that change none of a listing's codes and not its published flag
add nothing. TRUNCATE of the listings empties the counts. ``manage.py
rebuild_finder`` rebuilds them from scratch.

SQLite has no arrays and no such triggers; there the finder counts through the
relation tables, and this migration does nothing.
"""

from django.db import migrations

from therapists.pg_operations import run_on_postgresql

# Frozen copies of the numbers in therapists/finder/codes.py at the time of writing.
TOTAL_CODE = 0
FORMAT_GROUP, GENDER_GROUP, SLIDING_GROUP, ACCEPTING_GROUP = 20, 21, 22, 23
GENDERS = {
    "woman": 1,
    "man": 2,
    "non_binary": 3,
    "genderqueer": 4,
    "two_spirit": 5,
    "agender": 6,
    "another": 7,
}


def code(group: int, number: str) -> str:
    return f"(({group}::bigint << 32) | {number})"


GENDER_CASE = " ".join(
    f"WHEN '{value}' THEN {code(GENDER_GROUP, str(number))}" for value, number in GENDERS.items()
)
CODES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION therapists_finder_codes(
    terms bigint[], in_person boolean, online boolean, gender text,
    sliding_scale boolean, availability text, confirmed_on date
) RETURNS bigint[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY[{TOTAL_CODE}::bigint] || terms || array_remove(ARRAY[
        CASE WHEN in_person THEN {code(FORMAT_GROUP, "1")} END,
        CASE WHEN online THEN {code(FORMAT_GROUP, "2")} END,
        CASE gender {GENDER_CASE} END,
        CASE WHEN sliding_scale THEN {code(SLIDING_GROUP, "1")} END,
        CASE WHEN availability = 'accepting' AND confirmed_on IS NOT NULL
            THEN {code(ACCEPTING_GROUP, "(confirmed_on - DATE '1970-01-01')")} END
    ], NULL)
$$
"""


def codes_of(alias: str) -> str:
    return (
        f"therapists_finder_codes({alias}.finder_terms, {alias}.in_person, {alias}.online, "
        f"{alias}.gender, {alias}.sliding_scale, {alias}.availability, "
        f"{alias}.availability_confirmed_on)"
    )


def add_pairs(changes: str) -> str:
    """Add ``sign`` to the count of every code pair of each row of ``changes(codes, sign)``."""
    return f"""
    INSERT INTO therapists_finder_pair AS pair (a, b, listings)
    SELECT a, b, SUM(sign) FROM ({changes}) AS change,
        unnest(change.codes) AS a, unnest(change.codes) AS b
    GROUP BY a, b HAVING SUM(sign) <> 0 ORDER BY a, b
    ON CONFLICT (a, b) DO UPDATE SET listings = pair.listings + excluded.listings;
    """  # noqa: S608


INSERTED = f"SELECT {codes_of('n')} AS codes, 1 AS sign FROM new_rows n WHERE n.is_published"  # noqa: S608
DELETED = f"SELECT {codes_of('o')} AS codes, -1 AS sign FROM old_rows o WHERE o.is_published"  # noqa: S608
# A listed row's old codes come off and its new codes go on; rows whose codes
# and published flag did not change (most saves) contribute nothing.
UPDATED = f"""
    SELECT change.codes, change.sign FROM (
        SELECT o.is_published AS was_listed, {codes_of("o")} AS old_codes,
            n.is_published AS is_listed, {codes_of("n")} AS new_codes
        FROM old_rows o JOIN new_rows n ON n.id = o.id
    ) AS row_change,
    LATERAL (
        SELECT row_change.old_codes, -1 WHERE row_change.was_listed
        UNION ALL SELECT row_change.new_codes, 1 WHERE row_change.is_listed
    ) AS change (codes, sign)
    WHERE row_change.was_listed IS DISTINCT FROM row_change.is_listed
        OR row_change.old_codes IS DISTINCT FROM row_change.new_codes
"""  # noqa: S608
# A bulk statement's pairs (millions for a 5,000-row batch) are aggregated in
# memory rather than spilled to disk at the default work_mem.
TRIGGER_FUNCTION = f"""
CREATE OR REPLACE FUNCTION therapists_finder_pairs_on_write() RETURNS trigger
LANGUAGE plpgsql SET work_mem = '32MB' AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {add_pairs(INSERTED)}
    ELSIF TG_OP = 'DELETE' THEN
        {add_pairs(DELETED)}
    ELSIF TG_OP = 'UPDATE' THEN
        {add_pairs(UPDATED)}
    ELSE
        DELETE FROM therapists_finder_pair;
    END IF;
    RETURN NULL;
END
$$
"""  # noqa: S608
REBUILD = [
    "DELETE FROM therapists_finder_pair",
    add_pairs(
        f"SELECT {codes_of('t')} AS codes, 1 AS sign FROM therapists_therapist t "  # noqa: S608
        "WHERE t.is_published"
    ),
]

CREATE = [
    CODES_FUNCTION,
    "CREATE TABLE IF NOT EXISTS therapists_finder_pair ("
    "a bigint NOT NULL, b bigint NOT NULL, listings integer NOT NULL, PRIMARY KEY (a, b))",
    TRIGGER_FUNCTION,
    "CREATE TRIGGER therapists_finder_pairs_insert AFTER INSERT ON therapists_therapist "
    "REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION therapists_finder_pairs_on_write()",
    "CREATE TRIGGER therapists_finder_pairs_update AFTER UPDATE ON therapists_therapist "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION therapists_finder_pairs_on_write()",
    "CREATE TRIGGER therapists_finder_pairs_delete AFTER DELETE ON therapists_therapist "
    "REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION therapists_finder_pairs_on_write()",
    "CREATE TRIGGER therapists_finder_pairs_truncate AFTER TRUNCATE ON therapists_therapist "
    "FOR EACH STATEMENT EXECUTE FUNCTION therapists_finder_pairs_on_write()",
    *REBUILD,
    "ANALYZE therapists_finder_pair",
]
DROP = [
    "DROP TRIGGER IF EXISTS therapists_finder_pairs_truncate ON therapists_therapist",
    "DROP TRIGGER IF EXISTS therapists_finder_pairs_delete ON therapists_therapist",
    "DROP TRIGGER IF EXISTS therapists_finder_pairs_update ON therapists_therapist",
    "DROP TRIGGER IF EXISTS therapists_finder_pairs_insert ON therapists_therapist",
    "DROP FUNCTION IF EXISTS therapists_finder_pairs_on_write()",
    "DROP TABLE IF EXISTS therapists_finder_pair",
    "DROP FUNCTION IF EXISTS therapists_finder_codes("
    "bigint[], boolean, boolean, text, boolean, text, date)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("therapists", "0008_finder_terms_gin"),
    ]

    operations = [
        migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP)),
    ]
