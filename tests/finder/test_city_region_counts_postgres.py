"""PostgreSQL: "City, Region" counts come from the place counts (migration 0015) and stay exact.

A pass whose only filter is "City X, region Y" sums the ``cr:X Y`` keys of
every spelling of the region (``place_counts.PlaceCounter._city_region``).
Counting the listings themselves read every listing of the city: 1.7-2.8 s
for "Chicago, IL" at 1,000,000 listings. After the comma, text with a digit
is a postal code, counted from the listings (a handful, found by index).
"""

import pytest

from tests.finder.plain_counts import (
    assert_counts_are_plain,
    counted_in_one_statement,
    search_for,
)
from tests.therapist_factories import make_term, make_therapist
from therapists.finder.place_counts import PLACE_PAIR_TABLE

pytestmark = pytest.mark.postgres


@pytest.fixture
def places(db):
    grief = make_term("specialty", "Grief", slug="grief")
    anxiety = make_term("specialty", "Anxiety", slug="anxiety")
    make_therapist(city="Portland", region="Oregon", specialties=[grief])
    make_therapist(city="Portland", region="OR", online=False, specialties=[anxiety])
    make_therapist(city="portland", region="oregon", gender="woman", specialties=[grief])
    make_therapist(city="Portland", region="Maine", postal_code="04101", specialties=[anxiety])
    make_therapist(city="Salem", region="Oregon", specialties=[grief])
    # A postal code typed where the region goes matches too: "Portland, 97299".
    make_therapist(city="Portland", region="Washington", postal_code="97299", sliding_scale=True)
    make_therapist(city="Portland", region="Oregon", is_published=False, specialties=[grief])


@pytest.mark.parametrize(
    "query",
    [
        "location=Portland, OR",
        "location=Portland, Oregon",
        "location=portland , or",
        "location=Portland, Maine",
        "location=Portland, ME",
        "location=Portland, 97299",
        "location=Portland, 97201",
        "location=Portland, Oregon, US",
        "location=Salem, OR&specialty=grief",
        "location=Portland, OR&format=online&gender=woman",
        "location=Nowhere, OR",
    ],
)
def test_city_and_region_counts_equal_plain_counts_of_the_listings(places, query):
    assert_counts_are_plain(search_for(query))


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("location=Portland, OR", 3),
        ("location=portland, oregon", 3),
        ("location=Portland, ME", 1),
    ],
)
def test_a_city_and_region_search_counts_from_the_place_table(
    places, django_assert_num_queries, query, total
):
    sql, summary = counted_in_one_statement(search_for(query), django_assert_num_queries)
    assert PLACE_PAIR_TABLE in sql
    assert summary["total"] == total


def test_after_a_comma_a_postal_code_is_matched_as_one_and_a_region_name_is_not(places):
    assert search_for("location=Portland, 97299").summary_counts()["total"] == 1
    assert search_for("location=Portland, 04101").summary_counts()["total"] == 1
    assert search_for("location=Portland, Washington").summary_counts()["total"] == 1
    assert search_for("location=Salem, 97299").summary_counts()["total"] == 0
