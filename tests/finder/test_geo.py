"""The finder's distances: the database's haversine, the search circle across the antimeridian."""

import math

import pytest

from tests.finder.conftest import FINDER, ORIGIN, names
from tests.therapist_factories import make_therapist
from therapists.finder.geo import distance_km
from therapists.models import Therapist


def test_database_distance_matches_the_haversine_formula(directory):
    morgan = Therapist.objects.annotate(d=distance_km(*ORIGIN)).get(name="Morgan Sampleton")
    lat1, lng1, lat2, lng2 = map(math.radians, (*ORIGIN, 45.2, -122.28))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    assert morgan.d == pytest.approx(2 * 6371 * math.asin(math.sqrt(a)), rel=1e-9)
    assert 30 < morgan.d < 32


def test_radius_across_the_antimeridian_finds_listings_on_the_other_side(client, db):
    make_therapist(name="Eastern Example", latitude=0.0, longitude=179.9)
    make_therapist(name="Western Example", latitude=0.0, longitude=-179.9)
    response = client.get(f"{FINDER}?lat=0&lng=179.95&radius=25")
    assert set(names(response)) == {"Eastern Example", "Western Example"}
