"""PostgreSQL: a place "including therapists who see clients online" is counted in two parts.

therapists/finder/online_counts.py counts the listings seen online and the
place's listings not seen online (the ``off:`` place keys of migration 0023)
apart and adds them up. At 1,000,000 listings, counting the listings matching
"Chicago, or online" read three in four listings (2.5 s); the parts read the
count tables. The sums must be the plain counts of the whole search.
"""

import pytest

from tests.finder.pair_counts import assert_pairs_exact
from tests.finder.plain_counts import (
    assert_counts_are_plain,
    counted_in_one_statement,
    search_for,
)
from tests.therapist_factories import days_ago, make_term, make_therapist
from therapists.finder import online_counts
from therapists.finder.bitmaps import BITMAP_TABLE
from therapists.finder.passes import FINDER_PAIR_TABLE
from therapists.finder.place_counts import PLACE_PAIR_TABLE
from therapists.models import Therapist

pytestmark = pytest.mark.postgres

PORTLAND = {"city": "Portland", "region": "Oregon", "latitude": 45.52, "longitude": -122.68}


@pytest.fixture
def listings(db):
    grief = make_term("specialty", "Grief", slug="grief")
    anxiety = make_term("specialty", "Anxiety", slug="anxiety")
    make_therapist(**PORTLAND, online=True, specialties=[grief])
    make_therapist(**PORTLAND, online=False, gender="woman", specialties=[anxiety])
    make_therapist(**{**PORTLAND, "region": "OR"}, online=False, sliding_scale=True)
    make_therapist(**{**PORTLAND, "latitude": 45.61}, online=False, specialties=[grief])
    make_therapist(city="Salem", region="Oregon", latitude=44.94, longitude=-123.04, online=False)
    make_therapist(
        city="Chicago",
        region="Illinois",
        latitude=41.88,
        longitude=-87.63,
        online=True,
        gender="woman",
        specialties=[anxiety],
    )
    make_therapist(
        city="",
        region="",
        latitude=None,
        longitude=None,
        online=True,
        availability_confirmed_on=days_ago(300),
        specialties=[grief],
    )
    make_therapist(city="Boston", region="MA", latitude=42.36, longitude=-71.06, online=False)
    make_therapist(**PORTLAND, online=False, is_published=False, specialties=[grief])


SEARCHES = [
    "location=Portland&include_online=on",
    "location=Oregon&include_online=on",
    "location=OR&include_online=on",
    "location=Portland, OR&include_online=on",
    "location=Portland, Oregon&include_online=on",
    "location=97201&include_online=on",
    "location=Nowhere&include_online=on",
    "lat=45.52&lng=-122.68&radius=25&include_online=on",
    "lat=45.52&lng=-122.68&radius=5&include_online=on",
    "lat=45.52&lng=-122.68&radius=25&location=Portland&include_online=on",
    "location=Portland&include_online=on&specialty=grief",
    "location=Portland&include_online=on&specialty=grief&specialty=anxiety&gender=woman",
    "location=Portland&include_online=on&format=in_person",
    "location=Portland&include_online=on&format=online",
    "location=Portland&include_online=on&accepting=on&sliding_scale=on&max_fee=200",
    "lat=45.52&lng=-122.68&radius=25&include_online=on&gender=woman&gender=man",
    "location=Portland&include_online=on&q=example",
]


@pytest.mark.parametrize("query", SEARCHES)
def test_counts_in_two_parts_equal_plain_counts_of_the_whole_search(listings, query):
    assert_counts_are_plain(search_for(query))


@pytest.mark.parametrize("query", SEARCHES)
def test_the_parts_hold_each_listing_of_the_search_once(listings, query):
    search = search_for(query)
    online, offline = online_counts.parts(search)
    whole = set(search.base().values_list("pk", flat=True))
    online_pks = set(online.base().values_list("pk", flat=True))
    offline_pks = set(offline.base().values_list("pk", flat=True))
    assert online_pks | offline_pks == whole
    assert not online_pks & offline_pks


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("location=Portland&include_online=on", 6),
        ("location=Portland, OR&include_online=on", 6),
        # mostly inside cells (place_counts.place_only): Portland and Salem
        ("lat=45.52&lng=-122.68&radius=100&include_online=on", 7),
    ],
)
def test_a_place_or_online_is_counted_from_the_count_tables_alone(
    listings, django_assert_num_queries, query, total
):
    sql, summary = counted_in_one_statement(search_for(query), django_assert_num_queries)
    assert FINDER_PAIR_TABLE in sql and PLACE_PAIR_TABLE in sql
    if "lat=" not in query:  # a circle's edge cells are read from the listings
        assert "therapists_therapist" not in sql
    assert summary["total"] == total


def test_with_filters_of_codes_the_online_part_is_counted_from_the_bitmaps(
    listings, django_assert_num_queries
):
    search = search_for("location=Portland&include_online=on&specialty=grief")
    sql, _summary = counted_in_one_statement(search, django_assert_num_queries)
    assert BITMAP_TABLE in sql


def test_offline_keys_follow_a_listing_going_online_and_back(listings):
    therapist = Therapist.objects.get(gender="woman", city="Portland")
    before = search_for("location=Portland&include_online=on").summary_counts()
    for online in (True, False):
        therapist.online = online
        therapist.save()
        assert_pairs_exact()
    Therapist.objects.filter(city="Portland").update(online=True)
    assert_pairs_exact()
    Therapist.objects.filter(city="Portland").update(online=False)
    assert_pairs_exact()
    assert search_for("location=Portland&include_online=on").summary_counts() != before
