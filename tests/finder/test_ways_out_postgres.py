"""PostgreSQL: the counts of an empty result's ways out (therapists/finder/ways_out.py),
kept per search shape and wider radius, are what the ORM compiles for each later search
and what a recount gives."""

import pytest

from tests.finder import shaped_directory
from tests.finder.shaped_directory import CHICAGO, NEW_YORK, near, search
from therapists.finder import statements, ways_out
from therapists.finder.presentation import wider_radius

pytestmark = pytest.mark.postgres

# The directory's fixtures, used by name.
listings, nothing_kept = shaped_directory.listings, shaped_directory.nothing_kept

# Pairs of one shape and radius: the second is served the first one's kept statement.
SAME_SHAPE = [
    (
        near(CHICAGO, 10) + "&specialty=specialty-0&q=okafor",
        near(NEW_YORK, 10) + "&specialty=specialty-1&q=lund",
    ),
    (
        near(CHICAGO) + "&accepting=on&gender=woman&max_fee=90",
        near(NEW_YORK) + "&accepting=on&gender=man&max_fee=150",
    ),
    (
        near(NEW_YORK, 5) + "&include_online=on&language=language-0",
        near(CHICAGO, 5) + "&include_online=on&language=language-2",
    ),
    ("specialty=specialty-0&format=online&q=morwel", "specialty=specialty-2&format=online&q=kesly"),
]


def wider(query: str) -> int | None:
    params = search(query).params
    return wider_radius(params.radius_km) if params.near else None


def recount(query: str) -> dict[str, int]:
    """Each relaxation counted on its own, through the ORM."""
    s = search(query)
    return {
        name: s.listed().filter(condition).count()
        for name, condition in ways_out.relaxations(s, wider(query)).items()
    }


def orm_statement(query: str) -> tuple[str, list]:
    return ways_out._statement(search(query), wider(query))


@pytest.mark.parametrize(("first", "second"), SAME_SHAPE)
def test_kept_ways_out_are_what_the_orm_compiles_and_count_what_a_recount_does(
    listings, first, second
):
    assert ways_out.ways_out_counts(search(first), wider(first)) == recount(first)
    assert ("ways_out", wider(first)) in {statement for statement, _shape in statements._kept}

    def must_not_build(_search):
        raise AssertionError("the ways out were compiled again for a search of a kept shape")

    served = search(second)
    kept = statements.compiled(
        ("ways_out", wider(second)),
        served,
        must_not_build,
        extra=lambda s: ways_out._wider_values(s, wider(second)),
    )
    assert kept == orm_statement(second)
    counts = ways_out.ways_out_counts(served, wider(second))
    assert counts == recount(second)
    assert any(counts.values())


def test_a_search_of_the_same_shape_with_another_radius_gets_its_own_statement(listings):
    """The wider radius (10 -> 25 km, 25 -> 50 km) is in the kept statement's key."""
    queries = [near(CHICAGO, 10) + "&gender=woman", near(CHICAGO, 25) + "&gender=woman"]
    assert len({statements.search_shape(search(q)) for q in queries}) == 1
    for _round in range(2):  # the second from the kept statements
        for query in queries:
            assert ways_out.ways_out_counts(search(query), wider(query)) == recount(query)
    assert {("ways_out", 25), ("ways_out", 50)} <= {key for key, _shape in statements._kept}


def test_a_wider_box_across_the_antimeridian_is_compiled_every_time(listings):
    query = "lat=10&lng=179.8&radius=10&gender=woman"
    assert statements.search_shape(search(query)) is not None  # the search's own box is kept
    for _round in range(2):
        assert ways_out.ways_out_counts(search(query), wider(query)) == recount(query)
    assert not any(key[0] == "ways_out" for key, _shape in statements._kept)
