"""PostgreSQL: "City, Region" counts come from the place counts (migration 0015) and stay exact.

A pass whose only filter is "City X, region Y" sums the ``cr:X Y`` keys of
every spelling of the region (``place_counts.PlaceCounter._city_region``).
Counting the listings themselves read every listing of the city: 1.7-2.8 s
for "Chicago, IL" at 1,000,000 listings. After the comma, text with a digit
is a postal code, counted from the listings (a handful, found by index).
"""

import pytest
from django.http import QueryDict

from tests.therapist_factories import make_term, make_therapist
from therapists.finder.counts import AggregateCounts
from therapists.finder.place_counts import PLACE_PAIR_TABLE
from therapists.finder.query import FinderSearch, load_vocabularies
from therapists.forms import FinderForm

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


def search_for(query: str) -> FinderSearch:
    return FinderSearch(FinderForm(QueryDict(query), load_vocabularies()).params())


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
    search = search_for(query)
    plain = AggregateCounts(search)
    assert search.summary_counts() == plain.summary_from_aggregate()
    assert search.vocabulary_counts() == plain.vocabulary_from_relations()


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
    search = search_for(query)
    with django_assert_num_queries(1) as captured:
        summary = search.summary_counts()
    assert PLACE_PAIR_TABLE in captured.captured_queries[0]["sql"]
    assert summary["total"] == total


def test_after_a_comma_a_postal_code_is_matched_as_one_and_a_region_name_is_not(places):
    assert search_for("location=Portland, 97299").summary_counts()["total"] == 1
    assert search_for("location=Portland, 04101").summary_counts()["total"] == 1
    assert search_for("location=Portland, Washington").summary_counts()["total"] == 1
    assert search_for("location=Salem, 97299").summary_counts()["total"] == 0
