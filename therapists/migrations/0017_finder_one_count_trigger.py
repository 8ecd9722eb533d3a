"""PostgreSQL: one trigger function keeps all three count tables, each listing read once.

Migrations 0013 and 0015 left three statement-level trigger functions (code
pairs, word/code pairs, place/code pairs), each reading the transition tables
and computing every changed listing's codes on its own. A bulk update of 1,000
listings took 1.7-3.9 s at 100,000-1,000,000 listings on a loaded machine,
and ``auto_explain`` showed why beyond the table's own index maintenance:

- **Expressions evaluated many times per row.** The per-row arrays (codes,
  words, places) were columns of a subquery that the planner flattens into
  every place they are used: the set differences, the filters and each branch
  of the products. ``therapists_finder_places()`` ran 7,760 times for 1,000
  rows. Here the arrays are computed once per row in a ``MATERIALIZED`` CTE,
  and their differences once in a second one.
- **SQL functions that could not be inlined.** ``therapists_finder_cell()``
  and ``therapists_finder_places()`` are ``IMMUTABLE`` but concatenated numbers
  to text with ``text || anynonarray``, which is only ``STABLE``, so
  PostgreSQL ran each call as a separate query (~0.1 ms each), in the
  triggers and in the maintenance of the cell index for every updated row.
  They are replaced by the same functions with explicit ``::text`` casts,
  which return the same text and are inlined.
- **Three passes.** One function now computes all three tables' deltas in one
  statement (three upserts as data-modifying CTEs over the same rows), so a
  firing reads its transition tables and computes each listing's codes once.

Unchanged from 0013: planned per firing (``EXECUTE``), JIT off, only the
changed products written on update (kept x added, kept x removed, added x new,
removed x old; see 0013's docstring), groups with a zero sum skipped, rows
written in key order (concurrent writers lock them in the same order; the
upserts run in the order written), ``TRUNCATE`` of the listings empties the
tables. Listings neither listed before nor after are skipped. When a listing's
words (or places) did not change, which is most saves and bulk flag edits,
its kept words are its words and no set difference is computed.
"""

import importlib

from django.db import migrations

from mhsite.pg_operations import RunSQLOnPostgreSQL

pairs = importlib.import_module("therapists.migrations.0009_finder_pair_counts")
word_pairs = importlib.import_module("therapists.migrations.0011_finder_word_pair_counts")
scale = importlib.import_module("therapists.migrations.0013_finder_scale")
places = importlib.import_module("therapists.migrations.0015_finder_place_pairs")

FUNCTION = "therapists_finder_counts_on_write"
LISTINGS = "therapists_therapist"
# Each count table: (name, its first key column, the per-listing array that
# fills it, in the changed-rows CTE). The second column is always the code.
TABLES = (
    ("therapists_finder_pair", "a", "c", "b"),
    ("therapists_finder_word_pair", "word", "w", "code"),
    ("therapists_finder_place_pair", "place", "p", "code"),
)
OLD_FUNCTIONS = (
    "therapists_finder_pairs_on_write",
    "therapists_finder_word_pairs_on_write",
    "therapists_finder_place_pairs_on_write",
)
EVENTS = (
    ("insert", "AFTER INSERT", "REFERENCING NEW TABLE AS new_rows"),
    ("update", "AFTER UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ("delete", "AFTER DELETE", "REFERENCING OLD TABLE AS old_rows"),
    ("truncate", "AFTER TRUNCATE", ""),
)

# The same text as migration 0015's functions, built only of immutable
# operators, so the planner inlines them.
CELL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION therapists_finder_cell(latitude double precision,
    longitude double precision) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 'g:' || floor(latitude / {places.CELL_DEGREES}::double precision)::bigint::text
        || ':' || floor(longitude / {places.CELL_DEGREES}::double precision)::bigint::text
$$
"""
PLACES_FUNCTION = """
CREATE OR REPLACE FUNCTION therapists_finder_places(city text, region text,
    latitude double precision, longitude double precision)
RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_remove(ARRAY[
        'c:' || upper(city),
        'r:' || upper(region),
        'cr:' || length(upper(city))::text || ':' || upper(city) || upper(region),
        therapists_finder_cell(latitude, longitude)
    ], NULL)
$$
"""


def arrays_of(alias: str, suffix: str) -> str:
    """A transition row's codes, words and places, as ``c<suffix>``, ``w<suffix>``, ``p<suffix>``."""
    return (
        f"{pairs.codes_of(alias)} AS c{suffix}, "
        f"{word_pairs.words_of(alias)} AS w{suffix}, {places.places_of(alias)} AS p{suffix}"
    )


def differences(array: str, *, short: bool) -> str:
    """Kept, added and removed elements of ``<array>0`` -> ``<array>1``, for listings kept listed.

    ``short``: arrays of a few dozen elements, never NULL (codes, places),
    compared element by element; hashing them (``INTERSECT``, ``EXCEPT``)
    cost several times more per row. Words are hashed.
    """
    old, new = f"{array}0", f"{array}1"
    stays = f"was_listed AND is_listed AND {old} IS DISTINCT FROM {new}"
    if short:
        kept = f"ARRAY(SELECT e FROM unnest({new}) AS e WHERE e = ANY({old}))"  # noqa: S608
        added = f"ARRAY(SELECT e FROM unnest({new}) AS e WHERE e <> ALL({old}))"  # noqa: S608
        removed = f"ARRAY(SELECT e FROM unnest({old}) AS e WHERE e <> ALL({new}))"  # noqa: S608
    else:
        kept, added, removed = scale.both(old, new), scale.minus(new, old), scale.minus(old, new)
    return (
        f"CASE WHEN NOT (was_listed AND is_listed) THEN NULL WHEN {old} = {new} THEN {new} "
        f"ELSE {kept} END AS {array}k, "
        f"CASE WHEN {stays} THEN {added} END AS {array}a, "
        f"CASE WHEN {stays} THEN {removed} END AS {array}r"
    )


def upsert(table: str, first: str, second: str, products: str) -> str:
    """Add the summed ``sign`` of each (first, second) of ``products`` to ``table``."""
    return (
        f"INSERT INTO {table} AS pair ({first}, {second}, listings) "  # noqa: S608
        f"SELECT {first}, {second}, SUM(sign) FROM ({products}) AS product "
        f"GROUP BY {first}, {second} HAVING SUM(sign) <> 0 ORDER BY {first}, {second} "
        f"ON CONFLICT ({first}, {second}) DO UPDATE SET listings = pair.listings + excluded.listings"
    )


def unnested(first: str, second: str, parts: str, source: str) -> str:
    """Each (firsts x seconds, sign) of ``parts`` over ``source``, unnested in select lists.

    ProjectSet rather than lateral function scans: the same rows, aggregated
    a quarter to a third faster (migration 0013).
    """
    return (
        f"SELECT {first}, unnest(seconds) AS {second}, sign FROM ("  # noqa: S608
        f"SELECT unnest(part.firsts) AS {first}, part.seconds, part.sign "
        f"FROM {source} AS listing, LATERAL ({parts}) AS part (firsts, seconds, sign)"
        ") AS by_first"
    )


def statement(source: str, parts) -> str:
    """One statement: the rows CTEs of ``source``, then an upsert per count table."""
    upserts = [
        upsert(table, first, second, unnested(first, second, parts(array), "changed"))
        for table, first, array, second in TABLES
    ]
    ctes = ", ".join(f"counted_{n} AS ({sql})" for n, sql in enumerate(upserts[:-1]))
    return f"WITH {source}, {ctes} {upserts[-1]}"


def written(alias: str, sign: int) -> str:
    """Rows inserted (``n``) or deleted (``o``): every product of the listed ones."""
    rows = {"n": "new_rows", "o": "old_rows"}[alias]
    source = (
        f"changed AS MATERIALIZED (SELECT {arrays_of(alias, '')} "  # noqa: S608
        f"FROM {rows} {alias} WHERE {alias}.is_published)"
    )
    return statement(source, lambda array: f"SELECT listing.{array}, listing.c, {sign}")


def updated_parts(array: str) -> str:
    """A listing published or unpublished moves all its products; one kept listed, the changes."""

    def part(firsts: str, seconds: str, sign: int, when: str) -> str:
        return f"SELECT listing.{firsts}, listing.{seconds}, {sign} WHERE {when}"

    moved, kept = "was_listed AND NOT is_listed", "was_listed AND is_listed"
    return " UNION ALL ".join(
        [
            part(f"{array}0", "c0", -1, moved),
            part(f"{array}1", "c1", 1, "is_listed AND NOT was_listed"),
            part(f"{array}k", "ca", 1, kept),
            part(f"{array}k", "cr", -1, kept),
            part(f"{array}a", "c1", 1, kept),
            part(f"{array}r", "c0", -1, kept),
        ]
    )


UPDATED = statement(
    "listing_rows AS MATERIALIZED ("  # noqa: S608
    f"SELECT o.is_published AS was_listed, n.is_published AS is_listed, "
    f"{arrays_of('o', '0')}, {arrays_of('n', '1')} "
    "FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.is_published OR n.is_published), "
    "changed AS MATERIALIZED ("
    f"SELECT *, {differences('c', short=True)}, {differences('w', short=False)}, "
    f"{differences('p', short=True)} FROM listing_rows "
    "WHERE was_listed IS DISTINCT FROM is_listed OR c0 IS DISTINCT FROM c1 "
    "OR w0 IS DISTINCT FROM w1 OR p0 IS DISTINCT FROM p1)",
    updated_parts,
)


def trigger_function() -> str:
    def run(sql: str) -> str:
        return f"EXECUTE $statement${sql}$statement$;"

    emptied = " ".join(f"DELETE FROM {table};" for table, *_ in TABLES)  # noqa: S608
    return f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger
LANGUAGE plpgsql SET work_mem = '32MB' SET jit = off AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {run(written("n", 1))}
    ELSIF TG_OP = 'DELETE' THEN
        {run(written("o", -1))}
    ELSIF TG_OP = 'UPDATE' THEN
        {run(UPDATED)}
    ELSE
        {emptied}
    END IF;
    RETURN NULL;
END
$$
"""


def triggers(prefix: str, function: str) -> list[str]:
    return [
        f"CREATE TRIGGER {prefix}_{name} {when} ON {LISTINGS} {referencing} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        for name, when, referencing in EVENTS
    ]


def dropped_triggers(prefix: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {prefix}_{name} ON {LISTINGS}" for name, _, _ in EVENTS]


# Autovacuum, where it runs, vacuums these small, hot tables unthrottled: a
# VACUUM of the largest takes a fraction of a second, and bloat is dead row
# versions waiting for it.
STORAGE = [f"ALTER TABLE {table} SET (autovacuum_vacuum_cost_delay = 0)" for table, *_ in TABLES]
STORAGE_RESET = [
    f"ALTER TABLE {table} RESET (autovacuum_vacuum_cost_delay)" for table, *_ in TABLES
]
OLD_PREFIXES = [name.removesuffix("_on_write") for name in OLD_FUNCTIONS]
FORWARD = [
    CELL_FUNCTION,
    PLACES_FUNCTION,
    trigger_function(),
    *(drop for prefix in OLD_PREFIXES for drop in dropped_triggers(prefix)),
    *(f"DROP FUNCTION IF EXISTS {name}()" for name in OLD_FUNCTIONS),
    *triggers("therapists_finder_counts", FUNCTION),
    *STORAGE,
]
BACKWARD = [
    *dropped_triggers("therapists_finder_counts"),
    f"DROP FUNCTION IF EXISTS {FUNCTION}()",
    places.CELL_FUNCTION,
    places.PLACES_FUNCTION,
    *scale.FUNCTIONS,
    places.TRIGGER_FUNCTION,
    *(trigger for prefix in OLD_PREFIXES for trigger in triggers(prefix, f"{prefix}_on_write")),
    *STORAGE_RESET,
]


class Migration(migrations.Migration):
    dependencies = [
        ("therapists", "0016_finder_near_index"),
    ]

    operations = [
        RunSQLOnPostgreSQL(FORWARD, reverse_sql=BACKWARD),
    ]
