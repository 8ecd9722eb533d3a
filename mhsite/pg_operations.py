"""Migration operations for PostgreSQL-only schema (extensions, indexes, SQL functions, triggers).

SQLite, the embedded default, cannot express these objects, and the apps have
plain code paths there, so the statements run only on PostgreSQL. Both apps'
migrations use this module; it imports neither app.
"""

from collections.abc import Callable, Sequence

from django.db import migrations


class RunSQLOnPostgreSQL(migrations.RunSQL):
    """``RunSQL`` that runs on PostgreSQL only and is a no-op on other databases.

    ``sqlmigrate`` shows the SQL (and, with ``--backwards``, the reverse SQL):
    as statements on PostgreSQL, as comments elsewhere, so the objects a
    migration declares can be read on any development database.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if self._runs_here(schema_editor, self.sql):
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self.reverse_sql is None:
            raise NotImplementedError("You cannot reverse this operation")
        if self._runs_here(schema_editor, self.reverse_sql):
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return "Raw SQL operation (PostgreSQL only)"

    @staticmethod
    def _runs_here(schema_editor, sqls) -> bool:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            return True
        if schema_editor.collect_sql:
            statements = [sqls] if isinstance(sqls, str) else sqls
            schema_editor.collected_sql.append(f"-- PostgreSQL only; not run on {vendor}:")
            for statement in statements:
                text = statement[0] if isinstance(statement, (list, tuple)) else statement
                schema_editor.collected_sql += [
                    f"--   {line}" for line in text.strip().splitlines()
                ]
        return False


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
