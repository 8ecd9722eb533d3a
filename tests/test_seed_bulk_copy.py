"""PostgreSQL: the bulk seed (``--method copy``) writes what the batches write, or nothing."""

import pytest
from django.db import connection

from tests.seed_commands import derived_columns, seed, snapshot
from therapists import seeding_copy
from therapists.finder import maintenance
from therapists.models import Therapist

pytestmark = pytest.mark.django_db


def index_definitions() -> set[str]:
    """The listing and relation tables' indexes and constraints."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename LIKE 'therapists_therapist%%' "
            "UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid::regclass::text LIKE 'therapists_therapist%%'"
        )
        return {definition for (definition,) in cursor.fetchall()}


@pytest.mark.postgres
def test_a_bulk_seed_leaves_exact_derived_data_and_every_index():
    indexes = index_definitions()
    seed(150, "--method", "copy")
    seed(60, "--method", "copy")  # a top-up: keeps the indexes instead of rebuilding them

    assert Therapist.objects.count() == 210
    assert maintenance.verify() == []
    assert index_definitions() == indexes
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"
        cursor.execute(
            "SELECT COUNT(*) FROM pg_trigger WHERE tgrelid = 'therapists_therapist'::regclass "
            "AND NOT tgisinternal AND tgenabled <> 'O'"
        )
        assert cursor.fetchone()[0] == 0


@pytest.mark.postgres
def test_the_bulk_seed_and_the_batches_write_the_same_listings(monkeypatch):
    monkeypatch.setattr(seeding_copy, "CHUNK", 7)  # 5 chunks, made in a second process
    seed(30, "--seed", "5", "--method", "copy")
    bulk = snapshot()
    bulk_derived = derived_columns()
    Therapist.objects.all().delete()
    with connection.cursor() as cursor:  # the same ids again, so the columns compare
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('therapists_therapist', 'id'), %s, false)",
            [min(pk for pk, *_ in bulk_derived)],
        )
    seed(30, "--seed", "5", "--method", "batches", "--batch-size", "7")

    assert snapshot() == bulk
    assert derived_columns() == bulk_derived
    assert maintenance.verify() == []


@pytest.mark.postgres
def test_an_interrupted_bulk_seed_writes_nothing(monkeypatch):
    seed(5, "--method", "copy")
    before = snapshot()
    chunks = []

    def fail_in_the_second_chunk(loader, payload):
        chunks.append(payload.size)
        rows = write(loader, payload)
        if len(chunks) == 2:
            raise KeyboardInterrupt  # after the chunk's rows are written, before the commit
        return rows

    write = seeding_copy.ChunkLoader.write
    monkeypatch.setattr(seeding_copy, "CHUNK", 4)  # 3 chunks: made in a second process
    monkeypatch.setattr(seeding_copy.ChunkLoader, "write", fail_in_the_second_chunk)
    with pytest.raises(KeyboardInterrupt):
        seed(10, "--method", "copy")

    assert chunks == [4, 4]
    assert snapshot() == before
    assert maintenance.verify() == []
