"""PostgreSQL-only migration objects: declared, visible in ``sqlmigrate``, skipped elsewhere."""

import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from mhsite.pg_operations import RunSQLOnPostgreSQL
from therapists.finder.tables import FinderPair, FinderWordPair


def sqlmigrate(*args: str) -> str:
    out = io.StringIO()
    call_command("sqlmigrate", "therapists", *args, stdout=out)
    return out.getvalue()


class RecordingEditor:
    """A schema editor that records what it is asked to run."""

    def __init__(self, vendor: str, collect_sql: bool = False):
        self.connection = SimpleNamespace(vendor=vendor, alias="default")
        self.collect_sql = collect_sql
        self.collected_sql: list[str] = []
        self.executed: list[str] = []

    def execute(self, sql, params=()):
        self.executed.append(sql)


OPERATION = RunSQLOnPostgreSQL(
    ["CREATE INDEX example_idx ON example (a)"], reverse_sql=["DROP INDEX example_idx"]
)


@pytest.mark.parametrize("vendor", ["sqlite", "mysql", "oracle"])
def test_the_operation_runs_nothing_on_other_databases(vendor):
    editor = RecordingEditor(vendor)
    OPERATION.database_forwards("therapists", editor, None, None)
    OPERATION.database_backwards("therapists", editor, None, None)
    assert editor.executed == []


def test_the_operation_runs_its_sql_and_reverse_sql_on_postgresql():
    editor = RecordingEditor("postgresql")
    OPERATION.database_forwards("therapists", editor, None, None)
    OPERATION.database_backwards("therapists", editor, None, None)
    assert editor.executed == ["CREATE INDEX example_idx ON example (a)", "DROP INDEX example_idx"]


def test_elsewhere_sqlmigrate_shows_the_postgresql_sql_as_comments():
    editor = RecordingEditor("sqlite", collect_sql=True)
    OPERATION.database_forwards("therapists", editor, None, None)
    assert editor.executed == []
    assert editor.collected_sql == [
        "-- PostgreSQL only; not run on sqlite:",
        "--   CREATE INDEX example_idx ON example (a)",
    ]


def test_an_operation_without_reverse_sql_cannot_be_reversed():
    with pytest.raises(NotImplementedError):
        RunSQLOnPostgreSQL(["SELECT 1"]).database_backwards(
            "therapists", RecordingEditor("postgresql"), None, None
        )


# sqlmigrate needs a schema editor, which SQLite refuses inside a test's transaction.
@pytest.mark.django_db(transaction=True)
def test_sqlmigrate_shows_the_count_tables_sql_and_its_reverse():
    forwards, backwards = sqlmigrate("0009"), sqlmigrate("0009", "--backwards")
    assert "CANNOT BE WRITTEN AS SQL" not in forwards + backwards
    assert "CREATE OR REPLACE FUNCTION therapists_finder_codes(" in forwards
    assert f"CREATE TABLE IF NOT EXISTS {FinderPair._meta.db_table}" in forwards
    assert f"DROP TABLE IF EXISTS {FinderPair._meta.db_table}" in backwards
    if connection.vendor != "postgresql":
        assert "-- PostgreSQL only; not run on sqlite:" in forwards
    # The migration declaring the count tables as models changes no schema.
    declared = sqlmigrate("0012")
    assert "(no-op)" in declared and "CREATE TABLE" not in declared


def test_the_count_tables_are_unmanaged_models_in_the_migration_state(db):
    state = MigrationLoader(connection).project_state(
        ("therapists", "0012_finder_declared_objects")
    )
    for model in (FinderPair, FinderWordPair):
        declared = state.apps.get_model("therapists", model.__name__)
        assert declared._meta.managed is False
        assert declared._meta.db_table == model._meta.db_table


@pytest.mark.postgres
def test_the_count_models_read_the_tables_the_triggers_keep(db):
    from tests.therapist_factories import make_therapist

    make_therapist(name="Declared Example", gender="woman")
    assert FinderPair.objects.get(a=0, b=0).listings == 1
    assert FinderWordPair.objects.filter(word="exampl").exists()
