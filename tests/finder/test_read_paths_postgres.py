"""PostgreSQL: the read paths of issue 13 give what the plain filters give.

Counting by what each listing fails (therapists/finder/listing_counts.py)
must give the plain recount for searches combining several filters, words
and a circle; the circle found by grid cell (geo.circle_filter, migration
0018) must hold exactly the listings the bounding box and distance hold.
"""

import random

import pytest
from django.db import connection
from django.db.models import Q
from django.http import QueryDict

from tests.finder.test_counts_postgres import listings, terms  # noqa: F401 (fixtures)
from tests.therapist_factories import days_ago, make_therapist
from therapists.finder.counts import AggregateCounts
from therapists.finder.geo import bounding_box, box_cells, circle_filter, distance_km
from therapists.finder.query import FinderSearch, load_vocabularies
from therapists.forms import FinderForm
from therapists.models import Therapist

pytestmark = pytest.mark.postgres

COMBINATIONS = [
    # words, a circle and filters whose passes each leave one out
    "q=example&lat=45.5&lng=-122.6&radius=100&specialty=grief&gender=woman",
    "q=Exampel&lat=45.5&lng=-122.6&radius=100&format=online&language=spanish",
    "lat=45.5&lng=-122.6&radius=100&format=in_person&gender=non_binary&gender=woman"
    "&identity=latinx&accepting=on",
    "lat=45.5231&lng=-122.6765&radius=10&specialty=anxiety&approach=cbt&max_fee=200",
    "q=example&specialty=anxiety&specialty=grief&language=spanish&format=online&gender=man",
    "q=pair&community=latinx&age=adults&insurance=example-plan&sliding_scale=on",
    "specialty=anxiety&approach=cbt&language=spanish&identity=latinx&community=latinx",
    "location=Portland&specialty=grief&language=spanish&format=online&format=in_person",
    "lat=45.5&lng=-122.6&radius=100&include_online=on&specialty=anxiety&gender=woman",
    # this place or online, in two parts (online_counts.py)
    "location=Portland&include_online=on&specialty=anxiety&gender=woman",
    "location=Portland&include_online=on",
    "lat=45.5231&lng=-122.6765&radius=60&include_online=on",
    "lat=45.5231&lng=-122.6765&radius=60&include_online=on&accepting=on&format=in_person",
    "location=Oregon&include_online=on&format=online&format=in_person&q=example",
]


@pytest.fixture
def more_listings(listings, terms):  # noqa: F811
    """Listings failing one filter or another of the combinations above, in and out of the
    circle and on cell edges."""
    t = terms
    rng = random.Random(13)
    made = []
    for number in range(24):
        made.append(
            make_therapist(
                name=f"Pair Example Extra{number}",
                latitude=45.5 + rng.uniform(-1.2, 1.2),
                longitude=-122.6 + rng.uniform(-1.6, 1.6),
                gender=rng.choice(["woman", "man", "non_binary"]),
                in_person=rng.random() < 0.6,
                online=rng.random() < 0.6,
                sliding_scale=rng.random() < 0.5,
                fee_min=rng.choice([None, 80, 150, 250]),
                availability=rng.choice(list(Therapist.Availability)),
                availability_confirmed_on=days_ago(rng.choice([0, 30, 200])),
                specialties=rng.sample([t["anxiety"], t["grief"]], rng.randint(0, 2)),
                approaches=[t["cbt"]] if rng.random() < 0.5 else [],
                languages=[t["spanish"]] if rng.random() < 0.5 else [],
                communities_served=[t["latinx"]] if rng.random() < 0.5 else [],
                communities_identifies=[t["latinx"]] if rng.random() < 0.4 else [],
                age_groups=[t["adults"]] if rng.random() < 0.5 else [],
                insurance_plans=[t["plan"]] if rng.random() < 0.3 else [],
            )
        )
    return made


@pytest.mark.parametrize("query", COMBINATIONS)
def test_counts_of_combined_filters_words_and_circles_equal_a_recount(more_listings, query):
    params = FinderForm(QueryDict(query), load_vocabularies()).params()
    search = FinderSearch(params)
    plain = AggregateCounts(search)
    assert search.summary_counts() == plain.summary_from_aggregate()
    assert search.vocabulary_counts() == plain.vocabulary_from_relations()


@pytest.mark.parametrize(
    ("latitude", "longitude", "radius_km"),
    [(45.5, -122.6, 100), (45.5231, -122.6765, 10), (45.0, -122.0, 25), (46.0, -123.0, 50)],
)
def test_the_circle_by_cell_holds_the_listings_of_the_box_and_distance(
    more_listings, latitude, longitude, radius_km
):
    assert box_cells(latitude, longitude, radius_km) is not None
    box = bounding_box(latitude, longitude, radius_km) & Q(distance_km__lte=radius_km)
    by_cell = circle_filter(latitude, longitude, radius_km, by_cell=True)
    listed = Therapist.objects.listed().annotate(distance_km=distance_km(latitude, longitude))
    expected = set(listed.filter(box).values_list("pk", flat=True))
    assert expected
    assert set(listed.filter(by_cell).values_list("pk", flat=True)) == expected


def test_the_circle_asks_for_its_cells_and_not_the_latitude_band(more_listings):
    params = FinderForm(QueryDict("lat=45.5&lng=-122.6&radius=25"), load_vocabularies()).params()
    sql = str(FinderSearch(params).results().query)
    assert "therapists_finder_cell" in sql
    # The box's sides are there, but in a form no (latitude, longitude) index answers.
    assert '("therapists_therapist"."latitude" + 0.0) >=' in sql


def test_wide_circles_and_the_antimeridian_fall_back_to_the_box():
    assert box_cells(0.0, 179.9, 25) is None
    assert box_cells(60.0, 10.0, 500) is None  # more cells than MAX_CELLS
    assert "therapists_finder_cell" not in str(circle_filter(0.0, 179.9, 25, by_cell=True))


def test_the_cell_cover_index_replaces_the_cell_index(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'therapists_therapist' "
            "AND indexname LIKE 'therapist_finder_cell%%'"
        )
        assert [name for (name,) in cursor.fetchall()] == ["therapist_finder_cell_cover_idx"]
