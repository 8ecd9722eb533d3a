"""Comparing a derived count table with a fresh recount (``rebuild_finder --verify``)."""

from django.db import connection


def stale_rows(table: str, columns: tuple[str, ...], expected: str) -> int:
    """Rows of ``table`` stored but not expected, or expected but not stored.

    ``expected`` is the recount's SQL, selecting ``columns`` and ``listings``;
    rows whose count fell to zero are left out of the comparison: they name
    nothing, and the readers skip them.
    """
    stored = f"SELECT {', '.join(columns)}, listings FROM {table} WHERE listings <> 0"  # noqa: S608
    sql = (
        f"SELECT COUNT(*) FROM (({stored}) EXCEPT ({expected})) AS extra "  # noqa: S608
        f"UNION ALL SELECT COUNT(*) FROM (({expected}) EXCEPT ({stored})) AS missing"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return sum(count for (count,) in cursor.fetchall())
