"""What a bulk load switches off for its duration: the finder's triggers and the indexes."""

import contextlib
from collections.abc import Iterator, Sequence

import psycopg2.extensions
from django.db import connection

from .models import Therapist
from .seeding_staging import quote
from .seeding_timings import phase


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
