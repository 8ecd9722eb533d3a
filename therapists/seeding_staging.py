"""Writing generated chunks through temporary staging tables with ``COPY``."""

import io
from collections.abc import Sequence

from django.db import connection

from .finder.text import SEARCH_CONFIG
from .models import Therapist
from .seeding_encode import VECTOR_PARTS, Payload
from .seeding_timings import phase

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


def copy(cursor, table: str, columns: Sequence[str], data: bytes) -> None:
    """``COPY`` CSV ``data`` into ``table`` (quoted values; unquoted empty fields are NULL)."""
    names = ", ".join(quote(column) for column in columns)
    # Identifiers come from model metadata and are quoted; the data is streamed.
    cursor.cursor.copy_expert(
        f"COPY {quote(table)} ({names}) FROM STDIN WITH (FORMAT csv)",
        io.BytesIO(data),
        size=COPY_BLOCK,
    )
