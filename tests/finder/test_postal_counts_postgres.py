"""PostgreSQL: the start of a postal code is counted from its place key (migration 0023).

"606" matched 61,527 listings at 1,000,000, whose codes were unnested one by
one (0.35-0.93 s for one to three characters). Each listing now has a
``p:`` key for the first 1, 2 and 3 characters of its upper-cased postal
code; longer starts are read from the listings, as before.
"""

import pytest

from tests.finder.pair_counts import assert_pairs_exact
from tests.finder.plain_counts import (
    assert_counts_are_plain,
    counted_in_one_statement,
    search_for,
)
from tests.therapist_factories import make_term, make_therapist
from therapists.finder.place_counts import PLACE_PAIR_TABLE
from therapists.models import Therapist

pytestmark = pytest.mark.postgres


@pytest.fixture
def codes(db):
    grief = make_term("specialty", "Grief", slug="grief")
    make_therapist(postal_code="60614", specialties=[grief])
    make_therapist(postal_code="60601", online=False, gender="woman")
    make_therapist(postal_code="60", sliding_scale=True)  # shorter than three characters
    make_therapist(postal_code="SW1A 1AA", online=False, specialties=[grief])
    make_therapist(postal_code="sw19 2ab")  # typed in lower case
    make_therapist(postal_code="", specialties=[grief])
    make_therapist(postal_code="60614", is_published=False)


@pytest.mark.parametrize(
    "query",
    [
        "location=6",
        "location=60",
        "location=606",
        "location=6061",
        "location=60614",
        "location=sw1",
        "location=SW1A",
        "location=S1",
        "location=606&specialty=grief",
        "location=60&include_online=on",
        "location=sw1&include_online=on&specialty=grief",
        "location=9",
    ],
)
def test_postal_start_counts_equal_plain_counts_of_the_listings(codes, query):
    assert_counts_are_plain(search_for(query))


@pytest.mark.parametrize(
    ("query", "total"), [("location=6", 3), ("location=60", 3), ("location=sw1", 2)]
)
def test_a_short_postal_start_is_counted_from_its_place_key(
    codes, django_assert_num_queries, query, total
):
    sql, summary = counted_in_one_statement(search_for(query), django_assert_num_queries)
    assert PLACE_PAIR_TABLE in sql and "therapists_therapist" not in sql
    assert summary["total"] == total


def test_postal_keys_follow_an_edited_postal_code(codes):
    therapist = Therapist.objects.get(postal_code="60601")
    therapist.postal_code = "97201"
    therapist.save()
    assert_pairs_exact()
    Therapist.objects.filter(postal_code__istartswith="sw").update(postal_code="606")
    assert_pairs_exact()
    assert search_for("location=606").summary_counts()["total"] == 3
