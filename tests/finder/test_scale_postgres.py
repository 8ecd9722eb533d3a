"""PostgreSQL: the finder's count triggers at scale (migrations 0013, 0017).

- Each firing is planned for the rows it has, not with a plan kept from an
  earlier firing on the connection (a one-row save made bulk updates of a
  thousand listings take seconds).
- One statement per firing keeps all three count tables, and the SQL
  functions it calls are inlined rather than run as a query per row.
- Count rows are updated in place on their page (heap-only), so the tables do
  not bloat where no VACUUM runs.
- After a mixed write workload every count table equals a recount.
- The app's connections run with JIT off.
"""

import random
import re

import pytest
from django.db import connection
from django.db.models import Case, F, Value, When

from tests.finder.pair_counts import assert_pairs_exact
from tests.finder.test_counts_postgres import listings, terms  # noqa: F401 (fixtures)
from tests.therapist_factories import days_ago, make_term, make_therapist
from therapists.finder.maintenance import (
    refresh_finder_pairs,
    refresh_finder_place_pairs,
    refresh_finder_word_pairs,
)
from therapists.models import Specialty, Therapist

pytestmark = pytest.mark.postgres

COUNT_TABLES = (
    "therapists_finder_pair",
    "therapists_finder_word_pair",
    "therapists_finder_place_pair",
)
TRANSITION_SCAN = re.compile(r"Named Tuplestore Scan[^(]*\(cost=\S+ rows=(\d+)")


def explained(statement) -> list[str]:
    """Run ``statement()`` and return the plan of every statement it ran, nested ones too.

    auto_explain sends each plan to this client as a NOTICE (psycopg2 keeps
    the last 50).
    """
    raw = connection.connection
    with connection.cursor() as cursor:
        cursor.execute("LOAD 'auto_explain'")
        cursor.execute("SET auto_explain.log_min_duration = 0")
        cursor.execute("SET auto_explain.log_nested_statements = on")
        cursor.execute("SET auto_explain.log_level = notice")
    del raw.notices[:]
    try:
        statement()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET auto_explain.log_min_duration = -1")
    return list(raw.notices)


def transition_table_estimates(statement) -> list[int]:
    """Run ``statement()`` and return the row estimates of the trigger plans' transition scans.

    A transition table's scan is estimated at the rows it held when the
    statement was planned.
    """
    plans = [notice for notice in explained(statement) if "therapists_finder_" in notice]
    assert plans, "no trigger statement was explained"
    return [int(rows) for plan in plans for rows in TRANSITION_SCAN.findall(plan)]


def test_a_bulk_update_after_a_one_row_save_is_planned_for_its_rows(listings):  # noqa: F811
    extra = [make_therapist(name=f"Bulk Plan {n}") for n in range(40)]
    one = Therapist.objects.get(pk=listings[0].pk)
    one.sliding_scale = not one.sliding_scale
    assert set(transition_table_estimates(one.save)) == {1}
    pks = [therapist.pk for therapist in extra]

    def bulk_update():
        Therapist.objects.filter(pk__in=pks).update(
            sliding_scale=Case(When(sliding_scale=True, then=Value(False)), default=Value(True))
        )

    assert set(transition_table_estimates(bulk_update)) == {len(pks)}
    assert_pairs_exact()


def test_a_bulk_update_is_one_trigger_statement_for_all_count_tables(listings):  # noqa: F811
    pks = [
        make_therapist(
            name=f"One Pass {n}", city="Portland", region="OR", latitude=45.5, longitude=-122.6
        ).pk
        for n in range(20)
    ]

    plans = explained(
        lambda: Therapist.objects.filter(pk__in=pks).update(sliding_scale=~F("sliding_scale"))
    )

    # The UPDATE, then one trigger statement for the count tables, one for
    # the bitmaps (migration 0019) and one for the names (0020), triggers of
    # their own: no further pass over the transition tables, and no per-row
    # query for an SQL function. (The write's page cache invalidation also
    # clears the stored article parts.)
    plans = [plan for plan in plans if "articles_" not in plan]
    assert len(plans) == 4, plans
    counts = next(plan for plan in plans if "Insert on therapists_finder_pair" in plan)
    assert all(f"Insert on {table}" in counts for table in COUNT_TABLES)
    assert any("Insert on therapists_finder_bitmap" in plan for plan in plans)
    assert any("Insert on therapists_finder_name" in plan for plan in plans)
    assert_pairs_exact()


def hot_updates() -> dict[str, tuple[int, int]]:
    """Per count table: rows updated, and of those heap-only, in this transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, pg_stat_get_xact_tuples_updated(oid), "
            "pg_stat_get_xact_tuples_hot_updated(oid) FROM pg_class WHERE relname = ANY(%s)",
            [list(COUNT_TABLES)],
        )
        return {name: (updated, hot) for name, updated, hot in cursor.fetchall()}


def test_count_rows_are_updated_on_their_own_page(listings):  # noqa: F811
    # Rebuilt, the tables' pages are as full as they get.
    refresh_finder_pairs()
    refresh_finder_word_pairs()
    refresh_finder_place_pairs()
    before = hot_updates()
    Therapist.objects.update(online=~F("online"))
    after = hot_updates()
    for table in COUNT_TABLES:
        updated = after[table][0] - before[table][0]
        hot = after[table][1] - before[table][1]
        assert updated > 0
        assert hot == updated, f"{table}: {updated - hot} of {updated} updates moved the row"


def mixed_writes(rng: random.Random, vocabulary: list) -> None:
    """Saves, relation edits from both sides, bulk statements, creations, deletions."""
    specialties = list(Specialty.objects.all())
    for step in range(60):
        listing_pks = list(Therapist.objects.values_list("pk", flat=True))
        therapist = Therapist.objects.get(pk=rng.choice(listing_pks))
        action = step % 6
        if action == 0:
            therapist.gender = rng.choice([*Therapist.Gender.values, ""])
            therapist.sliding_scale = rng.random() < 0.5
            therapist.is_published = rng.random() < 0.8
            therapist.bio = rng.choice(["Calm work on grief.", "Panic, burnout and sleep."])
            therapist.save()
        elif action == 1:
            therapist.specialties.set(rng.sample(specialties, rng.randint(0, len(specialties))))
        elif action == 2:
            term = rng.choice(vocabulary)
            relation = term.therapists if hasattr(term, "therapists") else None
            if relation is not None:
                (relation.add if rng.random() < 0.5 else relation.remove)(therapist)
        elif action == 3:
            chosen = rng.sample(listing_pks, max(1, len(listing_pks) // 2))
            Therapist.objects.filter(pk__in=chosen).update(
                in_person=~F("in_person"),
                availability=Therapist.Availability.ACCEPTING,
                availability_confirmed_on=days_ago(rng.randint(0, 200)),
            )
        elif action == 4:
            make_therapist(
                name=f"Mixed Listing {step}",
                specialties=rng.sample(specialties, 2),
                gender=rng.choice(Therapist.Gender.values),
            )
        elif len(listing_pks) > 3:
            therapist.delete()


def test_every_count_table_equals_a_recount_after_a_mixed_write_workload(
    listings,  # noqa: F811
    terms,  # noqa: F811
):
    make_term("specialty", "Sleep", slug="sleep")
    mixed_writes(random.Random(13), list(terms.values()))
    terms["grief"].name = "Grief and loss"
    terms["grief"].save()
    assert_pairs_exact()


def test_the_app_connects_with_jit_off(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
