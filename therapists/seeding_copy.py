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
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from mhsite import pagecache

from .finder import maintenance
from .finder.bitmaps import BITMAP_TABLE
from .finder.names import NAME_TABLE
from .finder.passes import FINDER_PAIR_TABLE, FINDER_WORD_PAIR_TABLE
from .finder.place_counts import PLACE_PAIR_TABLE
from .models import Therapist
from .seeding import NewListing, _default_values, _listing_columns
from .seeding_bulk_mode import finder_triggers_off, indexes_rebuilt
from .seeding_counts import fill_count_tables
from .seeding_encode import ChunkEncoder, payloads
from .seeding_staging import ChunkLoader, quote, relation_tables
from .seeding_timings import phase, timings

CHUNK = 20_000
# Loads of more chunks than this generate them in other processes, this many.
FORK_FROM = 2
WORKERS = 2


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
