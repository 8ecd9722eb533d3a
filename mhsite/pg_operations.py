"""Migration operations for schema only one database vendor can express.

PostgreSQL extensions, indexes, SQL functions and triggers, and SQLite's FTS5
table: each runs on its vendor only and is a no-op (shown as comments by
``sqlmigrate``) on the other. Both apps' migrations use this module; it
imports neither app.
"""

from collections.abc import Callable, Sequence

from django.db import migrations

VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


class RunSQLOnVendor(migrations.RunSQL):
    """``RunSQL`` that runs on one database vendor only and is a no-op on the others.

    ``sqlmigrate`` shows the SQL (and, with ``--backwards``, the reverse SQL):
    as statements on that vendor, as comments elsewhere, so the objects a
    migration declares can be read on any development database.
    """

    def __init__(self, vendor: str, sql, reverse_sql=None, **kwargs):
        self.vendor = vendor
        super().__init__(sql, reverse_sql, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, *args], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if self._runs_here(schema_editor, self.sql):
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self.reverse_sql is None:
            raise NotImplementedError("You cannot reverse this operation")
        if self._runs_here(schema_editor, self.reverse_sql):
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"Raw SQL operation ({self._vendor_name} only)"

    @property
    def _vendor_name(self) -> str:
        return VENDOR_NAMES.get(self.vendor, self.vendor)

    def _runs_here(self, schema_editor, sqls) -> bool:
        vendor = schema_editor.connection.vendor
        if vendor == self.vendor:
            return True
        if schema_editor.collect_sql:
            statements = [sqls] if isinstance(sqls, str) else sqls
            schema_editor.collected_sql.append(f"-- {self._vendor_name} only; not run on {vendor}:")
            for statement in statements:
                text = statement[0] if isinstance(statement, (list, tuple)) else statement
                schema_editor.collected_sql += [
                    f"--   {line}" for line in text.strip().splitlines()
                ]
        return False


class RunSQLOnPostgreSQL(RunSQLOnVendor):
    """``RunSQLOnVendor`` for PostgreSQL, the vendor of nearly every such statement here."""

    def __init__(self, sql, reverse_sql=None, **kwargs):
        super().__init__("postgresql", sql, reverse_sql, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, args[1:], kwargs


def run_on_postgresql(statements: Sequence[str]) -> Callable:
    """A ``RunPython`` function that executes ``statements`` on PostgreSQL only.

    Superseded by ``RunSQLOnPostgreSQL``, which ``sqlmigrate`` can show; kept
    for migrations written before it.
    """

    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run
