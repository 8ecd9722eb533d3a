"""Seeding PostgreSQL in bulk: ``COPY`` with the finder's triggers off, then one rebuild.

``bulk_load`` writes every generated listing in one transaction:

1. the finder's count triggers are off for the load (``session_replication_role
   = replica`` for a superuser, which also skips the relation tables'
   foreign-key checks: the loader makes every id itself; otherwise ``ALTER
   TABLE ... DISABLE TRIGGER USER``), so nothing is counted row by row;
2. when the load at least doubles the listings, the listing and relation
   tables' indexes and unique constraints (not the listing primary key, which
   foreign keys reference) are dropped and built again at the end, which is
   several times faster than maintaining them row by row;
3. in chunks, made by two forked processes (``therapists.seeding_encode``)
   while this one writes: the listings are copied to a staging table and inserted with
   their ``search_vector``, concatenated from the vectors of the distinct
   texts (names, practices, term lists, bios) computed once each, since
   ``to_tsvector`` on every row would cost minutes at 1,000,000 listings;
   ``finder_terms`` comes from Python; the relation rows are copied straight
   into their tables;
4. the three count tables are filled from bitmaps and runs in one read of
   the listings (``therapists.seeding_counts``: ``maintenance``'s aggregation
   over every pair of every listing takes many minutes at 1,000,000
   listings), then ``therapists.finder.maintenance.rebuild`` builds every
   other piece of derived data with set-based SQL (the bitmaps of migration
   0019: one aggregation of the listed listings' ids per code and chunk; the
   distinct names of migration 0020: one GROUP BY name).

The caller VACUUMs afterwards (``vacuum_loaded_tables``): it cannot run inside
the transaction.
"""

import contextlib
import io
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence

import psycopg2.extensions
from django.db import connection, transaction
from django.utils import timezone

from mhsite import pagecache

from .finder import maintenance
from .finder.bitmaps import BITMAP_TABLE
from .finder.names import NAME_TABLE
from .finder.passes import FINDER_PAIR_TABLE, FINDER_WORD_PAIR_TABLE
from .finder.place_counts import PLACE_PAIR_TABLE
from .finder.text import SEARCH_CONFIG
from .models import Therapist
from .seeding import NewListing, _default_values, _listing_columns
from .seeding_counts import fill_count_tables
from .seeding_encode import VECTOR_PARTS, ChunkEncoder, Payload, payloads

CHUNK = 20_000
# Loads of more chunks than this generate them in other processes, this many.
FORK_FROM = 2
WORKERS = 2
COPY_BLOCK = 1 << 20
STAGING = "seed_listing_staging"
PART_TEXTS = "seed_part_text"
PARTS = "seed_part"


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def relation_tables() -> list[tuple[str, str, str, str]]:
    """Each many-to-many: (relation name, through table, listing column, term column)."""
    tables = []
    for field in Therapist._meta.many_to_many:
        through = field.remote_field.through
        source = through._meta.get_field(field.m2m_field_name()).column
        target = through._meta.get_field(field.m2m_reverse_field_name()).column
        tables.append((field.name, through._meta.db_table, source, target))
    return tables


# Seconds spent in each phase of the last bulk load, for the command's report.
timings: dict[str, float] = defaultdict(float)


@contextlib.contextmanager
def phase(name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[name] += time.perf_counter() - started


def bulk_load(
    make: Callable[[int], NewListing], count: int, progress: Callable[[int], None] | None = None
) -> int:
    """Write listings ``make(0)`` to ``make(count - 1)`` and their derived data.

    Returns the number of relation rows written.
    """
    timings.clear()
    tables = [Therapist._meta.db_table, *(table for _, table, _, _ in relation_tables())]
    written = relation_rows = 0
    with transaction.atomic(), connection.cursor() as cursor:
        # Foreign keys are deferred by Django; checked at once, none wait in
        # the transaction's queue, where they would forbid dropping indexes.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(f"LOCK TABLE {', '.join(map(quote, tables))} IN SHARE ROW EXCLUSIVE MODE")
        with (
            contextlib.ExitStack() as stack,
            finder_triggers_off(cursor),
            indexes_rebuilt(cursor, tables, count),
        ):
            columns, field_defaults = listing_columns()
            loader = ChunkLoader(cursor, columns)
            encoder = ChunkEncoder(
                field_defaults, list(loader.relations), reserve_ids(cursor, count)
            )
            workers = WORKERS if count > FORK_FROM * CHUNK else 0
            made = payloads(make, count, CHUNK, encoder, workers)
            stack.enter_context(contextlib.closing(made))  # ends the generating process
            while True:
                with phase("waiting for generated listings"):
                    payload = next(made, None)
                if payload is None:
                    break
                relation_rows += loader.write(payload)
                written += payload.size
                if progress:
                    progress(written)
            loader.drop()
        with phase("count tables (bitmaps and runs)"):
            fill_count_tables()
        with phase("maintenance.rebuild (other derived data: the bitmaps, the names)"):
            maintenance.rebuild(listing_columns=False, count_tables=False)
    pagecache.invalidate()
    return relation_rows


def vacuum_loaded_tables() -> bool:
    """VACUUM ANALYZE what a load wrote: hint bits and the visibility map set, statistics fresh.

    False when it cannot run: inside a transaction (a test's, for instance).
    """
    if connection.in_atomic_block:
        return False
    tables = [Therapist._meta.db_table, *(table for _, table, _, _ in relation_tables())]
    tables += [FINDER_PAIR_TABLE, FINDER_WORD_PAIR_TABLE, PLACE_PAIR_TABLE, BITMAP_TABLE]
    tables.append(NAME_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {', '.join(map(quote, tables))}")
    return True


@contextlib.contextmanager
def finder_triggers_off(cursor) -> Iterator[None]:
    """The listing table's user triggers off until the block ends (within the transaction)."""
    cursor.execute("SELECT current_setting('is_superuser') = 'on'")
    if cursor.fetchone()[0]:
        off = "SET LOCAL session_replication_role = replica"
        on = "SET LOCAL session_replication_role = origin"
    else:
        table = quote(Therapist._meta.db_table)
        off, on = (f"ALTER TABLE {table} {state} TRIGGER USER" for state in ("DISABLE", "ENABLE"))
    cursor.execute(off)
    try:
        yield
    finally:
        # After a database error the transaction can only roll back, and the
        # rollback restores the triggers with everything else.
        status = connection.connection.info.transaction_status
        if status != psycopg2.extensions.TRANSACTION_STATUS_INERROR:
            cursor.execute(on)


@contextlib.contextmanager
def indexes_rebuilt(cursor, tables: Sequence[str], count: int) -> Iterator[None]:
    """Drop the tables' indexes for the block and build them again after it.

    Only when the load at least doubles the listings: rebuilding a large
    table's indexes for a small top-up would cost more than it saves. Primary
    keys and unique constraints go too (and are added back, checked), except
    those a foreign key references: the listing table's primary key.
    """
    cursor.execute(f"SELECT COUNT(*) FROM {quote(Therapist._meta.db_table)}")  # noqa: S608
    if cursor.fetchone()[0] > count:
        yield
        return
    cursor.execute(
        "SELECT c.conrelid::regclass::text, quote_ident(c.conname), pg_get_constraintdef(c.oid) "
        "FROM pg_constraint AS c WHERE c.conrelid = ANY(%s::regclass[]) "
        "AND c.contype IN ('p', 'u') AND NOT EXISTS (SELECT 1 FROM pg_constraint AS f "
        "WHERE f.contype = 'f' AND f.conindid = c.conindid)",
        [list(tables)],
    )
    constraints = cursor.fetchall()
    for table, name, _definition in constraints:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    cursor.execute(
        "SELECT index.indexrelid::regclass::text, pg_get_indexdef(index.indexrelid) "
        "FROM pg_index AS index WHERE index.indrelid = ANY(%s::regclass[]) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = index.indexrelid)",
        [list(tables)],
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    yield
    with phase("building indexes"):
        for table, name, definition in constraints:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        for _name, definition in indexes:
            cursor.execute(definition)


class ChunkLoader:
    """Writes Payloads through the staging tables, in the caller's transaction."""

    def __init__(self, cursor, columns: list[str]):
        self.cursor = cursor
        self.columns = columns
        self.relations = {relation: rest for relation, *rest in relation_tables()}
        table = quote(Therapist._meta.db_table)
        part_columns = ", ".join(f"part_{n} integer" for n in range(len(VECTOR_PARTS)))
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGING} (LIKE {table}, {part_columns}) ON COMMIT DROP"
        )
        cursor.execute(
            f'CREATE TEMPORARY TABLE {PART_TEXTS} (id integer, weight "char", body text) '
            "ON COMMIT DROP"
        )
        cursor.execute(
            f"CREATE TEMPORARY TABLE {PARTS} (id integer PRIMARY KEY, vector tsvector) "
            "ON COMMIT DROP"
        )

    def write(self, payload: Payload) -> int:
        """Write one chunk; return its relation rows."""
        cursor = self.cursor
        with phase("database: search vector parts"):
            if payload.parts:
                copy(cursor, PART_TEXTS, ["id", "weight", "body"], payload.parts)
                cursor.execute(
                    f"INSERT INTO {PARTS} SELECT id, "  # noqa: S608
                    f"setweight(to_tsvector(%s::regconfig, body), weight) FROM {PART_TEXTS}",
                    [SEARCH_CONFIG],
                )
                cursor.execute(f"TRUNCATE {PART_TEXTS}")
        with phase("database: COPY listings to staging"):
            part_columns = [f"part_{n}" for n in range(len(VECTOR_PARTS))]
            copy(cursor, STAGING, [*self.columns, *part_columns], payload.listings)
        with phase("database: INSERT listings from staging"):
            self._insert_staged()
        with phase("database: COPY relations"):
            for relation, rows, _count in payload.relations:
                table, source, target = self.relations[relation]
                copy(cursor, table, [source, target], rows)
        return sum(count for _relation, _rows, count in payload.relations)

    def drop(self) -> None:
        self.cursor.execute(f"DROP TABLE {STAGING}, {PART_TEXTS}, {PARTS}")

    def _insert_staged(self) -> None:
        names = ", ".join(quote(column) for column in self.columns)
        joins = " ".join(
            f"JOIN {PARTS} AS p{n} ON p{n}.id = s.part_{n}" for n in range(len(VECTOR_PARTS))
        )
        vector = " || ".join(f"p{n}.vector" for n in range(len(VECTOR_PARTS)))
        selected = ", ".join(f"s.{quote(column)}" for column in self.columns)
        self.cursor.execute(
            f"INSERT INTO {quote(Therapist._meta.db_table)} ({names}, search_vector) "  # noqa: S608
            f"SELECT {selected}, {vector} FROM {STAGING} AS s {joins} ORDER BY s.id"
        )
        self.cursor.execute(f"TRUNCATE {STAGING}")


def listing_columns() -> tuple[list[str], list[tuple[str, object]]]:
    """The staging table's listing columns, and each listed field's (name, default value)."""
    fields = _listing_columns()
    defaults = _default_values(fields)
    now = timezone.now()
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[field.name] = now  # one timestamp for the load, like one bulk_create
    columns = [Therapist._meta.pk.column, *(field.column for field in fields), "finder_terms"]
    return columns, [(field.name, defaults[field.name]) for field in fields]


def reserve_ids(cursor, count: int) -> int:
    """The first of ``count`` listing ids taken from the sequence (the table is locked)."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s))",
        [Therapist._meta.db_table, Therapist._meta.pk.column],
    )
    first = cursor.fetchone()[0]
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
        [Therapist._meta.db_table, Therapist._meta.pk.column, first + count - 1],
    )
    return first


def copy(cursor, table: str, columns: Sequence[str], data: bytes) -> None:
    """``COPY`` CSV ``data`` into ``table`` (quoted values; unquoted empty fields are NULL)."""
    names = ", ".join(quote(column) for column in columns)
    # Identifiers come from model metadata and are quoted; the data is streamed.
    cursor.cursor.copy_expert(
        f"COPY {quote(table)} ({names}) FROM STDIN WITH (FORMAT csv)",
        io.BytesIO(data),
        size=COPY_BLOCK,
    )
