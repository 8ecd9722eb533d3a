"""PostgreSQL: the per-code bitmaps of migration 0019 stay exact, and count as the listings do.

Each write test changes listings one way and compares the stored bitmaps,
decoded to sets of ids, with the ids worked out in Python from each listed
listing's fields and relation rows. The counting tests compare the bitmap
counter with the listing counter it replaces for code-only searches.
"""

import io
import random

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.http import QueryDict

from tests.finder.pair_counts import expected_codes
from tests.finder.test_counts_postgres import listings, terms  # noqa: F401 (fixtures)
from tests.finder.test_scale_postgres import mixed_writes
from tests.therapist_factories import days_ago, make_term, make_therapist
from therapists.finder import maintenance
from therapists.finder.bitmap_counts import BitmapCounter, answers
from therapists.finder.bitmaps import BITMAP_TABLE, CHUNK_BITS, refresh_bitmaps
from therapists.finder.codes import FEE_GROUP, VOCABULARY_GROUPS, code
from therapists.finder.counts import run
from therapists.finder.listing_counts import ListingCounter
from therapists.finder.passes import decode, multi_select_passes
from therapists.finder.query import FinderSearch, load_vocabularies
from therapists.forms import FinderForm
from therapists.models import Specialty, Therapist

pytestmark = pytest.mark.postgres


def expected_bitmaps() -> dict[int, set[int]]:
    """code -> ids of the listed listings having it, in Python."""
    ids: dict[int, set[int]] = {}
    for therapist in Therapist.objects.listed():
        codes = expected_codes(therapist)
        if therapist.fee_min is not None:
            codes.append(code(FEE_GROUP, therapist.fee_min))
        for listing_code in codes:
            ids.setdefault(listing_code, set()).add(therapist.pk)
    return ids


def stored_bitmaps() -> dict[int, set[int]]:
    """code -> ids whose bit is set, decoded from the table's bit strings."""
    ids: dict[int, set[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT code, chunk, bits::text FROM {BITMAP_TABLE}")  # noqa: S608
        for listing_code, chunk, bits in cursor.fetchall():
            assert len(bits) == CHUNK_BITS
            for position, bit in enumerate(bits):
                if bit == "1":
                    ids.setdefault(listing_code, set()).add(chunk * CHUNK_BITS + position)
    return ids


def assert_bitmaps_exact() -> None:
    assert stored_bitmaps() == expected_bitmaps()


def test_bitmaps_hold_the_created_listings(listings):  # noqa: F811
    assert_bitmaps_exact()
    hidden = listings[3]
    assert all(hidden.pk not in ids for ids in stored_bitmaps().values())


def test_saves_of_fields_and_visibility(listings):  # noqa: F811
    one, two, three, hidden = listings
    one.gender, one.sliding_scale, one.fee_min = "man", False, 75
    one.save()
    assert_bitmaps_exact()
    two.availability, two.availability_confirmed_on = Therapist.Availability.ACCEPTING, days_ago(2)
    two.save()
    assert_bitmaps_exact()
    hidden.is_published = True
    hidden.save()
    three.is_published = False
    three.save()
    assert_bitmaps_exact()


def test_queryset_updates_of_codes_and_visibility(listings):  # noqa: F811
    Therapist.objects.update(online=~F("online"), fee_min=None)
    assert_bitmaps_exact()
    Therapist.objects.filter(gender="woman").update(gender="agender", fee_min=120)
    assert_bitmaps_exact()
    Therapist.objects.update(is_published=~F("is_published"))
    assert_bitmaps_exact()
    Therapist.objects.update(
        availability=Therapist.Availability.ACCEPTING, availability_confirmed_on=days_ago(1)
    )
    assert_bitmaps_exact()


@pytest.mark.parametrize("group", VOCABULARY_GROUPS, ids=lambda group: group.key)
def test_relation_add_remove_and_clear_on_each_vocabulary(listings, group):  # noqa: F811
    one, two, three, _hidden = listings
    kind = group.through._meta.get_field(group.through_column.removesuffix("_id")).related_model
    first, second = (make_term(_kind_of(kind)) for _ in range(2))
    relation = getattr(one, group.relation)
    relation.add(first, second)
    assert_bitmaps_exact()
    relation.remove(first)
    assert_bitmaps_exact()
    getattr(two, group.relation).add(second)
    relation.clear()
    assert_bitmaps_exact()


def _kind_of(model) -> str:
    from therapists.finder.codes import VOCABULARY_MODELS

    kinds = {"age": "age_group", "insurance": "insurance_plan"}
    key = next(key for key, value in VOCABULARY_MODELS.items() if value is model)
    return kinds.get(key, key)


def test_reverse_relation_edits_deletes_and_bulk_creates(listings, terms):  # noqa: F811
    terms["grief"].therapists.add(listings[1])
    terms["grief"].therapists.remove(listings[0])
    assert_bitmaps_exact()
    listings[0].delete()
    Therapist.objects.filter(pk=listings[2].pk).delete()
    assert_bitmaps_exact()
    Therapist.objects.bulk_create(
        [
            Therapist(name=f"Bulk {n}", slug=f"bulk-{n}", is_published=True, fee_min=50 + n)
            for n in range(3)
        ]
    )
    assert_bitmaps_exact()


def test_raw_sql_updates_ids_included_and_truncate(listings):  # noqa: F811
    with connection.cursor() as cursor:
        cursor.execute("UPDATE therapists_therapist SET in_person = NOT in_person, fee_min = 90")
        assert_bitmaps_exact()
        # An id that changes moves its bits: old and new rows pair by (id, code).
        # (A listing with no relation rows, which would still name the old id.)
        moved = make_therapist(fee_min=70, gender="woman")
        cursor.execute("UPDATE therapists_therapist SET id = id + 5000 WHERE id = %s", [moved.pk])
        assert_bitmaps_exact()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks left to run
        cursor.execute("TRUNCATE therapists_therapist CASCADE")
    assert stored_bitmaps() == {}


def test_chunks_far_apart_and_rows_left_all_zeros(listings):  # noqa: F811
    far = make_therapist(id=3 * CHUNK_BITS + 7, fee_min=60)
    assert_bitmaps_exact()
    far.delete()
    assert_bitmaps_exact()
    # Its rows stay, all zeros, and count nothing; the check ignores them.
    assert maintenance.verify() == []


def test_a_mixed_write_workload_keeps_the_bitmaps_equal_to_a_recount(listings):  # noqa: F811
    mixed_writes(random.Random(19), list(Specialty.objects.all()))
    assert_bitmaps_exact()
    assert maintenance.verify() == []


def test_rebuild_finder_check_finds_a_wrong_bit_and_rebuild_repairs_it(listings):  # noqa: F811
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {BITMAP_TABLE} SET bits = set_bit(bits, 0, 1 - get_bit(bits, 0)) "  # noqa: S608
            "WHERE code = 0"
        )
    assert [m.what for m in maintenance.verify()] == [BITMAP_TABLE]
    with pytest.raises(Exception, match=BITMAP_TABLE):
        call_command("rebuild_finder", "--check", stdout=io.StringIO())
    assert refresh_bitmaps() > 0
    assert maintenance.verify() == []
    assert_bitmaps_exact()


def test_a_bit_string_of_another_length_is_refused(db):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {BITMAP_TABLE} VALUES (0, 0, B'101')")  # noqa: S608


def random_query(rng: random.Random, vocabularies) -> str:
    """A search of code filters only: 1-5 of them, terms, formats, genders, flags, a fee."""
    parts = []
    keys = {group.key: group.vocabulary for group in VOCABULARY_GROUPS}
    for key in rng.sample(sorted(keys), rng.randint(0, 3)):
        for term in rng.sample(vocabularies[keys[key]], rng.randint(1, 2)):
            parts.append(f"{key}={term.slug}")
    if rng.random() < 0.4:
        parts += [f"format={f}" for f in rng.sample(["in_person", "online"], rng.randint(1, 2))]
    if rng.random() < 0.4:
        parts += [f"gender={g}" for g in rng.sample(Therapist.Gender.values, rng.randint(1, 3))]
    if rng.random() < 0.4:
        parts.append("accepting=on")
    if rng.random() < 0.3:
        parts.append("sliding_scale=on")
    if rng.random() < 0.4:
        parts.append(f"max_fee={rng.randint(0, 260)}")
    return "&".join(parts)


COPIED = ("gender", "in_person", "online", "availability", "availability_confirmed_on")


def spread_over_chunks(rng: random.Random, count: int) -> None:
    """Copies of seeded listings at ids in chunks 1 to 5 and 9 (8 left empty), fees varied."""
    seeded = list(Therapist.objects.all())
    for n in range(count):
        source = rng.choice(seeded)
        chunk = rng.choice([1, 2, 3, 4, 5, 9])
        fields = {name: getattr(source, name) for name in COPIED}
        relations = {
            group.relation: list(getattr(source, group.relation).all())
            for group in VOCABULARY_GROUPS
        }
        make_therapist(
            id=chunk * CHUNK_BITS + n,
            fee_min=rng.choice([None, 40, 80, 120, 200]),
            sliding_scale=rng.random() < 0.5,
            is_published=rng.random() < 0.9,
            **fields,
            **relations,
        )


def test_bitmap_counts_equal_the_listing_counts_for_random_searches(db):
    call_command("seed_therapists", "--count", "300", "--seed", "7", stdout=io.StringIO())
    rng = random.Random(7)
    spread_over_chunks(rng, 60)
    vocabularies = load_vocabularies()
    compared = 0
    for _ in range(60):
        form = FinderForm(QueryDict(random_query(rng, vocabularies)), vocabularies)
        assert form.is_valid()
        search = FinderSearch(form.params())
        if not search.filters:
            continue
        assert answers(search)
        passes = multi_select_passes(search)
        from_bitmaps = decode(search, passes, run([BitmapCounter(search, passes)]))
        from_listings = decode(search, passes, run([ListingCounter(search, passes)]))
        assert from_bitmaps == from_listings, search.filters
        compared += 1
    assert compared > 40
