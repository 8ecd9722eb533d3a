"""PostgreSQL: the finder's count triggers at scale; count tables that do not bloat.

Plans. PL/pgSQL keeps the plan of a static statement for the life of the
connection, and a statement with no PL/pgSQL variables in it always gets that
generic plan (``plan_cache_mode = force_custom_plan`` changes nothing for it:
there are no parameters to make a custom plan for). The triggers of
migrations 0009 and 0011 read transition tables whose size is only known when
they fire, so the plan made on a connection's first firing, often a one-row
``save()``, was kept for every later statement, however many rows it changed.
The functions below run their statements with ``EXECUTE``, planned for the
rows each firing has. JIT is off in them: compiling a bulk statement's
expressions cost more than it saved.

Updates. A listing that stays listed used to take all its old pairs off and
put all its new pairs on: for a change of one code, hundreds of code pairs
and a thousand (word, code) pairs that cancel out, aggregated for nothing.
Now only the pairs that change are written. With ``K`` the codes kept,
``D1`` the codes added, ``D0`` the codes removed (``C0``/``C1`` all old/new
codes), and the same for words (``W``):

    pairs:       +K×D1  -K×D0  +D1×C1  -D0×C0
    word pairs:  +Wkept×D1  -Wkept×D0  +Wadded×C1  -Wremoved×C0

which equals (new pairs) - (old pairs) exactly. A listing published or
unpublished still moves all its pairs.

Bloat. Every write updates count rows in place (``listings = listings + n``).
With full pages each new row version went to another page, with a new entry
in the primary key index, and the old version waited for a VACUUM (there may
be no autovacuum). With room on every page (fillfactor 70) the updates are
heap-only: the new version stays on its page, the index is not touched, and
the next access to the page prunes the dead versions without a VACUUM. The
tables are rewritten once here so their existing pages get the room;
autovacuum, where it runs, visits them after 2% of their rows changed.
"""

import importlib

from django.db import migrations

from mhsite.pg_operations import RunSQLOnPostgreSQL

pairs = importlib.import_module("therapists.migrations.0009_finder_pair_counts")
word_pairs = importlib.import_module("therapists.migrations.0011_finder_word_pair_counts")

COUNT_TABLES = ("therapists_finder_pair", "therapists_finder_word_pair")


def minus(left: str, right: str) -> str:
    return f"ARRAY(SELECT unnest({left}) EXCEPT SELECT unnest({right}))"


def both(left: str, right: str) -> str:
    return f"ARRAY(SELECT unnest({left}) INTERSECT SELECT unnest({right}))"


def changed_rows(columns: str) -> str:
    """Old and new listing rows side by side, with ``columns`` computed from each."""
    return f"""
    SELECT o.is_published AS was_listed, n.is_published AS is_listed, {columns}
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    """  # noqa: S608


def signed_products(table: str, first: str, second: str, parts: str, source: str) -> str:
    """Add each ``(first, second, sign)`` product of ``parts`` (over ``source``) to ``table``.

    The products are unnested in select lists (ProjectSet), not by lateral
    function scans: the same rows, aggregated a quarter to a third faster.
    """
    return f"""
    INSERT INTO {table} AS pair ({first}, {second}, listings)
    SELECT {first}, {second}, SUM(sign) FROM (
        SELECT {first}, unnest(seconds) AS {second}, sign FROM (
            SELECT unnest(part.firsts) AS {first}, part.seconds, part.sign
            FROM ({source}) AS row_change, LATERAL ({parts}) AS part (firsts, seconds, sign)
        ) AS by_first
    ) AS product
    GROUP BY {first}, {second} HAVING SUM(sign) <> 0 ORDER BY {first}, {second}
    ON CONFLICT ({first}, {second}) DO UPDATE SET listings = pair.listings + excluded.listings
    """  # noqa: S608


def moved(old_first: str, old_second: str, new_first: str, new_second: str) -> str:
    """A listing published or unpublished: all its old products off, all its new ones on."""
    return f"""
        SELECT {old_first}, {old_second}, -1 WHERE was_listed AND NOT is_listed
        UNION ALL SELECT {new_first}, {new_second}, 1 WHERE is_listed AND NOT was_listed
    """


def delta(kept: str, added: str, removed: str, d1: str, d0: str, c1: str, c0: str) -> str:
    """A listing listed before and after: only the products that differ (see above)."""
    return f"""
        UNION ALL SELECT {kept}, {d1}, 1 WHERE was_listed AND is_listed
        UNION ALL SELECT {kept}, {d0}, -1 WHERE was_listed AND is_listed
        UNION ALL SELECT {added}, {c1}, 1 WHERE was_listed AND is_listed
        UNION ALL SELECT {removed}, {c0}, -1 WHERE was_listed AND is_listed
    """


def codes_columns() -> str:
    c0, c1 = pairs.codes_of("o"), pairs.codes_of("n")
    return f"{c0} AS c0, {c1} AS c1"


PAIRS_UPDATED = signed_products(
    COUNT_TABLES[0],
    "a",
    "b",
    moved("c0", "c0", "c1", "c1")
    + delta(
        both("c0", "c1"),
        minus("c1", "c0"),
        minus("c0", "c1"),
        minus("c1", "c0"),
        minus("c0", "c1"),
        "c1",
        "c0",
    ),
    f"SELECT * FROM ({changed_rows(codes_columns())}) AS listing "  # noqa: S608
    "WHERE was_listed IS DISTINCT FROM is_listed OR c0 IS DISTINCT FROM c1",
)
WORD_PAIRS_UPDATED = signed_products(
    COUNT_TABLES[1],
    "word",
    "code",
    moved("w0", "c0", "w1", "c1")
    + delta(
        both("w0", "w1"),
        minus("w1", "w0"),
        minus("w0", "w1"),
        minus("c1", "c0"),
        minus("c0", "c1"),
        "c1",
        "c0",
    ),
    "SELECT * FROM ("  # noqa: S608
    + changed_rows(
        f"{codes_columns()}, {word_pairs.words_of('o')} AS w0, {word_pairs.words_of('n')} AS w1"
    )
    + ") AS listing WHERE was_listed IS DISTINCT FROM is_listed OR c0 IS DISTINCT FROM c1 "
    "OR w0 IS DISTINCT FROM w1",
)


def trigger_function(name: str, table: str, insert: str, delete: str, update: str) -> str:
    def run(statement: str) -> str:
        return f"EXECUTE $statement${statement.strip().rstrip(';')}$statement$;"

    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger
LANGUAGE plpgsql SET work_mem = '32MB' SET jit = off AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {run(insert)}
    ELSIF TG_OP = 'DELETE' THEN
        {run(delete)}
    ELSIF TG_OP = 'UPDATE' THEN
        {run(update)}
    ELSE
        DELETE FROM {table};
    END IF;
    RETURN NULL;
END
$$
"""  # noqa: S608


def added(alias: str, sign: int, *, words: bool) -> tuple[str, str]:
    """``parts`` and ``source`` for rows inserted (``n``) or deleted (``o``): all their products."""
    table = {"n": "new_rows", "o": "old_rows"}[alias]
    columns = f"{pairs.codes_of(alias)} AS codes"
    if words:
        columns += f", {word_pairs.words_of(alias)} AS words"
    first = "words" if words else "codes"
    return (
        f"SELECT {first}, codes, {sign}",
        f"SELECT {columns} FROM {table} {alias} WHERE {alias}.is_published",  # noqa: S608
    )


def all_products(table: str, first: str, second: str, alias: str, sign: int) -> str:
    parts, source = added(alias, sign, words=first == "word")
    return signed_products(table, first, second, parts, source)


FUNCTIONS = [
    trigger_function(
        "therapists_finder_pairs_on_write",
        COUNT_TABLES[0],
        all_products(COUNT_TABLES[0], "a", "b", "n", 1),
        all_products(COUNT_TABLES[0], "a", "b", "o", -1),
        PAIRS_UPDATED,
    ),
    trigger_function(
        "therapists_finder_word_pairs_on_write",
        COUNT_TABLES[1],
        all_products(COUNT_TABLES[1], "word", "code", "n", 1),
        all_products(COUNT_TABLES[1], "word", "code", "o", -1),
        WORD_PAIRS_UPDATED,
    ),
]


def storage(options: str) -> list[str]:
    statements = []
    for table in COUNT_TABLES:
        statements += [
            f"ALTER TABLE {table} {options}",
            # Rewrites the table (and its index) with the new fillfactor.
            f"CLUSTER {table} USING {table}_pkey",
            f"ANALYZE {table}",
        ]
    return statements


FORWARD = [
    *FUNCTIONS,
    *storage("SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02)"),
]
# The functions as migrations 0009 and 0011 left them.
BACKWARD = [
    pairs.TRIGGER_FUNCTION,
    word_pairs.TRIGGER_FUNCTION,
    *storage("RESET (fillfactor, autovacuum_vacuum_scale_factor)"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("therapists", "0012_finder_declared_objects"),
    ]

    operations = [
        RunSQLOnPostgreSQL(FORWARD, reverse_sql=BACKWARD),
    ]
