"""The demo directory loader and the synthetic ``seed_therapists`` command."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from mhsite.pagecache import current_generation
from tests.factories import make_category
from therapists import seeding_copy
from therapists.demo import DEMO_COUNT, load_demo_therapists
from therapists.finder import maintenance
from therapists.finder.maintenance import (
    refresh_finder_pairs,
    refresh_finder_terms,
    refresh_search_vectors,
)
from therapists.finder.passes import FINDER_PAIR_TABLE, FINDER_WORD_PAIR_TABLE
from therapists.finder.tables import FinderPair
from therapists.management.commands import seed_therapists
from therapists.models import Community, EffectiveAvailability, Specialty, Therapist

pytestmark = pytest.mark.django_db


def seed(count: int, *args: str) -> str:
    out = io.StringIO()
    call_command("seed_therapists", "--count", str(count), *args, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    """Every listing's content and relations, independent of primary keys."""
    return [
        (
            t.slug,
            t.name,
            t.city,
            t.latitude,
            t.availability,
            t.availability_confirmed_on,
            t.fee_min,
            t.is_published,
            tuple(t.specialties.values_list("slug", flat=True)),
            tuple(t.languages.values_list("slug", flat=True)),
            tuple(t.telehealth_regions.values_list("slug", flat=True)),
        )
        for t in Therapist.objects.order_by("slug")
    ]


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


def derived_columns() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, search_vector::text, finder_terms FROM therapists_therapist ORDER BY id"
        )
        return cursor.fetchall()


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


def test_demo_loads_about_forty_varied_fictional_listings():
    load_demo_therapists()

    listings = Therapist.objects.all()
    assert listings.count() == DEMO_COUNT
    assert listings.values("city").distinct().count() >= 5
    assert all(t.email == "" or t.email.endswith("@example.com") for t in listings)
    assert all("555-01" in t.phone for t in listings)
    assert all("fictional" in t.bio for t in listings)
    states = {t.effective_availability() for t in listings}
    assert {
        EffectiveAvailability.ACCEPTING,
        EffectiveAvailability.WAITLIST,
        EffectiveAvailability.NOT_ACCEPTING,
        EffectiveAvailability.UNKNOWN,
    } <= states
    assert listings.stale().exists()
    assert listings.filter(licence_status=Therapist.LicenceStatus.EXPIRED).exists()
    assert listings.filter(licence_status=Therapist.LicenceStatus.UNVERIFIED).exists()
    assert listings.filter(is_published=False).exists()
    assert listings.filter(gender=Therapist.Gender.NON_BINARY).exists()
    assert Community.objects.filter(therapists_identifying__isnull=False).exists()
    assert listings.filter(latitude__isnull=False).count() == DEMO_COUNT


def test_demo_is_idempotent():
    load_demo_therapists()
    first = snapshot()

    load_demo_therapists()
    load_demo_therapists(update=True)

    assert Therapist.objects.count() == DEMO_COUNT
    assert snapshot() == first


def test_demo_keeps_editors_changes_unless_asked_to_update():
    load_demo_therapists()
    edited = Therapist.objects.order_by("pk").first()
    Therapist.objects.filter(pk=edited.pk).update(city="Edited City")
    missing = Therapist.objects.order_by("pk").last()
    missing.delete()

    load_demo_therapists()

    assert Therapist.objects.get(pk=edited.pk).city == "Edited City"
    assert Therapist.objects.filter(slug=missing.slug).exists()  # recreated
    load_demo_therapists(update=True)
    assert Therapist.objects.get(pk=edited.pk).city != "Edited City"


def test_demo_maps_existing_article_categories_to_specialties_only():
    anxiety = make_category(name="anxiety")  # matched case-insensitively
    out = io.StringIO()

    load_demo_therapists(out)

    assert set(anxiety.specialties.values_list("name", flat=True)) == {"Anxiety", "OCD"}
    assert not Specialty.objects.get(name="Depression").article_categories.exists()
    assert "2 article category links" in out.getvalue()


def test_demo_leaves_specialties_editors_mapped_alone():
    load_demo_therapists()
    anxiety_specialty = Specialty.objects.get(name="Anxiety")
    editors_choice = make_category(name="Worry")
    anxiety_specialty.article_categories.set([editors_choice])
    make_category(name="Anxiety")

    load_demo_therapists()

    assert list(anxiety_specialty.article_categories.all()) == [editors_choice]
    assert Specialty.objects.get(name="OCD").article_categories.get().name == "Anxiety"


def test_loaddemo_loads_the_demo_directory():
    call_command("loaddemo", stdout=io.StringIO())

    assert Therapist.objects.count() == DEMO_COUNT
