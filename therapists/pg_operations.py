"""Migration helpers for PostgreSQL-only schema (search and finder indexes).

SQLite, the embedded default, cannot express these indexes and extensions, and
the finder has a plain code path there, so the statements run only on PostgreSQL.
"""

from collections.abc import Callable, Sequence


def run_on_postgresql(statements: Sequence[str]) -> Callable:
    """A ``RunPython`` function that executes ``statements`` on PostgreSQL only."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run
