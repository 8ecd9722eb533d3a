"""The synthetic ``seed_therapists`` command: counts, determinism, batches, arguments."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from mhsite.pagecache import current_generation
from tests.seed_commands import seed, snapshot
from therapists.management.commands import seed_therapists
from therapists.models import Therapist

pytestmark = pytest.mark.django_db


def test_seed_creates_the_requested_number_of_listings_with_relations():
    output = seed(7, "--batch-size", "3")

    assert Therapist.objects.count() == 7
    for therapist in Therapist.objects.all():
        assert therapist.slug.startswith("synthetic-")
        assert therapist.email.endswith("@example.com")
        assert "555-01" in therapist.phone
        assert 2 <= therapist.specialties.count() <= 6
        assert therapist.approaches.exists()
        assert therapist.languages.exists()
        assert therapist.age_groups.exists()
        assert "<strong>" in therapist.bio_html
        if therapist.online:
            assert therapist.telehealth_regions.filter(name=therapist.region).exists()
    assert "100% 7/7" in output
    assert "Created 7 synthetic listings" in output


def test_seed_is_deterministic_for_a_seed_and_varies_between_seeds():
    seed(5, "--seed", "3")
    first = snapshot()
    Therapist.objects.all().delete()
    seed(5, "--seed", "3")
    again = snapshot()
    Therapist.objects.all().delete()
    seed(5, "--seed", "4")

    assert first == again
    assert snapshot() != first


def test_seeding_twice_adds_new_listings_instead_of_colliding():
    seed(3)
    seed(2)

    assert Therapist.objects.count() == 5
    assert Therapist.objects.filter(slug="synthetic-00000005").exists()


RELATION_TABLES = [field.remote_field.through for field in Therapist._meta.many_to_many]


def relation_rows() -> int:
    return sum(through.objects.count() for through in RELATION_TABLES)


def test_seed_reports_the_relation_rows_it_wrote():
    output = seed(9, "--batch-size", "4")

    assert f"Created 9 synthetic listings and {relation_rows():,} relation rows" in output
    assert relation_rows() > 9 * 5


def test_an_interrupted_seed_keeps_whole_batches_and_loses_no_committed_one(monkeypatch):
    written = []

    def fail_in_the_second_batch(listings):
        rows = insert_listings(listings)
        written.append(len(listings))
        if len(written) == 2:
            raise KeyboardInterrupt  # after the batch's rows are written, before its commit
        return rows

    insert_listings = seed_therapists.insert_listings
    monkeypatch.setattr(seed_therapists, "insert_listings", fail_in_the_second_batch)
    with pytest.raises(KeyboardInterrupt):
        seed(10, "--batch-size", "4", "--method", "batches")

    assert written == [4, 4]
    assert sorted(Therapist.objects.values_list("slug", flat=True)) == [
        f"synthetic-{number:08d}" for number in range(1, 5)
    ]
    for through in RELATION_TABLES:
        assert not through.objects.exclude(therapist__slug__lte="synthetic-00000004").exists()
    monkeypatch.undo()
    seed(2)
    assert Therapist.objects.filter(slug="synthetic-00000006").exists()


def test_seeding_invalidates_the_page_cache():
    before = current_generation()

    seed(2)

    assert current_generation() != before


def test_the_bulk_method_needs_postgresql_elsewhere():
    if connection.vendor == "postgresql":
        assert "Created 2 synthetic listings" in seed(2, "--method", "copy")
    else:
        with pytest.raises(CommandError):
            seed(2, "--method", "copy")


@pytest.mark.parametrize("args", [["--count", "0"], ["--count", "5", "--batch-size", "0"]])
def test_seed_rejects_nonsense_arguments(args):
    with pytest.raises(CommandError):
        call_command("seed_therapists", *args, stdout=io.StringIO())
    assert not Therapist.objects.exists()
