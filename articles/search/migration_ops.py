"""Migration operations that run on one database vendor only.

PostgreSQL-only SQL (extensions, GIN and trigram indexes) and SQLite-only SQL
(the FTS5 table) sit in the same migration; each is a no-op elsewhere.
"""

from django.db import migrations


class RunSQLOnVendor(migrations.RunSQL):
    def __init__(self, vendor: str, sql, reverse_sql=None, **kwargs):
        self.vendor = vendor
        super().__init__(sql, reverse_sql, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, *args], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Raw SQL on {self.vendor} only"
