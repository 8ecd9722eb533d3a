"""The listings' distinct names (migration 0020): the trigram match, rebuilding, checking.

``therapists_finder_name`` holds every distinct name a listing has and how
many listings have it; a database trigger keeps it on every write. A text
search matches misspelled names against it (``similar``), a table of
distinct names far smaller than the listing table, then tests the listings'
own ``name`` against the few names found (``therapist_name_idx``). A row
whose count fell to zero stays until ``refresh_names``: it names no listing,
so the match skips it and the check ignores it.
"""

from django.db import connection, transaction

from ..models import Therapist
from .recount import stale_rows

NAME_TABLE = "therapists_finder_name"


def similar(q: str) -> list[str]:
    """The names some listing has that ``q`` resembles (``name %> q``, pg_trgm)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name FROM {NAME_TABLE} WHERE name %%> %s AND listings > 0 "  # noqa: S608
            "ORDER BY name",
            [q],
        )
        return [name for (name,) in cursor.fetchall()]


def name_rows_sql() -> str:
    """``(name, listings)`` of every listing, as the trigger keeps them."""
    listings = connection.ops.quote_name(Therapist._meta.db_table)
    return f"SELECT name, COUNT(*) FROM {listings} GROUP BY name"  # noqa: S608


def refresh_names() -> int:
    """Empty the names and count them again from the listings, writers held off; rows written."""
    listings = connection.ops.quote_name(Therapist._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {listings} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {NAME_TABLE}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {NAME_TABLE} (name, listings) {name_rows_sql()} ORDER BY 1"  # noqa: S608
        )
        return cursor.rowcount


def stale_names() -> int:
    """Rows stored but not expected, or expected but not stored (zero counts aside)."""
    return stale_rows(NAME_TABLE, ("name",), name_rows_sql())
