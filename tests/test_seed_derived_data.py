"""What seeding leaves in the finder's derived data: search columns, counts, table sizes."""

import pytest
from django.db import connection

from tests.seed_commands import derived_columns, seed
from therapists.finder.maintenance import (
    refresh_finder_pairs,
    refresh_finder_terms,
    refresh_search_vectors,
)
from therapists.finder.passes import FINDER_PAIR_TABLE, FINDER_WORD_PAIR_TABLE
from therapists.finder.tables import FinderPair

pytestmark = pytest.mark.django_db


@pytest.mark.postgres
def test_seeded_search_data_is_what_the_refresh_functions_compute():
    seed(40, "--batch-size", "15")
    seeded = derived_columns()

    assert refresh_search_vectors() == refresh_finder_terms() == 40

    assert all(vector and terms for _pk, vector, terms in seeded)
    assert derived_columns() == seeded


def pair_counts() -> list[tuple]:
    return list(FinderPair.objects.exclude(listings=0).order_by("a", "b").values_list())


@pytest.mark.postgres
def test_seeded_listings_are_in_the_finder_pair_counts_the_triggers_keep():
    seed(30, "--batch-size", "12", "--method", "batches")
    counted = pair_counts()

    refresh_finder_pairs()

    assert counted
    assert pair_counts() == counted


def size_against_live_size(table: str, key: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size(%s)", [table])
        size = cursor.fetchone()[0]
        cursor.execute(f"CREATE TEMPORARY TABLE live_copy AS SELECT * FROM {table}")  # noqa: S608
        cursor.execute(f"ALTER TABLE live_copy ADD PRIMARY KEY ({key})")
        cursor.execute("SELECT pg_total_relation_size('live_copy')")
        live = cursor.fetchone()[0]
        cursor.execute("DROP TABLE live_copy")
    return size / live


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_seeding_in_many_batches_leaves_the_count_tables_within_twice_their_live_size():
    with connection.cursor() as cursor:  # without what earlier tests left behind
        cursor.execute(f"VACUUM FULL {FINDER_PAIR_TABLE}, {FINDER_WORD_PAIR_TABLE}")
    seed(240, "--batch-size", "20", "--method", "batches")

    assert size_against_live_size(FINDER_PAIR_TABLE, "a, b") <= 2
    assert size_against_live_size(FINDER_WORD_PAIR_TABLE, "word, code") <= 2
