"""PostgreSQL: the first pages of a nearest-first circle search read from the ring
(therapists/finder/nearest.py) are exactly the pages ordering every match gives."""

import math
import random

import pytest
from django.core.cache import cache
from django.db import connection

from tests.finder.conftest import FINDER, KM_PER_DEGREE
from tests.therapist_factories import days_ago, make_therapist
from therapists.finder import nearest
from therapists.finder.nearest import NearestFirst
from therapists.finder.query import FinderParams, FinderSearch, ResultPages
from therapists.models import Therapist

pytestmark = pytest.mark.postgres

CENTRE = (41.8781, -87.6298)
RADIUS_KM = 25


def at(km_north: float, km_east: float) -> dict:
    latitude = CENTRE[0] + km_north / KM_PER_DEGREE
    longitude = CENTRE[1] + km_east / (KM_PER_DEGREE * math.cos(math.radians(CENTRE[0])))
    return {"latitude": latitude, "longitude": longitude}


@pytest.fixture
def scattered(db):
    """60 listings up to 30 km from the centre, a third of them stale, some unpublished,
    some at equal distances (ties ordered by name, then id)."""
    rng = random.Random(13)
    for n in range(60):
        km, bearing = rng.uniform(0, 30), rng.uniform(0, 2 * math.pi)
        make_therapist(
            name=f"Listing {n % 7}",
            availability_confirmed_on=days_ago(400) if n % 3 == 0 else days_ago(1),
            is_published=n % 11 != 0,
            **at(km * math.cos(bearing), km * math.sin(bearing)),
        )
    for _twin in range(3):  # the same place, the same name: the id decides
        make_therapist(name="Twin", **at(1.0, 1.0))


def pages(params: FinderParams, per_page: int = 5) -> tuple[list, list]:
    """Every page of the search, through the ring and by ordering every match."""
    search = FinderSearch(params)
    ring = NearestFirst.for_search(search)
    assert ring is not None
    total = search.results().count()
    plain, from_ring = [], []
    for start in range(0, total + per_page, per_page):
        index = slice(start, start + per_page)
        plain.append(list(ResultPages(search.results()).page(index).values_list("pk", flat=True)))
        from_ring.append(
            list(ResultPages(search.results(), ring).page(index).values_list("pk", flat=True))
        )
    return plain, from_ring


def test_every_page_is_the_page_ordering_every_match_gives(scattered):
    params = FinderParams(latitude=CENTRE[0], longitude=CENTRE[1], radius_km=RADIUS_KM)
    plain, from_ring = pages(params)
    assert from_ring == plain
    assert sum(len(page) for page in plain) > 20


def ring_branch_ran_alone(search: FinderSearch, index: slice) -> bool:
    """Whether the page's statement left the whole-circle branch's read of the listings
    unexecuted (the ring's is run in both cases, by the test of its count)."""
    page = ResultPages(search.results(), NearestFirst.for_search(search)).page(index)
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", params)
        plan = [row[0] for row in cursor.fetchall()]
    return any("never executed" in line and "therapists_therapist" in line for line in plan)


def test_a_ring_with_enough_fresh_listings_answers_without_the_whole_circle(db):
    for n in range(6):
        make_therapist(name=f"Close {n}", **at(0.5 * n, 0))
    make_therapist(name="Far", **at(20, 0))
    params = FinderParams(latitude=CENTRE[0], longitude=CENTRE[1], radius_km=RADIUS_KM)
    plain, from_ring = pages(params, per_page=5)
    assert from_ring == plain
    names = Therapist.objects.in_bulk(plain[0])
    assert [names[pk].name for pk in plain[0]] == [f"Close {n}" for n in range(5)]
    assert [Therapist.objects.get(pk=pk).name for pk in plain[1]] == ["Close 5", "Far"]
    search = FinderSearch(params)
    # Five fresh listings in the ring for the first page; not ten for the second.
    assert ring_branch_ran_alone(search, slice(0, 5))
    assert not ring_branch_ran_alone(search, slice(5, 10))


def test_stale_listings_in_the_ring_do_not_hide_fresh_ones_farther_out(db):
    """Stale listings sort after every fresh one, however close: a ring full of stale
    listings is not enough, and the whole circle is ordered."""
    for n in range(8):
        make_therapist(name=f"Stale {n}", availability_confirmed_on=days_ago(400), **at(0.1 * n, 0))
    make_therapist(name="Fresh far", **at(15, 0))
    params = FinderParams(latitude=CENTRE[0], longitude=CENTRE[1], radius_km=RADIUS_KM)
    plain, from_ring = pages(params, per_page=5)
    assert from_ring == plain
    assert Therapist.objects.get(pk=plain[0][0]).name == "Fresh far"


def test_filters_apply_in_the_ring_as_in_the_circle(scattered):
    Therapist.objects.filter(name__in=["Listing 1", "Listing 2"]).update(
        availability=Therapist.Availability.WAITLIST
    )
    params = FinderParams(
        latitude=CENTRE[0], longitude=CENTRE[1], radius_km=RADIUS_KM, accepting=True
    )
    plain, from_ring = pages(params)
    assert from_ring == plain


def test_online_listings_added_to_the_circle_come_after_it_and_the_ring_still_answers(scattered):
    """Online listings outside the circle (farther than it, or nowhere) sort after every
    listing of the circle: the ring's pages are still the pages of the whole search."""
    for n in range(4):
        make_therapist(name=f"Online far {n}", online=True, **at(40 + 5 * n, 0))
    make_therapist(name="Online nowhere", online=True, latitude=None, longitude=None)
    make_therapist(name="Offline far", online=False, **at(45, 0))
    params = FinderParams(
        latitude=CENTRE[0], longitude=CENTRE[1], radius_km=RADIUS_KM, include_online=True
    )
    plain, from_ring = pages(params)
    assert from_ring == plain
    names = [Therapist.objects.get(pk=pk).name for page in plain for pk in page]
    assert names.index("Online far 0") < names.index("Online far 3") < names.index("Online nowhere")
    assert "Offline far" not in names


def test_the_finder_page_shows_the_ring_page(scattered, client, monkeypatch):
    """Through the view: the ring's page, then (a deeper ring limit than any page) the
    whole circle ordered, give the same cards."""
    url = f"{FINDER}?lat={CENTRE[0]}&lng={CENTRE[1]}&radius={RADIUS_KM}&sort=nearest"
    from_ring = [card.pk for card in client.get(url).context["page_obj"].object_list]
    cache.clear()
    monkeypatch.setattr(nearest, "MAX_STOP", 0)  # every page orders the whole circle
    plain = [card.pk for card in client.get(url).context["page_obj"].object_list]
    assert from_ring == plain
    assert len(plain) == 20


def test_searches_the_ring_does_not_read():
    def ring(**fields) -> NearestFirst | None:
        return NearestFirst.for_search(FinderSearch(FinderParams(**fields)))

    near = {"latitude": CENTRE[0], "longitude": CENTRE[1]}
    assert ring(**near) is not None
    assert ring(**near, location="Chicago") is None
    assert ring(**near, include_online=True) is not None
    assert ring(**near, q="anxiety") is None  # ordered by relevance
    assert ring(latitude=0.0, longitude=179.9) is None  # across the antimeridian
    assert ring(**near).page_ids(slice(nearest.MAX_STOP, nearest.MAX_STOP + 20)) is None
