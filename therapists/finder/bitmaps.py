"""The finder's per-code bitmaps of listing ids (migration 0019): layout, rebuild, check.

Row ``(code, chunk)`` of ``therapists_finder_bitmap`` holds ``CHUNK_BITS``
bits; bit ``id % CHUNK_BITS`` of chunk ``id // CHUNK_BITS`` is set when the
listed listing ``id`` has the code (``therapists_finder_bitmap_codes``: the
codes of ``codes.py`` plus the minimum fee's). A database trigger keeps them
on every write; ``bitmap_counts.py`` counts from them. A chunk's row may be
all zeros once its listings went: it counts nothing, and the check ignores it.
"""

from django.db import connection, transaction

from ..models import Therapist
from .codes import CODE_COLUMNS

BITMAP_TABLE = "therapists_finder_bitmap"
# Frozen in migration 0019 (its trigger and CHECK constraint).
CHUNK_SHIFT = 12
CHUNK_BITS = 1 << CHUNK_SHIFT


def bitmap_codes_sql(alias: str) -> str:
    """SQL for a listing's bitmap codes (migration 0019's ``therapists_finder_bitmap_codes``)."""
    columns = (*CODE_COLUMNS, "fee_min")
    return f"therapists_finder_bitmap_codes({', '.join(f'{alias}.{c}' for c in columns)})"


def bitmap_rows_sql() -> str:
    """``(code, chunk, bits)`` of every listed listing, as the trigger keeps them."""
    listings = connection.ops.quote_name(Therapist._meta.db_table)
    return (
        f"SELECT code, (id >> {CHUNK_SHIFT})::integer AS chunk, "  # noqa: S608
        f"therapists_finder_bits((id & {CHUNK_BITS - 1})::integer, 1)::varbit AS bits "
        f"FROM (SELECT listing.id, unnest({bitmap_codes_sql('listing')}) AS code "
        f"FROM {listings} AS listing WHERE listing.is_published) AS listing_code "
        "GROUP BY 1, 2"
    )


def refresh_bitmaps() -> int:
    """Empty the bitmaps and rebuild them from the listings, writers held off; rows written."""
    listings = connection.ops.quote_name(Therapist._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {listings} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {BITMAP_TABLE}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {BITMAP_TABLE} (code, chunk, bits) "  # noqa: S608
            f"{bitmap_rows_sql()} ORDER BY 1, 2"
        )
        return cursor.rowcount


def stale_bitmaps() -> int:
    """Rows stored but not expected, or expected but not stored (all-zero rows aside)."""
    stored = (
        f"SELECT code, chunk, bits FROM {BITMAP_TABLE} "  # noqa: S608
        "WHERE bit_count(bits) > 0"
    )
    expected = bitmap_rows_sql()
    sql = (
        f"SELECT COUNT(*) FROM (({stored}) EXCEPT ({expected})) AS extra "  # noqa: S608
        f"UNION ALL SELECT COUNT(*) FROM (({expected}) EXCEPT ({stored})) AS missing"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return sum(count for (count,) in cursor.fetchall())
