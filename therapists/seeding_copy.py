"""Seeding PostgreSQL in bulk: ``COPY`` with the finder's triggers off, then one rebuild.

``bulk_load`` writes every generated listing in one transaction:

1. the finder's count triggers are off for the load (``session_replication_role
   = replica`` for a superuser, which also skips the relation tables'
   foreign-key checks: the loader makes every id itself; otherwise ``ALTER
   TABLE ... DISABLE TRIGGER USER``), so nothing is counted row by row;
2. when the load at least doubles the listings, the listing and relation
   tables' secondary indexes are dropped and built again at the end, which is
   several times faster than maintaining them row by row;
3. in chunks: the listings are copied to a staging table and inserted with
   their ``search_vector``, concatenated from the vectors of the distinct
   texts (names, practices, term lists, bios) computed once each, since
   ``to_tsvector`` on every row would cost minutes at 1,000,000 listings;
   ``finder_terms`` comes from Python; the relation rows are copied straight
   into their tables;
4. the two count tables are filled from bitmaps (``therapists.seeding_counts``:
   ``maintenance``'s aggregation over every pair of every listing takes many
   minutes at 1,000,000 listings), then ``therapists.finder.maintenance.rebuild``
   builds every other piece of derived data with set-based SQL.

The caller VACUUMs afterwards (``vacuum_loaded_tables``): it cannot run inside
the transaction.
"""

import contextlib
import csv
import io
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence

import psycopg2.extensions
from django.db import connection, transaction
from django.utils import timezone

from mhsite import pagecache

from .finder import maintenance
from .finder.passes import FINDER_PAIR_TABLE, FINDER_WORD_PAIR_TABLE
from .finder.text import SEARCH_CONFIG
from .models import Therapist
from .seeding import NewListing, _default_values, _finder_terms, _listing_columns
from .seeding_counts import fill_count_tables

CHUNK = 20_000
STAGING = "seed_listing_staging"
PART_TEXTS = "seed_part_text"
PARTS = "seed_part"
# The search vector's parts, in order: (field or relation, weight), as in
# therapists.finder.maintenance.search_vector.
VECTOR_PARTS = (
    ("name", "A"),
    ("practice_name", "B"),
    ("specialties", "B"),
    ("approaches", "C"),
    ("bio", "D"),
)


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


def bulk_load(
    listings: Iterable[NewListing], count: int, progress: Callable[[int], None] | None = None
) -> int:
    """Write ``count`` listings from ``listings`` and their derived data; return relation rows."""
    listings = iter(listings)
    tables = [Therapist._meta.db_table, *(table for _, table, _, _ in relation_tables())]
    written = relation_rows = 0
    with transaction.atomic(), connection.cursor() as cursor:
        # Foreign keys are deferred by Django; checked at once, none wait in
        # the transaction's queue, where they would forbid dropping indexes.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(f"LOCK TABLE {', '.join(map(quote, tables))} IN SHARE ROW EXCLUSIVE MODE")
        with finder_triggers_off(cursor), indexes_rebuilt(cursor, tables, count):
            loader = ChunkLoader(cursor)
            while written < count:
                chunk = list(itertools.islice(listings, min(CHUNK, count - written)))
                if not chunk:
                    break
                relation_rows += loader.write(chunk)
                written += len(chunk)
                if progress:
                    progress(written)
            loader.drop()
        fill_count_tables()
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
    tables += [FINDER_PAIR_TABLE, FINDER_WORD_PAIR_TABLE]
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
    """Drop the tables' secondary indexes for the block and build them again after it.

    Only when the load at least doubles the listings: rebuilding a large
    table's indexes for a small top-up would cost more than it saves. Indexes
    behind constraints (primary keys, unique pairs) stay.
    """
    cursor.execute(f"SELECT COUNT(*) FROM {quote(Therapist._meta.db_table)}")  # noqa: S608
    if cursor.fetchone()[0] > count:
        yield
        return
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
    for _name, definition in indexes:
        cursor.execute(definition)


class ChunkLoader:
    """Writes chunks of listings through the staging tables, in the caller's transaction."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.fields = _listing_columns()
        self.defaults = _default_values(self.fields)
        now = timezone.now()
        for field in self.fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                self.defaults[field.name] = now
        self.parts: dict[tuple[str, str], int] = {}
        self.new_parts: list[tuple[int, str, str]] = []
        self.relations = relation_tables()
        self.columns = [Therapist._meta.pk.column, *(f.column for f in self.fields)]
        self.columns.append("finder_terms")
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

    def write(self, chunk: Sequence[NewListing]) -> int:
        cursor = self.cursor
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [Therapist._meta.db_table, Therapist._meta.pk.column, len(chunk)],
        )
        pks = [row[0] for row in cursor.fetchall()]
        rows = [self._row(pk, listing) for pk, listing in zip(pks, chunk, strict=True)]
        self._write_new_parts()
        copy(cursor, STAGING, [*self.columns, *self._part_columns()], rows)
        self._insert_staged()
        relation_rows = 0
        for relation, table, source, target in self.relations:
            pairs = [
                (pk, term.pk)
                for pk, listing in zip(pks, chunk, strict=True)
                for term in listing.relations.get(relation, ())
            ]
            copy(cursor, table, [source, target], pairs)
            relation_rows += len(pairs)
        return relation_rows

    def drop(self) -> None:
        self.cursor.execute(f"DROP TABLE {STAGING}, {PART_TEXTS}, {PARTS}")

    def _part_columns(self) -> list[str]:
        return [f"part_{n}" for n in range(len(VECTOR_PARTS))]

    def _row(self, pk: int, listing: NewListing) -> tuple:
        fields, defaults = listing.fields, self.defaults
        values = [pk, *(fields.get(f.name, defaults[f.name]) for f in self.fields)]
        values.append(_finder_terms(listing))
        for source, weight in VECTOR_PARTS:
            if source in fields:
                text = fields[source]
            else:  # term names, in id order as maintenance.search_vector aggregates them
                terms = sorted(listing.relations.get(source, ()), key=lambda term: term.pk)
                text = " ".join(term.name for term in terms)
            values.append(self._part(weight, text))
        return tuple(values)

    def _part(self, weight: str, text: str) -> int:
        key = (weight, text)
        number = self.parts.get(key)
        if number is None:
            number = self.parts[key] = len(self.parts) + 1
            self.new_parts.append((number, weight, text))
        return number

    def _write_new_parts(self) -> None:
        if not self.new_parts:
            return
        copy(self.cursor, PART_TEXTS, ["id", "weight", "body"], self.new_parts)
        self.cursor.execute(
            f"INSERT INTO {PARTS} SELECT id, setweight(to_tsvector(%s::regconfig, body), weight) "  # noqa: S608
            f"FROM {PART_TEXTS}",
            [SEARCH_CONFIG],
        )
        self.cursor.execute(f"TRUNCATE {PART_TEXTS}")
        self.new_parts = []

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


def copy(cursor, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """``COPY`` rows into ``table`` as CSV (quoted values; unquoted empty fields are NULL)."""
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_NOTNULL, lineterminator="\n").writerows(rows)
    buffer.seek(0)
    names = ", ".join(quote(column) for column in columns)
    # Identifiers come from model metadata and are quoted; the data is streamed.
    cursor.cursor.copy_expert(f"COPY {quote(table)} ({names}) FROM STDIN WITH (FORMAT csv)", buffer)
