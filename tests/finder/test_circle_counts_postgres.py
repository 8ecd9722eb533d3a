"""PostgreSQL: a circle's counts from the place table, each edge cell by its smaller side
(therapists/finder/place_counts.py), equal a plain recount of the listings."""

import math
import random
from collections import Counter

import pytest
from django.http import QueryDict

from tests.finder.conftest import KM_PER_DEGREE
from tests.therapist_factories import days_ago, make_term, make_therapist
from therapists.finder.counts import AggregateCounts, choose_counters, multi_select_passes
from therapists.finder.geo import CELL_DEGREES, _box, circle_cells, haversine_km
from therapists.finder.place_counts import PlaceCounter
from therapists.finder.query import FinderSearch, load_vocabularies
from therapists.forms import FinderForm
from therapists.models import Therapist

pytestmark = pytest.mark.postgres

CENTRE = (41.8781, -87.6298)
RADIUS_KM = 25
QUERY = f"lat={CENTRE[0]}&lng={CENTRE[1]}&radius={RADIUS_KM}"


def cell_of(latitude: float, longitude: float) -> str:
    return f"g:{math.floor(latitude / CELL_DEGREES)}:{math.floor(longitude / CELL_DEGREES)}"


@pytest.fixture
def around(db):
    """150 listings scattered over the circle's box and a little beyond, with terms,
    genders, formats and availability, a tenth of them unpublished."""
    rng = random.Random(7)
    specialties = [make_term("specialty", name) for name in ("Anxiety", "Grief", "Trauma")]
    languages = [make_term("language", name) for name in ("English", "Spanish")]
    reach = (RADIUS_KM + 3) / KM_PER_DEGREE
    for n in range(150):
        make_therapist(
            latitude=CENTRE[0] + rng.uniform(-reach, reach),
            longitude=CENTRE[1] + rng.uniform(-reach, reach) / math.cos(math.radians(CENTRE[0])),
            specialties=rng.sample(specialties, rng.randint(0, 2)),
            languages=rng.sample(languages, rng.randint(1, 2)),
            gender=rng.choice(list(Therapist.Gender.values)),
            online=rng.random() < 0.5,
            sliding_scale=rng.random() < 0.3,
            availability_confirmed_on=days_ago(rng.choice([1, 400])),
            is_published=n % 10 != 0,
        )
    return specialties


def edge_sides() -> Counter:
    """Per edge cell, which side the count reads: "inside" (its listings in the circle)
    or "outside" (the cell's row less its listings out of the circle)."""
    _inside, edge = circle_cells(*CENTRE, RADIUS_KM)
    south, north, west, east = _box(*CENTRE, RADIUS_KM)
    listed_in, listed_out = Counter(), Counter()
    for latitude, longitude in Therapist.objects.listed().values_list("latitude", "longitude"):
        cell = cell_of(latitude, longitude)
        if cell not in edge:
            continue
        within = south <= latitude <= north and west <= longitude <= east
        within = within and haversine_km(*CENTRE, latitude, longitude) <= RADIUS_KM
        (listed_in if within else listed_out)[cell] += 1
    cells = set(listed_in) | set(listed_out)
    return Counter("outside" if listed_out[c] < listed_in[c] else "inside" for c in cells)


def assert_counts_equal_a_recount(query: str) -> None:
    search = FinderSearch(FinderForm(QueryDict(query), load_vocabularies()).params())
    counters = choose_counters(search, multi_select_passes(search))
    assert any(isinstance(counter, PlaceCounter) for counter in counters)
    plain = AggregateCounts(search)
    assert search.summary_counts() == plain.summary_from_aggregate()
    assert search.vocabulary_counts() == plain.vocabulary_from_relations()


def test_edge_cells_read_from_either_side_count_what_a_recount_gives(around):
    sides = edge_sides()
    assert sides["inside"] and sides["outside"]  # both ways of counting an edge cell are used
    assert_counts_equal_a_recount(QUERY)


def test_a_filter_beside_the_circle_counts_its_own_pass_from_the_place_table(around):
    """The specialty's pass has only the circle left: counted from the place table,
    with the specialty codes' range only."""
    assert_counts_equal_a_recount(f"{QUERY}&specialty={around[0].slug}")


def test_counts_follow_listings_moving_across_the_circle_and_unpublishing(around):
    listings = list(Therapist.objects.order_by("pk"))
    for listing in listings[:40:4]:  # to the centre, and out of the box
        listing.latitude, listing.longitude = CENTRE
        listing.save()
    Therapist.objects.filter(pk__in=[t.pk for t in listings[1:40:4]]).update(latitude=50.0)
    Therapist.objects.filter(pk__in=[t.pk for t in listings[2:40:4]]).update(is_published=False)
    Therapist.objects.filter(pk__in=[t.pk for t in listings[3:40:4]]).delete()
    assert_counts_equal_a_recount(QUERY)
    assert_counts_equal_a_recount(f"{QUERY}&specialty={around[1].slug}")
